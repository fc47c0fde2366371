"""The tray's desktop: is the icon docked, and what happens when X or the session bus goes away.

- `tray_docked` in `status --json` follows the tray host (see platform/tray/host.py); with no
  host 5 s after start one line says so and how breaks still reach the user.
- The X server gone: the stretch is recorded, one line says why, and the process ends with
  exit code 0 (nothing is left that could show the icon). GDK would otherwise _exit(1) at once.
- The session D-Bus gone (GTK backends): GDBus would SIGTERM us and pystray then fails with a
  GError traceback; instead one line says what is lost and sitbreak keeps running.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tray_app.platform.x11.connection import X11Connection

log = logging.getLogger(__name__)

NO_HOST_AFTER_S = 5.0
NO_HOST_LINE = (
    "no system tray found after 5 s, so no icon is shown: it docks by itself if a panel with a "
    "tray starts. Breaks still reach you as desktop notifications{window}, and `sitbreak "
    "status` answers from a terminal"
)
DBUS_LOST_LINE = (
    "the session D-Bus went away: desktop notifications and any AppIndicator panel are gone; "
    "the `sitbreak` commands{window} still work"
)


NO_SNI_HOST_LINE = (
    "no panel has shown the tray icon after 5 s (no StatusNotifierItem host on the session "
    "bus): it docks by itself when a panel with a tray starts (waybar's tray module, KDE, "
    "XFCE's status notifier plugin, GNOME's AppIndicator extension). Breaks still reach you as "
    "desktop notifications{window}, and `sitbreak status` answers from a terminal"
)
# pystray's xorg icon logs this with a traceback on every show and picture change while no
# tray host is there; the one line above says it instead.
XORG_DOCK_ERROR = "Failed to dock icon"


def no_host_line(window: bool, backend: str = "xorg") -> str:
    line = NO_SNI_HOST_LINE if backend == "sni" else NO_HOST_LINE
    return line.format(window=" and in the break window" if window else "")


def _not_a_dock_error(record: logging.LogRecord) -> bool:
    return record.getMessage() != XORG_DOCK_ERROR


GTK_BACKENDS = ("gtk", "appindicator")
MAX_BUS_TERMS = 4  # SIGTERMs taken as GDBus's own when the session bus has closed
ALWAYS_DOCKED = ("win32", "darwin")  # the notification area and the menu bar are always there


class TrayHealth:
    """Keeps `details["tray_docked"]` true to the desktop and ends cleanly when X goes away."""

    def __init__(
        self,
        runtime: Any,
        backend: str,
        say: Callable[[str], None],
        window: bool = True,
        exit_process: Callable[[int], None] = os._exit,
        x11: X11Connection | None = None,
    ) -> None:
        self.runtime = runtime
        self.x11 = x11  # the idle probe's X connection, for the tray-host watch to share
        self.backend = backend
        self.say = say
        self.window = window  # the break window opens too (not with --no-window)
        self.exit_process = exit_process
        self.watch: Any = None
        self._lost_lock = threading.Lock()
        self._lost = False
        self._timer: threading.Timer | None = None
        self._bus_terms = 0
        self._bus_lost_said = False
        self.on_host: Callable[[], None] = lambda: None  # a tray host appeared (the icon docks)
        self.icon: Any = None  # the SNI icon, which says itself whether a host shows it

    def follow(self, icon: Any) -> None:
        """The SNI icon reports docking itself (registered, and a host is there)."""
        if self.backend == "sni":
            from tray_app.platform.tray.host import open_sni_bus

            env = dict(os.environ)
            self.icon = icon
            icon.on_docked = self._set_docked
            icon.open_bus = lambda: open_sni_bus(env)

    def start(self) -> None:
        self._set_docked(self.backend in ALWAYS_DOCKED)
        if not sys.platform.startswith("linux") or self.backend in (*ALWAYS_DOCKED, "dummy"):
            return
        if self.backend == "sni":  # no X needed: the icon itself follows the watcher
            self._start_timer()
            return
        if self.backend == "xorg":
            logging.getLogger("pystray._base").addFilter(_not_a_dock_error)
        from tray_app.platform.tray.host import TrayHostWatch

        try:
            self.watch = TrayHostWatch(os.environ.get("DISPLAY", ""), self._set_docked,
                                       self.desktop_lost, uses_sni=self.backend == "appindicator",
                                       connection=self.x11)
            self.watch.start()
        except Exception as exc:
            log.warning("cannot watch for a tray host (%s)", exc)
            self.watch = None
        self._start_timer()

    def _start_timer(self) -> None:
        self._timer = threading.Timer(NO_HOST_AFTER_S, self._no_host_yet)
        self._timer.daemon = True
        self._timer.start()

    def guard_gtk(self) -> None:
        """GTK backends: take over GDK's X-loss exit and GDBus's exit when the bus closes."""
        from tray_app.platform.x11.loss import on_xlib_io_error

        on_xlib_io_error(lambda: self.desktop_lost(
            f"the X display {os.environ.get('DISPLAY', '')} went away"))
        self._guard_session_bus()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.watch is not None:
            self.watch.stop()

    def _set_docked(self, docked: bool) -> None:
        details = self.runtime.adapters.details
        details["tray_docked"] = docked
        if docked:
            details.pop("tray_problem", None)
        self.runtime.post_tick()  # status answers from the state the owner keeps
        if docked:
            self.on_host()

    def _no_host_yet(self) -> None:
        details = self.runtime.adapters.details
        if not details.get("tray_docked") and not self.runtime.wait(0):
            line = no_host_line(self.window, self.backend)
            details["tray_problem"] = line  # `status` says why there is no icon
            log.warning("%s", line)
            self.say(line)
            self.runtime.post_tick()

    def desktop_lost(self, reason: str) -> None:
        """Record the stretch, say why in one line, end the process. Safe from any thread."""
        with self._lost_lock:  # a second report waits here until the first has recorded
            if not self._lost:
                self._lost = True
                self.say(f"{reason}: stopping; the sitting stretch so far is recorded")
                try:
                    self.runtime.stop()
                except Exception:
                    log.exception("stopping after the display went away failed")
                logging.shutdown()
        self.exit_process(0)

    def check_display(self) -> None:
        """The icon's loop ended by itself: if X (or, for SNI, the bus) is gone, that is why
        (and this ends us)."""
        if self.backend == "sni":
            lost = getattr(self.icon, "lost", None)
            self.desktop_lost(lost or "the tray icon's D-Bus connection ended")
            return
        from tray_app.platform.x11.connection import open_display

        display = os.environ.get("DISPLAY", "")
        try:
            open_display(display).close()
        except Exception as exc:
            self.desktop_lost(f"the X display {display} went away ({exc})")

    def _guard_session_bus(self) -> None:
        """Keep GDBus from killing us when the session bus closes, and say what that costs."""
        from gi.repository import Gio, GLib

        _guard_pystray_notifier()
        try:
            bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        except GLib.Error as exc:
            log.info("no session D-Bus for the tray (%s)", exc.message)
            return
        bus.set_exit_on_close(False)
        bus.connect("closed", lambda *_a: self._session_bus_closed())

    def _session_bus_closed(self) -> None:
        if self._lost or self.runtime.wait(0) or self._bus_lost_said:
            return
        self._bus_lost_said = True
        self.say(DBUS_LOST_LINE.format(window=" and the break window" if self.window else ""))
        if self.watch is not None:
            self.watch.recheck_soon()

    def is_bus_exit(self) -> bool:
        """True for a SIGTERM that GDBus raised itself because the session bus closed.

        Every GDBus connection made by g_bus_get (GTK, AppIndicator and dbusmenu make their
        own) raises SIGTERM in this process when the bus goes; Python cannot see the sender,
        so a SIGTERM while the bus no longer answers is taken as that, a few times at most.
        A logout also takes X away, which ends sitbreak through desktop_lost.
        """
        if self.backend not in GTK_BACKENDS or self._bus_terms >= MAX_BUS_TERMS:
            return False
        from tray_app.platform.dbus.client import connect, session_bus_address

        address = session_bus_address(os.environ)
        try:
            if address is None:
                return False
            connect(address).close()
            return False  # the bus is there: a real request to stop
        except Exception:
            self._bus_terms += 1
            self._session_bus_closed()
            return True


def _guard_pystray_notifier() -> None:
    """pystray's GTK backends open a D-Bus notifier we never use; its errors must not kill us.

    Without a session bus (or a notification service) its constructor raises and the icon never
    starts; after the bus closes, its hide() at exit raises a GError traceback.
    """
    from pystray._util import notify_dbus

    real = notify_dbus.Notifier
    if getattr(real, "sitbreak_guarded", False):
        return

    class GuardedNotifier:
        sitbreak_guarded = True

        def __init__(self) -> None:
            self._real: Any = None
            try:
                self._real = real()
            except Exception as exc:
                log.info("pystray's notifier is unavailable (%s); sitbreak has its own", exc)

        def notify(self, *args: Any) -> None:
            if self._real is not None:
                with contextlib.suppress(Exception):
                    self._real.notify(*args)

        def hide(self) -> None:
            if self._real is not None:
                with contextlib.suppress(Exception):
                    self._real.hide()

    notify_dbus.Notifier = GuardedNotifier  # type: ignore[misc]

"""The tray icon: pystray on the main thread, fed by one worker that applies the latest state.

The runtime's owner thread calls `TrayController.update` on every visible change; that only
stores the snapshot and wakes the worker, so the owner never waits on the tray. The worker
(pystray's setup thread) is the only thread that changes the icon, and it applies just the most
recent snapshot: pystray's xorg backend deadlocks when its icon is changed rapidly from several
threads, and win32's update_menu is not thread-safe, so updates are serialised and coalesced.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PIL import Image

from tray_app import __version__
from tray_app.core.commands import event_for
from tray_app.core.ending import streak_line
from tray_app.core.menu import SEPARATOR, MenuItem, build_menu
from tray_app.core.problems import ProblemsError
from tray_app.core.safety import SAFETY_LINE
from tray_app.core.state import State
from tray_app.core.status import status_line
from tray_app.core.views import ring_step
from tray_app.ports import TrayPort, XConnection
from tray_app.support.i18n import _, duration, number, tr
from tray_app.ui.tray.images import XORG_BACKGROUND, state_image
from tray_app.ui.tray.xorg_calls import route_xorg_calls
from tray_app.ui.tray.xorg_dock import XorgDock

log = logging.getLogger(__name__)

ICON_NAME = "sitbreak"
XORG_NOTE = (
    "this tray (pystray's plain X11 backend) has no menu and ignores clicks: the break prompt "
    "and the notifications carry every action, and `sitbreak --help` lists the commands"
)
Snapshot = tuple[State, dict[str, Any]]


def icon_size(backend: str | None) -> int:
    """Pixels to draw at: hosts scale the image, so draw near the size they show."""
    return 32 if backend in ("win32", "sni") else 22  # SNI hosts get 32 and smaller copies


def image_key(state: State, backend: str | None) -> tuple[Any, ...]:
    """What the picture depends on; the icon is redrawn only when this changes."""
    return (state.phase, ring_step(state), icon_size(backend))


def draw_icon(state: State, backend: str | None) -> Image.Image:
    """The tray picture for `state`; on xorg composited onto grey (it paints alpha black)."""
    bg = XORG_BACKGROUND if backend == "xorg" else None
    # The packaged sheets, not tray_app.ui.icons: drawing would load FreeType (images.py).
    return state_image(state.phase, ring_step(state), icon_size(backend), bg)




class TrayController:
    """The TrayView the runtime updates, the menu's model and the icon's only writer."""

    def __init__(
        self,
        runtime: TrayPort,
        backend: str | None,
        settings_path: Path | None,
        *,
        autostart: Any | None = None,
        launch_command: Callable[[], list[str]] = lambda: [sys.executable, "-m", "tray_app", "run"],
        open_stats: Callable[[], Any] | None = None,
        open_settings_window: Callable[[], bool] | None = None,
        opener: Callable[[Path], None] | None = None,
        edits: Any | None = None,
        x11: XConnection | None = None,
        watch_autostart: Callable[[Callable[[], None]], Callable[[], None]] | None = None,
    ) -> None:
        self.runtime = runtime
        # Starts watching the start-at-login files (calling its argument on a change) and
        # returns what stops it: `sitbreak autostart enable` in a terminal shows at once.
        self.watch_autostart = watch_autostart
        self.x11 = x11  # the idle probe's X connection, which the xorg icon's changes share
        self.edits = edits  # what the menu may change in the settings file (MenuEdits)
        self.backend = backend
        self.settings_path = settings_path
        self.autostart = autostart
        self.launch_command = launch_command
        self.open_stats = open_stats
        # Opens (or raises) the settings window; True once it is on screen.
        self.open_settings_window = open_settings_window or self._launch_settings_window
        self.opener = opener  # None: the desktop's handler, then the fallbacks
        self.icon: Any = None
        self.dock: XorgDock | None = None  # xorg only: pystray docks its icon too seldom
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: Snapshot | None = None
        self._stop_requested = False
        self._shown: Snapshot = (runtime.state, runtime.status())
        self._image_key: tuple[Any, ...] | None = None
        self._menu_shown: list[MenuItem] | None = None
        self._autostart_on = self._read_autostart()
        # Counters for tests and the benchmark.
        self.applied = 0
        self.redraws = 0

    # --- the TrayView side (runtime owner thread) ------------------------------------------

    def update(self, state: State, status: dict[str, Any]) -> None:
        """Remember the newest state and wake the worker; never blocks, never calls pystray."""
        with self._lock:
            self._pending = (state, status)
        self._wake.set()

    def resync(self) -> None:
        """Catch up with the runtime's state, e.g. changes made before this view was registered.

        The state is read under the lock, so an update() the owner makes afterwards still wins.
        """
        with self._lock:
            if self._pending is None:
                self._pending = (self.runtime.state, self.runtime.status())
        self._wake.set()

    def request_stop(self) -> None:
        """Ask the worker to stop the icon (from any thread)."""
        self._stop_requested = True
        self._wake.set()

    # --- the icon ---------------------------------------------------------------------------

    def make_icon(self) -> Any:
        """A pystray Icon showing the current snapshot (PYSTRAY_BACKEND must be set already)."""
        if self.backend in ("gtk", "appindicator"):
            _name_gtk_program()
        import pystray

        icon_class = pystray.Icon
        if self.backend == "sni":
            from tray_app.ui.tray.sni.item import Icon as icon_class
        state, status = self._shown
        self._image_key = image_key(state, self.backend)
        self._menu_shown = self.menu_items()
        self.icon = icon_class(
            ICON_NAME,
            icon=draw_icon(state, self.backend),
            title=self._title(status, state),
            menu=pystray.Menu(self._pystray_items),
        )
        if self.backend == "xorg":
            route_xorg_calls(self.icon, self.x11)
            self.dock = XorgDock(self.icon, self.x11)
        return self.icon

    def host_changed(self) -> None:
        """A tray host appeared (from the tray-host watch): make sure the icon is in it."""
        if self.dock is not None:
            self.dock.host_changed()
            self._wake.set()

    def work(self, icon: Any) -> None:
        """pystray's setup thread: show the icon, then apply snapshots until asked to stop."""
        stop_watch = self._watch_autostart()
        try:
            icon.visible = True
            if self.dock is not None:
                self.dock.shown()
            self._set_tooltip(self._title(self._shown[1], self._shown[0]))
        except Exception:
            log.exception("showing the tray icon failed")
        while True:
            # Only while the xorg icon is not yet in a tray does this wait time out.
            self._wake.wait(self.dock.timeout() if self.dock is not None else None)
            self._wake.clear()
            if self._stop_requested:
                break
            if self.dock is not None:
                self.dock.check_if_due()
            try:
                self.apply_pending()
            except Exception:
                log.exception("updating the tray icon failed")
        stop_watch()
        try:
            icon.stop()
        except Exception as exc:  # the display is gone: TrayHealth says so and ends the process
            log.info("stopping the tray icon failed (%s)", exc)

    def apply_pending(self) -> bool:
        """Show the latest snapshot, touching only what changed. False if none was waiting."""
        with self._lock:
            snap, self._pending = self._pending, None
        if snap is None or self.icon is None:
            return False
        state, status = snap
        self._shown = snap
        self.applied += 1
        key = image_key(state, self.backend)
        if key != self._image_key:
            self._image_key = key
            self.icon.icon = draw_icon(state, self.backend)
            self.redraws += 1
        title = self._title(status, state)
        if title != self.icon.title:
            self.icon.title = title
            self._set_tooltip(title)
        self._refresh_menu()
        return True

    def _refresh_menu(self) -> None:
        items = self.menu_items()
        if items != self._menu_shown:
            self._menu_shown = items
            self.icon.update_menu()

    @staticmethod
    def _title(status: dict[str, Any], state: State) -> str:
        return str(status.get("line") or status_line(state))

    def _set_tooltip(self, text: str) -> None:
        # pystray's gtk backend sets only the title, which hosts do not show on hover.
        status_icon = getattr(self.icon, "_status_icon", None)
        if status_icon is None:
            return
        from gi.repository import GLib

        GLib.idle_add(status_icon.set_tooltip_text, text)

    # --- the menu ---------------------------------------------------------------------------

    def menu_items(self) -> list[MenuItem]:
        """The menu for the snapshot on show; the start-at-login tick is read afresh, so a
        change made elsewhere (`sitbreak autostart disable`) shows the next time it is built."""
        self._autostart_on = self._read_autostart()
        state, status = self._shown
        return build_menu(state, status, self._autostart_on)

    def _pystray_items(self) -> list[Any]:
        return to_pystray(self.menu_items(), self.handle)

    def handle(self, action: str) -> None:
        """Carry out a menu action (runs on the tray's own thread: keep it short)."""
        log.info("tray menu: %s", action)
        state = self.runtime.state
        try:
            event = event_for(action)  # "pause-tomorrow" too: the core knows when days start
            if event is not None:
                self.runtime.post(event)
            elif action.startswith("break-every-"):
                secs = float(action.removeprefix("break-every-"))
                self._write(lambda edits: edits.break_every(secs))
            elif action == "toggle-posture":
                on = state.settings.posture.every > 0
                self._write(lambda edits: edits.posture(not on))
            elif action == "settings":
                self._settings_window()
            elif action in ("autostart-on", "autostart-off"):
                self._set_autostart(action == "autostart-on")
            elif action == "open-settings":
                self._open_settings()
            elif action == "stats":
                self._statistics()
            elif action == "about":
                self._notify(f"sitbreak {__version__}", (
                    _("Notices how long you have really been sitting and suggests short moves "
                      "for the hips, core and posture.") + " " + tr(SAFETY_LINE)))
            elif action == "status":
                self._notify("sitbreak", self._summary())
            elif action == "quit":
                self.runtime.stop()
                self.request_stop()
            else:
                log.warning("unknown tray action %r", action)
        except Exception:
            log.exception("tray action %s failed", action)

    def _notify(self, title: str, body: str) -> None:
        self.runtime.notify_info(title, body)

    def _write(self, change: Callable[[Any], None]) -> None:
        """Change the settings file through `edits` (settings.edit.MenuEdits, from the app)."""
        path = self.settings_path
        if path is None or self.edits is None:
            self._notify("sitbreak", _("There is no settings file to change."))
            return
        try:
            change(self.edits)
        except ProblemsError as exc:
            # The user's file is broken: say so, and leave it exactly as it is.
            self._notify(_("sitbreak: {name} has a problem").format(name=path.name),
                         _("Not changed; fix the file first.\n{problems}").format(
                             problems=tr(exc.text())))
            return
        except Exception as exc:  # unreadable, changed on disk meanwhile, not writable
            self._notify(_("sitbreak: could not change the settings"), str(exc))
            return
        self.runtime.post_tick()  # the tick's reload check picks the new file up at once

    def _read_autostart(self) -> bool | None:
        if self.autostart is None:
            return None
        try:
            return bool(self.autostart.is_enabled())
        except Exception:
            log.exception("reading the start-at-login entry failed")
            return None

    def _watch_autostart(self) -> Callable[[], None]:
        if self.autostart is None or self.watch_autostart is None:
            return lambda: None
        try:
            return self.watch_autostart(self.autostart_changed)
        except Exception:
            log.exception("watching the start-at-login files failed")
            return lambda: None

    def _set_autostart(self, on: bool) -> None:
        """Make start at login `on` (what the clicked tick moves to), whatever it is now: the
        entry may have changed since the menu was drawn, and toggling then inverted it."""
        if self.autostart is None:
            return
        try:
            if on == self.autostart.is_enabled():
                msg = "start at login is already " + ("on" if on else "off")
            elif on:
                msg = self.autostart.enable(self.launch_command())
            else:
                msg = self.autostart.disable()
        except Exception as exc:  # a failed write, or no command that starts sitbreak
            msg = f"could not change start at login: {exc}"
            self._notify("sitbreak: could not change start at login", str(exc))
        log.info("%s", msg)
        self._autostart_on = self._read_autostart()
        self._after_local_change()

    def _after_local_change(self) -> None:
        # A change the runtime does not see (autostart): redraw the menu, from the last
        # snapshot unless a newer one is already waiting.
        with self._lock:
            if self._pending is None:
                self._pending = self._shown
        self._wake.set()

    def _open_settings(self) -> None:
        path = self.settings_path
        if path is None:
            self._notify("sitbreak", "There is no settings file.")
            return
        if self.opener is not None:
            try:
                self.opener(path)
            except OSError as exc:
                self._notify("sitbreak: could not open the settings file", f"{path}\n{exc}")
            return
        from tray_app.ui.tray.open_settings import open_settings_file  # with shlex, when asked

        # Each fallback may wait a moment for its launcher: not on the tray's thread.
        threading.Thread(target=open_settings_file, name="open-settings", daemon=True,
                         args=(path, self.open_settings_window, self._notify)).start()

    def _settings_window(self) -> None:
        threading.Thread(target=self._settings_window_now, name="settings-window",
                         daemon=True).start()

    def _settings_window_now(self) -> None:
        try:
            if self.open_settings_window():
                return
        except Exception:
            log.exception("opening the settings window failed")
        self._notify("sitbreak: no settings window here",
                     f"Edit the file instead:\n{self.settings_path}")

    def _launch_settings_window(self) -> bool:
        from tray_app.ui.launch.settings_window import open_window

        if self.settings_path is None:
            return False
        return open_window(self.settings_path, self._settings_saved, self._read_autostart())

    def _settings_saved(self, autostart: bool | None) -> None:
        """The window wrote the file: apply it now (not at the next heartbeat)."""
        self.runtime.post_tick()
        if autostart is not None:
            self._set_autostart(autostart)

    def autostart_changed(self) -> None:
        """The start-at-login files changed (a file watch, any thread): redraw the tick."""
        self._after_local_change()

    def _statistics(self) -> None:
        if self.open_stats is not None:
            try:
                self.open_stats()
                return
            except Exception:
                log.exception("opening the statistics window failed")
        self._notify("sitbreak: today", self._summary())

    def _summary(self) -> str:
        st = self.runtime.status()
        sitting = duration(st.get("today_sitting_seconds") or 0)
        longest = duration(st.get("today_longest_stretch_seconds") or 0)
        text = st.get("line", "") + "\n" + _(
            "Sitting today: {sitting}; longest stretch: {longest}.").format(
            sitting=sitting, longest=longest)
        offered, taken = st.get("today_breaks_offered") or 0, st.get("today_breaks_taken") or 0
        if offered or taken:
            text += "\n" + _("Breaks taken today: {taken} of {offered} offered.").format(
                taken=number(taken), offered=number(offered))
        streak = st.get("streak_days") or 0
        if streak:
            text += "\n" + tr(streak_line(streak))
        return text


def _name_gtk_program() -> None:
    """GTK names the tray window after the program ("main.py" without this). Naming the
    program before GTK starts does it without Gtk.StatusIcon.set_name, which, called before
    the icon was embedded, printed a Gdk-CRITICAL line at every start (issue 25, bug 8)."""
    import gi
    from gi.repository import GLib

    GLib.set_prgname(ICON_NAME)
    try:  # the window class too, where GDK has already started (the backend probe)
        gi.require_version("Gdk", "3.0")
        from gi.repository import Gdk

        Gdk.set_program_class(ICON_NAME)
    except (ImportError, ValueError):
        pass


def to_pystray(items: list[MenuItem] | tuple[MenuItem, ...], on_action: Callable[[str], None]
               ) -> list[Any]:
    """pystray menu items for the core's items; activating one calls `on_action(id)`."""
    import pystray

    out: list[Any] = []
    for item in items:
        if item == SEPARATOR:
            out.append(pystray.Menu.SEPARATOR)
            continue
        action: Any
        if item.submenu:
            action = pystray.Menu(*to_pystray(item.submenu, on_action))
        elif item.action is not None:
            action = _caller(on_action, item.action)
        else:
            action = None
        checked = None if item.checked is None else _const(item.checked)
        out.append(pystray.MenuItem(tr(item.text), action, checked=checked, radio=item.radio,
                                    default=item.default, enabled=item.enabled))
    return out


def _caller(on_action: Callable[[str], None], action: str) -> Callable[[Any, Any], None]:
    def activate(icon: Any, item: Any) -> None:
        on_action(action)

    return activate


def _const(value: bool) -> Callable[[Any], bool]:
    return lambda _item: value


class DesktopHealth(Protocol):
    """Docking and desktop-loss handling for the tray (tray_app.platform.tray.health.TrayHealth)."""

    def guard_gtk(self) -> None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def is_bus_exit(self) -> bool: ...

    def check_display(self) -> None: ...

    def follow(self, icon: Any) -> None: ...


def run_tray(runtime: Any, backend: str, settings_path: Path | None, health: DesktopHealth,
             **wiring: Any) -> None:
    """Show the tray icon until the runtime stops or Quit is chosen; blocks the main thread.

    `wiring` (autostart, launch_command, open_stats) and `health` come from the composition
    root, so this module needs no platform or history code of its own.
    """
    from tray_app.ui.tray.backend import pystray_module

    os.environ["PYSTRAY_BACKEND"] = pystray_module(backend)
    controller = TrayController(runtime, backend, settings_path, **wiring)
    if backend in ("gtk", "appindicator"):
        health.guard_gtk()  # before the icon exists: its constructor talks to D-Bus already
    icon = controller.make_icon()
    runtime.adapters.tray = controller
    controller.resync()  # the runtime is already ticking: pick up what changed meanwhile
    health.on_host = controller.host_changed
    health.follow(icon)
    health.start()
    if backend == "xorg":
        log.warning("%s", XORG_NOTE)
        print(f"sitbreak: {XORG_NOTE}", file=sys.stderr, flush=True)

    # `sitbreak quit`, a signal, or Quit from the menu: no thread of its own needed to wait
    runtime.when_stop_requested(controller.request_stop)

    try:
        icon.run(setup=controller.work)
    finally:
        health.stop()
    if not runtime.wait(0):
        health.check_display()  # the icon's loop ended by itself: was it the X server?

"""Is there a tray host for our icon, and is the X server still there? Linux/X11 only.

pystray never says whether its icon docked. A tray host is either an XEmbed system tray (the
owner of the `_NET_SYSTEM_TRAY_S<screen>` selection, as in trayer, Xfce, MATE, KDE's X11 tray)
or, for the AppIndicator backend, a StatusNotifier host registered on the session bus (KDE,
GNOME with the AppIndicator extension). `TrayHostWatch` follows the XEmbed owner through X
events on a connection of its own (no polling), asks the session bus now and then only while
nothing docks the AppIndicator, and reports when its X connection is closed by the server.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

SNI_RECHECK_S = 10.0  # AppIndicator with no host yet: ask the session bus this often
SNI_WATCHER = "org.kde.StatusNotifierWatcher"


def sni_host_registered(env: Mapping[str, str]) -> bool:
    """True if a StatusNotifier host (an AppIndicator panel) is registered on the session bus."""
    from jeepney import DBusAddress

    from tray_app.platform.dbus_client import connect, get_property, session_bus_address

    address = session_bus_address(env)
    if address is None:
        return False
    try:
        conn = connect(address)
    except Exception:
        return False
    try:
        watcher = DBusAddress("/StatusNotifierWatcher", bus_name=SNI_WATCHER,
                              interface=SNI_WATCHER)
        return bool(get_property(conn, watcher, "IsStatusNotifierHostRegistered"))
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            conn.close()


class TrayHostWatch:
    """Calls `on_docked(bool)` whenever a host appears or goes, `on_lost(why)` once if X closes.

    `uses_sni` (the AppIndicator backend) also counts a StatusNotifier host as docking.
    """

    def __init__(
        self,
        display_name: str,
        on_docked: Callable[[bool], None],
        on_lost: Callable[[str], None],
        uses_sni: bool = False,
        env: Mapping[str, str] = os.environ,
    ) -> None:
        self.display_name = display_name
        self.on_docked = on_docked
        self.on_lost = on_lost
        self.uses_sni = uses_sni
        self.env = dict(env)
        self.docked: bool | None = None
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Open the connection now (so a failure is reported here) and watch in a thread."""
        from Xlib import X, display

        self._conn = display.Display(self.display_name)
        self._conn.set_error_handler(lambda *_a: None)  # a tray window gone mid-call: ignored
        screen = self._conn.get_default_screen()
        self._selection = self._conn.intern_atom(f"_NET_SYSTEM_TRAY_S{screen}")
        self._manager = self._conn.intern_atom("MANAGER")
        self._root = self._conn.screen().root
        # The tray spec: a new host announces itself with a MANAGER message to the root window.
        self._root.change_attributes(event_mask=X.StructureNotifyMask)
        self._recheck()
        self._thread = threading.Thread(target=self._run, name="tray-host", daemon=True)
        self._thread.start()

    def recheck_soon(self) -> None:
        """Ask again from the watch thread (e.g. the session bus, and with it SNI, went away)."""
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"r")

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        if self._thread is not None:
            self._thread.join(2.0)
        with contextlib.suppress(Exception):
            self._conn.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _xembed_owner(self) -> bool:
        from Xlib import X

        owner = self._conn.get_selection_owner(self._selection)
        if owner == X.NONE:
            return False
        # Hear about the host going away: its owner window is destroyed with it.
        owner.change_attributes(event_mask=X.StructureNotifyMask)
        return True

    def _recheck(self) -> None:
        docked = self._xembed_owner() or (self.uses_sni and sni_host_registered(self.env))
        self._conn.flush()  # send the event selection now, not with some later request
        if docked != self.docked:
            self.docked = docked
            log.info("tray host %s", "present" if docked else "absent")
            self.on_docked(docked)

    def _run(self) -> None:
        from Xlib import X

        try:
            while not self._stop.is_set():
                timeout = SNI_RECHECK_S if self.uses_sni and not self.docked else None
                ready, _, _ = select.select([self._conn.fileno(), self._wake_r], [], [], timeout)
                if self._stop.is_set():
                    return
                changed = not ready  # the SNI timeout: ask again
                if self._wake_r in ready:
                    os.read(self._wake_r, 64)
                    changed = True
                while self._conn.pending_events():
                    event: Any = self._conn.next_event()
                    if event.type == X.DestroyNotify or (
                        event.type == X.ClientMessage and event.client_type == self._manager
                    ):
                        changed = True
                if changed:
                    self._recheck()
        except Exception as exc:
            if not self._stop.is_set():
                self.on_lost(f"the X display {self.display_name} went away ({exc})")

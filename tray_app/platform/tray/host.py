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

from tray_app.platform.x11.connection import X11Connection

log = logging.getLogger(__name__)

SNI_RECHECK_S = 10.0  # AppIndicator with no host yet: ask the session bus this often
SNI_WATCHER = "org.kde.StatusNotifierWatcher"


def sni_host_registered(env: Mapping[str, str]) -> bool:
    """True if a StatusNotifier host (an AppIndicator panel) is registered on the session bus."""
    from jeepney import DBusAddress

    from tray_app.platform.dbus.client import connect, get_property, session_bus_address

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


def sni_watcher(env: Mapping[str, str]) -> bool | str:
    """True if a StatusNotifierWatcher owns its name on the session bus, False if the bus
    answers without one, else why the bus cannot be asked (the tray backend's choice)."""
    from jeepney.bus_messages import message_bus

    from tray_app.platform.dbus.client import call, connect, session_bus_address

    address = session_bus_address(env)
    if address is None:
        return "DBUS_SESSION_BUS_ADDRESS is not set"
    try:
        conn = connect(address)
    except Exception as exc:
        return str(exc) or type(exc).__name__
    try:
        (owned,) = call(conn, message_bus.NameHasOwner(SNI_WATCHER))
        return bool(owned)
    except Exception as exc:
        return str(exc) or type(exc).__name__
    finally:
        with contextlib.suppress(Exception):
            conn.close()


def open_sni_bus(env: Mapping[str, str]) -> Any:
    """The SNI icon's connection (platform.tray.sni_bus.ObjectBus); raises if unreachable."""
    from tray_app.platform.dbus.client import session_bus_address
    from tray_app.platform.tray.sni_bus import ObjectBus

    address = session_bus_address(env)
    if address is None:
        raise ConnectionError("DBUS_SESSION_BUS_ADDRESS is not set")
    return ObjectBus(address)


class TrayHostWatch:
    """Calls `on_docked(bool)` whenever a host appears or goes, `on_lost(why)` once if X closes.

    `uses_sni` (the AppIndicator backend) also counts a StatusNotifier host as docking.
    `connection` is an X connection to share (the idle probe's): each python-xlib connection
    costs ~0.6 MiB for the whole day. Its other callers' replies may bring our events in, so
    it tells us (`on_events`) when they wait in its queue.
    """

    def __init__(
        self,
        display_name: str,
        on_docked: Callable[[bool], None],
        on_lost: Callable[[str], None],
        uses_sni: bool = False,
        env: Mapping[str, str] = os.environ,
        connection: X11Connection | None = None,
    ) -> None:
        self.display_name = display_name
        self.on_docked = on_docked
        self.on_lost = on_lost
        self.uses_sni = uses_sni
        self.env = dict(env)
        self.docked: bool | None = None
        self._own = connection is None
        self._conn = connection if connection is not None else X11Connection(display_name)
        self._watching: Any = None  # the python-xlib display our event selection is on
        self._selection = self._manager = 0
        self._stop = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Select the events now (so a failure is reported here) and watch in a thread."""
        if not self._conn.run(self._select_events, False, "tray host watch"):
            raise OSError(f"cannot reach the X display {self.display_name}")
        self._conn.on_events(self._wake)
        if not self._recheck():
            raise OSError(f"the X display {self.display_name} does not answer")
        self._thread = threading.Thread(target=self._run, name="tray-host", daemon=True)
        self._thread.start()

    def recheck_soon(self) -> None:
        """Ask again from the watch thread (e.g. the session bus, and with it SNI, went away)."""
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"r")

    def stop(self) -> None:
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(2.0)
        if self._own:
            self._conn.close()
        else:  # the connection stays with its owner: stop queueing events nobody reads
            self._conn.run(self._unselect_events, None, "tray host watch stop")
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _select_events(self, disp: Any) -> bool:
        """Hear of tray hosts on this connection (again, after the connection was reopened)."""
        if disp is self._watching:
            return True
        from Xlib import X

        disp.set_error_handler(_ignore_x_error)  # a tray window gone mid-call: not our error
        self._selection = disp.intern_atom(f"_NET_SYSTEM_TRAY_S{disp.get_default_screen()}")
        self._manager = disp.intern_atom("MANAGER")
        # The tray spec: a new host announces itself with a MANAGER message to the root window.
        disp.screen().root.change_attributes(event_mask=X.StructureNotifyMask)
        self._watching = disp
        return True

    def _unselect_events(self, disp: Any) -> None:
        if disp is self._watching:
            disp.screen().root.change_attributes(event_mask=0)
            disp.flush()
            while disp.pending_events():
                disp.next_event()
            self._watching = None

    def _xembed_owner(self, disp: Any) -> bool:
        from Xlib import X

        self._select_events(disp)
        owner = disp.get_selection_owner(self._selection)
        if owner != X.NONE:
            # Hear about the host going away: its owner window is destroyed with it.
            owner.change_attributes(event_mask=X.StructureNotifyMask)
        disp.flush()  # send the event selection now, not with some later request
        return owner != X.NONE

    def _drain(self, disp: Any) -> bool:
        """True if a queued event says a host came or went."""
        from Xlib import X

        fresh = disp is not self._watching  # reopened: whatever happened meanwhile is unknown
        self._select_events(disp)
        changed = fresh
        while disp.pending_events():
            event: Any = disp.next_event()
            if event.type == X.DestroyNotify or (
                event.type == X.ClientMessage and event.client_type == self._manager
            ):
                changed = True
        return changed

    def _recheck(self) -> bool:
        """Ask who hosts the tray now; False if the X server does not answer."""
        xembed = self._conn.run(self._xembed_owner, None, "tray host check")
        if xembed is None:
            return False
        docked = xembed or (self.uses_sni and sni_host_registered(self.env))
        if docked != self.docked:
            self.docked = docked
            log.info("tray host %s", "present" if docked else "absent")
            self.on_docked(docked)
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            fd = self._conn.run(lambda disp: disp.fileno(), None, "tray host watch")
            if fd is None:
                break
            timeout = SNI_RECHECK_S if self.uses_sni and not self.docked else None
            try:
                ready, _, _ = select.select([fd, self._wake_r], [], [], timeout)
            except (OSError, ValueError):  # the connection was closed under us: look again
                ready = []
            if self._stop.is_set():
                return
            changed = not ready  # the SNI timeout: ask again
            if self._wake_r in ready:
                changed = b"r" in os.read(self._wake_r, 64) or changed  # recheck_soon
            drained = self._conn.run(self._drain, None, "tray host events")
            if drained is None:
                break
            if (changed or drained) and not self._recheck():
                break
        if not self._stop.is_set():
            self.on_lost(f"the X display {self.display_name} went away")


def _ignore_x_error(error: Any, request: Any = None) -> None:
    log.debug("X error ignored: %s", error)

"""pystray's xorg backend, made safe to change from our worker thread (see route_xorg_calls)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from tray_app.ports import XConnection

T = TypeVar("T")

XORG_CALLS = ("_show", "_hide", "_update_icon", "_update_title", "_stop")


def route_xorg_calls(icon: Any, x11: XConnection | None = None, timeout: float = 10.0) -> None:
    """Make pystray's xorg icon safe to change from our worker thread.

    pystray's xorg backend hands a change to its main loop by sending an X message through the
    main loop's own connection; when that happens while the loop waits for a reply (drawing
    after an Expose), python-xlib can lose the reply and both threads hang for good. Here the
    message goes through another connection, so the loop's connection is only ever used by the
    loop: `x11`, the one the idle and fullscreen probes share (it serialises its calls), or one
    of our own. The atoms are pystray's own, so its handlers run the change as before.
    """
    from Xlib import X, protocol

    conn = x11 if x11 is not None else _OwnConnection()
    lock = threading.Lock()  # one change at a time: each waits for pystray's answer
    main = threading.main_thread()
    atoms: dict[str, int] = {}  # atoms belong to the server, so they outlive a reconnection

    def send(name: str, disp: Any) -> bool:
        if name not in atoms:
            atoms[name] = disp.intern_atom(f"_PYSTRAY_{name.upper()}")
        window = disp.create_resource_object("window", icon._window.id)
        window.send_event(
            protocol.event.ClientMessage(
                window=window, client_type=atoms[name], data=(32, [0, 0, 0, 0, 0])
            ),
            event_mask=X.NoEventMask,
        )
        disp.flush()
        return True

    def routed(name: str, direct: Callable[[], None]) -> Callable[[], None]:
        def call() -> None:
            if threading.current_thread() is main:
                direct()  # already on the loop's thread: pystray runs it in place
                return
            with lock:
                if not conn.run(lambda disp: send(name, disp), False, f"tray {name}"):
                    raise RuntimeError(f"could not reach the tray icon's window for {name}")
                result = icon._queue.get(timeout=timeout)
            if result is not True:
                raise result[1]

        return call

    for name in XORG_CALLS:
        setattr(icon, name, routed(name, getattr(icon, name)))


class _OwnConnection:
    """A connection of our own, for when no shared one is handed in."""

    def __init__(self) -> None:
        from Xlib import display as xdisplay

        self._display = xdisplay.Display()
        self._lock = threading.Lock()

    def run(self, query: Callable[[Any], T], default: T, what: str) -> T:
        del default, what  # a failure here is the caller's to report
        with self._lock:
            return query(self._display)

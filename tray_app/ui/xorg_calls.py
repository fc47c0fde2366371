"""pystray's xorg backend, made safe to change from our worker thread (see route_xorg_calls)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

XORG_CALLS = ("_show", "_hide", "_update_icon", "_update_title", "_stop")


def route_xorg_calls(icon: Any, timeout: float = 10.0) -> None:
    """Make pystray's xorg icon safe to change from our worker thread.

    pystray's xorg backend hands a change to its main loop by sending an X message through the
    main loop's own connection; when that happens while the loop waits for a reply (drawing
    after an Expose), python-xlib can lose the reply and both threads hang for good. Here the
    message goes through a second connection of ours, so the loop's connection is only ever
    used by the loop. The atoms are pystray's own, so its handlers run the change as before.
    """
    from Xlib import X, protocol
    from Xlib import display as xdisplay

    conn = xdisplay.Display()
    lock = threading.Lock()
    main = threading.main_thread()

    def routed(name: str, direct: Callable[[], None]) -> Callable[[], None]:
        atom = conn.intern_atom(f"_PYSTRAY_{name.upper()}")

        def call() -> None:
            if threading.current_thread() is main:
                direct()  # already on the loop's thread: pystray runs it in place
                return
            with lock:
                window = conn.create_resource_object("window", icon._window.id)
                window.send_event(
                    protocol.event.ClientMessage(
                        window=window, client_type=atom, data=(32, [0, 0, 0, 0, 0])
                    ),
                    event_mask=X.NoEventMask,
                )
                conn.flush()
                result = icon._queue.get(timeout=timeout)
            if result is not True:
                raise result[1]

        return call

    for name in XORG_CALLS:
        setattr(icon, name, routed(name, getattr(icon, name)))

"""One Wayland connection per display for the whole app, read by one thread.

Idle and fullscreen both listen to the compositor; they share this connection and its reader
(one socket, one thread that sleeps in `select` until the compositor writes: no wake-ups while
nothing happens). Objects are created before `start` or by requests alone (`send`), since
only the reader thread reads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping

from tray_app.platform.wayland.wire import Connection, WaylandError, socket_path

log = logging.getLogger(__name__)

_shared: dict[str, WaylandClient] = {}
_shared_lock = threading.Lock()


class WaylandClient:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._seat: int | None = None
        self._thread: threading.Thread | None = None
        self._lost: list[Callable[[str], None]] = []
        self.lost_why: str | None = None  # set once the connection has ended

    def has(self, interface: str) -> bool:
        return interface in self.conn.globals

    def version(self, interface: str) -> int:
        return self.conn.globals[interface][1]

    def seat(self) -> int:
        """The first wl_seat, bound once (version 1: sitbreak only names it in requests)."""
        if self._seat is None:
            self._seat = self.conn.bind("wl_seat", 1)
        return self._seat

    def on_lost(self, callback: Callable[[str], None]) -> None:
        """`callback(why)` runs once if the compositor goes away or rejects a request."""
        self._lost.append(callback)

    def release_if_unused(self) -> None:
        """Close the connection when no capability started listening on it (e.g. GNOME: none
        of the protocols is offered), so it is not kept open for nothing."""
        if self._thread is None:
            with _shared_lock:
                for key, client in list(_shared.items()):
                    if client is self:
                        del _shared[key]
            self.conn.close()

    def start(self) -> None:
        """Start reading events (once; later calls do nothing)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._read, name="wayland", daemon=True)
            self._thread.start()

    def _read(self) -> None:
        try:
            while True:
                self.conn.dispatch(None)
        except (WaylandError, OSError, ValueError) as exc:
            self.lost_why = str(exc) or type(exc).__name__
        except Exception as exc:  # a handler bug must end here, said, not silently
            log.exception("reading Wayland events failed")
            self.lost_why = f"reading Wayland events failed: {exc}"
        log.warning("Wayland connection ended: %s", self.lost_why)
        for callback in self._lost:
            try:
                callback(self.lost_why)
            except Exception:
                log.exception("Wayland loss callback failed")


def shared(env: Mapping[str, str]) -> WaylandClient:
    """The app's connection to the compositor `env` names; WaylandError when there is none."""
    path = socket_path(env)
    if path is None:
        raise WaylandError("no Wayland display in the environment (WAYLAND_DISPLAY)")
    with _shared_lock:
        client = _shared.get(path)
        if client is None or client.lost_why is not None:
            client = _shared[path] = WaylandClient(Connection.connect(env))
        return client

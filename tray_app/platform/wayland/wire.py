"""A small pure-Python Wayland client: the wire format, the registry, and nothing else.

Why not pywayland: its wheel needs glibc 2.34 (manylinux_2_34; older distributions build it
from C), it ships only the core and wayland-protocols XML (not org_kde_kwin_idle nor the wlr
protocols), and importing it costs about 2 MiB of the idle tray's memory (cffi, the scanner,
the whole core protocol). sitbreak needs a handful of requests and events, which read and write
plainly here (the wire format: https://wayland.freedesktop.org/docs/html/ch04.html).
"""

from __future__ import annotations

import os
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping

DISPLAY_ID = 1  # wl_display is always object 1
FIRST_SERVER_ID = 0xFF000000  # ids the compositor allocates (objects it creates in events)
Handler = Callable[[int, "Reader"], None]  # (opcode, arguments) of one event


class WaylandError(Exception):
    """No compositor to talk to, or it sent a protocol error (the connection is then dead)."""


def socket_path(env: Mapping[str, str]) -> str | None:
    """Where the compositor listens, or None when the environment names no Wayland display."""
    name = env.get("WAYLAND_DISPLAY", "").strip()
    if not name:
        return None
    if name.startswith("/"):
        return name
    runtime = env.get("XDG_RUNTIME_DIR", "").strip()
    return os.path.join(runtime, name) if runtime else None


# ---- arguments (native byte order, as the protocol says) -----------------------------------

def uint(value: int) -> bytes:
    return struct.pack("=I", value & 0xFFFFFFFF)


def int32(value: int) -> bytes:
    return struct.pack("=i", value)


def fixed(value: float) -> bytes:
    return struct.pack("=i", round(value * 256))


def string(value: str) -> bytes:
    data = value.encode() + b"\0"
    return uint(len(data)) + data + b"\0" * (-len(data) % 4)


class Reader:
    """The arguments of one event, read in their declared order."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def uint(self) -> int:
        (value,) = struct.unpack_from("=I", self.data, self.pos)
        self.pos += 4
        return int(value)

    def int32(self) -> int:
        (value,) = struct.unpack_from("=i", self.data, self.pos)
        self.pos += 4
        return int(value)

    def array(self) -> bytes:
        size = self.uint()
        value = self.data[self.pos:self.pos + size]
        self.pos += size + (-size % 4)
        return value

    def string(self) -> str:
        return self.array().rstrip(b"\0").decode(errors="replace")

    def uints(self) -> list[int]:
        """An array of uint (e.g. a toplevel's states)."""
        raw = self.array()
        return list(struct.unpack(f"={len(raw) // 4}I", raw[: len(raw) // 4 * 4]))


# ---- the connection -------------------------------------------------------------------------

class Connection:
    """One client connection. Requests may come from any thread; events are read by whoever
    calls `dispatch` (one thread). Handlers run in that thread."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buf = b""
        self._lock = threading.Lock()
        self._next_id = 2
        self._free: list[int] = []
        self._handlers: dict[int, Handler] = {}
        self.globals: dict[str, tuple[int, int]] = {}  # interface -> (name, version)
        self.error: str | None = None
        self.registry = self.new_object(self._on_registry)
        self.send(DISPLAY_ID, 1, uint(self.registry))  # wl_display.get_registry
        self._handlers[DISPLAY_ID] = self._on_display

    @classmethod
    def connect(cls, env: Mapping[str, str], timeout: float = 2.0) -> Connection:
        """Connect and read the compositor's globals; WaylandError when that fails."""
        path = socket_path(env)
        if path is None:
            raise WaylandError("no WAYLAND_DISPLAY (or no XDG_RUNTIME_DIR) in the environment")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(path)
            sock.setblocking(False)
        except OSError as exc:
            sock.close()
            raise WaylandError(f"cannot connect to {path}: {exc}") from exc
        conn = cls(sock)
        try:
            conn.roundtrip(timeout)
        except WaylandError:
            conn.close()
            raise
        return conn

    def fileno(self) -> int:
        return self._sock.fileno()

    def close(self) -> None:
        self._sock.close()

    # -- objects and requests

    def new_object(self, handler: Handler | None = None) -> int:
        """An id for an object a request creates; `handler` receives its events.

        The compositor insists that new ids arrive in the order they are taken (it refuses a
        skipped id): send the request that creates this object before taking the next id."""
        with self._lock:
            if self._free:
                oid = self._free.pop()
            else:
                oid, self._next_id = self._next_id, self._next_id + 1
        if handler is not None:
            self._handlers[oid] = handler
        return oid

    def listen(self, oid: int, handler: Handler) -> None:
        """Receive the events of `oid` (an object the compositor created in an event)."""
        self._handlers[oid] = handler

    def send(self, oid: int, opcode: int, *args: bytes) -> None:
        body = b"".join(args)
        msg = uint(oid) + uint(((8 + len(body)) << 16) | opcode) + body
        with self._lock:
            try:
                self._sock.setblocking(True)
                self._sock.sendall(msg)
            except OSError as exc:
                raise WaylandError(f"the compositor closed the connection: {exc}") from exc
            finally:
                self._sock.setblocking(False)

    def bind(self, interface: str, version: int, handler: Handler | None = None) -> int:
        """Bind a global at min(`version`, what the compositor offers); KeyError if absent."""
        name, offered = self.globals[interface]
        oid = self.new_object(handler)
        self.send(self.registry, 0, uint(name), string(interface),
                  uint(min(version, offered)), uint(oid))
        return oid

    def roundtrip(self, timeout: float = 2.0) -> None:
        """Wait until the compositor has handled every request sent so far (wl_display.sync)."""
        done: list[bool] = []
        callback = self.new_object(lambda _op, _r: done.append(True))
        self.send(DISPLAY_ID, 0, uint(callback))
        deadline = time.monotonic() + timeout
        while not done:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaylandError(f"the compositor did not answer within {timeout:g} s")
            self.dispatch(left)

    # -- events

    def dispatch(self, timeout: float | None = 0.0) -> bool:
        """Read what has arrived (waiting up to `timeout`) and run the handlers.

        False when nothing came. WaylandError when the connection ended or failed."""
        ready, _, _ = select.select([self._sock], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = self._sock.recv(65536)
        except BlockingIOError:
            return False
        except OSError as exc:
            raise WaylandError(f"the Wayland connection failed: {exc}") from exc
        if not chunk:
            raise WaylandError(self.error or "the compositor closed the connection")
        self._buf += chunk
        while len(self._buf) >= 8:
            oid, word = struct.unpack_from("=II", self._buf)
            size, opcode = word >> 16, word & 0xFFFF
            if size < 8 or len(self._buf) < size:
                break
            args, self._buf = self._buf[8:size], self._buf[size:]
            handler = self._handlers.get(oid)
            if handler is not None:
                handler(opcode, Reader(args))
        if self.error:
            raise WaylandError(self.error)
        return True

    def _on_display(self, opcode: int, args: Reader) -> None:
        if opcode == 0:  # error(object, code, message)
            oid, code, message = args.uint(), args.uint(), args.string()
            self.error = f"Wayland protocol error on object {oid} (code {code}): {message}"
        elif opcode == 1:  # delete_id: the id may be used again
            oid = args.uint()
            self._handlers.pop(oid, None)
            if oid < FIRST_SERVER_ID:
                with self._lock:
                    self._free.append(oid)

    def _on_registry(self, opcode: int, args: Reader) -> None:
        if opcode == 0:  # global(name, interface, version)
            name, interface, version = args.uint(), args.string(), args.uint()
            self.globals[interface] = (name, version)
        elif opcode == 1:  # global_remove(name)
            gone = args.uint()
            self.globals = {k: v for k, v in self.globals.items() if v[0] != gone}

"""One instance per user, and the control channel the `sitbreak` commands talk over.

Unix: a lock file (flock) and a Unix socket, both in a 0700 runtime folder, the socket 0600.
Windows: a named pipe through multiprocessing.connection, raw bytes only (never pickle).
Messages are one JSON object each way, at most MAX_MESSAGE bytes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_MESSAGE = 64 * 1024
TIMEOUT_S = 5.0


class AlreadyRunning(Exception):
    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        super().__init__(f"sitbreak is already running (pid {pid if pid else '?'})")


class NotRunning(Exception):
    def __init__(self) -> None:
        super().__init__("sitbreak is not running")


class InstanceLock:
    """Held for the life of `sitbreak run`; the OS drops it if the process dies."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "sitbreak.lock"
        self._fh: Any = None

    def acquire(self) -> None:
        fh = open(self.path, "a+", encoding="ascii")  # noqa: SIM115 - held until release()
        try:
            _lock_file(fh)
        except OSError:
            fh.seek(0)
            text = fh.read().strip()
            fh.close()
            raise AlreadyRunning(int(text) if text.isdigit() else None) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.seek(0)
                self._fh.truncate()
            self._fh.close()
            self._fh = None


def _lock_file(fh: Any) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


Handler = Callable[[dict[str, Any]], dict[str, Any]]


def decode_request(data: bytes) -> dict[str, Any]:
    """Parse one request; raise ValueError for anything that is not a small JSON object."""
    if len(data) > MAX_MESSAGE:
        raise ValueError("message too large")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("malformed message: expected one JSON object") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("cmd"), str):
        raise ValueError('malformed message: expected {"cmd": "..."}')
    return obj


def _encode(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj).encode("utf-8") + b"\n"


class ControlServer:
    """Answers control commands; each request is handed to `handler` and its reply sent back."""

    def __init__(self, folder: Path, handler: Handler) -> None:
        self.address = control_address(folder)
        self.handler = handler
        self._sock: socket.socket | None = None
        self._listener: Any = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        if sys.platform == "win32":
            from multiprocessing.connection import Listener

            self._listener = Listener(self.address, family="AF_PIPE")
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.address)  # a stale socket from a crash; we hold the lock
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old = os.umask(0o177)
            try:
                sock.bind(self.address)
            finally:
                os.umask(old)
            os.chmod(self.address, 0o600)
            sock.listen(8)
            self._sock = sock  # blocking accept: no polling wake-ups; stop() shuts it down
        self._thread = threading.Thread(target=self._serve, name="control", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            self._sock.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.address)
        if self._listener is not None:
            self._listener.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                if self._listener is not None:
                    conn = self._listener.accept()
                    threading.Thread(target=self._pipe_client, args=(conn,), daemon=True).start()
                    continue
                assert self._sock is not None
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stopping.is_set():
                    return
                log.exception("control channel accept failed")
                continue
            threading.Thread(target=self._socket_client, args=(client,), daemon=True).start()

    def _reply(self, data: bytes) -> bytes:
        try:
            request = decode_request(data)
        except ValueError as exc:
            log.warning("rejected a control message: %s", exc)
            return _encode({"ok": False, "error": str(exc), "code": 2})
        try:
            return _encode(self.handler(request))
        except Exception as exc:
            log.exception("control command %r failed", request.get("cmd"))
            return _encode({"ok": False, "error": f"internal error: {exc}", "code": 1})

    def _socket_client(self, client: socket.socket) -> None:
        with client:
            client.settimeout(TIMEOUT_S)
            data = b""
            try:
                while b"\n" not in data:
                    chunk = client.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                    if len(data) > MAX_MESSAGE:
                        client.sendall(_encode({"ok": False, "error": "message too large",
                                                "code": 2}))
                        return
                client.sendall(self._reply(data.strip()))
            except OSError:
                return

    def _pipe_client(self, conn: Any) -> None:
        with conn:
            try:
                data = conn.recv_bytes(MAX_MESSAGE)
            except OSError:
                with contextlib.suppress(OSError):
                    conn.send_bytes(_encode({"ok": False, "error": "message too large",
                                             "code": 2}))
                return
            with contextlib.suppress(OSError):
                conn.send_bytes(self._reply(data))


def control_address(folder: Path) -> str:
    if sys.platform == "win32":
        user = os.environ.get("USERNAME", "user")
        return rf"\\.\pipe\sitbreak-{user}"
    return str(folder / "control.sock")


def send_command(folder: Path, request: dict[str, Any], timeout: float = TIMEOUT_S) -> dict:
    """Send one request to the running instance; raise NotRunning when there is none."""
    address = control_address(folder)
    payload = _encode(request)
    if sys.platform == "win32":
        from multiprocessing.connection import Client

        try:
            conn = Client(address, family="AF_PIPE")
        except OSError:
            raise NotRunning() from None
        with conn:
            conn.send_bytes(payload)
            return json.loads(conn.recv_bytes(MAX_MESSAGE))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    with sock:
        try:
            sock.connect(address)
        except (FileNotFoundError, ConnectionRefusedError):
            raise NotRunning() from None
        sock.sendall(payload)
        data = b""
        while b"\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    if not data:
        raise NotRunning()
    return json.loads(data)

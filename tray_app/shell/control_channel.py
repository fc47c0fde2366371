"""The control channel the `sitbreak` commands talk over.

Unix: a Unix socket in the 0700 runtime folder, 0600. Windows: a named pipe through
multiprocessing.connection, raw bytes only (never pickle). Messages are one JSON object each
way, at most MAX_MESSAGE bytes.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import math
import os
import re
import selectors
import socket
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tray_app.support.exit_codes import EXIT_FAIL, EXIT_USAGE

log = logging.getLogger(__name__)

MAX_MESSAGE = 64 * 1024
# The app gives a command 5 s on its owner thread, then answers that it may still be applied;
# the client waits longer than that, so it hears that answer rather than its own timeout.
TIMEOUT_S = 8.0
MAYBE_APPLIED = ("the command may still be applied once sitbreak catches up: check with "
                 "`sitbreak status`")


class NotRunning(Exception):
    def __init__(self) -> None:
        super().__init__("sitbreak is not running")


Handler = Callable[[dict[str, Any]], dict[str, Any]]

MAX_DEPTH = 16  # requests are flat objects; deeper nests are refused before parsing
MAX_CONNECTIONS = 256  # open at once; more are told "busy" and closed, never given a thread
WORKERS = 4  # threads that run handlers; reading and accepting happen on one thread
READ_DEADLINE_S = 2.0  # a whole request must arrive within this long of connecting
LISTEN_BACKLOG = socket.SOMAXCONN if hasattr(socket, "SOMAXCONN") else 128
# How often the socket's file is looked at: removed with its folder, it is put back within this.
CHECK_S = 55.0

_BRACKETS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def nesting_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in `data`, skipping brackets inside strings."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> float:
    raise ValueError(f"bad number {name}: only finite numbers are allowed")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"bad number {text[:40]}: too large")
    return value


def _short_int(text: str) -> int:
    if len(text.lstrip("-")) > 15:
        raise ValueError(f"bad number {text[:40]}...: too large")
    return int(text)


def decode_request(data: bytes) -> dict[str, Any]:
    """Parse one request; raise ValueError for anything that is not a small, flat JSON object.

    NaN, Infinity and numbers too large for a float are refused here, before any handler sees
    them, so a command can never change something and then fail on its own value.
    """
    if len(data) > MAX_MESSAGE:
        raise ValueError("message too large")
    if nesting_depth(data) > MAX_DEPTH:
        raise ValueError(f"malformed message: nested deeper than {MAX_DEPTH} levels")
    try:
        obj = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant,
                         parse_float=_finite_float, parse_int=_short_int)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValueError("malformed message: expected one JSON object") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("cmd"), str):
        raise ValueError('malformed message: expected {"cmd": "..."}')
    return obj


def _encode(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj).encode("utf-8") + b"\n"


BUSY = {"ok": False, "error": "busy: too many open control connections, try again",
        "code": EXIT_FAIL}


@dataclass
class _Pending:
    """A connection whose request is still arriving."""

    sock: socket.socket
    deadline: float
    data: bytearray = field(default_factory=bytearray)


class ControlServer:
    """Answers control commands; each request is handed to `handler` and its reply sent back.

    On Unix one thread accepts and reads every connection (a selector, no thread per client),
    at most MAX_CONNECTIONS at once, each with a deadline; complete requests go to a small pool
    of WORKERS threads. So slow or flooding clients cost a socket each, never a thread.
    """

    def __init__(self, folder: Path, handler: Handler,
                 on_moved: Callable[[], None] = lambda: None, check_s: float = CHECK_S) -> None:
        """`on_moved` is called (on the channel's thread) after the socket, removed from
        under the app, was put back: the instance lock beside it is renewed there."""
        self.address = control_address(folder)
        self.folder = folder
        self.handler = handler
        self._on_moved = on_moved
        self._check_s = check_s
        self._identity: tuple[int, int] | None = None
        self.rebound = 0  # times the socket was put back (for tests)
        self._sock: socket.socket | None = None
        self._listener: Any = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="control-worker")
        self._pipe_slots = threading.BoundedSemaphore(WORKERS * 4)
        self.refused_busy = 0  # for tests and the soak benchmark
        self.reading = 0  # connections whose request is still arriving (likewise)
        self.in_flight = 0  # requests handed to the workers and not answered yet
        self._in_flight_lock = threading.Lock()

    def start(self) -> None:
        if sys.platform == "win32":
            from multiprocessing.connection import Listener

            self._listener = Listener(self.address, family="AF_PIPE")
            target = self._serve_pipe
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.address)  # a stale socket from a crash; we hold the lock
            self._sock = self._bind()
            target = self._serve_socket
        self._thread = threading.Thread(target=target, name="control", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes the selector
            if self._thread is not None:
                self._thread.join(2.0)
            self._sock.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.address)
        if self._listener is not None:
            self._listener.close()
        # run_app stops this server just before the process ends: let the replies being
        # written finish first, so `quit` always gets its answer.
        self._workers.shutdown(wait=True, cancel_futures=True)

    # --- Unix: one selector thread ---------------------------------------------------------

    def _bind(self) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            sock.bind(self.address)
        finally:
            os.umask(old)
        os.chmod(self.address, 0o600)
        sock.listen(LISTEN_BACKLOG)
        sock.setblocking(False)
        st = os.stat(self.address)
        self._identity = (st.st_dev, st.st_ino)
        return sock

    def _check_address(self, sel: selectors.BaseSelector) -> None:
        """The socket's file (or its folder) removed under the app: bind it again, so
        commands reach this instance and no second one starts beside it."""
        try:
            st = os.stat(self.address)
            if (st.st_dev, st.st_ino) == self._identity:
                return
            log.error("%s is not our control socket any more: another process replaced it",
                      self.address)
            return  # never take a socket from someone else
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("can't look at the control socket %s: %s", self.address, exc)
            return
        assert self._sock is not None
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.folder, 0o700)
            fresh = self._bind()
        except OSError as exc:
            log.warning("can't put the control socket %s back: %s", self.address, exc)
            return
        sel.unregister(self._sock)
        self._sock.close()
        self._sock = fresh
        sel.register(fresh, selectors.EVENT_READ)
        self.rebound += 1
        log.warning("the control socket %s was removed; put back", self.address)
        try:
            self._on_moved()
        except Exception:
            log.exception("renewing the instance lock failed")

    def _serve_socket(self) -> None:
        assert self._sock is not None
        pending: dict[int, _Pending] = {}
        next_check = time.monotonic() + self._check_s
        with selectors.DefaultSelector() as sel:
            sel.register(self._sock, selectors.EVENT_READ)
            while not self._stopping.is_set():
                # Asleep until a connection, a request's deadline or the next look at the
                # socket's file (an idle app wakes for it about once a minute).
                timeout = max(0.0, next_check - time.monotonic())
                if pending:
                    # Deadlines grow with arrival and dicts keep order: the first is soonest.
                    soonest = next(iter(pending.values())).deadline
                    timeout = min(timeout, max(0.0, soonest - time.monotonic()))
                for key, _mask in sel.select(timeout):
                    if key.fileobj is self._sock:
                        self._accept(sel, pending)
                    else:
                        self._read(sel, pending, pending[key.fd])
                self._expire(sel, pending)
                self.reading = len(pending)
                if time.monotonic() >= next_check and not self._stopping.is_set():
                    next_check = time.monotonic() + self._check_s
                    self._check_address(sel)
            for p in pending.values():
                p.sock.close()

    def _accept(self, sel: selectors.BaseSelector, pending: dict[int, _Pending]) -> None:
        assert self._sock is not None
        for _ in range(64):  # take a burst at once, but let reads interleave with a flood
            try:
                client, _ = self._sock.accept()
            except BlockingIOError:
                return
            except OSError:
                if not self._stopping.is_set():
                    log.exception("control channel accept failed")
                    time.sleep(0.05)  # e.g. out of file descriptors: do not spin on it
                return
            if len(pending) + self.in_flight >= MAX_CONNECTIONS:
                self.refused_busy += 1
                _send_and_close(client, _encode(BUSY))
                continue
            client.setblocking(False)
            p = _Pending(client, time.monotonic() + READ_DEADLINE_S)
            pending[client.fileno()] = p
            sel.register(client, selectors.EVENT_READ)

    def _read(self, sel: selectors.BaseSelector, pending: dict[int, _Pending],
              p: _Pending) -> None:
        try:
            chunk = p.sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if chunk:
            p.data += chunk
            if len(p.data) > MAX_MESSAGE:
                self._finish(sel, pending, p, _encode(
                    {"ok": False, "error": "message too large", "code": EXIT_USAGE}))
            elif b"\n" in chunk:
                self._dispatch(sel, pending, p)
            return
        if p.data.strip():
            self._dispatch(sel, pending, p)  # a client that closed its side after writing
        else:
            self._finish(sel, pending, p, None)

    def _expire(self, sel: selectors.BaseSelector, pending: dict[int, _Pending]) -> None:
        now = time.monotonic()
        for p in list(itertools.takewhile(lambda p: p.deadline <= now, pending.values())):
            self._finish(sel, pending, p, _encode(
                {"ok": False, "error": "timed out waiting for the request",
                 "code": EXIT_USAGE}))

    def _unregister(self, sel: selectors.BaseSelector, pending: dict[int, _Pending],
                    p: _Pending) -> None:
        sel.unregister(p.sock)
        del pending[p.sock.fileno()]

    def _finish(self, sel: selectors.BaseSelector, pending: dict[int, _Pending], p: _Pending,
                reply: bytes | None) -> None:
        self._unregister(sel, pending, p)
        if reply is None:
            p.sock.close()
        else:
            _send_and_close(p.sock, reply)

    def _dispatch(self, sel: selectors.BaseSelector, pending: dict[int, _Pending],
                  p: _Pending) -> None:
        self._unregister(sel, pending, p)
        data = bytes(p.data).split(b"\n", 1)[0].strip()
        with self._in_flight_lock:  # counted against MAX_CONNECTIONS until answered
            self.in_flight += 1
        try:
            self._workers.submit(self._answer, p.sock, data)
        except RuntimeError:  # shutting down
            p.sock.close()
            with self._in_flight_lock:
                self.in_flight -= 1

    def _answer(self, client: socket.socket, data: bytes) -> None:
        try:
            _send_and_close(client, self._reply(data))
        finally:
            with self._in_flight_lock:
                self.in_flight -= 1

    def _reply(self, data: bytes) -> bytes:
        try:
            request = decode_request(data)
        except ValueError as exc:
            log.warning("rejected a control message: %s", exc)
            return _encode({"ok": False, "error": str(exc), "code": EXIT_USAGE})
        try:
            return _encode(self.handler(request))
        except TimeoutError:
            log.warning("control command %r not done in time", request.get("cmd"))
            return _encode({"ok": False, "code": EXIT_FAIL, "maybe_applied": True,
                            "error": f"sitbreak is busy and did not finish {request['cmd']!r} "
                                     f"in time; {MAYBE_APPLIED}"})
        except Exception as exc:
            log.exception("control command %r failed", request.get("cmd"))
            text = str(exc) or type(exc).__name__
            return _encode({"ok": False, "error": f"internal error: {text}"[:2000],
                            "code": EXIT_FAIL})

    # --- Windows: named pipes, a bounded number of client threads ---------------------------

    def _serve_pipe(self) -> None:
        while not self._stopping.is_set():
            try:
                conn = self._listener.accept()
            except OSError:
                if self._stopping.is_set():
                    return
                log.exception("control channel accept failed")
                continue
            if not self._pipe_slots.acquire(blocking=False):
                with conn, contextlib.suppress(OSError):
                    conn.send_bytes(_encode(BUSY))
                continue
            threading.Thread(target=self._pipe_client, args=(conn,), daemon=True).start()

    def _pipe_client(self, conn: Any) -> None:
        try:
            with conn:
                try:
                    data = conn.recv_bytes(MAX_MESSAGE)
                except OSError:
                    with contextlib.suppress(OSError):
                        conn.send_bytes(_encode({"ok": False, "error": "message too large",
                                                 "code": EXIT_USAGE}))
                    return
                with contextlib.suppress(OSError):
                    conn.send_bytes(self._reply(data))
        finally:
            self._pipe_slots.release()


def _send_and_close(client: socket.socket, data: bytes) -> None:
    """Send a (small) reply without ever blocking long on a client that does not read."""
    with client, contextlib.suppress(OSError):
        client.settimeout(1.0)
        client.sendall(data)


def control_address(folder: Path) -> str:
    if sys.platform == "win32":
        user = os.environ.get("USERNAME", "user")
        return rf"\\.\pipe\sitbreak-{user}"
    return str(folder / "control.sock")


class NoAnswer(TimeoutError):
    """The request went out but no answer came in time: it may still be applied."""


RETRY_FIRST_S = 0.01
RETRY_MOST_S = 0.2


def send_command(folder: Path, request: dict[str, Any], timeout: float = TIMEOUT_S) -> dict:
    """Send one request to the running instance; raise NotRunning when there is none.

    A socket that is busy (its backlog full: EAGAIN, or the app's "busy" answer, both before
    the request was read) is tried again until `timeout`; then TimeoutError. A request sent
    without an answer in time raises NoAnswer, whose text says it may still be applied.
    """
    address = control_address(folder)
    payload = _encode(request)
    if len(payload) > MAX_MESSAGE:
        raise ValueError(f"message too large ({len(payload)} bytes; at most {MAX_MESSAGE})")
    if sys.platform == "win32":
        from multiprocessing.connection import Client

        try:
            conn = Client(address, family="AF_PIPE")
        except OSError:
            raise NotRunning() from None
        with conn:
            conn.send_bytes(payload)
            return json.loads(conn.recv_bytes(MAX_MESSAGE))
    deadline = time.monotonic() + timeout
    pause = RETRY_FIRST_S
    while True:
        reply = _try_once(address, payload, deadline)
        if reply is not None and reply != BUSY:
            return reply
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the running sitbreak stayed busy for {timeout:g} s "
                               "(too many connections); try again in a moment")
        time.sleep(min(pause, left))
        pause = min(pause * 2, RETRY_MOST_S)


def _try_once(address: str, payload: bytes, deadline: float) -> dict | None:
    """One connection: the reply, or None when the socket was too busy to take it."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(max(0.05, deadline - time.monotonic()))
    with sock:
        try:
            sock.connect(address)
        except (FileNotFoundError, ConnectionRefusedError):
            raise NotRunning() from None
        except (BlockingIOError, InterruptedError):  # EAGAIN: the backlog is full
            return None
        except TimeoutError:
            return None
        # The app may answer and close early (busy, too large): its answer is still read.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(payload)
        data = b""
        try:
            while b"\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            raise NoAnswer(f"no answer from the running sitbreak in time; {MAYBE_APPLIED}") \
                from None
        except ConnectionResetError:
            pass
    if not data:
        raise NotRunning()
    return json.loads(data)

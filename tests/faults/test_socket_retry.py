"""Issue 26 items 7, 11 and 13: the CLI against a busy or slow control socket.

- A same-user connection flood made 22 of 40 `sitbreak status` calls fail with "[Errno 11]
  Resource temporarily unavailable": the client now retries a full backlog (EAGAIN) and the
  app's "busy" answer within its timeout.
- A command the app could not finish in time was "timed out" or "internal error:" with an
  empty message, then applied: the answer now says it may still be applied.
- A message over 64 KiB got a connection reset instead of "message too large".
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tray_app.shell.control_channel import (
    BUSY,
    MAX_MESSAGE,
    ControlServer,
    NoAnswer,
    control_address,
    send_command,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def answer(conn: socket.socket, reply: dict[str, Any]) -> None:
    with conn:
        conn.settimeout(5)
        data = b""
        while b"\n" not in data:
            data += conn.recv(4096)
        conn.sendall(json.dumps(reply).encode() + b"\n")


def test_a_full_backlog_is_retried_until_the_app_takes_the_connection(folder: Path) -> None:
    """EAGAIN from connect(): the listening socket's backlog is full for 0.5 s."""
    address = control_address(folder)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(0)
    fillers = []
    for _ in range(8):  # fill the backlog until connect() says EAGAIN
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(address)
        except BlockingIOError:
            s.close()
            break
        fillers.append(s)
    else:
        pytest.skip("this kernel never reports a full Unix-socket backlog")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.setblocking(False)
    with pytest.raises(BlockingIOError), probe:
        probe.connect(address)  # as the trial's `status` calls saw it

    def app_catches_up() -> None:
        time.sleep(0.5)
        for s in fillers:
            s.close()
        while True:
            conn, _ = listener.accept()
            conn.settimeout(5)
            try:
                first = conn.recv(4096)
            except OSError:
                first = b""
            if not first:  # one of the closed fillers
                conn.close()
                continue
            conn.sendall(json.dumps({"ok": True, "status": {"line": "sitting"}}).encode()
                         + b"\n")
            conn.close()
            return

    t = threading.Thread(target=app_catches_up, daemon=True)
    t.start()
    try:
        reply = send_command(folder, {"cmd": "status"}, timeout=5)
        assert reply["ok"] is True
    finally:
        t.join(5)
        listener.close()


def test_the_apps_busy_answer_is_retried(folder: Path) -> None:
    address = control_address(folder)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(8)

    def busy_twice_then_answer() -> None:
        for n in range(3):
            conn, _ = listener.accept()
            if n < 2:
                with conn:
                    conn.sendall(json.dumps(BUSY).encode() + b"\n")
            else:
                answer(conn, {"ok": True})

    t = threading.Thread(target=busy_twice_then_answer, daemon=True)
    t.start()
    assert send_command(folder, {"cmd": "status"}, timeout=5) == {"ok": True}
    t.join(5)
    listener.close()


def test_a_flood_of_connect_close_does_not_fail_status(folder: Path) -> None:
    """The trial's flood against the real server: 40 status calls, all answered."""
    server = ControlServer(folder, lambda req: {"ok": True, "cmd": req["cmd"]})
    server.start()
    stop = threading.Event()

    def flood() -> None:
        address = control_address(folder)
        while not stop.is_set():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.setblocking(False)
            with contextlib.suppress(OSError):
                s.connect(address)
            s.close()
            time.sleep(0)  # let the server and the client run between connects

    floods = [threading.Thread(target=flood, daemon=True)]
    for f in floods:
        f.start()
    try:
        failures = 0
        for _ in range(40):
            try:
                assert send_command(folder, {"cmd": "status"})["ok"]
            except OSError:
                failures += 1
        assert failures == 0
    finally:
        stop.set()
        for f in floods:
            f.join(5)
        server.stop()


def test_a_command_the_app_did_not_finish_in_time_says_it_may_still_apply(
        folder: Path) -> None:
    def handler(req: dict[str, Any]) -> dict[str, Any]:
        raise TimeoutError()  # what waiting on a frozen owner thread raises: no message

    server = ControlServer(folder, handler)
    server.start()
    try:
        reply = send_command(folder, {"cmd": "pause", "seconds": 600})
    finally:
        server.stop()
    assert reply["ok"] is False and reply["maybe_applied"] is True
    assert "may still be applied" in reply["error"] and "internal error" not in reply["error"]


def test_an_empty_internal_error_names_its_type(folder: Path) -> None:
    def handler(req: dict[str, Any]) -> dict[str, Any]:
        raise KeyError()

    server = ControlServer(folder, handler)
    server.start()
    try:
        reply = send_command(folder, {"cmd": "x"})
    finally:
        server.stop()
    assert reply["error"] == "internal error: KeyError"


def test_no_answer_in_time_says_it_may_still_apply(folder: Path) -> None:
    address = control_address(folder)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(8)
    held: list[socket.socket] = []
    t = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    t.start()
    try:
        with pytest.raises(NoAnswer, match="may still be applied"):
            send_command(folder, {"cmd": "break-now"}, timeout=0.5)
    finally:
        t.join(5)
        for s in held:
            s.close()
        listener.close()


def test_a_message_over_64_kib_is_told_too_large_not_reset(folder: Path) -> None:
    with pytest.raises(ValueError, match="message too large"):
        send_command(folder, {"cmd": "status", "pad": "x" * MAX_MESSAGE})
    server = ControlServer(folder, lambda req: {"ok": True})
    server.start()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(control_address(folder))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                s.sendall(b'{"cmd": "status", "pad": "' + b"x" * (MAX_MESSAGE * 2))
            data = s.recv(65536)
        assert json.loads(data)["error"] == "message too large"
    finally:
        server.stop()

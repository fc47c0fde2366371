"""Issue 11, items 6 and 13: garbage, absurd numbers and floods on the control socket."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, stop, write_settings
from tray_app.core.events import Pause, Snooze, Tick
from tray_app.core.limits import PAUSE_S
from tray_app.shell.control_channel import (
    MAX_CONNECTIONS,
    READ_DEADLINE_S,
    ControlServer,
    control_address,
    decode_request,
    send_command,
)


def raw(address: str, payload: bytes, timeout: float = 10.0) -> dict[str, Any]:
    """Send bytes exactly as given and read the one-line reply."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(address)
        # A server that is full answers "busy" and closes at once, maybe before this writes.
        with contextlib.suppress(BrokenPipeError):
            s.sendall(payload)
        data = b""
        while b"\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return json.loads(data)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ControlServer]:
    calls: list[dict[str, Any]] = []
    release = threading.Event()

    def handler(req: dict[str, Any]) -> dict[str, Any]:
        calls.append(req)
        if req["cmd"] == "slow":
            time.sleep(0.5)
        if req["cmd"] == "block":
            release.wait(30)
        return {"ok": True, "echo": req}

    srv = ControlServer(tmp_path, handler)
    srv.start()
    srv.calls = calls  # type: ignore[attr-defined]
    srv.release = release  # type: ignore[attr-defined]
    yield srv
    release.set()
    srv.stop()


# --- item 6: numbers that are not finite or absurd -----------------------------------------------


@pytest.mark.parametrize("text", [
    '{"cmd": "pause", "seconds": NaN}',
    '{"cmd": "pause", "seconds": Infinity}',
    '{"cmd": "snooze", "seconds": -Infinity}',
    '{"cmd": "pause", "seconds": 1e400}',
    '{"cmd": "pause", "seconds": 1' + "0" * 5000 + "}",
])
def test_non_finite_json_numbers_are_refused_before_the_handler(
        server: ControlServer, text: str) -> None:
    reply = raw(server.address, text.encode() + b"\n")
    assert reply["ok"] is False and reply["code"] == 2
    assert "number" in reply["error"]
    assert server.calls == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("make", [
    lambda: Snooze(float("nan")), lambda: Snooze(float("inf")), lambda: Snooze(1e300),
    lambda: Pause(seconds=float("nan")), lambda: Pause(seconds=1e300),
    lambda: Pause(seconds=PAUSE_S[1] + 1), lambda: Pause(until_wall=1e12),
    lambda: Pause(until_wall=float("inf")), lambda: Tick(0.0, 0.0, idle_s=float("nan")),
])
def test_events_refuse_non_finite_and_absurd_numbers(make: Any) -> None:
    with pytest.raises(ValueError):
        make()


def test_events_still_take_sensible_numbers() -> None:
    assert Snooze(300).seconds == 300
    assert Pause(seconds=PAUSE_S[1]).seconds == PAUSE_S[1]
    assert Pause(until_wall=1.8e9).until_wall == 1.8e9


FAST = {
    "sitting": {"break_after": "1h", "idle_reset": "5m"},
    "breaks": {"heads_up": "0"},
    "posture": {"every": "0"},
    "snooze": {"options": ["5m"], "max_per_break": 2},
}


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Sandbox, int, str]]:
    """A real `sitbreak run --console`: its sandbox, pid and control socket address."""
    box = Sandbox(tmp_path)
    cfg = write_settings(box.root / "s.toml", **FAST)
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        yield box, proc.pid, control_address(box.root / "runtime" / "sitbreak")
    finally:
        stop(proc)


@pytest.mark.e2e
def test_running_app_refuses_absurd_numbers_and_nothing_changes(
        running: tuple[Sandbox, int, str]) -> None:
    """The way it was found: raw JSON on the real socket, then `status` must still work."""
    box, _pid, address = running
    before = box.status()
    for text in ('{"cmd": "pause", "seconds": NaN}', '{"cmd": "pause", "seconds": Infinity}',
                 '{"cmd": "snooze", "seconds": NaN}', '{"cmd": "pause", "seconds": 1e300}',
                 '{"cmd": "snooze", "seconds": 1e300}',
                 '{"cmd": "pause", "until_wall": 1e12}',
                 json.dumps({"cmd": "pause", "until_wall": time.time() + PAUSE_S[1] + 3600})):
        reply = raw(address, text.encode() + b"\n")
        assert reply["ok"] is False and reply["code"] == 2, (text, reply)
    after = box.status()
    assert after["state"] == before["state"] == "sitting"
    assert after["snoozes_left"] == before["snoozes_left"] == 2
    assert after["paused_until"] is None
    assert box.cli("pause", "10m").returncode == 0  # real commands still work
    assert box.status()["state"] == "paused"


# --- item 13: nesting, backlog, bounded connections, floods --------------------------------------


def test_deep_json_nest_gets_a_reply(server: ControlServer) -> None:
    nest = b"[" * 30000 + b"]" * 30000
    reply = raw(server.address, nest + b"\n")
    assert reply == {"ok": False, "code": 2,
                     "error": "malformed message: nested deeper than 16 levels"}
    assert decode_request(b'{"cmd": "x", "s": "[[[[[[[[[[[[[[[[[[[[[[[[[["}')["cmd"] == "x"
    assert send_command(Path(server.address).parent, {"cmd": "still-alive"})["ok"] is True


def test_two_hundred_simultaneous_clients_all_get_answers(server: ControlServer) -> None:
    folder = Path(server.address).parent
    barrier = threading.Barrier(200)

    def one(i: int) -> bool:
        barrier.wait()
        return send_command(folder, {"cmd": "ping", "i": i}, timeout=20)["ok"]

    with ThreadPoolExecutor(200) as pool:
        results = list(pool.map(one, range(200)))
    assert results == [True] * 200


def test_slow_clients_cost_no_threads_and_extra_ones_are_told_busy(
        server: ControlServer) -> None:
    threads_before = threading.active_count()
    idle: list[socket.socket] = []
    try:
        for _ in range(MAX_CONNECTIONS):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(server.address)
            idle.append(s)
        wait_for(lambda: server.reading == MAX_CONNECTIONS, what="every slow client accepted")
        over = raw(server.address, b"")  # one more: answered at once, not queued for ever
        assert over["ok"] is False and "busy" in over["error"]
        assert threading.active_count() <= threads_before + 1
        # Each slow client is dropped with a reply once its deadline passes...
        idle[0].settimeout(READ_DEADLINE_S + 3)
        assert b"timed out" in idle[0].recv(4096)
    finally:
        for s in idle:
            s.close()
    # ...and then real requests are served again.
    assert send_command(Path(server.address).parent, {"cmd": "ping"})["ok"] is True


def test_requests_waiting_for_a_stuck_handler_are_bounded_too(server: ControlServer) -> None:
    """Requests queued behind a blocked state thread count against the limit as well."""
    waiting: list[socket.socket] = []
    try:
        for _ in range(MAX_CONNECTIONS):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(server.address)
            s.sendall(b'{"cmd": "block"}\n')
            waiting.append(s)
        wait_for(lambda: server.in_flight == MAX_CONNECTIONS and len(server.calls) == 4,
                 what="every request read, the four workers stuck on the first four")
        over = raw(server.address, b'{"cmd": "status"}\n')
        assert over["ok"] is False and "busy" in over["error"]
        server.release.set()  # type: ignore[attr-defined]
        for s in waiting:
            s.settimeout(10)
            assert json.loads(s.recv(4096))["ok"] is True
    finally:
        for s in waiting:
            s.close()


def test_half_sent_request_then_close_is_answered(server: ControlServer) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(server.address)
        s.sendall(b'{"cmd": "no-newline"}')
        s.shutdown(socket.SHUT_WR)
        s.settimeout(5)
        assert json.loads(s.recv(4096))["echo"] == {"cmd": "no-newline"}


def _cpu_and_rss(pid: int) -> tuple[float, int]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = int(fields[21]) * resource.getpagesize()
    return cpu, rss


@pytest.mark.e2e
def test_connect_close_flood_bounded_cpu_and_memory(running: tuple[Sandbox, int, str]) -> None:
    box, pid, address = running
    for _ in range(200):  # warm up: the first connections allocate the pool
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(address)
    cpu0, rss0 = _cpu_and_rss(pid)
    flood, flooders = 6000, 6
    most_threads = 0

    def connect_close(_i: int) -> None:
        for _ in range(flood // flooders):
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(address)

    t0 = time.monotonic()
    workers = [threading.Thread(target=connect_close, args=(i,)) for i in range(flooders)]
    for w in workers:
        w.start()
    while any(w.is_alive() for w in workers):
        most_threads = max(most_threads, len(os.listdir(f"/proc/{pid}/task")))
        time.sleep(0.01)
    elapsed = time.monotonic() - t0
    box.status()  # drains: every flood connection has been handled by now
    cpu1, rss1 = _cpu_and_rss(pid)
    threads = max(most_threads, len(os.listdir(f"/proc/{pid}/task")))
    # An empty connection costs the app some 12 us of CPU here (a thread each: 110 us)...
    assert (cpu1 - cpu0) / flood < 40e-6, (cpu1 - cpu0, elapsed)
    # ...and neither memory nor threads grow with the flood.
    assert rss1 - rss0 < 4 * 1024 * 1024
    assert threads < 16

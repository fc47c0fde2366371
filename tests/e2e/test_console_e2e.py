"""The real `sitbreak run --console`, driven only through its control commands."""

from __future__ import annotations

import json
import socket
import sqlite3
import time
from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox, stop, write_settings

pytestmark = pytest.mark.e2e

# The app runs on its accelerated clock (SITBREAK_CLOCK_SPEED): a simulated minute is a real
# second, so the break comes due 2 s after start and a 2-minute snooze lasts 2 s.
SPEED = 60
FAST = {
    "sitting": {"break_after": "2m", "idle_reset": "5m"},
    "breaks": {"heads_up": "30s", "length": "10m"},
    "posture": {"every": "0"},
    "snooze": {"options": ["2m", "10m"], "max_per_break": 2},
}


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


@pytest.fixture
def fast_box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path, extra_env={"SITBREAK_CLOCK_SPEED": str(SPEED)})


def kinds(history: Path) -> list[str]:
    con = sqlite3.connect(history)
    try:
        return [r[0] for r in con.execute("SELECT kind FROM events ORDER BY id")]
    finally:
        con.close()


@pytest.mark.slow
def test_console_run_through_control_commands(fast_box: Sandbox) -> None:
    box = fast_box
    cfg = write_settings(box.root / "s.toml", **FAST)
    assert box.cli("status").returncode == 3
    assert "sitbreak is not running" in box.cli("status").stderr
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        st = box.status()
        for key in ("state", "sitting_seconds", "next_break_in_seconds", "snoozes_left",
                    "paused_until", "idle_source", "today_sitting_seconds"):
            assert key in st
        assert st["state"] == "sitting"
        assert st["idle_source"] == "fallback"
        assert st["clock_speed"] == SPEED

        # Before the heads-up (30 s before the break: 1.5 s after start on this clock), which
        # makes the coming break skippable.
        refused = box.cli("skip")
        assert refused.returncode == 4 and "nothing to skip" in refused.stderr

        second = box.cli("run", "--console", "--config", str(cfg))
        assert second.returncode == 1
        assert f"sitbreak is already running (pid {proc.pid})" in second.stderr

        box.wait_state("break_due", timeout=20)
        assert "Time to move" in box.output()
        snoozed = box.cli("snooze")
        assert snoozed.returncode == 0 and snoozed.stdout.startswith("Snoozed"), snoozed
        assert box.status()["snoozes_left"] == 1
        box.wait_state("break_due", timeout=15)  # the 2-minute snooze ran out by itself
        assert box.cli("snooze", "10m").returncode == 0
        box.wait_state("snoozed")

        assert box.cli("pause", "10m").returncode == 0
        st = box.status()
        assert st["state"] == "paused" and st["paused_until"]
        assert box.cli("resume").returncode == 0
        assert box.status()["state"] in ("snoozed", "sitting")

        assert box.cli("pause", "--until", "23:59").returncode == 0
        assert box.status()["paused_until"].startswith(("20", "19"))
        assert box.cli("resume").returncode == 0

        assert box.cli("break-now").returncode == 0
        st = box.status()
        assert st["state"] == "on_break"
        brk = st["break"]
        assert set(brk) == {"routine", "index", "step", "started", "seconds_done",
                            "planned_seconds"}
        assert brk["routine"] and brk["started"] and brk["planned_seconds"] > 0
        # Done seconds after break-now is honest: ended early, not completed (observation 3)
        asked = time.monotonic()
        assert box.cli("done").returncode == 0
        st = box.status()
        # A new stretch began at `done`: it is no older than the time since (in app seconds).
        since = (time.monotonic() - asked) * SPEED
        assert st["state"] == "sitting" and st["sitting_seconds"] <= since + 1, (st, since)
        assert box.cli("quit").returncode == 0
        assert proc.wait(15) == 0
    finally:
        stop(proc)
    rows = kinds(box.history)
    for kind in ("stretch_started", "heads_up", "break_offered", "snoozed", "paused", "resumed",
                 "started", "ended_early", "stretch_ended"):
        assert kind in rows, f"{kind} missing from history: {rows}"
    assert "completed" not in rows
    assert rows.count("snoozed") == 2


def test_no_snoozes_left_is_refused_with_exit_4(fast_box: Sandbox) -> None:
    box = fast_box
    cfg = write_settings(box.root / "s.toml", **{
        **FAST, "sitting": {"break_after": "1m"}, "snooze": {"options": ["1m"], "max_per_break": 0},
        "breaks": {"heads_up": "0", "strict": True}})
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        box.wait_state("break_due", timeout=20)
        out = box.cli("snooze")
        assert out.returncode == 4 and "no snoozes left" in out.stderr
        out = box.cli("skip")
        assert out.returncode == 4 and "strict" in out.stderr
    finally:
        assert stop(proc) == 0


def test_invalid_settings_exit_2_and_live_edits(box: Sandbox) -> None:
    bad = box.root / "bad.toml"
    bad.write_text('[sitting]\nbreak_after = "-5m"\n')
    out = box.cli("run", "--console", "--config", str(bad))
    assert out.returncode == 2
    assert "sitting.break_after" in out.stderr and str(bad) in out.stderr
    assert box.cli("check-settings", str(bad)).returncode == 2

    cfg = write_settings(box.root / "s.toml", sitting={"break_after": "50m"})
    assert box.cli("check-settings", str(cfg)).returncode == 0
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        assert box.status()["next_break_in_seconds"] > 2900
        # A good edit applies within 5 s, without a restart.
        write_settings(cfg, sitting={"break_after": "30m"})
        from tests.desktop import wait_for

        wait_for(lambda: box.status()["next_break_in_seconds"] < 1801, timeout=8,
                 what="the edit to apply")
        # A broken edit keeps the last good settings, says so, and the file is left alone.
        broken = '[sitting]\nbreak_after = "soon"\n'
        cfg.write_text(broken)
        wait_for(lambda: "keeping the last good" in box.output(), timeout=8,
                 what="a message about the broken file")
        assert "sitting.break_after" in box.output()
        assert box.status()["next_break_in_seconds"] < 1801
        reload = box.cli("reload")
        assert reload.returncode == 2 and "sitting.break_after" in reload.stderr
        assert cfg.read_text() == broken
    finally:
        assert stop(proc) == 0


def test_malformed_control_messages_are_rejected_harmlessly(box: Sandbox) -> None:
    proc = box.start("--console")
    try:
        box.wait_running(proc)
        sock_path = str(box.root / "runtime" / "sitbreak" / "control.sock")
        assert (Path(sock_path).stat().st_mode & 0o777) == 0o600
        for payload in (b"not json\n", b'["cmd"]\n', b'{"cmd": 5}\n', b"x" * 70000 + b"\n",
                        b'{"cmd": "pause", "seconds": "lots"}\n', b'{"cmd": "explode"}\n'):
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(5)
                s.connect(sock_path)
                try:
                    s.sendall(payload)
                    reply = json.loads(s.recv(65536))
                except (BrokenPipeError, ConnectionResetError):
                    continue
                assert reply["ok"] is False
        assert proc.poll() is None
        assert box.status()["state"] == "sitting"
    finally:
        assert stop(proc) == 0


def test_sigterm_exits_cleanly_with_history_flushed(box: Sandbox) -> None:
    proc = box.start("--console")
    try:
        box.wait_running(proc)
        assert box.cli("pause").returncode == 0
    finally:
        assert stop(proc) == 0
    rows = kinds(box.history)
    assert "paused" in rows and rows[-1] == "stretch_ended"


def test_a_broken_exercises_file_is_reported_at_start(box: Sandbox) -> None:
    extra = box.root / "mine.toml"
    extra.write_text('[[exercise]]\nid = "my-stretch"\nname = "Mine"\ncategory = "yoga"\n')
    cfg = write_settings(box.root / "s.toml", exercises={"extra": str(extra)})
    out = box.cli("check-settings", str(cfg))
    assert out.returncode == 2 and str(extra) in out.stderr and "category" in out.stderr
    out = box.cli("run", "--console", "--config", str(cfg))
    assert out.returncode == 2 and str(extra) in out.stderr

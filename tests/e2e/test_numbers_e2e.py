"""Issue 25's numbers the way they were found: the real `sitbreak run --console` on its fast
clock, driven by the command line (pause, an edited settings file, resume, quit and run)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SPEED = 60  # a simulated minute is a real second


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path, extra_env={"SITBREAK_CLOCK_SPEED": str(SPEED)})


def ok(box: Sandbox, *args: str) -> str:
    out = box.cli(*args)
    assert out.returncode == 0, (args, out.stdout, out.stderr, box.output())
    return out.stdout


def test_break_after_edited_while_paused_applies_on_resume(box: Sandbox) -> None:
    cfg = quick_settings(box.root / "s.toml", break_after="5m", idle_reset="60m")
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        ok(box, "pause", "10m")
        quick_settings(cfg, break_after="2m", idle_reset="60m")
        wait_for(lambda: "settings reloaded" in box.output(), timeout=15,
                 what="the edit to be read")
        ok(box, "resume")
        st = box.status()
        assert st["state"] == "sitting"
        assert st["next_break_in_seconds"] <= 120, st
        ok(box, "reload")  # reloading the same file changes nothing
        assert box.status()["next_break_in_seconds"] <= 120
    finally:
        stop(proc)


def test_today_and_a_pause_survive_quit_and_run(box: Sandbox) -> None:
    cfg = quick_settings(box.root / "s.toml", break_after="60m", idle_reset="60m")
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        wait_for(lambda: box.status()["today_sitting_seconds"] >= 5 * 60, timeout=20,
                 what="five simulated minutes of sitting")
        ok(box, "pause", "30m")
        before = box.status()
        ok(box, "quit")
        assert proc.wait(15) == 0
    finally:
        stop(proc)
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        st = wait_for(lambda: (s := box.status())["state"] == "paused" and s, timeout=15,
                      what="the pause to be back")
        assert st["paused_until"] == before["paused_until"]
        assert st["today_sitting_seconds"] >= before["today_sitting_seconds"] - 1, st
        assert st["today_longest_stretch_seconds"] >= before["today_sitting_seconds"] - 1
        ok(box, "resume")
    finally:
        stop(proc)


def test_snooze_while_snoozed_and_offered_once(box: Sandbox) -> None:
    cfg = quick_settings(box.root / "s.toml", break_after="2m", idle_reset="60m",
                         snooze={"options": ["5m", "1m"], "max_per_break": 3})
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        box.wait_state("break_due")
        ok(box, "snooze", "5m")
        ok(box, "snooze", "1m")  # "remind me in 1 minute", not 6
        st = box.status()
        assert st["next_break_in_seconds"] <= 60 and st["snoozes_left"] == 2, st
        box.wait_state("break_due")  # offered again
        ok(box, "snooze", "1m")
        box.wait_state("break_due")
        ok(box, "skip")
    finally:
        stop(proc)
    con = sqlite3.connect(box.history)
    try:
        kinds = [r[0] for r in con.execute("SELECT kind FROM events ORDER BY id")]
    finally:
        con.close()
    assert (kinds.count("break_offered"), kinds.count("break_reoffered")) == (1, 2), kinds
    assert kinds.count("snoozed") == 3  # every snooze given; the sooner one used none

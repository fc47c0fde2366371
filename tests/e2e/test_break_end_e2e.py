"""An end that feels finished (issue 25): the real app, on its fast clock. A break that ends
turns its window into a closing screen that closes itself; without a window the same lines
come as a notification."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.desktop import Display, wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.e2e.test_break_window_e2e import visible_windows

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_without_a_window_the_end_comes_as_a_notification(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, extra_env={"SITBREAK_CLOCK_SPEED": "60"})
    cfg = quick_settings(tmp_path / "s.toml", break_after="50m")
    proc = box.start("--console", "--no-window", "--config", str(cfg))
    try:
        box.wait_running(proc)
        assert box.cli("break-now").returncode == 0
        time.sleep(0.5)  # half a simulated minute of exercise
        assert box.cli("done").returncode == 0
        wait_for(lambda: "Break over" in box.output(), timeout=10, what="the end notification")
        out = box.output()
        assert "You did " in out and "Next break in 50 min, at about " in out, out
    finally:
        assert stop(proc) == 0


@pytest.mark.desktop
def test_a_finished_break_shows_a_closing_screen_that_closes_itself(tmp_path: Path,
                                                                    display: Display) -> None:
    # On a clock ten times fast, the routine (6 to 10 min) lasts 36 to 60 s: the window must
    # be up before it ends. At 60 times a 6 min routine lasted 6 s, and twice under CI's load
    # the window came after the break had ended. No input on Xvfb is idle time: a long
    # idle_reset keeps it sitting; the next break is 50 min (5 real minutes) away.
    box = Sandbox(tmp_path, extra_env={"DISPLAY": display.name, "SITBREAK_CLOCK_SPEED": "10"})
    cfg = quick_settings(tmp_path / "s.toml", break_after="50m", idle_reset="2h",
                         breaks={"length": "10m"})
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        assert box.cli("break-now").returncode == 0
        wait_for(lambda: visible_windows(display), timeout=40, what="the break window")
        assert box.status()["state"] == "on_break", "the window came after the break had ended"
        box.wait_state("sitting", timeout=90)  # the routine ran out: completed
        ended = time.monotonic()
        assert visible_windows(display), "the closing screen"
        assert "Break done" not in box.output()  # the window said it: no notification too
        wait_for(lambda: not visible_windows(display), timeout=30, what="it to close itself")
        assert time.monotonic() - ended > 5
    finally:
        assert stop(proc) == 0

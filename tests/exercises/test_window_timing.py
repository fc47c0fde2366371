"""The real break window times its picture by the step's tempo and holds and counts the
repetitions (a hold stays on one frame; the count line says which repetition is under way)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.desktop import require, wait_for, xvfb
from tests.ui.sample_views import RUNNING
from tests.ui.test_break_window import Window, window_ids
from tray_app.exercises.loader import read_builtin
from tray_app.ui.windows.protocol import BreakRequest, ExerciseSpec

pytestmark = [pytest.mark.desktop, pytest.mark.slow]  # watches 4 s of the window's clock
KNEE = next(e for e in read_builtin() if e.id == "standing-knee-raise-hold")  # 3 x (3 s + 10 s)


@pytest.fixture
def window() -> Iterator[Window]:
    require("xdotool")
    with xvfb() as d:
        win = Window(d)
        yield win
        win.close()
        wait_for(lambda: not window_ids(d), what="the window to go")


def test_a_hold_stays_on_one_frame_and_the_reps_are_counted(window: Window,
                                                              tmp_path: Path) -> None:
    step = KNEE.steps[1]
    slack = step.seconds - step.work
    into = slack + 2.0  # 0.5 s into the first 10 s hold
    view = replace(RUNNING, routine=(KNEE.id,), spares=(), step=1, step_seconds=step.seconds,
                   step_left_s=step.seconds - into, planned_seconds=KNEE.seconds,
                   allowed=("close", "done", "next"))
    req = BreakRequest(exercises=(ExerciseSpec.from_exercise(KNEE),), title="Time to move",
                       focus_wait_max=0.0, pictures_dir=str(tmp_path / "pictures"))
    window.open(req, view).ready()
    end = time.monotonic() + 4.0
    ticks = []
    while time.monotonic() < end:
        ticks.append(window.next("tick", timeout=3))
    assert len(ticks) >= 3
    assert {t["frame"] for t in ticks} == {0}, [(t["clock"], t["frame"]) for t in ticks]
    assert {t["count"] for t in ticks} == {"Step 2 of 3 · rep 1 of 3"}


def test_the_window_shows_the_cautions_before_start(window: Window, tmp_path: Path) -> None:
    from tests.ui.sample_views import OFFERED
    from tray_app.exercises.format import care_lines

    view = replace(OFFERED, routine=(KNEE.id,), spares=(), step_seconds=KNEE.steps[0].seconds,
                   step_left_s=KNEE.steps[0].seconds, planned_seconds=KNEE.seconds,
                   allowed=("close", "start"))
    req = BreakRequest(exercises=(ExerciseSpec.from_exercise(KNEE),), title="Time to move",
                       focus_wait_max=0.0, pictures_dir=str(tmp_path / "pictures"))
    window.open(req, view).ready()
    drawn = [e for _, e in window.seen if e["event"] == "view"][-1]
    assert drawn["care"] == "\n".join(care_lines(KNEE)) and "balance" in drawn["care"]

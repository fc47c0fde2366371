"""Each exercise's own cautions and tags reach the user where they matter: the break window
before Start and on the exercise's first step, the console prompt, and `exercises show`, all
from one formatter (exercises.format.care_lines)."""

from __future__ import annotations

import io
from dataclasses import replace

from tests.fakes import Sim
from tray_app.core.exercise import PLACES
from tray_app.core.model import BreakSettings, ExerciseSettings, Settings, SittingSettings
from tray_app.core.safety import SAFETY_LINE
from tray_app.exercises.format import care_lines, show_text
from tray_app.exercises.loader import load_catalogue
from tray_app.shell.prompts import ConsolePrompt
from tray_app.ui.windows.break_screen import Screen
from tray_app.ui.windows.protocol import BreakRequest, ExerciseSpec

BUILTIN = {e.id: e for e in load_catalogue(ExerciseSettings(places=PLACES))}
SQUAT, BRIDGE = BUILTIN["desk-squat"], BUILTIN["standing-hip-extension"]


def flat(text: str) -> str:
    return " ".join(text.split())


def offered(*routine: object) -> Sim:
    """A core whose break (of `routine`) has just been offered."""
    sim = Sim(settings=Settings(sitting=SittingSettings(break_after=60),
                                breaks=BreakSettings(heads_up=0)),
              plan=(tuple(routine), ()))  # type: ignore[arg-type]
    sim.run(61)
    return sim


def test_every_caution_and_tag_is_in_the_shared_lines_and_in_show() -> None:
    for ex in BUILTIN.values():
        lines = care_lines(ex)
        for caution in ex.cautions:
            assert any(caution in line for line in lines), (ex.id, caution)
        for tag in ex.tags:
            assert any(tag in line for line in lines), (ex.id, tag)
        shown = flat(show_text(ex))
        assert all(flat(line) in shown for line in lines), ex.id


def test_the_window_shows_cautions_before_start_and_on_the_first_step_only() -> None:
    sim = offered(SQUAT, BRIDGE)
    view = sim.shows()[-1].view
    req = BreakRequest(exercises=(ExerciseSpec.from_exercise(SQUAT),
                                  ExerciseSpec.from_exercise(BRIDGE)))
    before = Screen(req, view, 0.0).care_text()
    assert "Go only as low as your knees allow." in before
    assert before == "\n".join(care_lines(SQUAT))
    running = replace(view, running=True)
    assert Screen(req, running, 0.0).care_text() == before
    assert Screen(req, replace(running, step=1), 0.0).care_text() == ""
    second = Screen(req, replace(running, index=1, step=0), 0.0).care_text()
    assert "spondylolisthesis" in second and "back-bend" in second


def test_the_console_prompt_prints_each_exercises_cautions_and_the_safety_text() -> None:
    sim = offered(SQUAT, BRIDGE)
    out = io.StringIO()
    ConsolePrompt(planner=None, stream=out).show(sim.shows()[-1].view, sim.state)  # type: ignore[arg-type]
    text = flat(out.getvalue())
    for ex in (SQUAT, BRIDGE):
        assert all(flat(line) in text for line in care_lines(ex)), ex.id
    assert flat(SAFETY_LINE) in text

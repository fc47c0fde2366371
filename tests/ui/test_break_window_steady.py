"""Issue 25, bugs 6 and 7, on a real X server: the break window keeps one size, centred, from
the offer to the last step; an Enter as a step moves on never ends the break."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.desktop import Display, wait_for
from tests.ui import test_break_window as base
from tests.ui.sample_views import OFFERED, RUNNING
from tests.ui.test_break_window import Window, make_request, window_geometry, window_ids
from tray_app.ui.windows.protocol import BreakRequest

pytestmark = pytest.mark.desktop

# The same Xvfb and window fixtures as the window's other tests.
screen = base.screen
window = base.window


def mixed_request() -> BreakRequest:
    """Exercises with short and long step texts and different numbers of steps."""
    from tests.fakes import exercise as core_exercise
    from tray_app.core.exercise import Exercise, Step
    from tray_app.ui.windows.protocol import ExerciseSpec

    long_text = ("Stand tall with your feet hip-width apart, then lift one knee towards your "
                 "chest, lower it with control and repeat on the other side, breathing out "
                 "as the knee comes up and keeping your ribs stacked over your pelvis.")
    march = Exercise("march", "Seated march with a rather long name for a title", "core",
                     "chair", (Step("Lift.", 20), Step(long_text, 20), Step("Rest.", 14)),
                     "Keep your back tall.", "")
    return replace(make_request(), exercises=(
        ExerciseSpec.from_exercise(march),
        ExerciseSpec.from_exercise(core_exercise("bridge", 60)),
        ExerciseSpec.from_exercise(core_exercise("chin-tucks", 30)),
    ))


def test_the_window_keeps_its_size_and_stays_centred(window: Window, screen: Display) -> None:
    """Bug 7: it widened from 755 to 876 px on Start, left edge fixed, and changed between
    steps."""
    window.open(mixed_request()).ready()
    wid = window_ids(screen)[0]
    first = window_geometry(screen, wid)
    sizes = {first}
    for view in (replace(RUNNING, step=0), replace(RUNNING, step=1), replace(RUNNING, step=2),
                 replace(RUNNING, index=1, step=0, allowed=("close", "done", "pause"))):
        window.show(view)
        window.next("layout")
        sizes.add(window_geometry(screen, wid))
    assert sizes == {first}
    x, y, w, h = first
    assert abs((x + w / 2) - 640) <= 2 and abs((y + h / 2) - 400) <= 2


def test_enter_as_the_step_moves_on_never_ends_the_break(window: Window) -> None:
    """Bug 6: on the last step the focused button became "Finish" beside "Done"; an Enter
    pressed as the step auto-advanced landed on it and ended the break at 18 of 54 s."""
    window.open(make_request(), RUNNING).ready()
    last = replace(RUNNING, index=1, step=0, step_left_s=60)
    view = window.show(last)  # the core moved the break on by itself
    assert "start" not in view["buttons"] and "done" in view["buttons"]
    assert "highlighted" not in view["keys"]
    window.key("Return")  # meant for Next, a moment late
    window.no_intent(0.6)


def test_done_by_keyboard_right_after_a_step_change_waits_for_a_second(window: Window) -> None:
    window.open(make_request(), RUNNING).ready()
    window.key("Tab")  # Next -> Done
    window.next_where("focus", widget="done")
    time.sleep(1.1)
    window.show(replace(RUNNING, step=1, step_left_s=60))
    window.key("Return")  # the step changed under the key: not taken
    window.next_where("ignored", widget="done")
    window.no_intent(0.3)
    time.sleep(1.0)
    window.key("Return")  # on purpose, a second later
    assert window.intent()["intent"] == "done"


def test_strict_mode_does_not_speak_of_a_highlighted_button(window: Window) -> None:
    strict = replace(RUNNING, strict=True, allowed=("close", "pause"), snooze_options=())
    window.open(make_request(), strict).next("layout")
    drawn = [e for _, e in window.seen if e["event"] == "view"][-1]
    assert "highlighted" not in drawn["keys"] and "move on by themselves" in drawn["keys"]


def test_offered_then_started_keeps_the_left_edge_centred(window: Window,
                                                           screen: Display) -> None:
    window.open(make_request(), OFFERED).ready()
    wid = window_ids(screen)[0]
    before = window_geometry(screen, wid)
    window.key("Return")
    assert window.intent() == {"intent": "start"}
    window.show(RUNNING)
    window.next("layout")
    assert window_geometry(screen, wid) == before


# --- an end that feels finished -------------------------------------------------------------


def test_the_closing_screen_stays_a_while_then_closes_itself(window: Window,
                                                             screen: Display) -> None:
    from tray_app.ui.windows.protocol import end_line

    window.open(make_request(), RUNNING).ready()
    wid = window_ids(screen)[0]
    size = window_geometry(screen, wid)
    lines = ["You did March (1 min).", "Today: 3 min core.", "Next break in 50 min, at 11:32."]
    sent = time.monotonic()
    assert window.client.finish(end_line("Break done, well done", lines, 2.0))
    assert not window.client.is_open  # let go: the next break gets a window of its own
    time.sleep(1.0)
    assert window_ids(screen) == [wid] and window_geometry(screen, wid) == size
    wait_for(lambda: not window_ids(screen), timeout=10, what="the closing screen to go")
    assert time.monotonic() - sent >= 2.0
    window.no_intent(0.2)  # nothing reaches the app once it has let the window go


def test_enter_closes_the_closing_screen_at_once(window: Window, screen: Display) -> None:
    from tray_app.ui.windows.protocol import end_line

    window.open(make_request(), RUNNING).ready()
    assert window.client.finish(end_line("Break over", ["You did March (20 s)."], 30.0))
    time.sleep(0.5)
    window.key("Return")
    wait_for(lambda: not window_ids(screen), timeout=5, what="Enter to close it")

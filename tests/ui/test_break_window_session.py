"""Unit tests for the break window's logic and wire format (no display needed)."""

from __future__ import annotations

import json

import pytest

from tray_app.core.exercise import Exercise, Step
from tray_app.ui.break_window import BreakSession, centred, focus_due, format_clock
from tray_app.ui.window_protocol import (
    BreakRequest,
    BreakResult,
    ExerciseSpec,
    ProtocolError,
    StepSpec,
    event_line,
    parse_event,
    request_from_json,
    request_to_json,
    result_to_dict,
    snooze_label,
)


def spec(ex_id: str = "march", seconds: tuple[int, ...] = (10, 20, 30)) -> ExerciseSpec:
    return ExerciseSpec(
        id=ex_id,
        name=ex_id.title(),
        category="core",
        where="chair",
        steps=tuple(StepSpec(f"step {i}", s) for i, s in enumerate(seconds)),
        cue="breathe out",
    )


def request(*exercises: ExerciseSpec, **kw) -> BreakRequest:
    return BreakRequest(exercises=exercises or (spec(),), **kw)


# --- BreakSession ---------------------------------------------------------------------------


def test_nothing_moves_before_start() -> None:
    s = BreakSession(request())
    s.tick(1000.0)
    assert not s.started and s.step_index == 0
    assert s.step_left(1000.0) == 10.0
    assert s.progress(1000.0) == 0.0


def test_enter_starts_then_advances_then_finishes() -> None:
    s = BreakSession(request())
    s.advance(100.0)
    assert s.started and s.step_index == 0 and s.steps_done == 0
    s.advance(101.0)
    assert s.step_index == 1 and s.steps_done == 1
    s.advance(102.0)
    assert s.is_last_step and s.steps_done == 2
    s.advance(103.0)
    assert s.finished and s.steps_done == 3
    res = s.result("done", 103.0)
    assert res == BreakResult("done", "march", "core", steps_done=3, elapsed_seconds=3.0)


def test_countdown_advances_steps_by_itself() -> None:
    s = BreakSession(request())
    s.start(0.0)
    s.tick(9.5)
    assert s.step_index == 0
    assert s.step_left(9.5) == pytest.approx(0.5)
    s.tick(10.0)
    assert s.step_index == 1 and s.steps_done == 1
    assert s.step_left(15.0) == pytest.approx(15.0)
    assert s.progress(15.0) == pytest.approx(15 / 60)


def test_a_stalled_loop_catches_up_over_several_steps() -> None:
    s = BreakSession(request())
    s.start(0.0)
    s.tick(31.0)  # 10 + 20 over: now one second into the third step
    assert s.step_index == 2 and s.steps_done == 2
    assert s.step_left(31.0) == pytest.approx(29.0)
    s.tick(60.0)
    assert s.finished and s.steps_done == 3 and s.progress(60.0) == 1.0


def test_manual_next_restarts_the_countdown_of_the_new_step() -> None:
    s = BreakSession(request())
    s.start(0.0)
    s.advance(3.0)
    assert s.step_left(3.0) == 20.0
    s.tick(22.9)
    assert s.step_index == 1


def test_another_cycles_and_returns_to_not_started() -> None:
    s = BreakSession(request(spec("a"), spec("b"), spec("c")))
    s.start(0.0)
    s.advance(1.0)
    assert s.another().id == "b"
    assert not s.started and s.steps_done == 0
    assert s.another().id == "c"
    assert s.another().id == "a"
    assert s.result("skip", 5.0).elapsed_seconds == 0.0


def test_start_twice_is_refused() -> None:
    s = BreakSession(request())
    assert s.start(0.0)
    assert not s.start(1.0)


def test_result_before_start_has_no_time() -> None:
    res = BreakSession(request()).result("snooze", 50.0, 300)
    assert res.snooze_seconds == 300 and res.steps_done == 0 and res.elapsed_seconds == 0.0


# --- small helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (0.2, "0:01"), (1.0, "0:01"), (59.5, "1:00"), (75, "1:15")]
)
def test_format_clock_rounds_up(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text


def test_focus_waits_for_a_typing_pause() -> None:
    assert not focus_due(200, 0.5, 10)
    assert focus_due(1500, 0.5, 10)
    assert focus_due(0, 10.0, 10)  # the longest wait is over, typing or not
    assert focus_due(0, 0.0, 0)  # no wait asked for


def test_focus_without_idle_reading_waits_a_fixed_pause() -> None:
    assert not focus_due(None, 1.0, 10)
    assert focus_due(None, 1.5, 10)


def test_centred_on_screen_and_kept_on_it() -> None:
    assert centred(400, 300, [(0, 0, 1280, 800)], (10, 10)) == (440, 250)
    assert centred(2000, 900, [(0, 0, 1280, 800)], (10, 10)) == (0, 0)


def test_centred_on_the_monitor_with_the_pointer() -> None:
    monitors = [(0, 0, 1280, 800), (1280, 0, 800, 600)]
    assert centred(400, 300, monitors, (1500, 100)) == (1480, 150)
    assert centred(400, 300, monitors, (100, 100)) == (440, 250)
    assert centred(400, 300, monitors, (-1, -1)) == (440, 250)  # pointer unknown


def test_snooze_labels() -> None:
    assert snooze_label(300) == "Snooze 5 min"
    assert snooze_label(90) == "Snooze 90 s"


# --- wire format ----------------------------------------------------------------------------


def test_request_round_trips() -> None:
    req = request(
        spec("a"), spec("b"), snooze_options=(300, 600), can_skip=False, started=True,
        safety="Stop if it hurts.", focus_wait_max=2.5,
    )
    assert request_from_json(request_to_json(req)) == req


def test_request_from_a_core_exercise() -> None:
    ex = Exercise("bridge", "Bridge", "hip-extensors", "floor", (Step("Lift", 5),), "cue", "why",
                  cautions=("knees",), tags=("glutes",))
    got = ExerciseSpec.from_exercise(ex, ["/tmp/a.png"])
    assert got.steps == (StepSpec("Lift", 5),)
    assert got.frames == ("/tmp/a.png",) and got.cautions == ("knees",) and got.seconds == 5


def test_request_defaults_match_the_protocol() -> None:
    raw = {"exercises": [json.loads(request_to_json(request()))["exercises"][0]]}
    req = request_from_json(json.dumps(raw))
    assert req.snooze_options == () and req.can_skip and not req.started
    assert req.title == "Time to move" and req.focus_wait_max == 10.0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.update(exercises=[]), "needs at least one exercise"),
        (lambda r: r["exercises"][0].pop("id"), "missing 'id'"),
        (lambda r: r["exercises"][0].update(steps=[]), "needs at least one step"),
        (lambda r: r["exercises"][0]["steps"][0].update(seconds=0), "at least 1"),
        (lambda r: r["exercises"][0]["steps"][0].update(seconds=True), "expected a number"),
        (lambda r: r.update(snooze_options=[300, -1]), "positive seconds"),
        (lambda r: r.update(focus_wait_max="soon"), "focus_wait_max"),
        (lambda r: r["exercises"][0].update(frames="/tmp/a.png"), "list of strings"),
    ],
)
def test_bad_requests_name_the_field(mutate, message: str) -> None:
    raw = json.loads(request_to_json(request()))
    mutate(raw)
    with pytest.raises(ProtocolError, match=message):
        request_from_json(json.dumps(raw))


def test_not_json_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match="not JSON"):
        request_from_json("{")


def test_event_lines_round_trip() -> None:
    res = BreakResult("snooze", "march", "core", 1, 4.5, 300)
    line = event_line(result_to_dict(res))
    assert line.endswith("\n") and "\n" not in line[:-1]
    assert parse_event(line) == {
        "event": "result", "action": "snooze", "exercise_id": "march", "category": "core",
        "steps_done": 1, "elapsed_seconds": 4.5, "snooze_seconds": 300,
    }


@pytest.mark.parametrize(
    "line", ['[1]', '{"no": "event"}', '{"event": "result", "action": "explode"}', "garbage"]
)
def test_bad_reply_lines_are_rejected(line: str) -> None:
    with pytest.raises(ProtocolError):
        parse_event(line)


def test_protocol_module_does_not_load_tk() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tray_app.ui.window_protocol, tray_app.ui.break_client;"
        "sys.exit('tkinter' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

"""Unit tests for the break window's logic and wire format (no display needed)."""

from __future__ import annotations

import json

import pytest

from tray_app.core.exercise import Exercise, Step
from tray_app.ui.break_window import BreakSession, centred, focus_due, format_clock
from tray_app.ui.window_protocol import (
    BreakRequest,
    BreakResult,
    ExerciseDone,
    ExerciseSpec,
    ProtocolError,
    StepSpec,
    event_line,
    parse_event,
    request_from_dict,
    request_from_json,
    request_to_json,
    result_exercises,
    result_to_dict,
    snooze_label,
)


def spec(
    ex_id: str = "march", seconds: tuple[int, ...] = (10, 20, 30), category: str = "core"
) -> ExerciseSpec:
    return ExerciseSpec(
        id=ex_id,
        name=ex_id.title(),
        category=category,
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
    assert res == BreakResult("done", "march", "core", steps_done=3, elapsed_seconds=3.0,
                              exercises=(ExerciseDone("march", "core", 3.0),))


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
    assert res.exercises == ()


def test_a_single_exercise_lists_itself_once_begun() -> None:
    s = BreakSession(request(spec("a"), spec("b")))
    s.start(0.0)
    s.tick(12.5)
    res = s.result("skip", 12.5)
    assert res.exercises == (ExerciseDone("a", "core", 12.5),)


# --- routines of several exercises ----------------------------------------------------------


def routine_session(**kw) -> BreakSession:
    """A 2-exercise routine (march 10+20 s, bridge 5+5 s) with two alternatives after it."""
    return BreakSession(request(
        spec("march", (10, 20)), spec("bridge", (5, 5), "hip-extensors"),
        spec("alt1", (7,), "posture"), spec("alt2", (8,), "stretch"), routine=2, **kw,
    ))


def test_routine_shows_its_first_exercise_and_whole_length_before_start() -> None:
    s = routine_session()
    assert [e.id for e in s.routine] == ["march", "bridge"]
    assert [e.id for e in s.alternatives] == ["alt1", "alt2"]
    assert s.exercise.id == "march" and s.total_seconds == 40
    assert s.step_left(0.0) == 10.0 and s.progress(0.0) == 0.0


def test_routine_countdown_crosses_into_the_next_exercise() -> None:
    s = routine_session()
    s.start(100.0)
    s.tick(129.9)
    assert (s.ex_index, s.step_index) == (0, 1)
    s.tick(130.0)  # march's last step ends: bridge's first step begins at once
    assert (s.ex_index, s.step_index, s.exercise.id) == (1, 0, "bridge")
    assert s.steps_done == 2 and not s.finished
    assert s.step_left(132.0) == pytest.approx(3.0)
    s.tick(136.0)
    assert (s.ex_index, s.step_index) == (1, 1) and s.is_last_step
    s.tick(140.0)
    assert s.finished and s.steps_done == 4


def test_routine_progress_spans_every_exercise() -> None:
    s = routine_session()
    s.start(0.0)
    assert s.progress(10.0) == pytest.approx(10 / 40)
    s.tick(29.0)
    assert s.progress(29.0) == pytest.approx(29 / 40)  # still march: 29 of the 40 s
    s.tick(32.0)
    assert s.exercise.id == "bridge"
    assert s.progress(32.0) == pytest.approx(32 / 40)
    s.tick(40.0)
    assert s.progress(40.0) == 1.0


def test_a_stalled_loop_catches_up_across_the_boundary() -> None:
    s = routine_session()
    s.start(0.0)
    s.tick(36.0)  # 10 + 20 + 5 over: one second into bridge's second step
    assert (s.ex_index, s.step_index, s.steps_done) == (1, 1, 3)
    assert s.step_left(36.0) == pytest.approx(4.0)
    res = s.result("done", 36.0)
    assert res.exercises == (ExerciseDone("march", "core", 30.0),
                             ExerciseDone("bridge", "hip-extensors", 6.0))


def test_enter_advances_across_the_boundary_and_finishes_after_the_last_exercise() -> None:
    s = routine_session()
    s.advance(0.0)  # Start
    s.advance(2.0)  # march step 2
    assert not s.is_last_step  # march's last step is not the routine's last
    s.advance(5.0)  # bridge step 1
    assert (s.ex_index, s.step_index) == (1, 0)
    assert s.step_left(5.0) == 5.0  # a fresh countdown for the new exercise
    s.advance(6.0)
    assert s.is_last_step
    s.advance(8.5)
    assert s.finished
    res = s.result("done", 8.5)
    assert res.steps_done == 4 and res.elapsed_seconds == 8.5
    assert (res.exercise_id, res.category) == ("march", "core")  # the first, as before
    assert res.exercises == (ExerciseDone("march", "core", 5.0),
                             ExerciseDone("bridge", "hip-extensors", 3.5))


def test_result_lists_only_exercises_begun_with_partial_seconds() -> None:
    s = routine_session()
    s.start(0.0)
    res = s.result("done", 12.25)
    assert res.exercises == (ExerciseDone("march", "core", 12.25),)
    s.tick(33.0)
    res = s.result("snooze", 33.0, 300)
    assert res.exercises == (ExerciseDone("march", "core", 30.0),
                             ExerciseDone("bridge", "hip-extensors", 3.0))
    assert res.elapsed_seconds == 33.0 and res.steps_done == 2


def test_another_swaps_the_whole_routine_for_single_alternatives() -> None:
    s = routine_session()
    s.start(0.0)
    s.tick(31.0)  # into bridge
    assert s.another().id == "alt1"
    assert s.routine == (s.req.exercises[2],) and s.ex_index == 0
    assert not s.started and s.steps_done == 0 and s.total_seconds == 7
    assert s.result("skip", 40.0).exercises == ()
    s.start(50.0)
    s.tick(57.0)
    assert s.finished  # a routine of one: alt1 alone
    res = s.result("done", 57.0)
    assert res.exercise_id == "alt1" and res.exercises == (ExerciseDone("alt1", "posture", 7.0),)
    assert s.another().id == "alt2"
    assert s.another().id == "march"  # round again: the requested routine, both exercises
    assert [e.id for e in s.routine] == ["march", "bridge"] and s.total_seconds == 40


def test_a_routine_of_everything_has_no_alternatives() -> None:
    s = BreakSession(request(spec("a"), spec("b"), routine=2))
    assert s.alternatives == ()
    assert s.another().id == "a" and len(s.routine) == 2


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


def test_routine_request_round_trips() -> None:
    req = request(spec("a"), spec("b"), spec("c"), routine=2)
    text = request_to_json(req)
    assert json.loads(text)["routine"] == 2
    assert request_from_json(text) == req


def test_request_without_routine_is_a_routine_of_one() -> None:
    raw = json.loads(request_to_json(request(spec("a"), spec("b"))))
    del raw["routine"]
    req = request_from_dict(raw)
    assert req.routine == 1
    s = BreakSession(req)
    assert [e.id for e in s.routine] == ["a"] and [e.id for e in s.alternatives] == ["b"]


@pytest.mark.parametrize("routine", [0, 3, -1, True, "2", 1.5])
def test_bad_routine_counts_are_refused(routine: object) -> None:
    raw = json.loads(request_to_json(request(spec("a"), spec("b"))))
    raw["routine"] = routine
    with pytest.raises(ProtocolError, match=r"request\.routine"):
        request_from_dict(raw)


def test_a_request_object_checks_its_routine_too() -> None:
    with pytest.raises(ProtocolError, match=r"request\.routine"):
        request(spec("a"), routine=2)


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
        "steps_done": 1, "elapsed_seconds": 4.5, "snooze_seconds": 300, "exercises": [],
    }


def test_result_exercises_round_trip() -> None:
    done = (ExerciseDone("march", "core", 30.0), ExerciseDone("bridge", "hip-extensors", 3.25))
    res = BreakResult("done", "march", "core", 3, 33.25, None, done)
    event = parse_event(event_line(result_to_dict(res)))
    assert event["exercises"] == [
        {"exercise_id": "march", "category": "core", "seconds": 30.0},
        {"exercise_id": "bridge", "category": "hip-extensors", "seconds": 3.25},
    ]
    assert result_exercises(event) == done


def test_result_exercises_of_an_older_child_are_empty() -> None:
    assert result_exercises({"event": "result", "action": "done"}) == ()


@pytest.mark.parametrize(
    "bad", [{"exercises": "x"}, {"exercises": [1]}, {"exercises": [{"exercise_id": "a"}]},
            {"exercises": [{"exercise_id": "a", "category": "core", "seconds": True}]}],
)
def test_malformed_result_exercises_are_rejected(bad: dict) -> None:
    with pytest.raises(ProtocolError, match=r"result\.exercises"):
        result_exercises({"event": "result", "action": "done", **bad})


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

"""The break window's view logic and wire format, without a display (ui.windows.break_screen)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.fakes import Sim, exercise
from tests.ui.sample_views import OFFERED as SAMPLE_OFFERED
from tests.ui.sample_views import RUNNING as SAMPLE_RUNNING
from tray_app.core.effects import Notify
from tray_app.core.model import BreakSettings, Settings, SittingSettings, SnoozeSettings
from tray_app.core.session import BreakView
from tray_app.ui.windows.break_screen import Screen, format_clock
from tray_app.ui.windows.break_window import centred, focus_due
from tray_app.ui.windows.protocol import (
    BreakRequest,
    ExerciseSpec,
    ProtocolError,
    event_line,
    intent,
    parse_event,
    request_from_json,
    request_to_json,
    snooze_label,
    view_from_line,
    view_line,
)

REQ = BreakRequest(exercises=(
    ExerciseSpec.from_exercise(exercise("march", 10, 20), ("/tmp/a.png",)),
    ExerciseSpec.from_exercise(exercise("bridge", 30, category="hip-extensors")),
    ExerciseSpec.from_exercise(exercise("chin-tucks", 15, category="posture")),
), safety="Stop if it hurts.", focus_wait_max=0.0)

OFFERED = replace(SAMPLE_OFFERED, step_seconds=10, step_left_s=10, planned_seconds=60)
RUNNING = replace(SAMPLE_RUNNING, step_seconds=10, step_left_s=10, planned_seconds=60)


def names(screen: Screen) -> list[str]:
    return [b.name for b in screen.buttons()]


# --- what the window shows -----------------------------------------------------------------


def test_before_start_focus_is_on_start_and_enter_starts() -> None:
    sc = Screen(REQ, OFFERED, 100.0)
    assert names(sc) == ["start", "snooze_300", "snooze_600", "skip", "another"]
    assert sc.first_focus() == "start"
    assert sc.step_text() == "First: march step 1" and sc.count_text() == "2 exercises · 3 steps"
    assert format_clock(sc.step_left(500.0)) == "1:00"  # the whole routine; nothing moves


def test_running_the_countdown_follows_the_view_it_was_sent() -> None:
    sc = Screen(REQ, replace(RUNNING, step_left_s=7.5, seconds_done=2.5), 100.0)
    assert [b.label for b in sc.buttons()][:2] == ["Next", "Done"]
    assert format_clock(sc.step_left(100.0)) == "0:08"
    assert format_clock(sc.step_left(103.0)) == "0:05"
    assert format_clock(sc.step_left(200.0)) == "0:00"  # waits for the core's next view
    assert sc.progress(103.0) == pytest.approx(5.5 / 60)


def test_the_last_step_has_done_only_and_enter_presses_nothing() -> None:
    """Issue 25 bug 6: "Finish" beside "Done" on the last step; an Enter meant for Next, as
    the step moved on, ended the break at 18 of 54 s."""
    sc = Screen(REQ, replace(RUNNING, index=1, step=0), 0.0)
    assert names(sc)[:1] == ["done"] and sc.position() == "2 of 2"
    assert "Finish" not in [b.label for b in sc.buttons()]
    assert sc.first_focus() is None and sc.ends_break(sc.buttons()[0])
    assert "press the highlighted button" not in sc.keys_text()
    assert "Tab: pick a button, then Enter or Space" in sc.keys_text()


def test_strict_mode_never_speaks_of_a_highlighted_button() -> None:
    """Issue 25 bug 6: strict mode said "press the highlighted button" with none highlighted."""
    strict = replace(RUNNING, strict=True, allowed=("close", "pause"), snooze_options=())
    sc = Screen(REQ, strict, 0.0)
    assert names(sc) == [] and "highlighted" not in sc.keys_text()
    assert sc.keys_text() == "The steps move on by themselves"


def test_keys_esc_snoozes_and_s_only_before_start() -> None:
    before, running = Screen(REQ, OFFERED, 0.0), Screen(REQ, RUNNING, 0.0)
    assert before.escape().seconds == 300 and before.s_key().seconds == 300
    assert running.escape().seconds == 300 and running.s_key() is None
    assert "Esc or S: Snooze 5 min" in before.keys_text()
    assert "Enter or Space" in running.keys_text() and "Esc or S" not in running.keys_text()
    none_left = Screen(REQ, replace(OFFERED, allowed=("start",), snooze_options=()), 0.0)
    assert none_left.escape() is None and "Esc" not in none_left.keys_text()


def test_strict_running_break_offers_no_way_out_but_a_snooze() -> None:
    strict = replace(RUNNING, strict=True, allowed=("close", "pause", "snooze"))
    sc = Screen(REQ, strict, 0.0)
    assert names(sc) == ["snooze_300", "snooze_600"]
    assert sc.first_focus() is None  # Enter cannot snooze by accident


def test_intents_name_what_is_on_show() -> None:
    assert intent("next", replace(RUNNING, index=1, step=0)) == {
        "event": "intent", "intent": "next", "exercise_id": "bridge", "step": 0}
    assert intent("snooze", RUNNING, 300) == {"event": "intent", "intent": "snooze",
                                              "seconds": 300}
    assert intent("another", RUNNING) == {"event": "intent", "intent": "another",
                                          "exercise_id": "march"}


# --- wire format ----------------------------------------------------------------------------


def test_request_and_view_round_trip() -> None:
    req = request_from_json(request_to_json(REQ))
    assert req == REQ and req.exercises[0].exercise == exercise("march", 10, 20)
    assert view_from_line(view_line(RUNNING), REQ) == RUNNING


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.update(exercises=[]), "needs at least one exercise"),
        (lambda r: r["exercises"][0]["exercise"].pop("id"), "missing 'id'"),
        (lambda r: r["exercises"][0]["exercise"].update(steps=[]), "needs at least one step"),
        (lambda r: r["exercises"][0]["exercise"]["steps"][0].update(seconds=0), "at least 1"),
        (lambda r: r["exercises"][0]["exercise"]["steps"][0].update(seconds=True),
         "expected a number"),
        (lambda r: r.update(focus_wait_max="soon"), "focus_wait_max"),
        (lambda r: r["exercises"][0].update(frames="/tmp/a.png"), "list of strings"),
    ],
)
def test_bad_requests_name_the_field(mutate, message: str) -> None:
    raw = json.loads(request_to_json(REQ))
    mutate(raw)
    with pytest.raises(ProtocolError, match=message):
        request_from_json(json.dumps(raw))


@pytest.mark.parametrize(("view", "message"), [
    (replace(RUNNING, routine=("march", "plank")), r"lacks: \['plank'\]"),
    (replace(RUNNING, index=2), "outside the routine"),
    (replace(RUNNING, step=5), "outside march"),
    (replace(RUNNING, spares=(("chin-tucks",), ("bridge", "plank"))), r"lacks: \['plank'\]"),
])
def test_a_view_naming_what_the_request_lacks_is_refused(view: BreakView, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        view_from_line(view_line(view), REQ)


def test_spares_travel_as_routines_and_a_flat_list_is_refused() -> None:
    view = replace(RUNNING, spares=(("chin-tucks", "bridge"), ("march",)))
    assert view_from_line(view_line(view), REQ) == view
    raw = json.loads(view_line(view))
    raw["view"]["spares"] = ["chin-tucks"]
    with pytest.raises(ProtocolError, match=r"view\.spares: expected a list of routines"):
        view_from_line(json.dumps(raw), REQ)


def test_event_lines_and_bad_replies() -> None:
    line = event_line(intent("done", RUNNING))
    assert line.endswith("\n") and parse_event(line)["intent"] == "done"
    for bad in ('[1]', '{"no": "event"}', '{"event": "intent", "intent": "explode"}', "x"):
        with pytest.raises(ProtocolError):
            parse_event(bad)


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
    assert not focus_due(None, 1.0, 10) and focus_due(None, 1.5, 10)


def test_centred_on_the_monitor_with_the_pointer() -> None:
    monitors = [(0, 0, 1280, 800), (1280, 0, 800, 600)]
    assert centred(400, 300, monitors, (1500, 100)) == (1480, 150)
    assert centred(400, 300, monitors, (-1, -1)) == (440, 250)  # pointer unknown
    assert centred(2000, 900, [(0, 0, 1280, 800)], (10, 10)) == (0, 0)


def test_snooze_labels() -> None:
    assert snooze_label(300) == "Snooze 5 min" and snooze_label(90) == "Snooze 1 min 30 s"


def test_protocol_and_screen_modules_do_not_load_tk() -> None:
    import subprocess
    import sys

    code = ("import sys, tray_app.ui.windows.protocol, tray_app.ui.launch.break_window, "
            "tray_app.ui.windows.break_screen; sys.exit('tkinter' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_snooze_reads_the_same_in_the_notification_and_the_window() -> None:
    """A 90 s snooze was "Snooze 2 min" in the notification and "Snooze 90 s" in the window."""
    sim = Sim(settings=Settings(
        sitting=SittingSettings(break_after=60), breaks=BreakSettings(heads_up=0),
        snooze=SnoozeSettings(options=(90, 300), max_per_break=3),
    ))
    sim.run(61)
    due = [n for n in sim.effects if isinstance(n, Notify) and n.actions][-1]
    labels = dict(due.actions)
    assert labels["snooze-90"] == snooze_label(90) == "Snooze 1 min 30 s"

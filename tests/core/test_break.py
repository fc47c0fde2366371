"""The break as the core holds it: one session, one set of allowed commands, honest endings.

Each test named after an observation of issue 10 reproduces it in the core with the fake clock.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes import Sim, exercise
from tray_app.core.commands import BadCommand, command_event
from tray_app.core.effects import CloseNotice, ShowBreak
from tray_app.core.events import (
    AnotherExercise,
    Done,
    NextStep,
    Pause,
    Skip,
    Snooze,
    TakeBreakNow,
    WindowClosed,
)
from tray_app.core.guards import allowed
from tray_app.core.machine import step
from tray_app.core.menu import build_menu, find_action
from tray_app.core.model import (
    BreakSettings,
    Kind,
    Phase,
    PostureSettings,
    Settings,
    SittingSettings,
    SnoozeSettings,
)
from tray_app.core.state import Command, Refused
from tray_app.core.stats import fold
from tray_app.core.views import break_view

MIN = 60.0
PLAIN = Settings(posture=PostureSettings(every=0))
STRICT = replace(PLAIN, breaks=BreakSettings(strict=True))
# A routine of two exercises (60 s each, two steps) and two spare routines, as the planner
# makes them: one about as long as the whole (110 s), one for what is left after march (50 s).
ROUTINE = (exercise("march", 30, 30), exercise("bridge", 30, 30, category="hip-extensors"))
WHOLE = (exercise("dead-bug", 30, 30), exercise("chin-tucks", 25, 25, category="posture"))
REST = (exercise("wall-sit", 25, 25, category="hip-extensors"),)
SPARES = (WHOLE, REST)


def due(s: Settings = PLAIN) -> Sim:
    sim = Sim(settings=s, plan=(ROUTINE, SPARES))
    sim.run(51 * MIN)
    assert sim.state.phase is Phase.BREAK_DUE
    return sim


# --- one table for every input -----------------------------------------------------------------


@pytest.mark.parametrize(("names", "event"), [
    (("start", "break-now", "default"), TakeBreakNow()),
    (("snooze-300",), Snooze(300.0)),
    (("skip",), Skip()),
    (("done",), Done()),
    (("next",), NextStep()),
    (("another",), AnotherExercise()),
    (("close",), WindowClosed()),
])
def test_every_input_path_names_the_same_event(names: tuple[str, ...], event: object) -> None:
    # menu ids, notification keys, window intents and socket commands share the one table
    for name in names:
        assert command_event(name) == event
    assert command_event("snooze", {"seconds": 300}) == Snooze(300.0)


def test_unknown_or_malformed_commands_are_refused_with_a_reason() -> None:
    with pytest.raises(BadCommand, match="unknown command 'jump'"):
        command_event("jump")
    with pytest.raises(BadCommand, match="step: expected a whole number"):
        command_event("next", {"step": "two"})
    with pytest.raises(BadCommand, match="snooze: use a duration from 1s to 24h"):
        command_event("snooze", {"seconds": -5})


def test_a_view_naming_an_exercise_or_step_the_session_lacks_changes_nothing() -> None:
    sim = due()
    sim.send(TakeBreakNow())
    before = sim.state
    with pytest.raises(Refused, match="shows march, not 'plank'"):
        sim.send(NextStep("plank", 0))
    with pytest.raises(Refused, match="step 1 is not the step on show"):
        sim.send(Done("march", 1))
    assert sim.state == before
    sim.send(NextStep("march", 0))
    assert sim.state.session.step == 1


# --- observation 1 and 2: the views follow the core ---------------------------------------------


def test_obs1_start_from_the_notification_runs_the_open_window_and_withdraws_the_notice() -> None:
    sim = due()
    assert sim.opens()[-1].view.running is False
    sim.clear()
    sim.send(command_event("start"))  # the notification's "Start break"
    shows = [e for e in sim.effects if isinstance(e, ShowBreak)]
    assert shows and shows[-1].view.running and shows[-1].view.step_left_s == 30
    assert sim.opens() == [] or sim.state.window_dismissed is False
    assert any(isinstance(e, CloseNotice) for e in sim.effects)


def test_obs2_after_a_crash_start_opens_a_running_window_and_no_stale_notice_stays() -> None:
    from tray_app.core.events import BreakViewFailed

    sim = due()
    sim.send(BreakViewFailed("crashed (exit -9)"))
    assert break_view(sim.state) is None
    assert sim.state.notice == "break_due"
    sim.clear()
    sim.send(command_event("start"))
    assert sim.opens()[-1].view.running
    assert any(isinstance(e, CloseNotice) for e in sim.effects)
    assert sim.state.notice is None


# --- observation 3: honest completion ----------------------------------------------------------


def test_obs3_done_four_seconds_after_start_ends_early_with_the_seconds_done() -> None:
    sim = due()
    sim.send(TakeBreakNow())
    sim.run(4)
    sim.send(Done())
    assert sim.rows(Kind.COMPLETED) == []
    assert [r.duration_s for r in sim.rows(Kind.ENDED_EARLY)] == [4]
    assert [(r.exercise_id, r.duration_s) for r in sim.rows(Kind.EXERCISE)] == [("march", 4)]


def test_obs3_cli_done_three_seconds_after_break_now_is_ended_early() -> None:
    sim = Sim(settings=PLAIN)
    sim.send(command_event("break-now"))
    sim.run(3)
    sim.send(command_event("done"))
    assert sim.rows(Kind.COMPLETED) == [] and len(sim.rows(Kind.ENDED_EARLY)) == 1


def test_obs3_strict_refuses_done_until_the_routine_has_run_then_completes_it() -> None:
    sim = due(STRICT)
    sim.send(TakeBreakNow())
    sim.run(6)
    assert Command.DONE not in allowed(sim.state)
    with pytest.raises(Refused, match="strict mode"):
        sim.send(Done())
    with pytest.raises(Refused, match="strict mode"):
        sim.send(Skip())
    sim.run(120)
    assert len(sim.rows(Kind.COMPLETED)) == 1 and sim.rows(Kind.ENDED_EARLY) == []


def test_eighty_percent_is_the_line() -> None:
    for ran, kind in ((95, Kind.ENDED_EARLY), (96, Kind.COMPLETED)):
        sim = due()  # 120 s planned: 96 s is 80%
        sim.send(TakeBreakNow())
        sim.run(ran)
        sim.send(Done())
        assert len(sim.rows(kind)) == 1, ran


# --- observation 5: another exercise keeps what was done ----------------------------------------


def ids(routine: tuple) -> list[str]:
    return [e.id for e in routine]


def test_another_before_the_start_swaps_the_whole_routine_for_one_as_long() -> None:
    sim = due()
    sim.send(AnotherExercise("march"))
    s = sim.state.session
    # 110 s is nearest the 120 s left (50 s is not): the break keeps its length within 10 s
    assert ids(s.routine) == ["dead-bug", "chin-tucks"] and s.index == 0 and not s.running
    assert s.planned_seconds == 110 and s.done == ()
    assert [ids(r) for r in s.spares] == [["wall-sit"], ["march", "bridge"]]
    view = sim.shows()[-1].view  # the window is sent the new routine and spares at once
    assert view.routine == ("dead-bug", "chin-tucks") and view.planned_seconds == 110
    assert view.spares == (("wall-sit",), ("march", "bridge"))


def test_obs5_another_in_the_second_exercise_keeps_the_first_and_swaps_the_rest() -> None:
    sim = due()
    sim.send(TakeBreakNow())
    sim.run(60 + 40)  # march done, 40 s into bridge: 20 s of the break left
    assert sim.state.session.index == 1
    sim.send(AnotherExercise("bridge"))
    s = sim.state.session
    # the 50 s rest is nearest the 20 s left; bridge goes to the back of the spares
    assert ids(s.routine) == ["march", "wall-sit"] and s.index == 1 and s.step == 0
    assert s.running and [ids(r) for r in s.spares] == [["dead-bug", "chin-tucks"], ["bridge"]]
    # the break now runs 100 s + 50 s: 30 s over the 120 s planned, the 50 s rest less the
    # 20 s left; its length counts the 40 s spent on bridge
    assert s.planned_seconds == 150 and s.time_left(sim.state.mono) == 50
    sim.run(50)  # wall-sit runs out: the routine is over
    assert [(r.exercise_id, r.duration_s) for r in sim.rows(Kind.EXERCISE)] == [
        ("march", 60), ("bridge", 40), ("wall-sit", 50)]
    assert len(sim.rows(Kind.COMPLETED)) == 1


def test_a_swap_late_in_an_exercise_does_not_make_done_complete_sooner() -> None:
    sim = due()
    sim.send(TakeBreakNow())
    sim.run(60 + 40)
    sim.send(AnotherExercise())
    sim.run(15)  # 115 s of a break now 150 s long: 77%, not yet 80%
    sim.send(Done())
    assert len(sim.rows(Kind.ENDED_EARLY)) == 1 and sim.rows(Kind.COMPLETED) == []


def test_status_and_the_window_agree_after_a_swap() -> None:
    from tray_app.core.status import break_dict

    sim = due()
    sim.send(TakeBreakNow())
    sim.run(70)
    sim.send(AnotherExercise())
    brk, view = break_dict(sim.state), break_view(sim.state)
    assert view is not None and brk is not None
    assert tuple(brk["routine"]) == view.routine == ("march", "wall-sit")
    assert (brk["index"], brk["step"]) == (view.index, view.step) == (1, 0)
    assert brk["planned_seconds"] == view.planned_seconds == 10 + 60 + 50
    assert brk["seconds_done"] == view.seconds_done == 70


def test_no_spares_means_another_is_refused_by_allowed_and_by_step() -> None:
    sim = Sim(settings=PLAIN, plan=(ROUTINE, ()))
    sim.run(51 * MIN)
    assert Command.ANOTHER not in allowed(sim.state)
    assert "another" not in break_view(sim.state).allowed
    with pytest.raises(Refused, match="no other exercise to swap in"):
        sim.send(AnotherExercise())


def test_a_spare_that_cannot_follow_what_was_done_is_not_offered() -> None:
    # after a chair exercise only a floor routine is left: getting down mid-break is not offered
    floor = (exercise("glute-bridge", 60, category="hip-extensors", where="floor"),)
    stretch = (exercise("knee-hug", 60, category="stretch"),)
    sim = Sim(settings=PLAIN, plan=((exercise("march", 30, 30, category="posture"),
                                     *ROUTINE[1:]), (floor, stretch)))
    sim.run(51 * MIN)
    assert Command.ANOTHER in allowed(sim.state)  # before the start the floor one may come
    sim.send(TakeBreakNow())
    sim.run(65)  # into bridge, after posture work: a stretch alone would follow no strength
    assert Command.ANOTHER not in allowed(sim.state)
    with pytest.raises(Refused, match="no other exercise to swap in"):
        sim.send(AnotherExercise())


# --- observation 6: a normal action is never refused, closing is not a failure -------------------


def test_obs6_closing_the_window_is_a_close_that_snoozes_like_esc() -> None:
    sim = due()
    sim.send(WindowClosed())
    assert sim.rows(Kind.WINDOW_FAILED) == []
    assert len(sim.rows(Kind.WINDOW_CLOSED)) == 1 and len(sim.rows(Kind.SNOOZED)) == 1
    assert sim.state.phase is Phase.SNOOZED


def test_closing_with_no_snoozes_left_keeps_the_break_due_without_a_window() -> None:
    sim = due(replace(PLAIN, snooze=SnoozeSettings(options=(60.0,), max_per_break=0)))
    sim.send(WindowClosed())
    assert sim.state.phase is Phase.BREAK_DUE and break_view(sim.state) is None
    sim.send(TakeBreakNow())
    assert break_view(sim.state).running


# --- observation 7: statistics and putting a break off -------------------------------------------


def test_obs7_started_then_snoozed_is_started_not_taken() -> None:
    sim = due()
    sim.send(TakeBreakNow())
    sim.run(10)
    sim.send(Snooze())
    day = fold(e.row for e in sim.effects if hasattr(e, "row"))
    assert (day.breaks_started, day.breaks_taken, day.snoozed) == (1, 0, 1)
    assert day.exercise_minutes_by_category == {"core": 10 / 60}


def test_obs7_take_a_break_now_while_paused_ends_the_pause() -> None:
    sim = Sim(settings=PLAIN)
    sim.send(Pause(seconds=3600))
    assert Command.START in allowed(sim.state)
    sim.send(TakeBreakNow())
    assert sim.state.phase is Phase.ON_BREAK and len(sim.rows(Kind.RESUMED)) == 1


# --- properties ---------------------------------------------------------------------------------

SMALL = Settings(
    sitting=SittingSettings(idle_reset=120, break_after=300),
    breaks=BreakSettings(heads_up=30, length=60),
    snooze=SnoozeSettings(options=(60, 120), max_per_break=2),
    posture=PostureSettings(every=0),
)
steps_ = st.lists(st.one_of(
    st.tuples(st.just("work"), st.floats(1, 200)),
    st.tuples(st.just("idle"), st.floats(1, 300)),
    st.tuples(st.just("cmd"), st.sampled_from([
        "start", "next", "done", "another", "snooze", "skip", "pause-600", "resume", "close"])),
), max_size=25)


def drive(sim: Sim, plan: list) -> None:
    for what, arg in plan:
        if what == "work":
            sim.run(arg)
        elif what == "idle":
            sim.run(arg, active=False)
        else:
            with contextlib.suppress(Refused):
                sim.send(command_event(arg))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps_, st.booleans())
def test_completed_only_after_80_percent_and_strict_never_early(plan: list, strict: bool) -> None:
    s = replace(SMALL, breaks=replace(SMALL.breaks, strict=strict))
    sim = Sim(settings=s, plan=(ROUTINE[:1], SPARES), heartbeat=7)
    for what, arg in plan:
        planned = sim.state.session.planned_seconds if sim.state.session else None
        done_before = len(sim.rows(Kind.COMPLETED))
        drive(sim, [(what, arg)])
        for row in sim.rows(Kind.COMPLETED)[done_before:]:
            assert planned is not None and row.duration_s >= 0.8 * planned - 1, (row, planned)
    if strict:
        assert sim.rows(Kind.ENDED_EARLY) == []
        assert [r for r in sim.rows(Kind.SKIPPED) if not (r.detail or "").startswith("held")] == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps_, st.booleans())
def test_the_menu_enables_exactly_what_step_accepts(plan: list, strict: bool) -> None:
    s = replace(SMALL, breaks=replace(SMALL.breaks, strict=strict))
    sim = Sim(settings=s, plan=(ROUTINE, SPARES), heartbeat=7)
    drive(sim, plan)
    items = build_menu(sim.state, {}, None)
    for action in ("break-now", "skip", "resume", "snooze-60", "pause-1800", "pause-tomorrow"):
        item = find_action(items, action)
        enabled = item is not None and item.enabled
        try:
            step(sim.state, command_event(action))
            accepted = True
        except Refused:
            accepted = False
        assert enabled == accepted, (action, sim.state.phase)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps_)
def test_exactly_one_view_per_core_state(plan: list) -> None:
    sim = Sim(settings=SMALL, plan=(ROUTINE, SPARES), heartbeat=7)
    drive(sim, plan)
    view = break_view(sim.state)
    if sim.state.phase in (Phase.BREAK_DUE, Phase.ON_BREAK) and not sim.state.window_dismissed:
        assert view is not None and view.running == (sim.state.phase is Phase.ON_BREAK)
        # the buttons the view offers are exactly the commands the core accepts
        assert set(view.allowed) == {str(c) for c in allowed(sim.state)}
    else:
        assert view is None
    assert break_view(sim.state) == view  # a function of the state alone


# --- a scripted day, counted by hand -------------------------------------------------------------


def test_the_statistics_of_a_scripted_day_match_hand_counted_figures() -> None:
    sim = Sim(settings=PLAIN, plan=(ROUTINE, SPARES))  # routine: march 60 s + bridge 60 s
    sim.run(51 * MIN)  # offered #1
    sim.send(TakeBreakNow())  # started #1
    sim.run(20)
    sim.send(Snooze())  # snoozed #1: 20 s of march done, not taken
    sim.run(6 * MIN)  # the same break offered again: re-offer #1
    sim.send(TakeBreakNow())  # started #2
    sim.run(10)
    sim.send(Done())  # ended early #1: 10 s of march
    sim.run(51 * MIN)  # offered #2
    sim.send(TakeBreakNow())  # started #3
    sim.run(2 * MIN)  # the routine runs out: completed #1, march 60 + bridge 60
    sim.run(51 * MIN)  # offered #3
    sim.send(Skip())  # skipped #1
    sim.run(10 * MIN)
    sim.run(6 * MIN, active=False)  # natural break #1
    rows = [e.row for e in sim.effects if hasattr(e, "row")]
    day = fold(rows)
    assert (day.breaks_offered, day.reoffers) == (3, 1)
    assert day.breaks_started == 3
    assert (day.completed, day.ended_early, day.breaks_taken) == (1, 1, 2)
    assert (day.snoozed, day.skipped, day.natural_breaks) == (1, 1, 1)
    assert day.exercise_minutes_by_category == {"core": (20 + 10 + 60) / 60,
                                                "hip-extensors": 60 / 60}


# --- observation 8: the tray's line never goes stale ----------------------------------------------


def test_the_status_line_is_in_minutes_and_the_tray_hears_of_each_new_minute() -> None:
    from tray_app.core.effects import UpdateTray
    from tray_app.core.status import status_dict, status_line

    sim = Sim(settings=PLAIN)
    sim.run(45)
    assert status_line(sim.state) == "Sitting under 1 min · break in 50 min"
    assert status_dict(sim.state, "x")["sitting_seconds"] == 45  # status keeps the seconds
    for minute in (1, 2, 3):
        sim.clear()
        sim.run(60)
        assert any(isinstance(e, UpdateTray) for e in sim.effects), minute
        assert status_line(sim.state).startswith(f"Sitting {minute} min")


def test_a_notice_whose_choice_lapses_is_withdrawn() -> None:
    from tray_app.core.events import SettingsChanged

    sim = due()
    assert "skip" in [a for a, _ in sim.notes("break_due")[-1].actions]
    sim.clear()
    sim.send(SettingsChanged(STRICT))  # Skip on the notification no longer applies
    assert any(isinstance(e, CloseNotice) for e in sim.effects)
    assert sim.state.notice is None and sim.state.phase is Phase.BREAK_DUE


def test_status_has_every_field_its_contract_names() -> None:
    """`status --json` fields are a contract scripts rely on (STATUS_FIELDS)."""
    from tray_app.core.status import STATUS_FIELDS, status_dict

    sim = Sim(Settings())
    assert set(STATUS_FIELDS) <= set(status_dict(sim.state, "x11-screensaver"))

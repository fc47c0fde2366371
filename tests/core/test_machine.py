"""The sitting engine, driven by a fake clock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.fakes import MONDAY_MIDNIGHT, Sim
from tray_app.core.effects import CloseBreak
from tray_app.core.events import (
    Done,
    Hold,
    Pause,
    Resume,
    SettingsChanged,
    Skip,
    Snooze,
    Suspending,
    TakeBreakNow,
)
from tray_app.core.model import (
    BreakSettings,
    Kind,
    Phase,
    PostureSettings,
    ScheduleSettings,
    Settings,
    SnoozeSettings,
)
from tray_app.core.state import Refused
from tray_app.core.timing import next_deadline

MIN = 60.0


def no_posture() -> Settings:
    return Settings(posture=PostureSettings(every=0))


def test_first_input_starts_a_stretch() -> None:
    sim = Sim()
    assert sim.state.phase is Phase.SITTING
    assert len(sim.rows(Kind.STRETCH_STARTED)) == 1


def test_break_due_after_fifty_minutes_with_heads_up_a_minute_before() -> None:
    sim = Sim(settings=no_posture())
    sim.run(48 * MIN)
    assert sim.notes("heads_up") == []
    sim.run(1 * MIN + 5)
    assert len(sim.notes("heads_up")) == 1
    assert sim.state.phase is Phase.SITTING
    sim.run(55)
    assert sim.state.phase is Phase.BREAK_DUE
    assert len(sim.opens()) == 1
    assert len(sim.rows(Kind.BREAK_OFFERED)) == 1
    # Sitting on ignoring it opens nothing more.
    sim.run(30 * MIN)
    assert len(sim.opens()) == 1


def test_heads_up_zero_turns_it_off() -> None:
    sim = Sim(settings=replace(no_posture(), breaks=BreakSettings(heads_up=0)))
    sim.run(51 * MIN)
    assert sim.notes("heads_up") == []
    assert sim.state.phase is Phase.BREAK_DUE


def test_wake_is_asked_for_the_exact_due_time() -> None:
    sim = Sim(settings=no_posture())
    sim.run(10 * MIN)
    # heads-up is due at 49 min of sitting: 39 min from now; the shell may look sooner.
    assert next_deadline(sim.state) == pytest.approx(sim.mono + 39 * MIN)
    assert sim.last_wake() <= next_deadline(sim.state)


def test_short_idle_still_counts_as_sitting() -> None:
    sim = Sim()
    sim.run(10 * MIN)
    sim.run(4 * MIN, active=False)
    assert sim.state.phase is Phase.SITTING
    assert sim.state.stretch_s == pytest.approx(14 * MIN)


def test_idle_reaching_reset_is_a_natural_break_ending_when_input_stopped() -> None:
    sim = Sim()
    sim.run(10 * MIN)
    sim.run(6 * MIN, active=False)
    assert sim.state.phase is Phase.AWAY
    ended = sim.rows(Kind.STRETCH_ENDED)
    assert len(ended) == 1
    assert ended[0].duration_s == pytest.approx(10 * MIN)
    assert len(sim.rows(Kind.NATURAL_BREAK)) == 1
    assert sim.state.today_sitting_s == pytest.approx(10 * MIN)
    sim.run(5)
    assert sim.state.phase is Phase.SITTING
    assert sim.state.stretch_s <= 5


def test_natural_break_closes_a_due_prompt_and_resets() -> None:
    sim = Sim(settings=no_posture())
    sim.run(51 * MIN)
    assert sim.state.phase is Phase.BREAK_DUE
    sim.clear()
    sim.run(6 * MIN, active=False)
    assert any(isinstance(e, CloseBreak) for e in sim.effects)
    assert sim.state.phase is Phase.AWAY
    assert sim.state.session is None


def test_done_resets_the_stretch_and_records_completion() -> None:
    sim = Sim(settings=no_posture())
    sim.run(51 * MIN)
    sim.send(TakeBreakNow())
    assert sim.state.phase is Phase.ON_BREAK
    sim.run(100)
    sim.send(Done())
    done = sim.rows(Kind.COMPLETED)
    assert done[0].duration_s == 100
    assert sim.state.phase is Phase.SITTING
    assert sim.state.stretch_s == 0


def test_break_time_is_not_sitting() -> None:
    sim = Sim(settings=no_posture())
    sim.run(20 * MIN)
    sim.send(TakeBreakNow())
    sim.run(2 * MIN)
    assert sim.state.today_sitting_s == pytest.approx(20 * MIN)


def test_forgotten_break_ends_by_itself() -> None:
    sim = Sim(settings=no_posture())
    sim.send(TakeBreakNow())
    sim.run(10 * MIN)
    assert sim.state.phase is Phase.SITTING
    assert len(sim.rows(Kind.COMPLETED)) == 1


def test_snooze_limits_and_refusal() -> None:
    sim = Sim(settings=no_posture())
    sim.run(51 * MIN)
    for _ in range(3):
        assert sim.state.phase is Phase.BREAK_DUE
        sim.send(Snooze())
        assert sim.state.phase is Phase.SNOOZED
        sim.run(5 * MIN + 5)
    assert sim.state.phase is Phase.BREAK_DUE
    assert sim.opens()[-1].view.snooze_options == ()
    with pytest.raises(Refused, match="no snoozes left"):
        sim.send(Snooze())
    assert sim.state.phase is Phase.BREAK_DUE
    assert len(sim.rows(Kind.SNOOZED)) == 3


def test_snooze_duration_is_honoured() -> None:
    sim = Sim(settings=no_posture())
    sim.run(51 * MIN)
    sim.send(Snooze(10 * MIN))
    sim.run(9 * MIN)
    assert sim.state.phase is Phase.SNOOZED
    sim.run(1 * MIN + 5)
    assert sim.state.phase is Phase.BREAK_DUE


def test_snooze_before_the_break_is_due_puts_it_off() -> None:
    sim = Sim(settings=no_posture())
    sim.run(10 * MIN)
    sim.send(Snooze(60 * MIN))  # before a meeting
    assert sim.state.phase is Phase.SNOOZED and sim.state.snoozes_used == 1
    sim.run(95 * MIN)
    assert sim.state.phase is Phase.SNOOZED
    sim.run(10 * MIN)
    assert sim.state.phase is Phase.BREAK_DUE


def test_snooze_while_away_or_paused_is_refused() -> None:
    sim = Sim()
    sim.send(Pause())
    with pytest.raises(Refused, match="paused"):
        sim.send(Snooze())


def test_strict_mode_refuses_skip_and_offers_no_skip() -> None:
    sim = Sim(settings=replace(no_posture(), breaks=BreakSettings(strict=True)))
    sim.run(51 * MIN)
    assert "skip" not in sim.opens()[-1].view.allowed
    assert all(a[0] != "skip" for a in sim.notes("break_due")[-1].actions)
    with pytest.raises(Refused, match="strict"):
        sim.send(Skip())


def test_skip_starts_a_fresh_interval_without_resetting_the_stretch() -> None:
    sim = Sim(settings=no_posture())
    sim.run(51 * MIN)
    sim.send(Skip())
    assert sim.state.phase is Phase.SITTING
    sim.run(49 * MIN)
    assert sim.state.phase is Phase.SITTING
    sim.run(2 * MIN)
    assert sim.state.phase is Phase.BREAK_DUE


def test_pause_for_a_duration_resumes_by_itself_and_does_not_count() -> None:
    sim = Sim()
    sim.run(10 * MIN)
    sim.send(Pause(seconds=30 * MIN))
    assert sim.state.phase is Phase.PAUSED
    assert sim.last_wake() == pytest.approx(sim.mono + 30 * MIN)
    sim.run(29 * MIN)
    assert sim.state.phase is Phase.PAUSED
    sim.run(2 * MIN)
    assert sim.state.phase is Phase.SITTING
    assert sim.state.today_sitting_s == pytest.approx(11 * MIN, abs=10)
    assert len(sim.rows(Kind.RESUMED)) == 1


def test_pause_until_a_time_and_manual_resume() -> None:
    sim = Sim()
    sim.send(Pause(until_wall=sim.wall + 3600))
    assert sim.state.paused_until_wall == sim.wall + 3600
    sim.send(Resume())
    assert sim.state.phase is Phase.SITTING
    with pytest.raises(Refused):
        sim.send(Resume())


def test_pause_into_the_past_is_refused() -> None:
    sim = Sim()
    with pytest.raises(Refused, match="passed"):
        sim.send(Pause(until_wall=sim.wall - 60))


def test_posture_nudges_every_twenty_minutes_but_not_near_a_break() -> None:
    sim = Sim()
    sim.run(50 * MIN + 10)
    # At 20 and 40 min; 40 is more than 5 min from the 50-min break.
    assert len(sim.notes("posture")) == 2
    sim2 = Sim(settings=Settings(posture=PostureSettings(every=23 * MIN)))
    sim2.run(50 * MIN + 10)
    # 23 yes, 46 is within 5 min of the break: no.
    assert len(sim2.notes("posture")) == 1


def test_posture_zero_turns_it_off() -> None:
    sim = Sim(settings=no_posture())
    sim.run(45 * MIN)
    assert sim.notes("posture") == []


def test_off_hours_count_nothing() -> None:
    sched = ScheduleSettings(days=(0, 1, 2, 3, 4), hours=((9 * 60, 17 * 60),))
    sim = Sim(settings=Settings(schedule=sched))  # Monday 08:00
    assert sim.state.phase is Phase.OFF_HOURS
    sim.run(59 * MIN)
    assert sim.state.today_sitting_s == 0
    sim.run(2 * MIN)
    assert sim.state.phase is Phase.SITTING
    sim.run(8 * 3600)
    assert sim.state.phase is Phase.OFF_HOURS


def test_weekend_is_off_when_schedule_says_weekdays() -> None:
    sched = ScheduleSettings(days=(0, 1, 2, 3, 4))
    sim = Sim(settings=Settings(schedule=sched), wall=MONDAY_MIDNIGHT - 86400)  # a Sunday
    assert sim.state.phase is Phase.OFF_HOURS


def test_day_rolls_over_at_four_in_the_morning() -> None:
    sim = Sim(wall=MONDAY_MIDNIGHT + 3 * 3600)  # Monday 03:00
    sim.run(50 * MIN)
    assert sim.state.today_sitting_s > 0
    sim.run(15 * MIN)  # past 04:00
    assert sim.state.today_sitting_s < 15 * MIN


def test_sleep_is_away_and_brings_no_burst_of_reminders() -> None:
    sim = Sim(settings=no_posture())
    sim.run(45 * MIN)
    sim.clear()
    sim.sleep(3 * 3600)
    assert sim.state.phase is Phase.AWAY
    assert sim.opens() == []
    assert len(sim.rows(Kind.SLEPT)) == 1
    sim.idle = 0
    sim.run(10)
    assert sim.state.phase is Phase.SITTING
    assert sim.state.stretch_s < 20
    assert sim.last_wake() >= sim.mono


def test_short_sleep_does_not_count_as_sitting() -> None:
    sim = Sim()
    sim.run(10 * MIN)
    sim.sleep(2 * MIN)
    sim.idle = 0
    sim.run(5)
    assert sim.state.phase is Phase.SITTING
    assert sim.state.stretch_s == pytest.approx(10 * MIN + 5)


def test_suspending_closes_the_prompt() -> None:
    sim = Sim(settings=no_posture())
    sim.run(51 * MIN)
    sim.clear()
    sim.send(Suspending())
    assert any(isinstance(e, CloseBreak) for e in sim.effects)


def test_locked_screen_is_away() -> None:
    sim = Sim()
    sim.run(10 * MIN)
    sim.locked = True
    sim.run(6 * MIN)  # input "happens" (idle 0) but the screen is locked
    assert sim.state.phase is Phase.AWAY
    assert sim.state.today_sitting_s == pytest.approx(10 * MIN, abs=6)


def test_smart_pause_holds_a_due_break_then_offers_it() -> None:
    sim = Sim(settings=no_posture())
    sim.send(Hold("fullscreen window"))
    sim.run(55 * MIN)
    assert sim.opens() == []
    assert sim.state.waiting_since_mono is not None
    sim.send(Hold(None))
    assert len(sim.opens()) == 1
    assert sim.state.phase is Phase.BREAK_DUE


def test_smart_pause_gives_up_after_max_delay_without_a_popup() -> None:
    sim = Sim(settings=no_posture())
    sim.send(Hold("do not disturb"))
    sim.run(50 * MIN + 31 * MIN)
    assert sim.opens() == []
    assert any(r.detail and "held" in r.detail for r in sim.rows(Kind.SKIPPED))


def test_settings_change_applies_at_once() -> None:
    sim = Sim(settings=no_posture())
    sim.run(31 * MIN)
    sim.send(SettingsChanged(replace(no_posture(), sitting=replace(
        no_posture().sitting, break_after=30 * MIN))))
    sim.run(5)
    assert sim.state.phase is Phase.BREAK_DUE


def test_take_break_now_opens_a_started_prompt() -> None:
    sim = Sim()
    sim.send(TakeBreakNow())
    assert sim.opens()[-1].view.running is True
    with pytest.raises(Refused):
        sim.send(TakeBreakNow())


def test_a_whole_day_runs_fast() -> None:
    sim = Sim(settings=Settings(snooze=SnoozeSettings()))
    for _ in range(8):
        sim.run(52 * MIN)
        if sim.state.phase is Phase.BREAK_DUE:
            sim.send(TakeBreakNow())
            sim.run(100)
            sim.send(Done())
        sim.run(10 * MIN, active=False)
    assert len(sim.rows(Kind.COMPLETED)) == 8


def test_nothing_counts_or_shows_between_suspend_and_resume() -> None:
    from tray_app.core.events import Woke

    sim = Sim(settings=no_posture())
    sim.run(51 * MIN)
    sim.send(Suspending())
    sitting = sim.state.today_sitting_s
    sim.clear()
    sim.run(60)  # logind announced sleep; ticks may still arrive before it happens
    assert sim.opens() == [] and sim.state.today_sitting_s == sitting
    sim.send(Woke())
    sim.run(5)
    assert sim.state.phase is Phase.BREAK_DUE


def test_an_aborted_suspend_does_not_hold_forever() -> None:
    sim = Sim(settings=no_posture())
    sim.send(Suspending())
    sim.run(3 * MIN)
    assert sim.state.suspended_since_mono is None
    assert sim.state.today_sitting_s > 0


def test_shutdown_records_the_running_stretch() -> None:
    from tray_app.core.events import Shutdown

    sim = Sim()
    sim.run(12 * MIN)
    sim.send(Shutdown())
    assert sim.rows(Kind.STRETCH_ENDED)[-1].duration_s == pytest.approx(12 * MIN)


def test_a_routine_records_each_exercise() -> None:
    from tests.fakes import exercise

    sim = Sim(plan=((exercise("dead-bug", 30, 40), exercise("chin-tucks", 50,
                                                              category="posture")), ()))
    sim.send(TakeBreakNow())
    sim.run(2 * MIN)  # the routine's 120 s run out: the core finishes it
    rows = sim.rows(Kind.EXERCISE)
    assert [(r.exercise_id, r.category, r.duration_s) for r in rows] == [
        ("dead-bug", "core", 70.0), ("chin-tucks", "posture", 50.0)]
    from tray_app.core.stats import fold

    stats = fold(sim.rows(Kind.EXERCISE) + sim.rows(Kind.COMPLETED))
    assert stats.completed == 1
    assert stats.exercise_minutes_by_category == {"core": 70 / 60, "posture": 50 / 60}

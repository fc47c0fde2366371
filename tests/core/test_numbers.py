"""Issue 25's numbers, on the fake clock: an interval changed while paused, snoozing while
snoozed, and a break offered again counted once."""

from __future__ import annotations

from dataclasses import replace

from tests.fakes import Sim
from tray_app.core import model
from tray_app.core.events import Pause, Resume, SettingsChanged, Skip, Snooze
from tray_app.core.model import Kind, Phase, Settings
from tray_app.core.stats import fold
from tray_app.core.status import status_dict

MIN = 60.0


def short(break_after: float = 5 * MIN) -> Settings:
    return Settings(posture=model.PostureSettings(every=0), breaks=model.BreakSettings(heads_up=0),
                    sitting=model.SittingSettings(break_after=break_after))


def with_break_after(settings: Settings, seconds: float) -> Settings:
    return replace(settings, sitting=replace(settings.sitting, break_after=seconds))


def test_break_after_changed_while_paused_applies_after_resume() -> None:
    # Bug 1: `pause 10m`, break_after 5m -> 2m, `resume`: the break still came after 5 min.
    sim = Sim(settings=short())
    sim.run(1 * MIN)
    sim.send(Pause(seconds=10 * MIN))
    sim.send(SettingsChanged(with_break_after(sim.state.settings, 2 * MIN)))
    sim.run(30)
    sim.send(Resume())
    assert status_dict(sim.state, "fake")["next_break_in_seconds"] == 60
    sim.run(1 * MIN + 5)
    assert sim.state.phase is Phase.BREAK_DUE


def test_break_after_changed_while_paused_applies_when_the_pause_runs_out() -> None:
    sim = Sim(settings=short())
    sim.send(Pause(seconds=2 * MIN))
    sim.send(SettingsChanged(with_break_after(sim.state.settings, 2 * MIN)))
    sim.run(2 * MIN + 5)
    assert sim.state.phase is Phase.SITTING
    sim.run(2 * MIN)
    assert sim.state.phase is Phase.BREAK_DUE


def test_break_after_change_after_a_skip_keeps_the_interval_start() -> None:
    # Sibling: the new interval was counted from the stretch's start, so shortening it after
    # a skip brought the break back at once.
    sim = Sim(settings=short(10 * MIN))
    sim.run(10 * MIN + 5)
    sim.send(Skip())
    sim.send(SettingsChanged(with_break_after(sim.state.settings, 5 * MIN)))
    assert sim.state.phase is Phase.SITTING
    assert status_dict(sim.state, "fake")["next_break_in_seconds"] == 5 * MIN
    sim.run(5 * MIN + 5)
    assert sim.state.phase is Phase.BREAK_DUE


def test_break_after_change_leaves_a_snooze_alone() -> None:
    sim = Sim(settings=short())
    sim.run(5 * MIN + 5)
    sim.send(Snooze(10 * MIN))
    sim.send(SettingsChanged(with_break_after(sim.state.settings, 2 * MIN)))
    assert status_dict(sim.state, "fake")["next_break_in_seconds"] == 10 * MIN


def test_snooze_while_snoozed_means_remind_me_in() -> None:
    # Bug 4: 5 min left, `snooze 1m` gave 6 min and used a snooze.
    sim = Sim(settings=short())
    sim.run(5 * MIN + 5)
    sim.send(Snooze(5 * MIN))
    assert sim.state.snoozes_used == 1
    sim.send(Snooze(1 * MIN))
    st = status_dict(sim.state, "fake")
    assert st["next_break_in_seconds"] == 60
    assert sim.state.snoozes_used == 1  # sooner is free
    assert len(sim.rows(Kind.SNOOZED)) == 2  # each answer the user gave is in the history
    sim.send(Snooze(10 * MIN))  # later than it was: that is a snooze
    assert status_dict(sim.state, "fake")["next_break_in_seconds"] == 10 * MIN
    assert sim.state.snoozes_used == 2
    sim.run(10 * MIN + 5)
    assert sim.state.phase is Phase.BREAK_DUE


def test_a_break_snoozed_twice_then_skipped_is_offered_once() -> None:
    # Bug 5: snoozed twice then skipped counted 3 offered.
    sim = Sim(settings=short())
    sim.run(5 * MIN + 5)
    for _ in range(2):
        assert sim.state.phase is Phase.BREAK_DUE
        sim.send(Snooze(5 * MIN))
        sim.run(5 * MIN + 5)
    sim.send(Skip())
    day = fold(r.row for r in sim.effects if hasattr(r, "row"))
    assert (day.breaks_offered, day.reoffers, day.snoozed, day.skipped) == (1, 2, 2, 1)
    sim.run(5 * MIN + 5)  # the next break is a new one
    day = fold(r.row for r in sim.effects if hasattr(r, "row"))
    assert (day.breaks_offered, day.reoffers) == (2, 2)


def test_a_break_offered_again_after_a_pause_is_a_reoffer() -> None:
    sim = Sim(settings=short())
    sim.run(5 * MIN + 5)
    sim.send(Pause(seconds=2 * MIN))
    sim.run(2 * MIN + 10)
    assert sim.state.phase is Phase.BREAK_DUE
    assert (len(sim.rows(Kind.BREAK_OFFERED)), len(sim.rows(Kind.BREAK_REOFFERED))) == (1, 1)


# --- bug 3: today's numbers and a pause survive a restart ----------------------------------------


def _first_run_rows(sim: Sim) -> tuple:
    return tuple(e.row for e in sim.effects if hasattr(e, "row"))


def test_today_goes_on_from_the_history_after_a_restart() -> None:
    from tray_app.core.events import Recalled, Shutdown

    first = Sim(settings=short())
    first.run(10 * MIN + 5)
    first.send(Snooze(5 * MIN))
    first.run(5 * MIN)
    first.send(Shutdown())
    rows = _first_run_rows(first)
    second = Sim(settings=short(), wall=first.wall + 30, mono=first.mono + 30)
    second.run(2 * MIN)
    assert second.state.today_sitting_s == 2 * MIN  # what the issue saw: only since restart
    second.send(Recalled(rows, streak_before=4))
    st = status_dict(second.state, "fake")
    assert st["today_sitting_seconds"] == round(first.state.today_sitting_s + 2 * MIN)
    assert st["today_longest_stretch_seconds"] == round(first.state.today_longest_s)
    assert (second.state.today.offered, second.state.today.streak_before) == (1, 4)


def test_yesterdays_rows_do_not_count_today() -> None:
    from tray_app.core.events import Recalled

    first = Sim(settings=short())
    first.run(10 * MIN)
    later = Sim(settings=short(), wall=first.wall + 86400, mono=first.mono + 86400)
    later.send(Recalled(_first_run_rows(first)))
    assert later.state.today_sitting_s == 0


def test_a_pause_survives_a_restart() -> None:
    from tray_app.core.events import Recalled, Shutdown

    first = Sim(settings=short())
    first.run(1 * MIN)
    first.send(Pause(seconds=30 * MIN))
    first.send(Shutdown())
    second = Sim(settings=short(), wall=first.wall + 60, mono=first.mono + 60)
    second.send(Recalled(_first_run_rows(first)))
    assert second.state.phase is Phase.PAUSED
    assert second.state.paused_until_wall == first.state.paused_until_wall
    assert second.rows(Kind.PAUSED) == []  # it is the same pause: no second row
    second.run(28 * MIN)  # it began a minute before the restart
    assert second.state.phase is Phase.PAUSED
    second.run(1 * MIN + 5)
    assert second.state.phase is Phase.SITTING


def test_a_pause_that_ended_or_ran_out_is_not_brought_back() -> None:
    from tray_app.core.events import Recalled

    first = Sim(settings=short())
    first.send(Pause(seconds=5 * MIN))
    first.send(Resume())
    again = Sim(settings=short(), wall=first.wall + 60, mono=first.mono + 60)
    again.send(Recalled(_first_run_rows(first)))
    assert again.state.phase is Phase.SITTING
    first = Sim(settings=short())
    first.send(Pause(seconds=5 * MIN))
    late = Sim(settings=short(), wall=first.wall + 6 * MIN, mono=first.mono + 6 * MIN)
    late.send(Recalled(_first_run_rows(first)))
    assert late.state.phase is Phase.SITTING


def test_an_open_ended_pause_survives_a_restart() -> None:
    from tray_app.core.events import Recalled

    first = Sim(settings=short())
    first.send(Pause())
    second = Sim(settings=short(), wall=first.wall + 3600, mono=first.mono + 3600)
    second.send(Recalled(_first_run_rows(first)))
    assert second.state.phase is Phase.PAUSED and second.state.paused_until_wall is None


def test_the_streak_of_days_with_every_break_taken() -> None:
    from tray_app.core.stats import Totals
    from tray_app.core.today import Today, streak_of

    good, bad, empty = (Totals(breaks_offered=2, breaks_taken=2), Totals(breaks_offered=2,
                        breaks_taken=1, skipped=1), Totals())
    assert streak_of([good, bad, good, empty, good]) == 2
    assert streak_of([good, bad]) == 0
    assert Today(offered=1, taken=1, streak_before=2).streak == 3
    assert Today(offered=1, taken=1, streak_before=2).next_day().streak_before == 3
    assert Today(streak_before=2).next_day().streak_before == 2
    assert Today(offered=2, taken=1, skipped=1, streak_before=2).next_day().streak_before == 0


# --- an end that feels finished -------------------------------------------------------------------


def test_the_end_of_a_break_says_what_was_done_today_the_next_break_and_the_streak() -> None:
    from tests.fakes import exercise
    from tray_app.core.effects import BreakEnded, CloseBreak
    from tray_app.core.events import Done, Recalled, TakeBreakNow

    routine = (exercise("march", 30, 30), exercise("bridge", 60, category="hip-extensors"))
    sim = Sim(settings=short(), plan=(routine, ()))
    sim.send(Recalled((), streak_before=2))
    sim.run(5 * MIN + 5)
    sim.send(TakeBreakNow())
    sim.run(2 * MIN + 5)  # the routine runs out: completed
    ends = [e for e in sim.effects if isinstance(e, BreakEnded)]
    assert len(ends) == 1 and ends[0].title == "Break done, well done"
    assert ends[0].lines[0] == "You did March, Bridge (2 min)."
    assert ends[0].lines[1] == "Today: 1 min core, 1 min hip-extensors."
    assert ends[0].lines[2].startswith("Next break in 5 min, at about 08:1")
    assert ends[0].lines[3] == "3 days in a row with every break taken."
    fx = sim.effects
    assert fx.index(ends[0]) < max(i for i, e in enumerate(fx) if isinstance(e, CloseBreak))
    sim.run(5 * MIN + 5)
    sim.send(TakeBreakNow())
    sim.run(20)
    sim.send(Done())
    end = [e for e in sim.effects if isinstance(e, BreakEnded)][-1]
    assert end.title == "Break over" and end.lines[0] == "You did March (20 s)."
    assert end.lines[1] == "Today: 1 min 20 s core, 1 min hip-extensors."


def test_status_says_todays_breaks_minutes_and_streak() -> None:
    from tests.fakes import exercise
    from tray_app.core.events import Recalled, TakeBreakNow

    sim = Sim(settings=short(), plan=((exercise("march", 30, 30),), ()))
    sim.send(Recalled((), streak_before=1))
    sim.run(5 * MIN + 5)
    sim.send(TakeBreakNow())
    sim.run(1 * MIN + 5)
    st = status_dict(sim.state, "fake")
    assert (st["today_breaks_offered"], st["today_breaks_taken"]) == (1, 1)
    assert st["today_exercise_minutes"] == {"core": 1.0} and st["streak_days"] == 2

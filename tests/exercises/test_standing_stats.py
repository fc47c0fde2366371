"""`stats` says how many breaks had the user standing: each exercise row names its place, and
a break counts once when any of its exercises was done standing or on the floor."""

from __future__ import annotations

from tests.fakes import Sim, exercise
from tray_app.core.events import Done, TakeBreakNow
from tray_app.core.model import Kind, PostureSettings, Row, Settings
from tray_app.core.stats import WORDS, fold

PLAIN = Settings(posture=PostureSettings(every=0))


def one_break(*routine: object) -> list[Row]:
    sim = Sim(settings=PLAIN, plan=(tuple(routine), ()))  # type: ignore[arg-type]
    sim.send(TakeBreakNow())
    sim.run(sum(e.seconds for e in routine) - 1)  # type: ignore[attr-defined]
    sim.send(Done())
    return [r for r in (e.row for e in sim.effects if hasattr(e, "row"))
            if r.kind in (Kind.EXERCISE, Kind.COMPLETED, Kind.ENDED_EARLY)]


def test_breaks_standing_counts_each_break_that_got_the_user_up_once() -> None:
    seated = one_break(exercise("a", 20), exercise("b", 20, category="posture"))
    mixed = one_break(exercise("c", 20, where="standing"), exercise("d", 20, where="chair"))
    up = one_break(exercise("e", 20, where="standing"),
                   exercise("f", 20, where="standing", category="posture"))
    floor = one_break(exercise("g", 20, where="floor"))
    rows = seated + mixed + up + floor
    assert [r.detail for r in mixed if r.kind == Kind.EXERCISE] == ["1/2 standing", "2/2 chair"]
    day = fold(rows)
    assert day.breaks_taken == 4 and day.breaks_standing == 3
    assert "breaks_standing" in day.as_dict() and "breaks_standing" in WORDS


def test_rows_without_a_place_count_as_seated() -> None:
    old = [Row(Kind.EXERCISE, 1.0, 30.0, "x", "core", "1/1")]
    assert fold(old).breaks_standing == 0

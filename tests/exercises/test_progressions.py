"""The exercise families (progressions.toml): the shipped file loads against the catalogue,
the loader refuses what breaks its rules, the planner shows each family's level in use and
rests a hurt exercise, and `sitbreak exercises show` names the level."""

from __future__ import annotations

from pathlib import Path

import pytest

from tray_app.core import progression as pg
from tray_app.core.model import Row, Settings
from tray_app.core.state import initial_state
from tray_app.exercises.loader import read_builtin
from tray_app.exercises.progressions import builtin_families, parse_families
from tray_app.shell.planner import BreakPlanner

CATALOGUE = {e.id: e for e in read_builtin()}


def test_the_shipped_families_load_and_every_level_is_a_catalogue_exercise() -> None:
    families = builtin_families()
    assert len(families) >= 6
    for fam in families:
        assert pg.MIN_LEVELS <= fam.top <= pg.MAX_LEVELS
        assert all(lv.exercise_id in CATALOGUE for lv in fam.levels)
    # A level asks more of the same exercise than the level before, and adds little time, so
    # a break keeps about its length; no work hold is longer than 10 s.
    for fam in families:
        for a, b in zip(fam.levels, fam.levels[1:], strict=False):
            if a.exercise_id == b.exercise_id:
                ex = CATALOGUE[a.exercise_id]
                before, after = pg.with_level(ex, a).seconds, pg.with_level(ex, b).seconds
                assert before < after <= before + 16, (fam.id, before, after)
        for lv in fam.levels:
            assert pg.with_level(CATALOGUE[lv.exercise_id], lv).seconds <= (
                CATALOGUE[lv.exercise_id].seconds + 24), (fam.id, lv)
            assert all(s.hold is None or s.hold <= 10
                       for s in pg.with_level(CATALOGUE[lv.exercise_id], lv).steps)


def parse(body: str) -> list[str]:
    _families, problems = parse_families(body, "progressions.toml", CATALOGUE)
    return [str(p) for p in problems]


@pytest.mark.parametrize(("body", "words"), [
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "seated-march" }, '
     '{ exercise = "no-such-move" }]', "level 2: names no exercise in the catalogue"),
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "glute-bridge", hold = 5 }, '
     '{ exercise = "glute-bridge", hold = 4 }]', "asks no more than the level before it"),
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "glute-bridge" }]',
     "2 to 4 levels"),
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "dead-bug" }, '
     '{ exercise = "bird-dog" }]\n[[family]]\nid = "y"\nname = "Y"\nlevels = '
     '[{ exercise = "bird-dog" }, { exercise = "desk-plank" }]',
     "bird-dog is already in family x"),
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "dead-bug" }, '
     '{ exercise = "bird-dog" }, { exercise = "dead-bug", reps = 20 }]', "goes back to dead-bug"),
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "dead-bug", reps = 2.5 }, '
     '{ exercise = "bird-dog" }]', "reps: must be a number above 0"),
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "desk-plank" }, '
     '{ exercise = "desk-plank", hold = 15 }]', "hold: is longer than a work hold should be"),
    ('[[family]]\nid = "x"\nname = "X"\nlevels = [{ exercise = "glute-bridge" }, '
     '{ exercise = "glute-bridge", reps = 5, hold = 4 }]', "asks no more than the level"),
])
def test_the_loader_names_each_problem(body: str, words: str) -> None:
    problems = parse(body)
    assert len(problems) == 1 and words in problems[0], problems


class NoHistory:
    def recent_exercises(self, limit: int) -> list:
        return []


def planner(rows: list[Row]) -> tuple[BreakPlanner, list[str]]:
    notices: list[str] = []
    return BreakPlanner(NoHistory(), notices.append, lambda: rows), notices  # type: ignore[arg-type]


WALL = 1_795_392_000.0 + 9 * 3600


def state(places=("chair", "standing")):
    from dataclasses import replace

    from tray_app.core.model import ExerciseSettings

    s = initial_state(Settings(exercises=ExerciseSettings(places=places)))
    return replace(s, wall=WALL)


def test_a_hurt_exercise_rests_and_the_family_shows_its_level_in_use() -> None:
    day = 86400.0
    knee = next(f for f in builtin_families() if f.id == "seated-knee-lift")
    rows = [Row("exercise", WALL - 30 * day, 40.0, "seated-knee-lift-hold", "psoas-strength")]
    rows += [pg.rating_row(WALL - (29 - i) * day, "seated-knee-lift-hold", "fine")
             for i in range(4)]
    rows += [pg.answer_row(WALL - 15 * day, knee.id, True)]
    rows += [pg.rating_row(WALL - (14 - i) * day, "seated-high-knee-hold", "easy")
             for i in range(3)]
    rows += [pg.answer_row(WALL - day, knee.id, True),  # level 3: the slower lowering
             pg.rating_row(WALL - 3600, "seated-glute-squeeze", "hurt")]
    plan, _notices = planner(rows)
    seen: set[str] = set()
    texts: list[str] = []
    for n in range(150):
        from dataclasses import replace

        got = plan.plan(replace(state(("chair",)), wall=WALL + n * 997))
        for ex in got.routine + tuple(e for r in got.spares for e in r):
            seen.add(ex.id)
            if ex.id == "seated-high-knee-hold":
                texts.append(ex.steps[1].text)
    assert "seated-glute-squeeze" not in seen  # out of rotation for two weeks
    assert "seated-knee-lift-hold" not in seen  # the family shows its level in use instead
    assert texts and all("This level: 4 times, hold 5 s, 5 s per move." in t for t in texts)


def test_a_family_ready_for_more_is_offered_when_the_break_works_it() -> None:
    day = 86400.0
    rows = [Row("exercise", WALL - 20 * day, 40.0, "seated-march", "psoas-strength")]
    rows += [pg.rating_row(WALL - (19 - i) * day, "seated-march", "easy") for i in range(3)]
    plan, _notices = planner(rows)
    from dataclasses import replace

    from tray_app.shell.planner import programme_lines

    for n in range(80):
        got = plan.plan(replace(state(), wall=WALL + n * 613))
        shown = [e.id for r in (got.routine, *got.spares) for e in r]
        if "seated-march" in shown:
            assert plan.offers["seated-march"] == "march"
            break
        assert "march" not in plan.offers.values()  # offered only with its exercise
    else:
        pytest.fail("the march never came up")
    assert "  Ready for a harder version of march? sitbreak level march accept (or: stay)" in (
        programme_lines(plan.offers, plan.checkin))


def test_check_in_is_asked_at_the_first_and_last_break_when_turned_on() -> None:
    from dataclasses import replace

    from tray_app.core.model import ProgrammeSettings, ScheduleSettings
    from tray_app.core.today import Today

    plan, _ = planner([])
    s = state()
    hours = ScheduleSettings(hours=((9 * 60, 17 * 60),))  # WALL is 09:00 UTC
    on = replace(s, settings=replace(s.settings, schedule=hours,
                                     programme=ProgrammeSettings(checkins=True)))
    plan.plan(s)
    assert plan.checkin is False  # off by default
    plan.plan(on)
    assert plan.checkin is True  # the first break of the day
    later = replace(on, wall=WALL + 3 * 3600, today=Today(taken=2))
    plan.plan(later)
    assert plan.checkin is False
    plan.plan(replace(later, wall=WALL + 7.5 * 3600))  # 16:30: the day's last break
    assert plan.checkin is True
    first_only = replace(on.settings, programme=ProgrammeSettings(
        checkins=True, checkin_times=("first",)))
    plan.plan(replace(later, wall=WALL + 7.5 * 3600, settings=first_only))
    assert plan.checkin is False


def test_progression_off_leaves_the_break_as_picked() -> None:
    from dataclasses import replace

    from tray_app.core.model import ProgrammeSettings

    rows = [pg.rating_row(WALL - 3600, "seated-march", "hurt")]
    plan, _ = planner(rows)
    s = state()
    off = replace(s, settings=replace(s.settings, programme=ProgrammeSettings(progression=False)))
    assert plan._programme(off, plan._rows()) is None
    assert plan._programme(s, plan._rows()) is not None


def test_exercises_show_names_the_family_and_the_level_in_use(tmp_path: Path) -> None:
    from tray_app.cli.programme import show_exercise
    from tray_app.history.store import History

    path = tmp_path / "history.sqlite3"
    store = History.open(path)
    store.record_many([Row("exercise", WALL - 20 * 86400, 40.0, "dead-bug", "core")]
                      + [pg.rating_row(WALL - (19 - i) * 86400, "dead-bug", "fine")
                         for i in range(3)]
                      + [pg.answer_row(WALL - 3600, "floor-core", True),
                         pg.rating_row(WALL - 60, "bird-dog", "hurt")])
    store.close()
    text = show_exercise(CATALOGUE["bird-dog"], path, Settings(), now=WALL)
    # bird-dog was level 2; "this hurt" took the family back to 1 and rests it two weeks.
    assert "Family: Floor core (floor-core), level 2-3 of 3; level in use: 1" in text
    assert "Resting after 'this hurt': back in your breaks in 14 days" in text


def test_the_retest_is_offered_at_the_first_break_once_it_is_due() -> None:
    from dataclasses import replace

    from tray_app.core.retest import retest_row
    from tray_app.core.today import Today
    from tray_app.shell.planner import programme_lines

    plan, _ = planner([])
    plan.plan(state(("chair", "standing")))
    assert plan.retest == ("sit-to-stand-30s", "seated-knee-hold", "desk-plank-hold",
                           "hip-hinge-reps-30s")  # never done: due, for these places
    assert any("re-test is due" in line for line in programme_lines({}, False, plan.retest))
    plan.plan(replace(state(), today=Today(taken=1)))
    assert plan.retest == ()  # only at the day's first break
    recent, _ = planner([retest_row(WALL - 29 * 86400, "sit-to-stand-30s", 12)])
    recent.plan(state())
    assert recent.retest == ()  # 29 days ago, every 30 days
    old, _ = planner([retest_row(WALL - 31 * 86400, "sit-to-stand-30s", 12)])
    old.plan(state(("floor",)))
    assert old.retest == ("side-plank-hold", "single-leg-bridge-reps")


@pytest.mark.parametrize(("argv", "words"), [
    (["rate", "fine", "bird-dgo"], "no exercise with id 'bird-dgo'; did you mean 'bird-dog'?"),
    (["level", "marhc", "accept"], "no family with id 'marhc'; did you mean 'march'?"),
    (["rate", "superb"], "invalid choice"),
    (["checkin", "lots"], "invalid int value"),
])
def test_a_mistyped_name_is_refused_before_anything_is_sent(argv, words, capsys) -> None:
    from tray_app.cli import main
    from tray_app.support.exit_codes import EXIT_USAGE

    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusal
        code = exc.code
    assert code == EXIT_USAGE and words in capsys.readouterr().err


def test_two_picks_of_one_family_never_show_the_same_exercise_twice() -> None:
    day = 86400.0
    rows = [Row("exercise", WALL - 30 * day, 40.0, "seated-knee-lift-hold", "psoas-strength")]
    rows += [pg.rating_row(WALL - (29 - i) * day, "seated-knee-lift-hold", "fine")
             for i in range(3)]
    rows += [pg.answer_row(WALL - 15 * day, "seated-knee-lift", True)]  # level 2: high knee
    plan, _ = planner(rows)
    s = state(("chair",))
    programme = plan._programme(s, plan._rows())
    assert programme is not None
    picked = [CATALOGUE["seated-knee-lift-hold"], CATALOGUE["seated-high-knee-hold"]]
    routine, spare = plan._levels(s, programme, list(CATALOGUE.values()), picked, [picked[:1]])
    assert [e.id for e in routine] == ["seated-knee-lift-hold", "seated-high-knee-hold"]
    assert routine[1].name.endswith("· level 2 of 3")
    assert [e.id for e in spare[0]] == ["seated-high-knee-hold"]  # alone, it shows its level


def test_three_months_of_fine_take_every_shipped_family_to_its_top() -> None:
    """A user who does each family's exercise every working day, rates it fine and accepts
    every offer reaches every top level, one level each two weeks (a fake clock)."""
    families = builtin_families()
    p = pg.Progress()
    reached: dict[str, float] = {}
    for day in range(91):
        if day % 7 >= 5:
            continue
        now = WALL + day * 86400.0
        for fam_id in pg.offers(p, families, now):
            p = pg.fold([pg.Answered(now, fam_id, True)], families, lambda w: int(w // 86400), p)
        for fam in families:
            ex = pg.current(p, fam).exercise_id
            p = pg.fold([pg.Did(now, ex), pg.Rated(now + 60, ex, pg.FINE)], families,
                        lambda w: int(w // 86400), p)
            if p.family(fam.id).level == fam.top:
                reached.setdefault(fam.id, day)
    assert {f.id for f in families} == set(reached)
    for fam in families:  # two weeks a level, a weekend at most adding two days each
        assert 14 * (fam.top - 1) <= reached[fam.id] <= 16 * (fam.top - 1), (fam.id, reached)

"""The progression rules (core.progression): properties over random rating sequences, the
24-hour rule, "this hurt", and three simulated months of a user who rates everything fine.
A fake clock: wall times are numbers, nothing sleeps."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tray_app.core import progression as pg
from tray_app.core.exercise import Exercise, Step
from tray_app.core.progression import (
    DAY_S,
    Answered,
    CheckIn,
    Did,
    Family,
    Level,
    Rated,
)
from tray_app.core.safety import RED_FLAGS

T0 = 1_795_392_000.0 + 9 * 3600  # a Monday, 09:00 UTC


def day_of(wall: float) -> int:
    return int(wall // DAY_S)


KNEE = Family("knee-lift", "Seated knee lift", (
    Level("lift-small"), Level("lift-high"), Level("lift-high", hold=6, tempo=5),
    Level("lift-high", reps=8, hold=8, tempo=5)))
BRIDGE = Family("bridge", "Bridge", (Level("bridge"), Level("bridge-one-leg")))
FAMILIES = (KNEE, BRIDGE)
EXERCISES = ("lift-small", "lift-high", "bridge", "bridge-one-leg", "loner")


def level(p: pg.Progress, fam: Family) -> int:
    return p.family(fam.id).level


facts = st.lists(st.tuples(
    st.floats(0, 3 * DAY_S),  # time since the fact before
    st.one_of(
        st.tuples(st.just("rate"), st.sampled_from(EXERCISES), st.sampled_from(pg.RATINGS)),
        st.tuples(st.just("did"), st.sampled_from(EXERCISES), st.none()),
        st.tuples(st.just("answer"), st.sampled_from([f.id for f in FAMILIES]), st.booleans()),
        st.tuples(st.just("checkin"), st.integers(0, 10), st.none()),
    )), max_size=120)


def materialise(plan) -> list[pg.Fact]:
    wall, out = T0, []
    for gap, (what, a, b) in plan:
        wall += gap
        kind = {"rate": Rated, "did": Did, "answer": Answered, "checkin": CheckIn}[what]
        out.append(kind(wall, a, b) if b is not None else kind(wall, a))
    return out


@settings(max_examples=300, deadline=None)
@given(facts)
def test_levels_follow_the_rules_over_random_sequences(plan) -> None:
    seq = materialise(plan)
    by_ex = pg.family_of(FAMILIES)
    p = pg.Progress()
    for fact in seq:
        before = p
        p = pg.fold([fact], FAMILIES, day_of, p)
        for fam in FAMILIES:
            old, new = level(before, fam), level(p, fam)
            assert 1 <= new <= fam.top  # never above the top level, never below 1
            if new > old:
                # Up only by accepting, one level, and never within two weeks of a "this hurt"
                # in the family.
                assert isinstance(fact, Answered) and fact.accept and new == old + 1
                hurts = [r.wall for r in seq if isinstance(r, Rated) and r.rating == pg.HURT
                         and by_ex.get(r.exercise_id) is fam and r.wall <= fact.wall]
                assert all(fact.wall - w >= pg.REST_S for w in hurts)
        if isinstance(fact, Rated) and fact.rating in (pg.TOO_HARD, pg.HURT):
            fam = by_ex.get(fact.exercise_id)
            if fam is not None:
                assert level(p, fam) == max(1, level(before, fam) - 1)  # down after too hard
        if isinstance(fact, Rated) and fact.rating == pg.HURT:
            assert not pg.in_rotation(p, fact.exercise_id, fact.wall + 13.9 * DAY_S)
            assert pg.in_rotation(p, fact.exercise_id, fact.wall + pg.REST_S)


def test_three_months_of_fine_reach_the_top_at_the_expected_pace() -> None:
    """Eight breaks a working day, each with two exercises picked at random, every one rated
    fine, every offer accepted at the next break: each level takes two weeks."""
    rnd = random.Random(7)
    p = pg.Progress()
    ups: dict[str, list[float]] = {f.id: [] for f in FAMILIES}
    for day in range(91):
        if day % 7 >= 5:
            continue  # weekends off
        for n in range(8):
            now = T0 + day * DAY_S + n * 3600
            for fam_id in pg.offers(p, FAMILIES, now):
                p = pg.fold([Answered(now, fam_id, True)], FAMILIES, day_of, p)
                ups[fam_id].append((now - T0) / DAY_S)
            for fam in rnd.sample(FAMILIES, 1):
                ex = pg.current(p, fam).exercise_id
                p = pg.fold([Did(now, ex), Rated(now, ex, pg.FINE)], FAMILIES, day_of, p)
    assert level(p, KNEE) == KNEE.top and level(p, BRIDGE) == BRIDGE.top
    for fam in FAMILIES:
        days = ups[fam.id]
        assert len(days) == fam.top - 1
        # Level k+1 is offered about two weeks after level k began (a weekend may add two days).
        starts = [0.0, *days]
        gaps = [b - a for a, b in zip(starts, days, strict=False)]
        assert all(14 - 1e-6 <= g <= 17 for g in gaps), gaps
    assert KNEE.top - 1 == 3 and ups[KNEE.id][-1] <= 3 * 17  # the top within about 7 weeks


def test_stay_asks_again_after_another_two_weeks() -> None:
    seq = [Did(T0, "bridge")] + [Rated(T0 + i * DAY_S, "bridge", pg.EASY) for i in range(5)]
    p = pg.fold(seq, FAMILIES, day_of)
    assert pg.offers(p, FAMILIES, T0 + 14 * DAY_S) == ("bridge",)
    p = pg.fold([Answered(T0 + 14 * DAY_S, "bridge", False)], FAMILIES, day_of, p)
    assert level(p, BRIDGE) == 1 and pg.offers(p, FAMILIES, T0 + 20 * DAY_S) == ()
    p = pg.fold([Rated(T0 + (15 + i) * DAY_S, "bridge", pg.FINE) for i in range(3)],
                FAMILIES, day_of, p)
    assert pg.offers(p, FAMILIES, T0 + 28 * DAY_S) == ("bridge",)


def test_accepting_when_not_ready_changes_nothing() -> None:
    p = pg.fold([Did(T0, "bridge"), Answered(T0 + DAY_S, "bridge", True)], FAMILIES, day_of)
    assert level(p, BRIDGE) == 1 and p.changes == ()


def test_hurt_rests_the_exercise_offers_the_easier_version_and_two_in_a_week_advise() -> None:
    p = pg.fold([Did(T0, "lift-small")] + [Rated(T0 + i * DAY_S, "lift-small", pg.FINE)
                                           for i in range(4)], FAMILIES, day_of)
    p = pg.fold([Answered(T0 + 15 * DAY_S, KNEE.id, True)], FAMILIES, day_of, p)
    assert pg.current(p, KNEE).exercise_id == "lift-high"
    hurt = T0 + 16 * DAY_S
    p = pg.fold([Rated(hurt, "lift-high", pg.HURT)], FAMILIES, day_of, p)
    assert pg.current(p, KNEE).exercise_id == "lift-small"  # the easier version next time
    assert not pg.in_rotation(p, "lift-high", hurt + DAY_S)
    assert p.changes[-1] == pg.LevelChange(hurt, KNEE.id, 1, pg.HURT)
    assert pg.clinician_advice(p, hurt) is None
    p = pg.fold([Rated(hurt + 6 * DAY_S, "bridge", pg.HURT)], FAMILIES, day_of, p)
    advice = pg.clinician_advice(p, hurt + 6 * DAY_S)
    assert advice is not None and "clinician" in advice and all(f in advice for f in RED_FLAGS)
    assert pg.clinician_advice(p, hurt + 14 * DAY_S) is None


def test_twenty_four_hour_rule_steps_that_days_families_down() -> None:
    up = [Did(T0, "lift-small")] + [Rated(T0 + i * 3600, "lift-small", pg.FINE)
                                    for i in range(3)]
    p = pg.fold(up, FAMILIES, day_of)
    p = pg.fold([Answered(T0 + 15 * DAY_S, KNEE.id, True)], FAMILIES, day_of, p)
    day = T0 + 20 * DAY_S
    flare = [CheckIn(day, 2), Did(day + 3600, "lift-high"), Did(day + 3600, "bridge"),
             CheckIn(day + 8 * 3600, 6)]
    settled = pg.fold([*flare, CheckIn(day + DAY_S, 4)], FAMILIES, day_of, p)
    assert level(settled, KNEE) == 2  # back within 2 points of the morning: no change
    not_settled = pg.fold([*flare, CheckIn(day + DAY_S, 5)], FAMILIES, day_of, p)
    assert level(not_settled, KNEE) == 1 and level(not_settled, BRIDGE) == 1
    assert not_settled.changes[-1].reason == pg.TWENTY_FOUR_HOUR
    small_rise = pg.fold([CheckIn(day, 2), Did(day, "lift-high"), CheckIn(day + 3600, 4),
                          CheckIn(day + DAY_S, 5)], FAMILIES, day_of, p)
    assert level(small_rise, KNEE) == 2


def test_with_level_keeps_the_slack_and_says_what_the_level_asks() -> None:
    ex = Exercise("lift-high", "High knee", "psoas-strength", "chair", (
        Step("Sit tall.", 5),
        Step("Lift, hold 3 s, lower; 5 times.", 38, reps=5, tempo=4, hold=3)), "cue", "why")
    out = pg.with_level(ex, Level("lift-high", reps=8, hold=6, tempo=5))
    first, work = out.steps
    assert first == ex.steps[0]
    assert (work.reps, work.hold, work.tempo) == (8, 6, 5)
    assert work.seconds >= work.work + (38 - 35)  # the 3 s of slack kept
    assert work.text.endswith("This level: 8 times, hold 6 s, 5 s per move.")
    catalogue = {"lift-small": ex, "lift-high": ex}
    shown = pg.in_use(ex, pg.Progress(), FAMILIES, catalogue, T0)  # level 1: lift-small as it is
    assert shown.steps == ex.steps and shown.name == "High knee · level 1 of 4"


def test_bad_ratings_and_pain_are_refused() -> None:
    for bad in ("great", ""):
        try:
            Rated(T0, "x", bad)
        except ValueError as exc:
            assert "easy, fine, too-hard, hurt" in str(exc)
        else:
            raise AssertionError("accepted")
    for pain in (-1, 11, 2.5, True):
        try:
            CheckIn(T0, pain)  # type: ignore[arg-type]
        except ValueError:
            pass
        else:
            raise AssertionError(pain)

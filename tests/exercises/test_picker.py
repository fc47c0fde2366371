"""Picker properties over simulated months in every place set, and hypothesis-chosen days."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tray_app.core.exercise import CATEGORIES, PLACES, UP_PLACES, WALK_ID, Exercise, Step
from tray_app.core.model import ExerciseSettings
from tray_app.core.picker import (
    SAME_LENGTH,
    STRENGTH,
    another,
    pick,
    servable,
    spares,
)
from tray_app.exercises.loader import load_catalogue

BUILTIN = load_catalogue(ExerciseSettings(places=PLACES))
PLACE_SETS = {"chair": ("chair",), "chair+standing": ("chair", "standing"), "all": PLACES}
# The break code passes this many recent exercises (newest first) to the picker.
WINDOW = 40
BREAK = 120  # the default break length, seconds


# What the break window offers in turn: the pick, then "Another exercise" spares.
def alternatives(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    break_seconds: float,
    seed: int,
    count: int = 3,
) -> list[list[Exercise]]:
    """Up to `count` different routines, best first: `pick(...)`, then each next one from
    `another(...)`: about the same length, avoiding everything offered before it."""
    first = pick(catalogue, recent, break_seconds, seed)
    if not first:
        return []
    return [first, *spares(catalogue, recent, first, seed, count - 1, parts=False)]


@dataclass
class Month:
    """What a simulated month of breaks served."""

    days: list[list[list[Exercise]]] = field(default_factory=list)  # day -> break -> routine
    others: list[tuple[int, list[list[Exercise]]]] = field(default_factory=list)

    def minutes(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for day in self.days:
            for routine in day:
                for e in routine:
                    out[e.category] += e.seconds / 60
        return out


def simulate(catalogue: Sequence[Exercise], seed: int, days: int = 30, breaks: int = 10,
             length: float = BREAK) -> Month:  # fmt: skip
    """Breaks one after another, each pick fed back as history, as the app does."""
    month = Month()
    history: list[tuple[str, str]] = []
    for d in range(days):
        day = []
        for b in range(breaks):
            options = alternatives(catalogue, history[:WINDOW], length, seed + 100 * d + b)
            day.append(options[0])
            month.others.append((sum(e.seconds for e in options[0]), options[1:]))
            history = [(e.id, e.category) for e in reversed(options[0])] + history
        month.days.append(day)
    return month


MONTHS = {
    name: simulate(load_catalogue(ExerciseSettings(places=places)), seed=20261127)
    for name, places in PLACE_SETS.items()
}


@pytest.mark.parametrize("name", PLACE_SETS)
def test_every_place_set_has_four_of_each_and_the_default_six(name: str) -> None:
    counts = Counter(e.category for e in load_catalogue(ExerciseSettings(places=PLACE_SETS[name])))
    assert min(counts[c] for c in CATEGORIES) >= 4, counts
    default = Counter(e.category for e in load_catalogue(ExerciseSettings()))
    assert min(default[c] for c in CATEGORIES) >= 6, default


@pytest.mark.parametrize("name", PLACE_SETS)
def test_a_month_is_balanced_by_time(name: str) -> None:
    minutes = MONTHS[name].minutes()
    total = sum(minutes.values())
    assert sum(minutes[c] for c in STRENGTH) >= 0.5 * total, minutes
    assert minutes["posture"] <= 0.25 * total, minutes
    assert all(minutes[c] >= 0.08 * total for c in CATEGORIES), minutes


@pytest.mark.parametrize("name", PLACE_SETS)
def test_a_stretch_always_comes_with_strength(name: str) -> None:
    for day in MONTHS[name].days:
        for routine in day:
            categories = [e.category for e in routine]
            if "stretch" in categories:
                assert set(categories) & STRENGTH, categories
                assert categories[-1] == "stretch", "strength first, the stretch last"


@pytest.mark.parametrize("name", PLACE_SETS)
def test_no_exercise_twice_a_day_while_its_category_has_unused_ones_that_fit(name: str) -> None:
    """Fits first, then no repeats: an exercise comes back the same day only when every one
    of its category not done today is too long for the room it had (or, when it was what got
    the user up, is not done standing or on the floor)."""
    catalogue = load_catalogue(ExerciseSettings(places=PLACE_SETS[name]))
    for day in MONTHS[name].days:
        done: set[str] = set()
        for routine in day:
            for e in routine:
                others = [x for x in routine if x is not e]
                room = BREAK - sum(x.seconds for x in others)
                unused = {x.id for x in catalogue if x.category == e.category
                          and x.id not in done and x.seconds <= room
                          and (e.where not in UP_PLACES or x.where in UP_PLACES)
                          and not {"floor", "chair"} <= {y.where for y in (*others, x)}}
                assert e.id not in done or not unused, (e.id, unused)
                done.add(e.id)


@pytest.mark.parametrize("name", PLACE_SETS)
def test_routines_fit_the_break_and_never_pair_floor_with_chair(name: str) -> None:
    for day in MONTHS[name].days:
        for routine in day:
            assert routine and sum(e.seconds for e in routine) <= BREAK
            assert len({e.category for e in routine}) == len(routine)
            assert not {"floor", "chair"} <= {e.where for e in routine}


@pytest.mark.parametrize("name", PLACE_SETS)
def test_another_exercise_offers_a_routine_of_the_same_length(name: str) -> None:
    first_gaps = []
    for length, others in MONTHS[name].others:
        assert others, "there is always another routine to offer"
        gaps = [abs(sum(e.seconds for e in r) - length) for r in others]
        first_gaps.append(gaps[0])
        assert gaps[0] <= 2 * SAME_LENGTH and max(gaps) <= 3 * SAME_LENGTH
        for routine in others:
            assert not {"floor", "chair"} <= {e.where for e in routine}
            if any(e.category == "stretch" for e in routine):
                assert any(e.category in STRENGTH for e in routine)
    within = sum(g <= SAME_LENGTH for g in first_gaps)
    assert within >= 0.95 * len(first_gaps)


def test_alternatives_never_repeat_what_was_offered() -> None:
    options = alternatives(BUILTIN, [], BREAK, 5, count=4)
    assert options[0] == pick(BUILTIN, [], BREAK, 5)
    ids = [e.id for routine in options for e in routine]
    assert len(options) == 4 and len(ids) == len(set(ids))


def test_another_offers_nothing_when_everything_was_offered() -> None:
    assert another(BUILTIN, [], 120, 1, {e.id for e in BUILTIN}) == []


def test_deterministic_for_a_seed() -> None:
    catalogue = load_catalogue(ExerciseSettings())
    assert simulate(catalogue, 7, days=2).days == simulate(catalogue, 7, days=2).days


filters = st.tuples(
    st.sets(st.sampled_from(PLACES), min_size=1),
    st.sets(st.sampled_from(sorted({e.id for e in BUILTIN})), max_size=8),
)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), chosen=filters,
       length=st.sampled_from([60, 90, 120, 180, 300]))  # fmt: skip
# Floor only, no core, a break shorter than everything: the shortest was a stretch, alone.
@example(seed=0, chosen=({"floor"}, {"dead-bug", "bird-dog", "windshield-wipers"}), length=60)
def test_any_filters_and_break_length_keep_the_rules(
    seed: int, chosen: tuple[set[str], set[str]], length: int
) -> None:
    places, exclude = chosen
    catalogue = load_catalogue(ExerciseSettings(places=tuple(places), exclude=tuple(exclude)))
    for day in simulate(catalogue, seed, days=1, length=length).days:
        for routine in day:
            assert routine
            assert all(e in catalogue or e.id == WALK_ID for e in routine)
            assert len(routine) == 1 or sum(e.seconds for e in routine) <= length
            if any(e.category == "stretch" for e in routine):
                assert any(e.category in STRENGTH for e in routine)


def test_only_stretches_still_give_a_break() -> None:
    stretches = [e for e in BUILTIN if e.category == "stretch"]
    assert len(pick(stretches, [], BREAK, 1)) == 1


def test_a_stretch_waits_when_its_strength_partner_does_not_fit() -> None:
    stretch = next(e for e in BUILTIN if e.category == "stretch")
    strong = next(e for e in BUILTIN if e.category == "core")
    posture = next(e for e in BUILTIN if e.category == "posture")
    # Stretching is furthest behind, but the break has room for one exercise only.
    recent = [(strong.id, strong.category), (posture.id, posture.category)]
    routine = pick([stretch, strong, posture], recent, max(e.seconds for e in BUILTIN), 3)
    assert "stretch" not in [e.category for e in routine]


def test_prefers_the_category_furthest_behind_in_time() -> None:
    recent = [(e.id, e.category) for e in BUILTIN if e.category != "posture"]
    assert pick(BUILTIN, recent, 60, 7)[0].category == "posture"


def test_a_long_break_gives_a_routine_of_several() -> None:
    assert len(pick(BUILTIN, [], 300, 1)) >= 3


def test_too_short_break_gives_the_shortest_of_the_category_furthest_behind() -> None:
    chair = [e for e in BUILTIN if e.where == "chair"]
    strength = [e for e in chair if e.category == "psoas-strength"]
    recent = [(e.id, e.category) for e in chair if e.category != "psoas-strength"]
    routine = pick(chair, recent, 10, 1)
    assert len(routine) == 1 and routine[0].seconds == min(e.seconds for e in strength)
    # Standing allowed: the break is a stand-up-and-walk as long as the break.
    assert [(e.id, e.seconds) for e in pick(BUILTIN, [], 10, 1)] == [(WALK_ID, 10)]


def test_empty_catalogue() -> None:
    assert pick([], [], 120, 1) == []
    assert alternatives([], [], 120, 1) == []


def test_repeats_allowed_when_the_catalogue_is_tiny() -> None:
    only = [e for e in BUILTIN if e.category == "core"][:2]
    recent = [(e.id, e.category) for e in only]
    assert pick(only, recent, 60, 1) == [only[1]], "the one done longest ago"


def test_user_category_still_comes_up() -> None:
    odd = Exercise("x", "X", "balance-work", "chair", (Step("a", 30),), "c", "w")
    catalogue = [*load_catalogue(ExerciseSettings()), odd]
    served = {e.id for day in simulate(catalogue, 3, days=3).days for r in day for e in r}
    assert "x" in served


def test_the_history_keeps_as_many_picks_as_the_picker_is_given() -> None:
    from tray_app.core.picker import RECENT
    from tray_app.history.writer import RECENT as KEPT

    assert WINDOW == RECENT <= KEPT


def _exercise(ident: str, category: str, where: str, seconds: int) -> Exercise:
    return Exercise(ident, ident, category, where, (Step("a", seconds),), "c", "w")


def _behind(category: str, seconds: int) -> list[tuple[str, str]]:
    # History of exercises no longer in the catalogue (each counts as 60 s of `category`).
    return [(f"gone-{category}-{n}", category) for n in range(seconds // 60)]


def test_a_category_waits_for_its_long_fresh_exercise_rather_than_repeat_a_short_one() -> None:
    """Late in a long break only the core exercise done a minute ago fits; the core one not
    done yet is too long for the room left. It waits for the next break, which it leads."""
    done = _exercise("core-done", "core", "chair", 60)
    fresh = _exercise("core-fresh", "core", "chair", 200)
    posture = _exercise("posture-long", "posture", "chair", 200)
    catalogue = [done, fresh, posture]
    recent = [(done.id, done.category), *_behind("hip-extensors", 600)]
    first = pick(catalogue, recent, 300, 1, stand=False)
    assert [e.id for e in first] == ["posture-long"], "no repeat of core-done"
    recent = [(e.id, e.category) for e in reversed(first)] + recent
    assert pick(catalogue, recent, 300, 1, stand=False)[0].id == "core-fresh"


def test_what_gets_you_up_is_not_a_repeat_while_another_category_has_a_fresh_one() -> None:
    """Core is furthest behind, its standing exercise was done a break ago and its chair one
    not yet: the break leads with posture's fresh standing exercise and brings the chair core
    exercise after it, instead of the standing core one again."""
    core_up = _exercise("core-standing", "core", "standing", 50)
    core_chair = _exercise("core-chair", "core", "chair", 50)
    posture_up = _exercise("posture-standing", "posture", "standing", 50)
    catalogue = [core_up, core_chair, posture_up]
    recent = [(core_up.id, core_up.category), *_behind("posture", 120),
              *_behind("hip-extensors", 600)]
    routine = pick(catalogue, recent, 120, 1, stand=True)
    assert {e.id for e in routine} == {"posture-standing", "core-chair"}


@pytest.mark.parametrize("name", PLACE_SETS)
def test_no_exercise_twice_a_day_while_its_category_has_one_the_break_can_hold(name: str) -> None:
    """Stricter than the room an exercise had: a category whose exercise not done today fits
    the break (beside what gets the user up) waits for it rather than repeat one, save for
    the odd standing exercise that gets the user up (at most 2% of the month's picks)."""
    places = PLACE_SETS[name]
    catalogue = load_catalogue(ExerciseSettings(places=places))
    holds = servable(catalogue, BREAK, stand="standing" in places)
    repeats = picks = 0
    for day in MONTHS[name].days:
        done: set[str] = set()
        for routine in day:
            for e in routine:
                picks += 1
                waiting = any(x.category == e.category and x.id not in done for x in holds)
                if e.id in done and waiting:
                    repeats += 1
                    assert e.where in UP_PLACES and routine[0] is e, (e.id, routine)
                done.add(e.id)
    assert repeats <= 0.02 * picks, (repeats, picks)

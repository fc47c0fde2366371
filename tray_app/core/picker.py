"""Choose the routine for a break, balancing exercise *time* across categories.

The article behind sitbreak says stretching tight hip flexors is not enough on its own: the
psoas also needs strength and movement, the glutes and hamstrings need strength, and the core
has to hold the spine. So each category has a share of the exercise minutes (`SHARE`: the
strength work together more than half, posture a modest slice), and every slot of a routine
goes to the category furthest behind its share. A stretch only ever comes after strength work
in the same routine.

Pure and deterministic: the same catalogue, history and seed always give the same answer.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from tray_app.core.exercise import Exercise

STRETCH = "stretch"
# Categories that count as strength work for the "no stretch alone" rule.
STRENGTH = frozenset({"psoas-strength", "hip-extensors", "core"})
# Each category's share of exercise time; strength work together 0.56, posture 0.14.
SHARE = {
    "psoas-strength": 0.20,
    "hip-extensors": 0.18,
    "core": 0.18,
    "psoas-mobility": 0.16,
    "posture": 0.14,
    STRETCH: 0.14,
}
# Share for a category the built-in list does not know (a user's own), so it still comes up.
OTHER_SHARE = 0.1
# Seconds counted for a recent exercise that is no longer in the catalogue.
UNKNOWN_SECONDS = 60
# "Another exercise" offers a routine within this many seconds of the one on show, if any.
SAME_LENGTH = 15
# How many recent picks callers pass: more than a day's worth, so the day's no-repeat rule and
# the time balance see the whole day.
RECENT = 40


def pick(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    break_seconds: float,
    seed: int,
    *,
    avoid: Collection[str] = (),
) -> list[Exercise]:
    """The routine for a break: one exercise, or several of different categories that fit
    `break_seconds` together.

    `recent` is (exercise_id, category) of the picks so far, newest first: pass at least
    today's (callers pass the last `RECENT`). Time is balanced over it, and nothing
    in it comes back while its category still has an exercise that is not in it (then only
    the one done longest ago). A stretch comes only together with a strength exercise; the one
    exception is a catalogue with nothing else. A routine never mixes floor and chair
    exercises (no getting down and up inside a break). `avoid` holds ids to leave out (those
    already offered in this break); they come back only when nothing else is left. Returns []
    for an empty catalogue.
    """
    return _Plan(catalogue, recent, seed, avoid).routine((), break_seconds, fill=False)


def another(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    seconds: float,
    seed: int,
    offered: Collection[str],
    *,
    kept: Sequence[Exercise] = (),
) -> list[Exercise]:
    """For "Another exercise": a different routine as close as it can be to `seconds` long
    (the routine on show, or what is left of it), avoiding every id in `offered`. Returns []
    when there is nothing new to offer.

    `kept` are the exercises of this break already done, which stay: the new routine follows
    them by the same rules (`can_follow`), so it may be a stretch alone after kept strength
    work, and it brings no category they already had.

    Each exercise that may lead a routine is tried as the lead, best first, and the routine is
    filled up to the length by the same rules as `pick`; the nearest length wins.
    """
    plan = _Plan(catalogue, recent, seed, offered)
    taken = {e.category for e in kept}
    used = sum(e.seconds for e in kept)
    best: list[Exercise] = []
    for lead in plan.leads(stretch=_has_strength(kept)):
        if lead.id in offered or lead.category in taken or not _compatible(lead, kept):
            continue
        # A lead longer than the routine on show can only stand alone.
        budget = used + max(seconds + SAME_LENGTH, lead.seconds)
        routine = [e for e in plan.routine((*kept, lead), budget, fill=True) if e not in kept]
        if not best or _gap(routine, seconds) < _gap(best, seconds):
            best = routine
    return best


def can_follow(kept: Sequence[Exercise], routine: Sequence[Exercise]) -> bool:
    """Whether `routine` may take over a break after `kept` (the exercises already done): it
    brings something new, repeats none of them, mixes no floor with chair, and its stretch
    has strength work beside it, in it or in `kept`."""
    ids = {e.id for e in kept}
    return (
        bool(routine)
        and not any(e.id in ids for e in routine)
        and not {"floor", "chair"} <= {e.where for e in (*kept, *routine)}
        and (all(e.category != STRETCH for e in routine) or _has_strength((*kept, *routine)))
    )


def spares(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    routine: Sequence[Exercise],
    seed: int,
    count: int = 3,
    *,
    parts: bool = True,
) -> list[list[Exercise]]:
    """Spare routines for "Another exercise" in a break of `routine`: up to `count` about as
    long as all of it; with `parts`, for each of its exercises also one about as long as what
    is left when it begins (after the first) and one for what is left halfway through it,
    each able to follow the exercises before it. A swap swaps in a whole spare from its first
    step, so a spare near the time left at any point keeps the break about as long. All
    different, each avoiding everything offered before it."""
    targets: list[tuple[int, float]] = []
    for i, ex in enumerate(routine):
        rest = sum(e.seconds for e in routine[i:])
        if i == 0:
            targets += [(0, rest)] * count
        if parts:
            targets += [(i, rest)] * (i > 0) + [(i, rest - ex.seconds / 2)]
    offered = {e.id for e in routine}
    out: list[list[Exercise]] = []
    for i, seconds in targets:
        spare = another(catalogue, recent, seconds, seed, offered, kept=routine[:i])
        if spare:
            out.append(spare)
            offered.update(e.id for e in spare)
    return out


class _Plan:
    """What a pick knows: time done per category, what may come back, and the seed's ties."""

    def __init__(self, catalogue: Sequence[Exercise], recent: Sequence[tuple[str, str]],
                 seed: int, avoid: Collection[str]) -> None:  # fmt: skip
        pool = [e for e in catalogue if e.id not in avoid] or list(catalogue)
        rng = random.Random(seed)
        # Drawn in a fixed order, so the result depends only on the inputs and the seed.
        self.jitter = {e.id: rng.random() for e in pool}
        self.tie = {c: rng.random() for c in sorted({e.category for e in pool})}
        seconds = {e.id: e.seconds for e in catalogue}
        self.done: dict[str, float] = {}
        for ident, category in recent:
            self.add(category, seconds.get(ident, UNKNOWN_SECONDS))
        self.age = {ident: n for n, (ident, _) in reversed(list(enumerate(recent)))}
        self.never = len(recent) + 1
        self.fresh = _fresh(pool, self.age)

    def add(self, category: str, seconds: float) -> None:
        self.done[category] = self.done.get(category, 0.0) + seconds

    def behind(self, category: str, done: dict[str, float]) -> float:
        """Seconds a category is behind its share of the time so far (negative: ahead)."""
        return _share(category) * sum(done.values()) - done.get(category, 0.0)

    def best(self, members: Sequence[Exercise]) -> Exercise:
        # The one done longest ago (or never), then the seed's choice.
        return max(members, key=lambda e: (self.age.get(e.id, self.never), -self.jitter[e.id]))

    def leads(self, *, stretch: bool = False) -> list[Exercise]:
        """Everything that may start a routine (no stretch unless `stretch`: it needs strength
        first), best first: the category furthest behind, then the exercise done longest ago."""
        return sorted(
            (e for e in self.fresh if stretch or e.category != STRETCH),
            key=lambda e: (-self.behind(e.category, self.done), self.tie[e.category],
                           -self.age.get(e.id, self.never), self.jitter[e.id]),
        )  # fmt: skip

    def routine(self, start: Sequence[Exercise], budget: float, *, fill: bool) -> list[Exercise]:
        """`start` plus what fits `budget`; with `fill`, any category may fill the rest,
        otherwise only those still behind their share of time."""
        done = dict(self.done)
        for e in start:
            done[e.category] = done.get(e.category, 0.0) + e.seconds
        routine = list(start)
        while True:
            chosen = self._next(routine, done, budget, fill)
            if not chosen:
                break
            for e in chosen:
                done[e.category] = done.get(e.category, 0.0) + e.seconds
            routine += chosen
        if not routine and self.fresh:
            # Nothing fits with its partner: one exercise anyway, a stretch only if that is all.
            routine = [self.best([e for e in self.fresh if e.category != STRETCH] or self.fresh)]
        return _in_order(routine)

    def _next(self, routine: list[Exercise], done: dict[str, float], budget: float,
              fill: bool) -> list[Exercise]:  # fmt: skip
        """The next exercise for `routine` (with its strength partner for a stretch), or []."""
        used = sum(e.seconds for e in routine)
        taken = {e.category for e in routine}
        options = [e for e in self.fresh if e.category not in taken and _compatible(e, routine)]
        fitting = [e for e in options if used + e.seconds <= budget]
        if not routine and not fitting and options:
            # A very short break still gets one exercise: the shortest there is (not a stretch,
            # which could not come alone).
            alone = [e for e in options if e.category != STRETCH] or options
            fitting = [min(alone, key=lambda e: e.seconds)]
        ranked = sorted({e.category for e in fitting},
                        key=lambda c: (-self.behind(c, done), self.tie[c]))  # fmt: skip
        for category in ranked:
            if routine and not fill and self.behind(category, done) <= 0:
                return []  # fill a routine only with what is still short of its share
            choice = self.best([e for e in fitting if e.category == category])
            if category != STRETCH or _has_strength(routine):
                return [choice]
            room = budget - used - choice.seconds
            partners = [
                e for e in options
                if e.category in STRENGTH and e.seconds <= room
                and _compatible(e, [*routine, choice])
            ]  # fmt: skip
            if partners:
                return [self.best(partners), choice]
        return []


def _fresh(pool: Sequence[Exercise], age: dict[str, int]) -> list[Exercise]:
    """What may be picked: in each category, the exercises not done lately (`age` holds the
    recent ones), or when it has none left, only its one done longest ago. The single home of
    the no-repeat rule; it holds for today's picks whatever span `recent` covers, as today's
    are the newest."""
    by_category: dict[str, list[Exercise]] = {}
    for e in pool:
        by_category.setdefault(e.category, []).append(e)
    allowed: set[str] = set()
    for members in by_category.values():
        unused = [e.id for e in members if e.id not in age]
        allowed.update(unused or [max(members, key=lambda e: age[e.id]).id])
    return [e for e in pool if e.id in allowed]


def _share(category: str) -> float:
    return SHARE.get(category, OTHER_SHARE)


def _compatible(exercise: Exercise, routine: Sequence[Exercise]) -> bool:
    # Floor and chair do not share a routine: no time to get down and up between them.
    places = {e.where for e in routine} | {exercise.where}
    return not {"floor", "chair"} <= places


def _has_strength(routine: Sequence[Exercise]) -> bool:
    return any(e.category in STRENGTH for e in routine)


def _gap(routine: Sequence[Exercise], seconds: float) -> float:
    return abs(sum(e.seconds for e in routine) - seconds)


def _in_order(routine: list[Exercise]) -> list[Exercise]:
    # Warm, working muscles stretch better, so a stretch goes last; strength leads.
    return sorted(routine, key=lambda e: (e.category == STRETCH, e.category not in STRENGTH))

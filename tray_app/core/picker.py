"""Choose the exercise (or short routine) for a break, balancing the day across categories.

The article behind sitbreak says stretching tight hip flexors is not enough on its own: the
psoas also needs strength and movement, the glutes and hamstrings need strength, and the core
has to hold the spine. So the picker rotates through the categories, always preferring the one
least done lately, and a stretch only ever comes with strength work: either in the same routine
or after strength work earlier in the day.

Pure and deterministic: the same catalogue, history and seed always give the same answer.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from tray_app.core.exercise import CATEGORIES, Exercise

STRETCH = "stretch"
# Categories that count as strength work for the "no stretch alone" rule.
STRENGTH = frozenset({"psoas-strength", "hip-extensors", "core"})
# How many of the newest exercises may not come back, when the catalogue has others.
NO_REPEAT = 5


def rank(
    catalogue: Sequence[Exercise], recent: Sequence[tuple[str, str]], seed: int
) -> list[Exercise]:
    """Every exercise, best first: least-covered category, then least recently done.

    `recent` is (exercise_id, category), newest first.
    """
    rng = random.Random(seed)
    # Drawn in catalogue order so the result depends only on the inputs and the seed.
    jitter = {e.id: rng.random() for e in catalogue}
    cat_jitter = {c: rng.random() for c in (*CATEGORIES, *(e.category for e in catalogue))}
    counts: dict[str, int] = {}
    newest_cat: dict[str, int] = {}
    newest_id: dict[str, int] = {}
    for age, (ident, category) in enumerate(recent):
        counts[category] = counts.get(category, 0) + 1
        newest_cat.setdefault(category, age)
        newest_id.setdefault(ident, age)
    never = len(recent) + 1
    blocked = {ident for ident, _ in recent[:NO_REPEAT]}

    def key(e: Exercise) -> tuple[bool, int, int, int, float, float]:
        return (
            e.id in blocked,  # the last few only come back when nothing else is left
            counts.get(e.category, 0),  # least-covered category first
            -newest_cat.get(e.category, never),  # then the category done longest ago
            -newest_id.get(e.id, never),  # inside it, the exercise done longest ago
            cat_jitter[e.category],  # keep a category's exercises together on ties
            jitter[e.id],
        )

    return sorted(catalogue, key=key)


def pick(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    break_seconds: float,
    seed: int,
    *,
    avoid: Collection[str] = (),
) -> list[Exercise]:
    """One exercise, or a short routine of different categories that fits `break_seconds`.

    `recent` is (exercise_id, category) of today's and recent picks, newest first; `avoid`
    holds ids to leave out (those already offered in this break). A stretch is only chosen
    together with a strength item, or when `recent` already has strength work; the one
    exception is a catalogue that holds nothing but stretches. Returns [] for an empty
    catalogue.
    """
    pool = [e for e in catalogue if e.id not in avoid] or list(catalogue)
    blocked = {ident for ident, _ in recent[:NO_REPEAT]}
    # The newest few only come back when nothing else is left.
    pool = [e for e in pool if e.id not in blocked] or pool
    ranked = rank(pool, recent, seed)
    if not ranked:
        return []
    strong_day = any(category in STRENGTH for _, category in recent)
    routine: list[Exercise] = []
    # Balance first: walk the categories best first, and inside one prefer what fits.
    for category in dict.fromkeys(e.category for e in ranked):
        if category in {e.category for e in routine}:
            continue  # already there as a stretch's partner
        used = sum(e.seconds for e in routine)
        members = [e for e in ranked if e.category == category]
        fitting = [e for e in members if used + e.seconds <= break_seconds]
        if routine and not fitting:
            continue
        # The first exercise may run over a very short break rather than skip its turn.
        choice = fitting[0] if fitting else min(members, key=lambda e: e.seconds)
        if category == STRETCH and not strong_day and not _has_strength(routine):
            # Bring the best strength exercise along, if both fit the break.
            partner = next((e for e in ranked if e.category in STRENGTH), None)
            if partner is None or used + partner.seconds + choice.seconds > break_seconds:
                continue
            routine.append(partner)
        routine.append(choice)
    if not routine:
        # Only stretches (or no partner fits): better a stretch than no break at all.
        routine = [ranked[0]]
    return _strength_first(routine)


def alternatives(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    break_seconds: float,
    seed: int,
    count: int = 3,
) -> list[list[Exercise]]:
    """Up to `count` different routines, best first, for a break window's "Another exercise".

    The first equals `pick(...)`; each next one avoids every exercise offered before it.
    """
    offered: set[str] = set()
    routines: list[list[Exercise]] = []
    for _ in range(count):
        routine = pick(catalogue, recent, break_seconds, seed, avoid=offered)
        if not routine or all(e.id in offered for e in routine):
            break
        routines.append(routine)
        offered.update(e.id for e in routine)
    return routines


def _has_strength(routine: Sequence[Exercise]) -> bool:
    return any(e.category in STRENGTH for e in routine)


def _strength_first(routine: list[Exercise]) -> list[Exercise]:
    # Warm, working muscles stretch better, so a stretch goes last.
    return sorted(routine, key=lambda e: e.category == STRETCH)

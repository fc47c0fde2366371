"""Choose the routine for a break, balancing exercise *time* across categories.

The article behind sitbreak says stretching tight hip flexors is not enough on its own: the
psoas also needs strength and movement, the glutes and hamstrings need strength, and the core
has to hold the spine. So each category has a share of the exercise minutes (`SHARE`: the
strength work together more than half, posture a modest slice), and every slot of a routine
goes to the category furthest behind its share. A stretch only ever comes after strength work
in the same routine.

What has to fit comes first: an exercise is chosen among those that fit the time left, and only
then is the no-repeat rule applied to them, so a short break still gets each category's work
that fits. The rule serves each category's exercises in turn, the one done longest ago (or
never) next: when that one lacks room in this routine (a long one, late in a long break), the
category waits for a later break, which it leads once behind its share, rather than repeat
one done today. A break too short for anything gets the shortest exercise of the category
furthest behind (never simply the shortest of all, which starved the long strength work).
With standing allowed (`stand`), every break gets the user out of the chair: a standing or
floor exercise leads the routine when one fits, else a stand-up-and-walk step comes first.
`coverage` says in words what a setting cannot offer.

Pure and deterministic: the same catalogue, history and seed always give the same answer.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Collection, Sequence

from tray_app.core.duration import ExactSeconds
from tray_app.core.exercise import (
    CATEGORIES,
    UP_PLACES,
    WALK,
    WALK_ID,
    Exercise,
    category_name,
    gets_up,
    stand_and_walk,
)
from tray_app.core.text import Text

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
# A category may lead a break with a standing exercise while up to this many seconds (about one
# exercise) ahead of its share, rather than repeat a standing exercise of one behind it.
AHEAD_S = 60
# Seconds of the stand-up-and-walk step, when a break needs one (less in a shorter break).
WALK_S = 30
# `coverage` says a break is longer than any routine once it is longer by more than this
# (about one exercise): the balance leaves routines a little short of the length anyway.
LONG_SLACK_S = 60


def pick(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    break_seconds: float,
    seed: int,
    *,
    avoid: Collection[str] = (),
    stand: bool | None = None,
) -> list[Exercise]:
    """The routine for a break: one exercise, or several of different categories that fit
    `break_seconds` together.

    `recent` is (exercise_id, category) of the picks so far, newest first: pass at least
    today's (callers pass the last `RECENT`). Time is balanced over it, and nothing
    in it comes back while its category still has an exercise that is not in it (then only
    the one done longest ago). A stretch comes only together with a strength exercise; the one
    exception is a catalogue with nothing else. A routine never mixes floor and chair
    exercises (no getting down and up inside a break). `avoid` holds ids to leave out (those
    already offered in this break); they come back only when nothing else is left. `stand`
    says the user allows standing (default: the catalogue has a standing exercise): then the
    routine gets them up (see the module's doc). Returns [] for an empty catalogue when
    standing is not allowed.
    """
    return _Plan(catalogue, recent, seed, avoid, stand).routine((), break_seconds, fill=False)


def another(
    catalogue: Sequence[Exercise],
    recent: Sequence[tuple[str, str]],
    seconds: float,
    seed: int,
    offered: Collection[str],
    *,
    kept: Sequence[Exercise] = (),
    stand: bool | None = None,
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
    plan = _Plan(catalogue, recent, seed, offered, stand)
    taken = {e.category for e in kept}
    used = sum(e.seconds for e in kept)
    up = not plan.stand or gets_up(kept)
    best: list[Exercise] = []
    # Without a standing exercise kept, the lead gets the user up, as the routine it replaces did;
    # what may follow the kept exercises is chosen before the no-repeat rule.
    for lead in plan.leads(stretch=_has_strength(kept), up=not up,
                           may=lambda e: e.category not in taken and _compatible(e, kept)):
        if lead.id in offered:
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
    stand: bool | None = None,
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
        spare = another(catalogue, recent, seconds, seed, offered, kept=routine[:i],
                        stand=stand)
        if spare:
            out.append(spare)
            offered.update(e.id for e in spare)
    return out


class _Plan:
    """What a pick knows: time done per category, what may come back, and the seed's ties."""

    def __init__(self, catalogue: Sequence[Exercise], recent: Sequence[tuple[str, str]],
                 seed: int, avoid: Collection[str], stand: bool | None) -> None:  # fmt: skip
        pool = [e for e in catalogue if e.id not in avoid] or list(catalogue)
        self.pool = pool
        self.stand = allows_standing(catalogue) if stand is None else stand
        rng = random.Random(seed)
        # Drawn in a fixed order, so the result depends only on the inputs and the seed.
        self.jitter = {e.id: rng.random() for e in pool}
        self.tie = {c: rng.random() for c in sorted({e.category for e in pool})}
        seconds = {e.id: e.seconds for e in catalogue} | {WALK_ID: WALK_S}
        self.done: dict[str, float] = {}
        for ident, category in recent:
            self.add(category, seconds.get(ident, UNKNOWN_SECONDS))
        self.age = {ident: n for n, (ident, _) in reversed(list(enumerate(recent)))}
        self.never = len(recent) + 1
        self._due: dict[tuple[float, bool], dict[str, int]] = {}

    def due(self, budget: float, up: bool) -> dict[str, int]:
        """For each category, how long ago (`age`, `never` for not done) its exercise done
        longest ago was, among those a break of `budget` can hold (with `up`, only those that
        get the user up): what `_fresh` lets come next."""
        key = (budget, up)
        if key not in self._due:
            due: dict[str, int] = {}
            for e in servable(self.pool, budget, stand=self.stand):
                if not up or e.where in UP_PLACES:
                    age = self.age.get(e.id, self.never)
                    due[e.category] = max(age, due.get(e.category, age))
            self._due[key] = due
        return self._due[key]

    def add(self, category: str, seconds: float) -> None:
        self.done[category] = self.done.get(category, 0.0) + seconds

    def behind(self, category: str, done: dict[str, float]) -> float:
        """Seconds a category is behind its share of the time so far (negative: ahead)."""
        return _share(category) * sum(done.values()) - done.get(category, 0.0)

    def best(self, members: Sequence[Exercise]) -> Exercise:
        # The one done longest ago (or never), then the seed's choice.
        return max(members, key=lambda e: (self.age.get(e.id, self.never), -self.jitter[e.id]))

    def leads(self, *, stretch: bool = False, up: bool = False,
              may: Callable[[Exercise], bool] = lambda _e: True) -> list[Exercise]:
        """Everything that may start a routine (no stretch unless `stretch`: it needs strength
        first; with `up` only what gets the user up; only what `may` allows), best first: the
        category furthest behind, then the exercise done longest ago."""
        return sorted(
            _fresh([e for e in self.pool if (stretch or e.category != STRETCH)
                    and (not up or e.where in UP_PLACES) and may(e)], self.age),
            key=lambda e: (-self.behind(e.category, self.done), self.tie[e.category],
                           -self.age.get(e.id, self.never), self.jitter[e.id]),
        )  # fmt: skip

    def routine(self, start: Sequence[Exercise], budget: float, *, fill: bool) -> list[Exercise]:
        """`start` plus what fits `budget`; with `fill`, any category may fill the rest,
        otherwise only those still behind their share of time. With `stand`, the routine gets
        the user up: a standing or floor exercise first when one fits, else the walk."""
        up_first = self.stand and not gets_up(start)
        routine = self._grow(start, budget, fill, up_first=up_first)
        if up_first and not gets_up(routine):
            walk = stand_and_walk(min(WALK_S, budget))
            rest = self._grow(start, budget - walk.seconds, fill, up_first=False)
            return [*start, walk, *_in_order([e for e in rest if e not in start])]
        if not routine:
            routine = self._alone()
        return _in_order(routine)

    def _grow(self, start: Sequence[Exercise], budget: float, fill: bool, *,
              up_first: bool) -> list[Exercise]:  # fmt: skip
        done = dict(self.done)
        for e in start:
            done[e.category] = done.get(e.category, 0.0) + e.seconds
        routine = list(start)
        top_up = False
        while True:
            up = up_first and not gets_up(routine)
            chosen = self._next(routine, done, budget, fill, up=up, top_up=top_up)
            if not chosen and not (fill or top_up or up):
                # Every category has its share: the rest of the break still gets exercise (the
                # user set its length), from categories not yet in it, in their serving order.
                top_up = True
                continue
            if not chosen:
                break
            for e in chosen:
                done[e.category] = done.get(e.category, 0.0) + e.seconds
            routine += chosen
        return routine

    def _alone(self) -> list[Exercise]:
        """A break too short for anything: one exercise anyway (when standing is not allowed;
        with it, the walk stands in), the shortest of the category furthest behind, never a
        stretch unless that is all there is."""
        pool = [e for e in self.pool if e.category != STRETCH] or self.pool
        if not pool:
            return []
        category = min({e.category for e in pool},
                       key=lambda c: (-self.behind(c, self.done), self.tie[c]))  # fmt: skip
        members = [e for e in pool if e.category == category]
        shortest = min(e.seconds for e in members)
        return [self.best(_fresh([e for e in members if e.seconds == shortest], self.age))]

    def _next(self, routine: list[Exercise], done: dict[str, float], budget: float,
              fill: bool, *, up: bool = False, top_up: bool = False) -> list[Exercise]:  # fmt: skip
        """The next exercise for `routine` (with its strength partner for a stretch), or [].
        With `up`, only a standing or floor exercise (or a stretch with one as its partner);
        with `top_up`, from any category, still in each one's serving order."""
        used = sum(e.seconds for e in routine)
        taken = {e.category for e in routine}
        options = [e for e in self.pool if e.category not in taken and _compatible(e, routine)]
        # Fits first, then the no-repeat rule among what fits.
        fits = [e for e in options if used + e.seconds <= budget
                and (not up or e.where in UP_PLACES)]
        if fill:  # "Another exercise": the length comes first, so no category waits
            return self._choose(_fresh(fits, self.age), routine, options, done, budget, fill)
        strict = _fresh(fits, self.age, self.due(budget, False))
        if not up:
            return self._choose(strict, routine, options, done, budget, fill or top_up)
        # What gets the user up comes from a category near or behind its share whose chair
        # work is not due first; failing that, a standing exercise may come back sooner (the
        # shares and getting up come before variety).
        behind = [e for e in strict if self.behind(e.category, done) > -AHEAD_S]
        return (self._choose(behind, routine, options, done, budget, fill)
                or self._choose(_fresh(fits, self.age, self.due(budget, True)), routine,
                                options, done, budget, fill))  # fmt: skip

    def _choose(self, fitting: list[Exercise], routine: list[Exercise],
                options: list[Exercise], done: dict[str, float], budget: float,
                fill: bool) -> list[Exercise]:  # fmt: skip
        """The best of `fitting` for the next slot of `routine`: the category furthest behind,
        a stretch with a strength partner from `options`; or []."""
        used = sum(e.seconds for e in routine)
        ranked = sorted({e.category for e in fitting},
                        key=lambda c: (-self.behind(c, done), self.tie[c]))  # fmt: skip
        for category in ranked:
            if routine and not fill and self.behind(category, done) <= 0:
                return []  # fill a routine only with what is still short of its share
            choice = self.best([e for e in fitting if e.category == category])
            if category != STRETCH or _has_strength(routine):
                return [choice]
            room = budget - used - choice.seconds
            room_for = [e for e in options if e.category in STRENGTH and e.seconds <= room
                        and _compatible(e, [*routine, choice])]  # fmt: skip
            partners = _fresh(room_for, self.age, None if fill else self.due(budget, False))
            if partners:
                return [self.best(partners), choice]
        return []


def _fresh(pool: Sequence[Exercise], age: dict[str, int],
           due: dict[str, int] | None = None) -> list[Exercise]:  # fmt: skip
    """What may be picked: in each category, the exercises not done lately (`age` holds the
    recent ones), or when it has none left, only its one done longest ago. With `due` (each
    category's longest-ago age among what the break can hold, from `_Plan.due`), a category
    whose exercise due next does not fit here offers nothing: it waits for a break where it
    fits rather than repeat a newer one. The single home of the no-repeat rule; it holds for
    today's picks whatever span `recent` covers, as today's are the newest."""
    by_category: dict[str, list[Exercise]] = {}
    for e in pool:
        by_category.setdefault(e.category, []).append(e)
    allowed: set[str] = set()
    for category, members in by_category.items():
        ages = {e.id: age.get(e.id, math.inf) for e in members}
        oldest = max(ages.values())
        if due is not None and oldest < due.get(category, -1):
            continue
        allowed.update(i for i, a in ages.items() if a == oldest)
    return [e for e in pool if e.id in allowed]


def allows_standing(catalogue: Sequence[Exercise]) -> bool:
    """What `stand` is when not given: the catalogue has a standing exercise."""
    return any(e.where == "standing" for e in catalogue)


def coverage(catalogue: Sequence[Exercise], break_seconds: float, *,
             stand: bool | None = None) -> list[str]:  # fmt: skip
    """What a setting cannot offer, in words for `sitbreak exercises --check` and the settings
    window: a category with no exercise left, or none that fits the break (beside what gets
    the user up, when standing is allowed); a stretch that cannot fit beside strength work; a
    category with a single exercise (it comes back every day); no standing exercise that fits
    (breaks then begin with a stand-up-and-walk step). [] when every category is served."""
    out: list[str] = []
    length = ExactSeconds(round(break_seconds))
    stand = allows_standing(catalogue) if stand is None else stand
    walk = _walk_needed(catalogue, break_seconds, stand)
    fit = {e.id for e in servable(catalogue, break_seconds, stand=stand, paired=False)}
    for category in CATEGORIES:
        members = [e for e in catalogue if e.category == category]
        name = category_name(category)
        if not members:
            out.append(Text("no {category} exercise is left with these places and exclusions: "
                            "allow more places in {places}, or exclude less", category=name,
                            places="[exercises] places"))
        elif not any(e.id in fit for e in members):
            need = min(_room_needed(e, catalogue, stand) for e in members)
            if category == STRETCH:  # it comes after strength work
                need += min((e.seconds for e in catalogue if e.category in STRENGTH), default=0)
            words = ("no {category} exercise fits a {length} break beside what gets you up: set "
                     "{key} to at least {need} to get it" if stand else
                     "no {category} exercise fits a {length} break: set {key} to at least "
                     "{need} to get it")
            out.append(Text(words, category=name, length=length, key="[breaks] length",
                            need=ExactSeconds(need)))
        elif category == STRETCH and not _stretch_fits(catalogue, break_seconds - walk):
            out.append(Text("no stretch fits a {length} break together with the strength work "
                            "it comes after: set {key} longer to get stretches", length=length,
                            key="[breaks] length"))
        elif len(members) == 1:
            out.append(Text("only one {category} exercise ({id}) is left: it comes back every "
                            "day", category=name, id=members[0].id))
    if walk:
        out.append(Text("no standing exercise fits a {length} break: each break begins with "
                        "{walk} of standing up and walking", length=length,
                        walk=ExactSeconds(round(walk))))
    most = most_seconds(catalogue, stand)
    if catalogue and break_seconds > most + LONG_SLACK_S:
        out.append(Text("a full {length} break: a routine holds one exercise of each category, "
                        "at most {most} with these places and exclusions, so breaks end "
                        "sooner; set {key} to {most} or less", length=length,
                        most=ExactSeconds(most), key="[breaks] length"))
    return out


def most_seconds(catalogue: Sequence[Exercise], stand: bool) -> int:
    """The longest routine `catalogue` can make: the longest exercise of each category, with
    floor or chair work but not both (and the walk when standing is required and nothing
    else gets the user up)."""
    most = 0
    for world in ({"chair", "standing"}, {"floor", "standing"}):
        members = [e for e in catalogue if e.where in world]
        longest: dict[str, int] = {}
        for e in members:
            longest[e.category] = max(longest.get(e.category, 0), round(e.seconds))
        walk = WALK_S if stand and members and not any(e.where in UP_PLACES for e in members) else 0
        most = max(most, sum(longest.values()) + walk)
    return most


def servable(catalogue: Sequence[Exercise], break_seconds: float, *,
             stand: bool | None = None, paired: bool = True) -> list[Exercise]:  # fmt: skip
    """The exercises a break of `break_seconds` can hold: each fits it, and with standing
    allowed (`stand`) one done in the chair fits beside an exercise that gets the user up (or
    beside the walk, when none of those fits); with `paired`, a stretch only where a strength
    exercise fits beside it (it never comes alone)."""
    stand = allows_standing(catalogue) if stand is None else stand
    ups = [e for e in catalogue if e.where in UP_PLACES and e.seconds <= break_seconds]
    walk = _walk_needed(catalogue, break_seconds, stand)

    def fits(e: Exercise) -> bool:
        if not stand or e.where in UP_PLACES:
            return e.seconds + walk <= break_seconds
        return any(e.seconds + u.seconds <= break_seconds and _compatible(e, [u]) for u in ups)

    fit = [e for e in catalogue if fits(e)]
    if not paired:
        return fit
    strength = [s for s in fit if s.category in STRENGTH]
    return [e for e in fit if e.category != STRETCH or any(
        e.seconds + s.seconds <= break_seconds and _compatible(e, [s]) for s in strength)]


def _walk_needed(catalogue: Sequence[Exercise], break_seconds: float, stand: bool) -> float:
    """Seconds of stand-up-and-walk each break needs: none unless standing is allowed and no
    exercise that gets the user up fits the break."""
    if not stand or any(e.where in UP_PLACES and e.seconds <= break_seconds for e in catalogue):
        return 0.0
    return min(WALK_S, break_seconds)


def _room_needed(e: Exercise, catalogue: Sequence[Exercise], stand: bool) -> float:
    """The shortest break that serves `e`: itself, or with standing required and `e` done in
    the chair, beside the shortest exercise that gets the user up (else the walk)."""
    if not stand or e.where in UP_PLACES:
        return e.seconds
    ups = [u.seconds for u in catalogue if u.where in UP_PLACES and _compatible(e, [u])]
    return e.seconds + min(ups, default=WALK_S)


def _stretch_fits(catalogue: Sequence[Exercise], break_seconds: float) -> bool:
    # A stretch comes with a strength exercise of a place it may share a routine with.
    strength = [e for e in catalogue if e.category in STRENGTH]
    return any(s.seconds + e.seconds <= break_seconds and _compatible(s, [e])
               for s in catalogue if s.category == STRETCH for e in strength)  # fmt: skip


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
    # The walk gets the user up first; warm, working muscles stretch better, so a stretch goes
    # last; strength leads the rest.
    return sorted(routine, key=lambda e: (e.category != WALK, e.category == STRETCH,
                                          e.category not in STRENGTH))

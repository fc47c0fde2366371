"""How the programme adapts: exercise families with levels, ratings, "this hurt", check-ins.

Plain rules, no clock: every function takes the wall time it needs. The progress of a user is
a fold over what they did and said (`Did`, `Rated`, `Answered`, `CheckIn`, in time order), so
the history file is the only store and a re-read always gives the same levels.

The rules, as a physiotherapist would run a home programme:

- A family (the seated knee lift: a small lift held briefly, a lift above 90 degrees held
  longer, the same with a slower lowering) has 2-4 levels. Everyone starts at level 1.
- After `UP_AFTER_S` (two weeks) at a level, with at least `MIN_GOOD` breaks rated easy or fine
  and no "this hurt" in the family for two weeks, the next break offers the next level; the user
  accepts it or stays (then it is offered again two weeks later).
- "Too hard" or "this hurt" takes the family one level down at once (never below level 1).
- "This hurt" also takes that exercise out of rotation for `REST_S` (two weeks), and two of them
  within `CLINICIAN_WINDOW_S` (a week) suggest checking with a clinician.
- The 24-hour rule: back pain (0-10, optional check-ins at the first and last break of the day)
  that rose by more than `PAIN_RISE` points over a day and has not settled by the next day's
  first check-in takes the families that day used one level down.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from tray_app.core.exercise import Exercise, Step
from tray_app.core.model import Kind, Row
from tray_app.core.safety import SAFETY_LINE
from tray_app.core.text import Joined, Plural, Text

DAY_S = 86400.0
UP_AFTER_S = 14 * DAY_S
REST_S = 14 * DAY_S
CLINICIAN_WINDOW_S = 7 * DAY_S
MIN_GOOD = 3  # breaks rated easy or fine at a level before the next is offered
PAIN_RISE = 2  # points: more than this over a day is a flare
PAIN_RANGE = (0, 10)
MIN_LEVELS, MAX_LEVELS = 2, 4

EASY, FINE, TOO_HARD, HURT = "easy", "fine", "too-hard", "hurt"
RATINGS = (EASY, FINE, TOO_HARD, HURT)
GOOD = frozenset({EASY, FINE})
# What each rating is called on a button and in the statistics.
RATING_LABELS = {EASY: Text("Easy"), FINE: Text("Fine"), TOO_HARD: Text("Too hard"),
                 HURT: Text("This hurt")}

# Why a family's level changed (the statistics name these).
ACCEPTED, TWENTY_FOUR_HOUR = "accepted", "24-hour rule"

CLINICIAN_ADVICE = Text(
    "Two moves hurt within a week. Before going on with them, check with a clinician (a "
    "physiotherapist or your doctor) which moves suit you. {safety}", safety=SAFETY_LINE)


@dataclass(frozen=True)
class Level:
    """One level of a family: a catalogue exercise, with its counted steps' reps, hold and
    tempo replaced where given."""

    exercise_id: str
    reps: int | None = None
    hold: float | None = None
    tempo: float | None = None


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    levels: tuple[Level, ...]

    @property
    def top(self) -> int:
        return len(self.levels)

    def level(self, number: int) -> Level:
        """Level `number` (1-based)."""
        return self.levels[number - 1]


# What the fold reads, each at a wall time.
@dataclass(frozen=True)
class Did:
    """An exercise was done in a break."""

    wall: float
    exercise_id: str


@dataclass(frozen=True)
class Rated:
    wall: float
    exercise_id: str
    rating: str

    def __post_init__(self) -> None:
        if self.rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}, got {self.rating!r}")


@dataclass(frozen=True)
class Answered:
    """The user accepted the harder version of a family, or chose to stay."""

    wall: float
    family_id: str
    accept: bool


@dataclass(frozen=True)
class CheckIn:
    wall: float
    pain: int

    def __post_init__(self) -> None:
        low, high = PAIN_RANGE
        whole = isinstance(self.pain, int) and not isinstance(self.pain, bool)
        if not whole or not low <= self.pain <= high:
            raise ValueError(f"pain must be a whole number {low}-{high}, got {self.pain!r}")


Fact = Did | Rated | Answered | CheckIn


@dataclass(frozen=True)
class LevelChange:
    wall: float
    family_id: str
    level: int
    reason: str  # a rating (too-hard, hurt), ACCEPTED or TWENTY_FOUR_HOUR


@dataclass(frozen=True)
class FamilyProgress:
    level: int = 1
    since: float | None = None  # when this level was first used (None: not used yet)
    good: int = 0  # easy or fine ratings at this level
    last_hurt: float | None = None


@dataclass(frozen=True)
class Progress:
    families: Mapping[str, FamilyProgress] = field(default_factory=dict)
    rested_until: Mapping[str, float] = field(default_factory=dict)  # exercise id -> wall
    hurts: tuple[tuple[float, str], ...] = ()  # (wall, exercise id) of every "this hurt"
    changes: tuple[LevelChange, ...] = ()
    # Check-ins by day: day -> (first pain, last pain); families used by day.
    pain: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    used: Mapping[int, frozenset[str]] = field(default_factory=dict)
    last_exercise: str | None = None

    def family(self, family_id: str) -> FamilyProgress:
        return self.families.get(family_id, FamilyProgress())


def family_of(families: Iterable[Family]) -> dict[str, Family]:
    """Exercise id -> the family it belongs to (an exercise is in at most one family)."""
    return {lv.exercise_id: f for f in families for lv in f.levels}


def fold(facts: Iterable[Fact], families: Iterable[Family], day_of: Callable[[float], int],
         progress: Progress | None = None) -> Progress:
    """The progress after `facts` (in time order), from `progress` or a new user."""
    fams = tuple(families)
    by_exercise = family_of(fams)
    by_id = {f.id: f for f in fams}
    p = progress or Progress()
    for fact in facts:
        p = _apply(p, fact, by_exercise, by_id, day_of)
    return p


def _set(p: Progress, family_id: str, fp: FamilyProgress) -> Progress:
    return replace(p, families={**p.families, family_id: fp})


def _move(p: Progress, fam: Family, wall: float, by: int, reason: str) -> Progress:
    """Take `fam` `by` levels up or down (within its levels), starting the level afresh."""
    fp = p.family(fam.id)
    level = min(fam.top, max(1, fp.level + by))
    p = _set(p, fam.id, replace(fp, since=wall, good=0, level=level))
    if level == fp.level:  # already at the bottom (or top): the level starts afresh
        return p
    return replace(p, changes=(*p.changes, LevelChange(wall, fam.id, level, reason)))


def _apply(p: Progress, fact: Fact, by_exercise: Mapping[str, Family],
           by_id: Mapping[str, Family], day_of: Callable[[float], int]) -> Progress:
    if isinstance(fact, CheckIn):
        return _check_in(p, fact, by_id, day_of)
    if isinstance(fact, Answered):
        fam = by_id.get(fact.family_id)
        if fam is None:
            return p
        if fact.accept and ready(p, fam, fact.wall):
            return _move(p, fam, fact.wall, +1, ACCEPTED)
        if not fact.accept:  # stay: ask again after another spell at this level
            return _set(p, fam.id, replace(p.family(fam.id), since=fact.wall, good=0))
        return p
    fam = by_exercise.get(fact.exercise_id)
    if isinstance(fact, Did):
        p = replace(p, last_exercise=fact.exercise_id)
        if fam is None:
            return p
        day = day_of(fact.wall)
        p = replace(p, used={**p.used, day: p.used.get(day, frozenset()) | {fam.id}})
        fp = p.family(fam.id)
        return p if fp.since is not None else _set(p, fam.id, replace(fp, since=fact.wall))
    # Rated
    if fact.rating == HURT:
        p = replace(p, hurts=(*p.hurts, (fact.wall, fact.exercise_id)),
                    rested_until={**p.rested_until, fact.exercise_id: fact.wall + REST_S})
    if fam is None:
        return p
    fp = p.family(fam.id)
    if fp.since is None:
        fp = replace(fp, since=fact.wall)
    if fact.rating == HURT:
        fp = replace(fp, last_hurt=fact.wall)
    p = _set(p, fam.id, fp)
    if fact.rating in (TOO_HARD, HURT):
        return _move(p, fam, fact.wall, -1, fact.rating)
    return _set(p, fam.id, replace(fp, good=fp.good + 1))


def _check_in(p: Progress, fact: CheckIn, by_id: Mapping[str, Family],
              day_of: Callable[[float], int]) -> Progress:
    day = day_of(fact.wall)
    first_today = day not in p.pain
    before = p.pain.get(day - 1)
    first = fact.pain if first_today else p.pain[day][0]
    p = replace(p, pain={**p.pain, day: (first, fact.pain)})
    if first_today and before is not None:
        start, end = before
        if end - start > PAIN_RISE and fact.pain - start > PAIN_RISE:
            for family_id in sorted(p.used.get(day - 1, ())):
                if family_id in by_id:
                    p = _move(p, by_id[family_id], fact.wall, -1, TWENTY_FOUR_HOUR)
    return p


def ready(p: Progress, fam: Family, now: float) -> bool:
    """Whether `fam` may be offered its next level at `now`."""
    fp = p.family(fam.id)
    return (fp.level < fam.top and fp.since is not None and now - fp.since >= UP_AFTER_S
            and fp.good >= MIN_GOOD
            and (fp.last_hurt is None or now - fp.last_hurt >= REST_S))


def offers(p: Progress, families: Iterable[Family], now: float) -> tuple[str, ...]:
    """The families ready for a harder version at `now`."""
    return tuple(f.id for f in families if ready(p, f, now))


def in_rotation(p: Progress, exercise_id: str, now: float) -> bool:
    """False for two weeks after the exercise was rated "this hurt"."""
    return now >= p.rested_until.get(exercise_id, float("-inf"))


def clinician_advice(p: Progress, now: float) -> str | None:
    """The advice to check with a clinician when two "this hurt" fell within a week up to
    `now`, else None."""
    return advice_for([w for w, _ in p.hurts], now)


def advice_for(hurt_walls: Iterable[float], now: float) -> str | None:
    """CLINICIAN_ADVICE when two of `hurt_walls` fall within the week up to `now`."""
    recent = [w for w in hurt_walls if now - CLINICIAN_WINDOW_S < w <= now]
    return CLINICIAN_ADVICE if len(recent) >= 2 else None


def remember(last: str | None, hurts: tuple[float, ...], rows: Iterable[Row], now: float,
             ) -> tuple[str | None, tuple[float, ...]]:
    """The last exercise done and the week's "this hurt" walls after `rows` (oldest first)."""
    for r in rows:
        if r.kind == Kind.EXERCISE and r.exercise_id:
            last = r.exercise_id
        elif r.kind == Kind.RATING and r.detail == HURT:
            hurts = (*hurts, r.wall)
    return last, tuple(w for w in hurts if now - w < CLINICIAN_WINDOW_S)


def with_level(exercise: Exercise, level: Level) -> Exercise:
    """`exercise` with its counted steps set to `level`'s reps, hold and tempo; each changed
    step keeps its slack (the seconds to get into position) and says what this level asks."""
    if level.reps is None and level.hold is None and level.tempo is None:
        return exercise
    steps = []
    for s in exercise.steps:
        if s.tempo is None and s.hold is None:
            steps.append(s)
            continue
        new = replace(s, reps=level.reps if level.reps is not None and s.reps else s.reps,
                      hold=level.hold if level.hold is not None and s.hold else s.hold,
                      tempo=level.tempo if level.tempo is not None and s.tempo else s.tempo)
        slack = max(0.0, s.seconds - s.work)
        seconds = max(1, round(new.work + slack + 0.499))
        steps.append(replace(new, seconds=seconds, text=Text("{step} {level}", step=Text(s.text),
                                                             level=_level_words(new))))
    return replace(exercise, steps=tuple(steps))


def _level_words(s: Step) -> Text:
    parts: list[str] = []
    if s.reps:
        parts.append(Plural("{n} time", "{n} times", s.reps))
    if s.hold:
        parts.append(Text("hold {seconds} s", seconds=f"{s.hold:g}"))
    if s.tempo:
        parts.append(Text("{seconds} s per move", seconds=f"{s.tempo:g}"))
    return Text("This level: {what}.", what=Joined(parts))


def current(p: Progress, fam: Family) -> Level:
    return fam.level(p.family(fam.id).level)


def in_use(exercise: Exercise, p: Progress, families: Iterable[Family],
           catalogue: Mapping[str, Exercise], now: float) -> Exercise:
    """What a break shows for a picked `exercise`: its family's level in use (that level's
    exercise with its reps, hold and tempo, named with the level), or `exercise` itself when
    it is in no family or the level's exercise is not on offer (not in `catalogue`, or out of
    rotation)."""
    fam = family_of(families).get(exercise.id)
    if fam is None:
        return exercise
    level = current(p, fam)
    chosen = catalogue.get(level.exercise_id)
    if chosen is None or not in_rotation(p, chosen.id, now):
        return exercise
    number = p.family(fam.id).level
    return replace(with_level(chosen, level), name=Text("{name} · level {number} of {top}",
                                                        name=Text(chosen.name), number=number,
                                                        top=fam.top))


ACCEPT, STAY = "accept", "stay"  # the detail of a `level` row
# The history rows the programme reads.
PROGRAMME_KINDS = frozenset({Kind.EXERCISE, Kind.RATING, Kind.LEVEL, Kind.CHECKIN, Kind.RETEST})


def facts_from_rows(rows: Iterable[Row]) -> list[Fact]:
    """What the history's rows (in time order) tell the fold; rows it cannot read (an import
    from elsewhere, a hand edit) are passed over."""
    out: list[Fact] = []
    for r in rows:
        try:
            if r.kind == Kind.EXERCISE and r.exercise_id:
                out.append(Did(r.wall, r.exercise_id))
            elif r.kind == Kind.RATING and r.exercise_id and r.detail in RATINGS:
                out.append(Rated(r.wall, r.exercise_id, r.detail))
            elif r.kind == Kind.LEVEL and r.category and r.detail in (ACCEPT, STAY):
                out.append(Answered(r.wall, r.category, r.detail == ACCEPT))
            elif r.kind == Kind.CHECKIN and r.detail and r.detail.isdigit():
                out.append(CheckIn(r.wall, int(r.detail)))
        except ValueError:
            continue
    return out


def rating_row(wall: float, exercise_id: str, rating: str) -> Row:
    return Row(Kind.RATING, wall, 0.0, exercise_id, None, Rated(wall, exercise_id, rating).rating)


def answer_row(wall: float, family_id: str, accept: bool) -> Row:
    return Row(Kind.LEVEL, wall, 0.0, None, family_id, ACCEPT if accept else STAY)


def checkin_row(wall: float, pain: int) -> Row:
    return Row(Kind.CHECKIN, wall, 0.0, None, None, str(CheckIn(wall, pain).pain))


def summary(p: Progress, families: Iterable[Family], rows: Iterable[Row], now: float,
            ) -> dict[str, object]:
    """The programme as plain data for `stats --json` and the statistics window: the level of
    each family (and its changes), ratings counted, "this hurt" events, check-ins, re-tests."""
    rows = list(rows)
    counts = dict.fromkeys(RATINGS, 0)
    for r in rows:
        if r.kind == Kind.RATING and r.detail in counts:
            counts[r.detail] += 1
    return {
        "levels": {f.id: {"name": f.name, "level": p.family(f.id).level, "top": f.top,
                          "exercise": current(p, f).exercise_id,
                          "ready_for_next": ready(p, f, now),
                          "changes": [{"wall": c.wall, "level": c.level, "reason": c.reason}
                                      for c in p.changes if c.family_id == f.id]}
                   for f in families},
        "ratings": counts,
        "hurt": [{"wall": w, "exercise_id": e, "rested_until": w + REST_S} for w, e in p.hurts],
        "checkins": [{"wall": r.wall, "pain": int(r.detail)} for r in rows
                     if r.kind == Kind.CHECKIN and r.detail and r.detail.isdigit()],
        "retests": [{"wall": r.wall, "item": r.exercise_id, "side": r.category,
                     "value": float(r.detail)} for r in rows
                    if r.kind == Kind.RETEST and r.exercise_id and _number(r.detail)],
        "clinician_advice": clinician_advice(p, now),
    }


def _number(text: str | None) -> bool:
    try:
        return text is not None and math.isfinite(float(text))
    except ValueError:
        return False

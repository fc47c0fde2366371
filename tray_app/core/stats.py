"""Daily and weekly statistics from history rows: pure maths, no clock, no files.

A "day" starts at `day_starts` minutes after local midnight (04:00 by default), so a late
evening that runs past midnight still counts as the evening's day.

What each number means (a fold over the rows, one row kind each; the README repeats this):
  breaks_offered   a movement break fell due and was offered (`break_offered`), once per break
  reoffers         the same break offered again after a snooze or a pause (`break_reoffered`)
  breaks_started   the user began a break's exercises (`started`)
  breaks_taken     breaks ended with Done: completed + ended_early
  breaks_standing  breaks with an exercise done standing or on the floor (`exercise` rows whose
                   detail names the place, "1/2 standing"): the breaks that got the user up
  completed        Done after at least 80% of the break's planned time (`completed`)
  ended_early      Done sooner than that (`ended_early`)
  snoozed          snoozes, each one (`snoozed`); a started break that is snoozed is not taken
  skipped          breaks let go, by the user or held back too long (`skipped`)
  natural_breaks   the user left the desk long enough on their own (`natural_break`)
  exercise minutes by category: the seconds actually spent on each exercise (`exercise`),
                   whatever way the break ended
  exercise minutes by exercise: the same seconds by exercise id (rows that name one)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from tray_app.core import schedule
from tray_app.core.exercise import UP_PLACES
from tray_app.core.model import Kind, Row
from tray_app.core.session import COMPLETE_SHARE
from tray_app.core.text import Text

# Rows without a category (or with an unknown one) are still counted, under this name.
UNCATEGORISED = "other"

# The counters every day and every week total carries, in display order.
COUNT_FIELDS = (
    "sitting_seconds",
    "stretches",
    "longest_stretch_seconds",
    "breaks_offered",
    "reoffers",
    "breaks_started",
    "breaks_taken",
    "breaks_standing",
    "completed",
    "ended_early",
    "snoozed",
    "skipped",
    "natural_breaks",
    "posture_nudges",
)

_EPOCH = date(1970, 1, 1).toordinal()

# What each word means, for the statistics window (the README says the same).
WORDS: dict[str, str] = {
    "breaks_offered": Text("a movement break fell due and was offered (once per break)"),
    "reoffers": Text("the same break offered again after a snooze or a pause"),
    "breaks_started": Text("you began a break's exercises"),
    "breaks_taken": Text("you ended a break with Done (completed or ended early)"),
    "breaks_standing": Text("breaks in which you stood up (or got down on the floor) to "
                            "exercise"),
    "completed": Text("Done after at least {share} of the break's planned time",
                      share=f"{COMPLETE_SHARE:.0%}"),
    "ended_early": Text("Done sooner than that; the seconds you did still count"),
    "snoozed": Text("each snooze; a started break that is snoozed is not taken"),
    "skipped": Text("breaks let go, by you or held back too long by a fullscreen window"),
    "natural_breaks": Text("you left the desk long enough on your own"),
}

# The UTC offset (seconds east of UTC) in force at a wall time; a plain int means a fixed offset.
UtcOffset = int | Callable[[float], int]


def day_of(wall: float, utc_offset_s: int, day_starts_min: int) -> date:
    """The statistics day a wall time belongs to: local date, with days turning at day_starts."""
    return date.fromordinal(_EPOCH + schedule.day_key(wall, utc_offset_s, day_starts_min))


def day_start_wall(day: date, utc_offset_s: int, day_starts_min: int) -> float:
    """The wall time at which `day` begins (inverse of day_of for a fixed offset)."""
    return schedule.day_key_start(day.toordinal() - _EPOCH, utc_offset_s, day_starts_min)


@dataclass
class Totals:
    """Counters over some span of time (a day, or a week)."""

    sitting_seconds: float = 0.0
    stretches: int = 0
    longest_stretch_seconds: float = 0.0
    breaks_offered: int = 0
    reoffers: int = 0
    breaks_started: int = 0
    breaks_taken: int = 0
    breaks_standing: int = 0
    completed: int = 0
    ended_early: int = 0
    snoozed: int = 0
    skipped: int = 0
    natural_breaks: int = 0
    posture_nudges: int = 0
    exercise_minutes_by_category: dict[str, float] = field(default_factory=dict)
    exercise_minutes_by_exercise: dict[str, float] = field(default_factory=dict)

    @property
    def exercise_minutes(self) -> float:
        """All exercise minutes, whatever the category."""
        return sum(self.exercise_minutes_by_category.values())

    def add(self, other: Totals) -> None:
        """Fold `other` into these totals (longest stretch is a maximum, not a sum)."""
        for name in COUNT_FIELDS:
            if name == "longest_stretch_seconds":
                self.longest_stretch_seconds = max(
                    self.longest_stretch_seconds, other.longest_stretch_seconds
                )
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))
        _merge(self.exercise_minutes_by_category, other.exercise_minutes_by_category)
        _merge(self.exercise_minutes_by_exercise, other.exercise_minutes_by_exercise)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON: the counters (seconds whole) plus minutes by category and by
        exercise."""
        out: dict[str, object] = {name: _whole(getattr(self, name)) for name in COUNT_FIELDS}
        out["exercise_minutes_by_category"] = dict(self.exercise_minutes_by_category)
        out["exercise_minutes_by_exercise"] = dict(self.exercise_minutes_by_exercise)
        return out


def _merge(into: dict[str, float], other: dict[str, float]) -> None:
    for key, minutes in other.items():
        into[key] = into.get(key, 0.0) + minutes


@dataclass
class DayStats(Totals):
    """Totals for one statistics day."""

    day: date = date(1970, 1, 1)
    # While folding: the break whose exercise rows are being read was already counted standing.
    _up_counted: bool = field(default=False, repr=False, compare=False)


@dataclass(frozen=True)
class Change:
    """How a week's number moved against the week before; percent is None when that was 0."""

    absolute: float
    percent: float | None


@dataclass(frozen=True)
class WeekSummary:
    """The last seven days (ending `end`, inclusive) against the seven before them."""

    start: date
    end: date
    totals: Totals
    previous: Totals
    change: dict[str, Change]


def _whole(value: float | int) -> int:
    return round(value)


def _offset_at(utc_offset: UtcOffset, wall: float) -> int:
    return utc_offset if isinstance(utc_offset, int) else int(utc_offset(wall))


def _add_minutes(day: DayStats, row: Row) -> None:
    minutes = row.duration_s / 60
    cat = row.category or UNCATEGORISED
    day.exercise_minutes_by_category[cat] = day.exercise_minutes_by_category.get(cat, 0.0) + minutes
    if row.exercise_id:
        day.exercise_minutes_by_exercise[row.exercise_id] = (
            day.exercise_minutes_by_exercise.get(row.exercise_id, 0.0) + minutes
        )


def _count(day: DayStats, row: Row) -> None:
    kind = row.kind
    if kind == Kind.STRETCH_ENDED:
        day.sitting_seconds += row.duration_s
        day.stretches += 1
        day.longest_stretch_seconds = max(day.longest_stretch_seconds, row.duration_s)
    elif kind == Kind.BREAK_OFFERED:
        day.breaks_offered += 1
    elif kind == Kind.BREAK_REOFFERED:
        day.reoffers += 1
    elif kind == Kind.BREAK_STARTED:
        day.breaks_started += 1
    elif kind == Kind.SNOOZED:
        day.snoozed += 1
    elif kind == Kind.SKIPPED:
        day.skipped += 1
    elif kind == Kind.EXERCISE:
        _add_minutes(day, row)
        place, _, where = (row.detail or "").partition(" ")
        if place.startswith("1/"):  # a break's first exercise
            day._up_counted = False
        if where in UP_PLACES and not day._up_counted:
            day.breaks_standing += 1
            day._up_counted = True
    elif kind == Kind.COMPLETED:
        detail = row.detail or ""
        # Rows written before `exercise` rows existed carried the exercise themselves, one
        # per exercise of a routine ("routine 2/3"): the break counts once, at its first part.
        if row.exercise_id is not None or row.category is not None:
            _add_minutes(day, row)
        if not detail.startswith("routine ") or detail.startswith("routine 1/"):
            day.completed += 1
            day.breaks_taken += 1
    elif kind == Kind.ENDED_EARLY:
        day.ended_early += 1
        day.breaks_taken += 1
    elif kind == Kind.NATURAL_BREAK:
        day.natural_breaks += 1
    elif kind == Kind.POSTURE_NUDGE:
        day.posture_nudges += 1


def fold(rows: Iterable[Row], day: date = date(1970, 1, 1)) -> DayStats:
    """The statistics of `rows` taken as one day (the definitions are in this module's doc)."""
    out = DayStats(day=day)
    for row in rows:
        _count(out, row)
    return out


def daily_stats(
    rows: Iterable[Row],
    *,
    first: date,
    last: date,
    utc_offset: UtcOffset,
    day_starts_min: int,
) -> list[DayStats]:
    """One DayStats per day from `first` to `last` inclusive (empty days included), oldest first.

    A row counts on the day of its own wall time: a stretch that ends at 04:10 after starting
    at 03:30 counts on the new day, whole, because the row only knows when it ended.
    """
    days: dict[date, DayStats] = {}
    cursor = first
    while cursor <= last:
        days[cursor] = DayStats(day=cursor)
        cursor += timedelta(days=1)
    for row in rows:
        bucket = days.get(day_of(row.wall, _offset_at(utc_offset, row.wall), day_starts_min))
        if bucket is not None:
            _count(bucket, row)
    return list(days.values())


def _change(now: float, before: float) -> Change:
    percent = None if before == 0 else round((now - before) / before * 100, 1)
    return Change(absolute=now - before, percent=percent)


def week_summary(days: Iterable[DayStats], end: date) -> WeekSummary:
    """Totals for the 7 days ending `end` and the 7 before, with the change between them.

    `days` must cover both weeks for the comparison to mean anything; missing days count as empty.
    """
    start = end - timedelta(days=6)
    prev_start = start - timedelta(days=7)
    totals, previous = Totals(), Totals()
    for d in days:
        if start <= d.day <= end:
            totals.add(d)
        elif prev_start <= d.day < start:
            previous.add(d)
    change = {
        name: _change(getattr(totals, name), getattr(previous, name)) for name in COUNT_FIELDS
    }
    change["exercise_minutes"] = _change(totals.exercise_minutes, previous.exercise_minutes)
    return WeekSummary(start=start, end=end, totals=totals, previous=previous, change=change)


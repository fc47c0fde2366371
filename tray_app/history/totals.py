"""Per-day totals kept beside the raw events: the same fold as the statistics, stored by day.

Events before `folded_until` (always the start of a statistics day) are folded into
`daily_totals`; statistics read those days from there and fold only newer events. A row written
later with an older time (an import, a recovered stretch) is added to its day's stored totals.
The app's writer folds each day once rows of a later day are written (see writer.py).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from tray_app.core.model import Row
from tray_app.core.stats import DayStats, daily_stats, day_of, day_start_wall

_FIELDS = tuple(f.name for f in dataclasses.fields(DayStats) if f.name != "day")


@dataclass(frozen=True)
class Days:
    """Statistics days: they turn at `day_starts` minutes after local midnight."""

    day_starts: int
    offset: Callable[[float], int]

    def of(self, wall: float) -> date:
        return day_of(wall, self.offset(wall), self.day_starts)

    def start(self, day: date) -> float:
        """The wall time `day` begins; two passes, as the offset at the boundary may differ."""
        guess = day_start_wall(day, 0, self.day_starts)
        return day_start_wall(day, self.offset(guess), self.day_starts)

    def fold(self, rows: Iterable[Row], first: date, last: date) -> list[DayStats]:
        return daily_stats(
            rows, first=first, last=last, utc_offset=self.offset, day_starts_min=self.day_starts
        )


def encode(day: DayStats) -> str:
    data = dataclasses.asdict(day)
    del data["day"]
    return json.dumps(data, separators=(",", ":"))


def decode(day: date, text: str) -> DayStats:
    data = json.loads(text)
    return DayStats(day=day, **{k: v for k, v in data.items() if k in _FIELDS})


def is_empty(day: DayStats) -> bool:
    return day == DayStats(day=day.day)


def load(conn: sqlite3.Connection, first: date, last: date) -> dict[date, DayStats]:
    cur = conn.execute(
        "SELECT day, totals FROM daily_totals WHERE day >= ? AND day <= ?",
        (first.isoformat(), last.isoformat()),
    )
    return {date.fromisoformat(d): decode(date.fromisoformat(d), t) for d, t in cur}


def add(conn: sqlite3.Connection, days: Iterable[DayStats]) -> None:
    """Add each day's totals to what is stored for it (inside the caller's transaction)."""
    for day in days:
        if is_empty(day):
            continue
        key = day.day.isoformat()
        found = conn.execute("SELECT totals FROM daily_totals WHERE day = ?", (key,)).fetchone()
        if found is not None:
            stored = decode(day.day, found[0])
            stored.add(day)
            day = stored
        conn.execute(
            "INSERT OR REPLACE INTO daily_totals (day, totals) VALUES (?, ?)", (key, encode(day))
        )


def add_rows(conn: sqlite3.Connection, rows: list[Row], days: Days) -> None:
    """Fold rows that arrived after their day was folded into the stored totals."""
    if not rows:
        return
    first = min(days.of(r.wall) for r in rows)
    last = max(days.of(r.wall) for r in rows)
    add(conn, days.fold(rows, first, last))


def meta(conn: sqlite3.Connection) -> tuple[float, int, float | None] | None:
    """(folded_until, day_starts, exercises_from), or None before anything was folded.

    `exercises_from` is where filling in minutes by exercise for days folded before they
    were kept continues (None: nothing to fill in)."""
    return conn.execute(
        "SELECT folded_until, day_starts, exercises_from FROM totals_meta").fetchone()


def set_meta(conn: sqlite3.Connection, folded_until: float, day_starts: int) -> None:
    conn.execute(
        "INSERT INTO totals_meta (id, folded_until, day_starts) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET folded_until = excluded.folded_until, "
        "day_starts = excluded.day_starts",
        (folded_until, day_starts),
    )


def set_exercises_from(conn: sqlite3.Connection, wall: float | None) -> None:
    conn.execute("UPDATE totals_meta SET exercises_from = ?", (wall,))


def fill_exercises(conn: sqlite3.Connection, folded: Iterable[DayStats]) -> None:
    """Replace the stored minutes by exercise of each day with raw events by theirs (the
    other figures are left as they are: the day may hold events pruned since)."""
    for day in folded:
        if is_empty(day):
            continue
        key = day.day.isoformat()
        found = conn.execute("SELECT totals FROM daily_totals WHERE day = ?", (key,)).fetchone()
        if found is None:
            continue
        stored = decode(day.day, found[0])
        stored.exercise_minutes_by_exercise = dict(day.exercise_minutes_by_exercise)
        conn.execute("UPDATE daily_totals SET totals = ? WHERE day = ?", (encode(stored), key))


def next_chunk(start: float, through: float, days: Days, chunk_days: int) -> float:
    """The end of the next settling step: at most `chunk_days` days on, on a day boundary."""
    return min(through, days.start(days.of(start) + timedelta(days=chunk_days)))

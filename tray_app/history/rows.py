"""What a history row may hold: the one place that says which rows the file, the statistics
and the export can take.

The app's writer, an import and the reading queries all use these bounds, so a row that gets
in can always be folded into a day, shown and exported (a wall time in year 1 or 1e308 breaks
date arithmetic; NaN breaks SQLite's NOT NULL; a duration of 1e308 breaks every sum).
"""

from __future__ import annotations

import math
import re

from tray_app.core.model import Kind, Row

KINDS = frozenset(k.value for k in Kind)
# Stored rows: dates every offset and day boundary can still turn into a calendar day.
STORE_FIRST_WALL = 0.0  # 1970-01-01
STORE_LAST_WALL = 4_102_444_800.0  # 2100-01-01
# Imported rows: what a sitbreak could have written (not before 2000, not tomorrow).
IMPORT_FIRST_WALL = 946_684_800.0  # 2000-01-01
FUTURE_SLACK_S = 86400.0
# No single row lasts longer than this (a stretch without idle for a month is already absurd).
MAX_DURATION_S = 31 * 86400.0
# A break, an exercise or a day's exercise minutes fit in one day.
MAX_BREAK_S = 86400.0
BREAK_KINDS = frozenset({Kind.EXERCISE, Kind.COMPLETED, Kind.ENDED_EARLY, Kind.BREAK_STARTED})
MAX_ID_CHARS = 100  # exercise_id, category
MAX_DETAIL_CHARS = 2000
# Reading queries skip rows outside the bounds a file may hold from before they existed.
SANE_SQL = (f"(wall >= {STORE_FIRST_WALL} AND wall < {STORE_LAST_WALL} "
            f"AND duration_s >= 0 AND duration_s <= {MAX_DURATION_S})")


_CONTROL = re.compile("[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
SURROGATE = re.compile("[\ud800-\udfff]")  # a byte that was not UTF-8 (surrogateescape)


def _text_problem(name: str, value: object, limit: int, newlines: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return f"{name} is not text"
    if len(value) > limit:
        return f"{name} is {len(value)} characters long (at most {limit})"
    found = (_CONTROL_BUT_LINES if newlines else _CONTROL).search(value)
    if found:
        return f"{name} holds the control character {found.group()!r}"
    if SURROGATE.search(value):
        return f"{name} is not UTF-8 text"
    return None


def problem(row: Row, first: float = STORE_FIRST_WALL, last: float = STORE_LAST_WALL,
            ) -> str | None:
    """Why `row` can't be stored (between wall times `first` and `last`), or None."""
    if not isinstance(row.kind, str) or row.kind not in KINDS:
        shown = repr(row.kind)[:40]
        return f"kind {shown} is not one sitbreak writes"
    for name, value in (("wall", row.wall), ("duration_s", row.duration_s)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{name} is not a number"
        if not math.isfinite(value):
            return f"{name} {value!r} is not a finite number"
    if not first <= row.wall < last:
        return f"wall {row.wall!r} is outside {_year(first)}..{_year(last)}"
    longest = MAX_BREAK_S if row.kind in BREAK_KINDS else MAX_DURATION_S
    if not 0 <= row.duration_s <= longest:
        return f"duration_s {row.duration_s!r} is outside 0..{longest:.0f} seconds"
    return (_text_problem("exercise_id", row.exercise_id, MAX_ID_CHARS, False)
            or _text_problem("category", row.category, MAX_ID_CHARS, False)
            or _text_problem("detail", row.detail, MAX_DETAIL_CHARS, True))


def _year(wall: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(wall, UTC).strftime("%Y-%m-%d")

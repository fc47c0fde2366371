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
from tray_app.support.i18n import _

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
        return _("{field} is not text").format(field=name)
    if len(value) > limit:
        return _("{field} is {n} characters long (at most {most})").format(field=name, n=len(value),
                                                                        most=limit)
    found = (_CONTROL_BUT_LINES if newlines else _CONTROL).search(value)
    if found:
        return _("{field} holds the control character {char}").format(field=name,
                                                                      char=repr(found.group()))
    if SURROGATE.search(value):
        return _("{field} is not UTF-8 text").format(field=name)
    return None


def problem(row: Row, first: float = STORE_FIRST_WALL, last: float = STORE_LAST_WALL,
            ) -> str | None:
    """Why `row` can't be stored (between wall times `first` and `last`), or None."""
    if not isinstance(row.kind, str) or row.kind not in KINDS:
        shown = repr(row.kind)[:40]
        return _("{field} {value} is not one sitbreak writes").format(field="kind", value=shown)
    for name, value in (("wall", row.wall), ("duration_s", row.duration_s)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _("{field} is not a number").format(field=name)
        if not math.isfinite(value):
            return _("{field} {value} is not a finite number").format(field=name,
                                                                         value=repr(value))
    if not first <= row.wall < last:
        return _("{field} {value} is outside {first}..{last}").format(
            field="wall", value=repr(row.wall), first=_year(first), last=_year(last))
    longest = MAX_BREAK_S if row.kind in BREAK_KINDS else MAX_DURATION_S
    if not 0 <= row.duration_s <= longest:
        return _("{field} {value} is outside 0..{most} seconds").format(
            field="duration_s", value=repr(row.duration_s), most=f"{longest:.0f}")
    return (_text_problem("exercise_id", row.exercise_id, MAX_ID_CHARS, False)
            or _text_problem("category", row.category, MAX_ID_CHARS, False)
            or _text_problem("detail", row.detail, MAX_DETAIL_CHARS, True))


def _year(wall: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(wall, UTC).strftime("%Y-%m-%d")

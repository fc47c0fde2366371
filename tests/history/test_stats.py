"""Day and week statistics over a generated month, checked against sums worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tray_app.core.model import Kind, Row
from tray_app.core.stats import daily_stats, day_of, day_start_wall, week_summary

OFFSET = 3600  # UTC+1, fixed, so the test does not depend on the machine's zone
DAY_STARTS = 4 * 60
FIRST = date(2025, 2, 3)  # a Monday
DAYS = 28


def local(d: date, hour: int, minute: int = 0) -> float:
    """Wall time of a local clock reading at UTC+1."""
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=UTC).timestamp() - OFFSET


def month() -> list[Row]:
    """Four weeks of a plausible routine; day i varies so every day's numbers differ."""
    rows: list[Row] = []
    for i in range(DAYS):
        d = FIRST + timedelta(days=i)
        rows.append(Row(Kind.STRETCH_ENDED, local(d, 10), 1800 + 60 * i))
        rows.append(Row(Kind.BREAK_OFFERED, local(d, 10)))
        if i % 2 == 0:
            rows.append(Row(Kind.STARTED, local(d, 10, 1)))
            rows.append(Row(Kind.COMPLETED, local(d, 10, 3), 120, "dead-bug", "core"))
        else:
            rows.append(Row(Kind.SKIPPED, local(d, 10, 1)))
        if i % 7 == 3:
            rows.append(Row(Kind.SNOOZED, local(d, 10, 0)))
        rows.append(Row(Kind.POSTURE_NUDGE, local(d, 11)))
        rows.append(Row(Kind.NATURAL_BREAK, local(d, 12)))
        rows.append(Row(Kind.POSTURE_NUDGE, local(d, 14)))
        rows.append(Row(Kind.STRETCH_ENDED, local(d, 15), 3600))
        rows.append(Row(Kind.HEADS_UP, local(d, 9, 59)))  # not counted anywhere
    # A late night: 03:00 on the 14th (calendar) still belongs to day 10, the 13th.
    rows.append(Row(Kind.STRETCH_ENDED, local(FIRST + timedelta(days=11), 3), 900))
    return rows


def test_day_of_rolls_over_at_day_starts() -> None:
    d = date(2025, 2, 13)
    nxt = d + timedelta(days=1)
    assert day_of(local(nxt, 3), OFFSET, DAY_STARTS) == d
    assert day_of(local(nxt, 3, 59), OFFSET, DAY_STARTS) == d
    assert day_of(local(nxt, 4), OFFSET, DAY_STARTS) == nxt
    assert day_of(local(d, 23, 59), OFFSET, DAY_STARTS) == d
    # With days starting at midnight the same 03:00 is the next calendar day.
    assert day_of(local(nxt, 3), OFFSET, 0) == nxt
    # The offset matters: 23:30 UTC is 00:30 tomorrow at UTC+1.
    late = datetime(2025, 2, 13, 23, 30, tzinfo=UTC).timestamp()
    assert day_of(late, 0, 0) == d
    assert day_of(late, OFFSET, 0) == nxt


def test_day_start_wall_is_the_inverse_of_day_of() -> None:
    d = date(2025, 2, 13)
    start = day_start_wall(d, OFFSET, DAY_STARTS)
    assert start == local(d, 4)
    assert day_of(start, OFFSET, DAY_STARTS) == d
    assert day_of(start - 1, OFFSET, DAY_STARTS) == d - timedelta(days=1)


def test_every_day_of_the_month() -> None:
    days = daily_stats(month(), first=FIRST, last=FIRST + timedelta(days=DAYS - 1),
                       utc_offset=OFFSET, day_starts_min=DAY_STARTS)
    assert [d.day for d in days] == [FIRST + timedelta(days=i) for i in range(DAYS)]
    for i, d in enumerate(days):
        late = 900 if i == 10 else 0
        assert d.sitting_seconds == 1800 + 60 * i + 3600 + late, i
        assert d.stretches == (3 if i == 10 else 2), i
        assert d.longest_stretch_seconds == 3600  # 1800 + 60*27 = 3420 stays below it
        assert d.breaks_offered == 1
        assert d.breaks_taken == (1 if i % 2 == 0 else 0)
        assert d.completed == (1 if i % 2 == 0 else 0)
        assert d.skipped == (0 if i % 2 == 0 else 1)
        assert d.snoozed == (1 if i % 7 == 3 else 0)
        assert d.natural_breaks == 1
        assert d.posture_nudges == 2
        assert d.exercise_minutes_by_category == ({"core": 2.0} if i % 2 == 0 else {})


def test_late_event_counts_on_the_previous_day_not_the_calendar_day() -> None:
    days = daily_stats(month(), first=FIRST, last=FIRST + timedelta(days=DAYS - 1),
                       utc_offset=OFFSET, day_starts_min=DAY_STARTS)
    assert days[10].sitting_seconds == 1800 + 600 + 3600 + 900
    assert days[11].sitting_seconds == 1800 + 660 + 3600
    # Counted from midnight instead, the 900 s would move to day 11.
    midnight = daily_stats(month(), first=FIRST, last=FIRST + timedelta(days=DAYS - 1),
                           utc_offset=OFFSET, day_starts_min=0)
    assert midnight[11].sitting_seconds == 1800 + 660 + 3600 + 900


def test_rows_outside_the_range_are_ignored_and_empty_days_kept() -> None:
    last = FIRST + timedelta(days=DAYS + 2)
    days = daily_stats(month(), first=FIRST + timedelta(days=27), last=last,
                       utc_offset=OFFSET, day_starts_min=DAY_STARTS)
    assert len(days) == 4
    assert days[0].stretches == 2
    assert all(d.stretches == 0 and d.sitting_seconds == 0 for d in days[1:])


def test_week_summary_against_the_week_before() -> None:
    last = FIRST + timedelta(days=DAYS - 1)
    days = daily_stats(month(), first=FIRST, last=last, utc_offset=OFFSET,
                       day_starts_min=DAY_STARTS)
    week = week_summary(days, last)
    assert week.start == FIRST + timedelta(days=21) and week.end == last
    # Days 21..27: 7 * 5400 + 60 * (21 + ... + 27) = 37800 + 60 * 168.
    assert week.totals.sitting_seconds == 47880
    # Days 14..20: 37800 + 60 * 119.
    assert week.previous.sitting_seconds == 44940
    assert week.change["sitting_seconds"].absolute == 2940
    assert week.change["sitting_seconds"].percent == 6.5  # 2940 / 44940 = 6.54 %
    # Even days taken: 22, 24, 26 this week; 14, 16, 18, 20 the week before.
    assert week.totals.breaks_taken == 3
    assert week.previous.breaks_taken == 4
    assert week.change["breaks_taken"].absolute == -1
    assert week.change["breaks_taken"].percent == -25.0
    # One snooze in each week (day 24 and day 17).
    assert week.change["snoozed"].absolute == 0 and week.change["snoozed"].percent == 0.0
    # Longest is a maximum over the week, not a sum.
    assert week.totals.longest_stretch_seconds == 3600
    assert week.totals.exercise_minutes_by_category == {"core": 6.0}
    assert week.change["exercise_minutes"].absolute == -2.0
    assert week.totals.stretches == 14 and week.totals.posture_nudges == 14


def test_change_percent_is_none_when_the_week_before_was_empty() -> None:
    last = FIRST + timedelta(days=6)
    days = daily_stats(month(), first=FIRST, last=last, utc_offset=OFFSET,
                       day_starts_min=DAY_STARTS)
    week = week_summary(days, last)
    assert week.previous.sitting_seconds == 0
    assert week.change["sitting_seconds"].percent is None
    assert week.change["sitting_seconds"].absolute == week.totals.sitting_seconds


def test_offset_function_follows_a_clock_change() -> None:
    # From the change onwards the zone is UTC+2: 03:30 UTC is 05:30 local, a new day.
    change = datetime(2025, 3, 30, 1, 0, tzinfo=UTC).timestamp()

    def offset(wall: float) -> int:
        return 7200 if wall >= change else 3600

    wall = datetime(2025, 3, 30, 2, 30, tzinfo=UTC).timestamp()
    days = daily_stats([Row(Kind.STRETCH_ENDED, wall, 60)], first=date(2025, 3, 29),
                       last=date(2025, 3, 30), utc_offset=offset, day_starts_min=DAY_STARTS)
    # 04:30 local at UTC+2 is after 04:00, so it is the 30th; at UTC+1 it would be the 29th.
    assert [d.stretches for d in days] == [0, 1]


@pytest.mark.parametrize("category", [None, "something-new"])
def test_uncategorised_exercise_minutes_are_kept(category: str | None) -> None:
    d = date(2025, 2, 3)
    rows = [Row(Kind.COMPLETED, local(d, 10), 90, "x", category)]
    [day] = daily_stats(rows, first=d, last=d, utc_offset=OFFSET, day_starts_min=DAY_STARTS)
    assert day.exercise_minutes_by_category == {category or "other": 1.5}

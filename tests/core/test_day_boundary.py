"""One day boundary for the machine's day roll-over and the statistics (issue 15)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tray_app.core import schedule
from tray_app.core.stats import day_of, day_start_wall

walls = st.floats(min_value=0, max_value=4e9, allow_nan=False)
offsets = st.integers(-12 * 3600, 14 * 3600)
starts = st.integers(0, 1439)


@given(walls, offsets, starts)
def test_statistics_day_is_the_machines_day(wall: float, offset: int, day_starts: int) -> None:
    key = schedule.day_key(wall, offset, day_starts)
    assert day_of(wall, offset, day_starts) == date(1970, 1, 1) + timedelta(days=key)


@given(walls, offsets, starts)
def test_the_day_ends_where_the_next_one_starts(wall: float, offset: int, day_starts: int) -> None:
    end = wall + schedule.seconds_to_day_end(wall, offset, day_starts)
    today = day_of(wall, offset, day_starts)
    assert end == day_start_wall(today + timedelta(days=1), offset, day_starts)
    assert day_start_wall(today, offset, day_starts) <= wall < end

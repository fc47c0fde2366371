"""Working hours and day boundaries, computed from wall time plus a UTC offset (no clock reads)."""

from __future__ import annotations

from tray_app.core.model import ScheduleSettings

DAY = 86400.0


def _local(wall: float, utc_offset_s: int) -> float:
    return wall + utc_offset_s


def weekday(wall: float, utc_offset_s: int) -> int:
    """Monday = 0; 1970-01-01 was a Thursday."""
    return (int(_local(wall, utc_offset_s) // DAY) + 3) % 7


def in_hours(sched: ScheduleSettings, wall: float, utc_offset_s: int) -> bool:
    """True when `wall` falls on a working day inside one of the working-hour ranges.

    A range whose end is before its start runs past midnight and belongs to the day it starts on.
    """
    local = _local(wall, utc_offset_s)
    minute = (local % DAY) / 60.0
    day = weekday(wall, utc_offset_s)
    for start, end in sched.hours:
        if start <= end:
            if day in sched.days and start <= minute < end:
                return True
        else:
            if day in sched.days and minute >= start:
                return True
            if (day - 1) % 7 in sched.days and minute < end:
                return True
    return False


def seconds_to_next_change(sched: ScheduleSettings, wall: float, utc_offset_s: int) -> float | None:
    """Seconds until in_hours() flips, or None if it never does (e.g. all day, every day)."""
    local = _local(wall, utc_offset_s)
    midnight = local - (local % DAY)
    now_in = in_hours(sched, wall, utc_offset_s)
    candidates: list[float] = []
    for d in range(0, 9):
        base = midnight + d * DAY
        candidates.append(base)
        for start, end in sched.hours:
            candidates.extend((base + start * 60.0, base + end * 60.0))
    for c in sorted(candidates):
        if c > local and in_hours(sched, c - utc_offset_s, utc_offset_s) != now_in:
            return c - local
    return None


def day_key(wall: float, utc_offset_s: int, day_starts_min: int) -> int:
    """Days since the epoch of the 'sitbreak day', which rolls over at `day_starts_min` local.

    The one place day boundaries are computed: statistics (core.stats.day_of) use it too.
    """
    return int((_local(wall, utc_offset_s) - day_starts_min * 60.0) // DAY)


def day_key_start(key: int, utc_offset_s: int, day_starts_min: int) -> float:
    """The wall time at which day `key` begins (inverse of day_key for a fixed offset)."""
    return key * DAY - utc_offset_s + day_starts_min * 60.0


def seconds_to_day_end(wall: float, utc_offset_s: int, day_starts_min: int) -> float:
    key = day_key(wall, utc_offset_s, day_starts_min)
    return day_key_start(key + 1, utc_offset_s, day_starts_min) - wall


def next_day_start(wall: float, utc_offset_s: int, day_starts_min: int) -> float:
    """The wall time at which the next day begins (the settings' `day_starts`, e.g. 04:00)."""
    return wall + seconds_to_day_end(wall, utc_offset_s, day_starts_min)

"""The machine's time zone, read in one place: the UTC offset in force at a wall time."""

from __future__ import annotations

from datetime import datetime

# Offsets change on whole quarter hours (UTC) in every zone in use, so one reading per quarter
# hour is exact; the cache spares statistics a time-zone lookup per row.
_QUARTER = 900.0


def utc_offset(wall: float) -> int:
    """Seconds east of UTC in the machine's time zone at `wall` (follows daylight saving)."""
    offset = datetime.fromtimestamp(wall).astimezone().utcoffset()
    return int(offset.total_seconds()) if offset else 0


class CachedOffset:
    """utc_offset with a per-quarter-hour memo, for folding or exporting many rows. The memo
    is bounded (rows come in time order, so recent quarters are the ones asked again)."""

    LIMIT = 4096

    def __init__(self) -> None:
        self._seen: dict[int, int] = {}

    def __call__(self, wall: float) -> int:
        key = int(wall // _QUARTER)
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) >= self.LIMIT:
                self._seen.clear()
            found = self._seen[key] = utc_offset(key * _QUARTER)
        return found

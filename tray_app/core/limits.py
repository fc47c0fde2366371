"""The longest pause and snooze anyone may ask for: the one rule the command line, the control
socket and the core all check against, so none of them accepts what another refuses.

Larger numbers are refused up front so they can never be applied and then break status (a wall
time past year 9999 has no date).
"""

from __future__ import annotations

import math

from tray_app.core.duration import range_text, short

# A week at most: a longer absence is better served by quitting sitbreak.
PAUSE_S = (1.0, 7 * 86400.0)
# A day at most: the next day's first stretch starts afresh anyway.
SNOOZE_S = (1.0, 86400.0)
# Wall times after this (2100-01-01 UTC) are refused.
MAX_WALL = 4102444800.0


def check_seconds(what: str, seconds: float | None, limits: tuple[float, float]) -> None:
    """Raise ValueError, saying what is allowed, unless `seconds` is None or within `limits`."""
    if seconds is None:
        return
    low, high = limits
    if not (isinstance(seconds, int | float) and math.isfinite(seconds)
            and low <= seconds <= high):
        raise ValueError(f"{what}: {range_text(low, high)}, got {seconds!r}")


def check_pause_end(until_wall: float, now_wall: float) -> None:
    """Raise ValueError unless a pause from `now_wall` to `until_wall` fits PAUSE_S (the
    Pause event has already refused a wall time that is not finite or past MAX_WALL)."""
    if until_wall - now_wall > PAUSE_S[1]:
        raise ValueError(f"pause until is more than {short(PAUSE_S[1])} away; "
                         f"{range_text(*PAUSE_S)}")

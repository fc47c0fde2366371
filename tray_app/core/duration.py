"""The one parser for durations people type, in settings files and on the command line.

It reads what sitbreak itself writes and shows: "50m", "90s", "1h30m", "1 min", "2 h 30 min",
"1 min 25 s", "10 minutes", "7d"; a bare number means minutes. Only plain decimal digits are read,
so "nan", "inf" and "1e400" are refused here, and every caller checks a finite range.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tray_app.core.text import Text

HELP = Text('use a duration such as "50m", "90s" or "1h30m" (a bare number means minutes)')
NOT_FINITE, NEGATIVE = Text("must be a finite number"), Text("must not be negative")
NOT_ZERO = Text("must be more than zero")

_UNITS: dict[str, int] = {
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)")
_LONGEST = 64  # characters; no real duration is longer


class BadValue(ValueError):
    """A value that does not fit its key; the text (args[0], a core Text where the core
    raises it: the edge translates it) says what is allowed, after the `reason` if any."""

    def __init__(self, text: str, reason: str | None = None) -> None:
        super().__init__(Text("{reason}; {allowed}", reason=reason, allowed=text) if reason
                         else text)
        self.allowed, self.reason = text, reason


def parse_duration(value: Any) -> float:
    """Seconds from a duration string or a number of minutes; raises BadValue."""
    if isinstance(value, bool):
        raise BadValue(HELP)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise BadValue(HELP, NOT_FINITE)
        if value < 0:
            raise BadValue(HELP, NEGATIVE)
        return float(value) * 60
    if not isinstance(value, str):
        raise BadValue(HELP)
    text = value.strip().lower()
    if text.startswith("-"):
        raise BadValue(HELP, NEGATIVE)
    if not text or len(text) > _LONGEST:
        raise BadValue(HELP)
    if _NUMBER.fullmatch(text):
        return float(text) * 60
    total, pos, last_unit = 0.0, 0, math.inf
    while pos < len(text):
        m = _PART.match(text, pos)
        if not m or m[2] not in _UNITS or _UNITS[m[2]] >= last_unit:
            raise BadValue(HELP)  # unknown unit, or units repeated or out of order
        last_unit = _UNITS[m[2]]
        total += float(m[1]) * last_unit
        pos = m.end()
    return total


def short(seconds: float) -> str:
    """"1h30m", "90s" for 90 s: the form used in range messages, re-readable by the parser."""
    whole = round(seconds)
    if whole >= 2 * 86400 and not whole % 86400:
        return f"{whole // 86400}d"  # the longest pause: "7d", not "168h"
    if whole < 60 or whole % 60:
        return f"{whole}s" if whole < 3600 else f"{whole // 60}m{whole % 60}s"
    h, m = divmod(whole // 60, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m else "")


class Seconds(float):
    """A duration argument of a Text: English "30 min" here, the locale's form at the edge."""

    is_seconds = True

    def __format__(self, spec: str) -> str:
        return human(self) if not spec else float.__format__(self, spec)


class ExactSeconds(Seconds):
    """A duration never rounded past the second: English "1 min 30 s" (exact)."""

    is_exact = True

    def __format__(self, spec: str) -> str:
        return exact(self) if not spec else float.__format__(self, spec)


# A duration alone: not a literal, so it is not offered to translators (the edge formats it).
_DURATION = "{duration}"


def duration_text(seconds: float, to_the_second: bool = False) -> Text:
    """human's "1 h 5 min" (`to_the_second`: exact's "1 min 30 s") in English, the locale's
    form at the edge."""
    return Text(_DURATION, duration=(ExactSeconds if to_the_second else Seconds)(seconds))


def range_span(low: float, high: float, zero_ok: bool = False) -> Text:
    """'0 (off) or a duration from 1s to 24h': what the settings window says beside a field."""
    span = Text("a duration from {low} to {high}", low=short(low), high=short(high))
    return Text("0 (off) or {span}", span=span) if zero_ok else span


def range_text(low: float, high: float, zero_ok: bool = False) -> Text:
    """What a duration key allows, e.g. 'use 0 (off) or a duration from 1s to 24h'."""
    return Text("use {span}", span=range_span(low, high, zero_ok))


def parse_duration_within(value: Any, low: float, high: float, zero_ok: bool = False) -> float:
    """parse_duration, then the range check every caller needs; raises BadValue."""
    allowed = Text('{range}, such as "50m", "90s" or "1h30m"',
                   range=range_text(low, high, zero_ok))
    try:
        seconds = parse_duration(value)
    except BadValue as exc:
        raise BadValue(allowed, exc.reason) from None
    if seconds == 0 and zero_ok:
        return 0.0
    if seconds == 0:
        raise BadValue(allowed, NOT_ZERO)
    if not low <= seconds <= high:
        raise BadValue(allowed)
    return seconds


# --- showing durations: the one home for every duration sitbreak prints --------------------


def human(seconds: float) -> str:
    """Rounded for reading: "45 s", "12 min", "1 h 5 min", "2 h"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    return f"{h} h {m} min" if m else f"{h} h"


def exact(seconds: float) -> str:
    """Never rounded past the second: 90 s is "1 min 30 s", not "2 min"; 0 is "0 s"."""
    h, rest = divmod(round(seconds), 3600)
    m, s = divmod(rest, 60)
    parts = [f"{h} h"] * bool(h) + [f"{m} min"] * bool(m) + [f"{s} s"] * bool(s)
    return " ".join(parts) or "0 s"


def countdown(seconds: float) -> str:
    """A countdown clock: whole seconds rounded up, as m:ss."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def table(seconds: float) -> str:
    """For columns of numbers, to the minute: "0m", "45m", "3h 05m"."""
    h, m = divmod(round(seconds / 60), 60)
    return f"{h}h {m:02d}m" if h else f"{m}m"

"""Every settings key: its kind, its allowed range, its label, and how a value is checked.

One table serves the validator (check-settings, live reload), the settings window (labels,
units, ranges) and the tray's writes, so all of them say the same thing about a key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tray_app.core.duration import BadValue, parse_duration_within, range_span
from tray_app.core.exercise import PLACES
from tray_app.core.limits import SNOOZE_S
from tray_app.core.model import (
    WEEKDAYS,
    BreakSettings,
    ExerciseSettings,
    GeneralSettings,
    HistorySettings,
    MeetingSettings,
    NotificationSettings,
    PostureSettings,
    ProgrammeSettings,
    ScheduleSettings,
    SittingSettings,
    SmartPauseSettings,
    SnoozeSettings,
    SoundSettings,
)
from tray_app.core.text import Text
from tray_app.support import i18n
from tray_app.support.i18n import _

H = 3600.0
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A list longer than this is a mistake, not a choice (and would flood a message).
LONGEST_LIST = 64


@dataclass(frozen=True)
class Key:
    """One key: `kind` picks the check; low/high bound durations (seconds) and numbers."""

    kind: str  # duration, durations, bool, int, days, hours, clock, places, names, path, glob
    label: str
    low: float | None = None
    high: float | None = None
    zero_ok: bool = False  # a duration of 0 means "off"

    @property
    def unit(self) -> str:
        """What the settings window prints beside the field."""
        if self.kind in ("duration", "durations"):
            return range_span(self.low or 0, self.high or 0, self.zero_ok)
        if self.kind == "int":
            return Text("a whole number from {low} to {high}", low=f"{self.low:g}",
                        high=f"{self.high:g}")
        return {  # Text: the settings window shows these in the user's language
            "clock": Text('a time of day, "HH:MM"'),
            "hours": Text('ranges such as "09:00-17:30"'),
            "path": Text('a file path, or "" for none'),
            "glob": Text('a file pattern such as "/dev/video*", or "" for none'),
            "moments": Text('breaks of the day: "first", "last"'),
            "language": Text('"" follows the desktop; or {names}', names=", ".join(languages())),
        }.get(self.kind, "")

    def parse(self, value: Any) -> Any:
        return _CHECKS[self.kind](self, value)


def _duration(key: Key, value: Any) -> float:
    return parse_duration_within(value, key.low or 0, key.high or 0, key.zero_ok)


def _durations(key: Key, value: Any) -> tuple[float, ...]:
    return _list(value, lambda v: _duration(key, v), example='["5m", "10m"]')


def _bool(_key: Key, value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadValue(_("use true or false (without quotes)"))
    return value


def _int(key: Key, value: Any) -> int:
    low, high = int(key.low or 0), int(key.high or 0)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadValue(_("use a whole number from {low} to {high}").format(low=low, high=high))
    return value


def _list(value: Any, item: Callable[[Any], Any], *, example: str, non_empty: bool = False
          ) -> tuple:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise BadValue(_("use a list in square brackets, e.g. {example}").format(example=example))
    if non_empty and not value:
        raise BadValue(_("the list must not be empty"))
    if len(value) > LONGEST_LIST:
        raise BadValue(_("use at most {n} entries").format(n=LONGEST_LIST))
    return tuple(item(v) for v in value)


def weekday(value: Any) -> int:
    # Exact names only: "mon" or "monday", in any case ("monkey" is not a Monday).
    name = value.strip().lower() if isinstance(value, str) else None
    if name in WEEKDAYS:
        return WEEKDAYS.index(name)
    if name in DAY_NAMES:
        return DAY_NAMES.index(name)
    raise BadValue(_("use day names: {names}").format(names=", ".join(f'"{d}"' for d in WEEKDAYS)))


def _days(_key: Key, value: Any) -> tuple[int, ...]:
    return _list(value, weekday, example='["mon", "tue"]', non_empty=True)


def parse_clock(value: Any) -> int:
    """Minutes after midnight from "08:30"; "24:00" is allowed as an end."""
    parts = value.strip().split(":") if isinstance(value, str) else []
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) \
            or not 1 <= len(parts[0]) <= 2 or len(parts[1]) != 2:
        raise BadValue(_('use a time of day such as "08:30"'))
    h, mi = int(parts[0]), int(parts[1])
    if mi > 59 or h > 24 or (h == 24 and mi):
        raise BadValue(_('use a time of day between "00:00" and "24:00"'))
    return h * 60 + mi


def _clock(_key: Key, value: Any) -> int:
    out = parse_clock(value)
    if out >= 24 * 60:
        raise BadValue(_('use a time of day between "00:00" and "23:59"'))
    return out


def _range(value: Any) -> tuple[int, int]:
    if isinstance(value, str) and "-" in value:
        start, _dash, end = value.partition("-")
        try:
            a, b = parse_clock(start), parse_clock(end)
        except BadValue:
            pass
        else:
            if a != b:
                return (a, b)
    raise BadValue(_('use ranges such as "09:00-17:30" (an end before the start runs past '
                     'midnight)'))


def _hours(_key: Key, value: Any) -> tuple[tuple[int, int], ...]:
    return _list(value, _range, example='["09:00-17:30"]', non_empty=True)


def _place(value: Any) -> str:
    if isinstance(value, str) and value in PLACES:
        return value
    raise BadValue(_("use any of {names}").format(names=", ".join(f'"{p}"' for p in PLACES)))


def _places(_key: Key, value: Any) -> tuple[str, ...]:
    return _list(value, _place, example='["chair", "standing"]', non_empty=True)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadValue(_("use a string in quotes"))
    return value


def _names(_key: Key, value: Any) -> tuple[str, ...]:
    return _list(value, _text, example='["kneeling", "dead-bug"]')


MAX_PATH_CHARS = 4096  # PATH_MAX: a longer path can't be opened anyway


def _path(_key: Key, value: Any) -> str:
    """A path that can be opened: no NUL byte, not absurdly long, and a ~user that exists."""
    text = _text(value)
    if "\x00" in text:
        raise BadValue(_("a path can't hold a NUL byte (\\u0000); write the file's real path"))
    if len(text) > MAX_PATH_CHARS:
        raise BadValue(_("use a path of at most {n} characters").format(n=MAX_PATH_CHARS))
    if text.startswith("~"):
        import os.path

        if os.path.expanduser(text) == text:  # an unknown user (or no home at all)
            user = text.split("/")[0][1:]
            raise BadValue(_("there is no user '{user}' on this machine for ~{user}; write the "
                             "full path, or ~/ for your own home").format(user=user[:40]))
    return text


CHECKIN_TIMES = ("first", "last")  # the first and the last break of the day


def _moment(value: Any) -> str:
    if isinstance(value, str) and value in CHECKIN_TIMES:
        return value
    raise BadValue(_("use any of {names}").format(
        names=", ".join(f'"{m}"' for m in CHECKIN_TIMES)))


def _moments(_key: Key, value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_list(value, _moment, example='["first", "last"]',
                                     non_empty=True)))


def _glob(_key: Key, value: Any) -> str:
    text = _text(value)
    if text and not text.startswith("/"):
        raise BadValue(_('use an absolute pattern such as "/dev/video*", or "" for none'))
    return text


def languages() -> list[str]:
    """The languages a setting may name: English and every shipped catalogue."""
    return sorted({"en", *i18n.available()})


def _language(_key: Key, value: Any) -> str:
    text = _text(value)
    if text and text not in languages():
        raise BadValue(_('use "" (the desktop\'s language) or one of {names}').format(
            names=", ".join(f'"{lang}"' for lang in languages())))
    return text


_CHECKS: dict[str, Callable[[Key, Any], Any]] = {
    "duration": _duration, "durations": _durations, "bool": _bool, "int": _int, "days": _days,
    "hours": _hours, "clock": _clock, "places": _places, "names": _names, "path": _path,
    "glob": _glob, "moments": _moments, "language": _language,
}


def _d(label: str, low: float, high: float, zero_ok: bool = False) -> Key:
    return Key("duration", label, low, high, zero_ok)


SCHEMA: dict[str, dict[str, Key]] = {
    "sitting": {
        "idle_reset": _d("Idle reset", 1, 24 * H),
        "break_after": _d("Break after", 1, 24 * H),
    },
    "breaks": {
        "heads_up": _d("Heads-up", 1, 24 * H, zero_ok=True),
        "strict": Key("bool", "Strict (no skip)"),
        "length": _d("Break length", 1, 2 * H),
    },
    "posture": {
        "enabled": Key("bool", "Posture cues"),
        "every": _d("Posture cue every", 1, 24 * H, zero_ok=True),
    },
    "snooze": {
        "options": Key("durations", "Snooze options", *SNOOZE_S),
        "max_per_break": Key("int", "Snoozes per break", 0, 100),
    },
    "schedule": {
        "days": Key("days", "Days"),
        "hours": Key("hours", "Hours"),
        "day_starts": Key("clock", "Day starts at"),
    },
    "smart_pause": {
        "enabled": Key("bool", "Smart pause"),
        "max_delay": _d("Hold a break at most", 1, 24 * H),
    },
    "exercises": {
        "places": Key("places", "Places"),
        "exclude": Key("names", "Never offer"),
        "extra": Key("path", "Your exercises file"),
        "screened": Key("bool", "Health questions answered"),
    },
    "history": {"keep_days": Key("int", "Keep history (days)", 1, 36500)},
    "notifications": {"enabled": Key("bool", "Notifications")},
    "sound": {
        "enabled": Key("bool", "Sounds"),
        "volume": Key("int", "Volume (%)", 0, 100),
    },
    "meetings": {
        "camera": Key("bool", "Camera in use"),
        "microphone": Key("bool", "Microphone in use"),
        "screen_sharing": Key("bool", "Screen sharing"),
        "camera_devices": Key("glob", "Camera devices"),
    },
    "programme": {
        "progression": Key("bool", "Harder versions as you progress"),
        "checkins": Key("bool", "Back-pain check-ins"),
        "checkin_times": Key("moments", "Check in at"),
        "retest_days": Key("int", "Re-test every (days)", 7, 365),
    },
    "general": {"language": Key("language", "Language")},
}

SECTIONS: dict[str, type] = {
    "sitting": SittingSettings,
    "breaks": BreakSettings,
    "posture": PostureSettings,
    "snooze": SnoozeSettings,
    "schedule": ScheduleSettings,
    "smart_pause": SmartPauseSettings,
    "exercises": ExerciseSettings,
    "history": HistorySettings,
    "notifications": NotificationSettings,
    "sound": SoundSettings,
    "meetings": MeetingSettings,
    "programme": ProgrammeSettings,
    "general": GeneralSettings,
}

def build_section(name: str, values: dict[str, Any]) -> Any:
    """The core's dataclass for one section from its checked values."""
    if name == "posture" and values.pop("enabled", True) is False:
        values["every"] = 0.0  # off keeps the user's interval in the file, not in the core
    return SECTIONS[name](**values)

"""settings.toml -> validated Settings, with messages a person can act on.

Every problem in a file is reported at once, each naming the file, the line (where it can be
found), the key, the bad value and what is allowed. A file with problems is never rewritten.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from tray_app.core.exercise import PLACES
from tray_app.core.model import (
    WEEKDAYS,
    BreakSettings,
    ExerciseSettings,
    HistorySettings,
    NotificationSettings,
    PostureSettings,
    ScheduleSettings,
    Settings,
    SittingSettings,
    SmartPauseSettings,
    SnoozeSettings,
)
from tray_app.core.problems import Problem, ProblemsError

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "settings.toml"

_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in)?)?"
    r"\s*(?:(?P<s>\d+(?:\.\d+)?)\s*s)?\s*$"
)
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
DURATION_HELP = 'use a duration such as "50m", "90s" or "1h30m" (a bare number means minutes)'


class BadValue(ValueError):
    """A value that does not fit its key; the text says what is allowed."""


def parse_duration(value: Any) -> float:
    """Seconds from "50m", "90s", "1h30m" or a bare number of minutes."""
    if isinstance(value, bool):
        raise BadValue(DURATION_HELP)
    if isinstance(value, int | float):
        if value < 0:
            raise BadValue("must not be negative; " + DURATION_HELP)
        return float(value) * 60
    if not isinstance(value, str):
        raise BadValue(DURATION_HELP)
    text = value.strip().lower()
    if text.startswith("-"):
        raise BadValue("must not be negative; " + DURATION_HELP)
    try:
        return float(text) * 60
    except ValueError:
        pass
    m = _DURATION.match(text)
    if not text or not m or not any(m.groupdict().values()):
        raise BadValue(DURATION_HELP)
    h, mi, s = (float(m[k] or 0) for k in ("h", "m", "s"))
    return h * 3600 + mi * 60 + s


def format_duration(seconds: float) -> str:
    """The inverse of parse_duration, for writing values back: 3000 -> "50m"."""
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "")
    return out or "0m"


def parse_clock(value: Any) -> int:
    """Minutes after midnight from "08:30"; "24:00" is allowed as an end."""
    m = _CLOCK.match(value) if isinstance(value, str) else None
    if not m:
        raise BadValue('use a time of day such as "08:30"')
    h, mi = int(m[1]), int(m[2])
    if mi > 59 or h > 24 or (h == 24 and mi):
        raise BadValue('use a time of day between "00:00" and "24:00"')
    return h * 60 + mi


def _positive(parse: Callable[[Any], float]) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        out = parse(value)
        if out <= 0:
            raise BadValue("must be more than zero; " + DURATION_HELP)
        return out

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadValue("use true or false (without quotes)")
    return value


def _int_at_least(low: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadValue(f"use a whole number of at least {low}")
        if value < low:
            raise BadValue(f"use a whole number of at least {low}")
        return value

    return check


def _list_of(item: Callable[[Any], Any], *, non_empty: bool = False) -> Callable[[Any], tuple]:
    def check(value: Any) -> tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise BadValue("use a list in square brackets, e.g. [\"5m\", \"10m\"]")
        if non_empty and not value:
            raise BadValue("the list must not be empty")
        return tuple(item(v) for v in value)

    return check


def _weekday(value: Any) -> int:
    if isinstance(value, str) and value.strip().lower()[:3] in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower()[:3])
    raise BadValue("use day names: " + ", ".join(f'"{d}"' for d in WEEKDAYS))


def _hours(value: Any) -> tuple[int, int]:
    if isinstance(value, str) and "-" in value:
        start, _, end = value.partition("-")
        try:
            a, b = parse_clock(start), parse_clock(end)
        except BadValue:
            pass
        else:
            if a != b:
                return (a, b)
    raise BadValue('use ranges such as "09:00-17:30" (an end before the start runs past midnight)')


def _place(value: Any) -> str:
    if isinstance(value, str) and value in PLACES:
        return value
    raise BadValue("use any of " + ", ".join(f'"{p}"' for p in PLACES))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadValue("use a string in quotes")
    return value


def _clock_value(value: Any) -> int:
    out = parse_clock(value)
    if out >= 24 * 60:
        raise BadValue('use a time of day between "00:00" and "23:59"')
    return out


@dataclass(frozen=True)
class Key:
    parse: Callable[[Any], Any]
    field: str  # attribute in the section's dataclass


SCHEMA: dict[str, dict[str, Key]] = {
    "sitting": {
        "idle_reset": Key(_positive(parse_duration), "idle_reset"),
        "break_after": Key(_positive(parse_duration), "break_after"),
    },
    "breaks": {
        "heads_up": Key(parse_duration, "heads_up"),
        "strict": Key(_bool, "strict"),
        "length": Key(_positive(parse_duration), "length"),
    },
    "posture": {"every": Key(parse_duration, "every")},
    "snooze": {
        "options": Key(_list_of(_positive(parse_duration)), "options"),
        "max_per_break": Key(_int_at_least(0), "max_per_break"),
    },
    "schedule": {
        "days": Key(_list_of(_weekday, non_empty=True), "days"),
        "hours": Key(_list_of(_hours, non_empty=True), "hours"),
        "day_starts": Key(_clock_value, "day_starts"),
    },
    "smart_pause": {
        "enabled": Key(_bool, "enabled"),
        "max_delay": Key(_positive(parse_duration), "max_delay"),
    },
    "exercises": {
        "places": Key(_list_of(_place, non_empty=True), "places"),
        "exclude": Key(_list_of(_text), "exclude"),
        "extra": Key(_text, "extra"),
    },
    "history": {"keep_days": Key(_int_at_least(1), "keep_days")},
    "notifications": {"enabled": Key(_bool, "enabled")},
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
}


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    known = ", ".join(choices)
    if close:
        return f"did you mean '{close[0]}'? Known keys: {known}"
    return f"known keys: {known}"


def _key_lines(text: str) -> dict[str, int]:
    """Line numbers of 'section.key' assignments, found by a light scan (tomllib has none)."""
    lines: dict[str, int] = {}
    section = ""
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            section = header[1]
            lines.setdefault(section, n)
            continue
        key = re.match(r"^([A-Za-z0-9_-]+)\s*=", line)
        if key:
            lines.setdefault(f"{section}.{key[1]}" if section else key[1], n)
    return lines


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def parse_settings(text: str, file: str = "settings.toml") -> Settings:
    """Validate a settings document; raise ProblemsError listing every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ProblemsError(
            [
                Problem(
                    file,
                    "",
                    f"is not valid TOML: {exc}",
                    allowed="fix the syntax (quotes around strings, key = value, [section])",
                    line=int(m[1]) if m else None,
                )
            ]
        ) from None
    lines = _key_lines(text)
    problems: list[Problem] = []
    sections: dict[str, dict[str, Any]] = {}
    for sname, body in data.items():
        if sname not in SCHEMA:
            problems.append(
                Problem(file, sname, "unknown section", allowed=_did_you_mean(sname, list(SCHEMA)),
                        line=lines.get(sname))
            )
            continue
        if not isinstance(body, dict):
            problems.append(
                Problem(file, sname, "must be a [section] of keys", value=_show(body),
                        allowed=f"write it as [{sname}]", line=lines.get(sname))
            )
            continue
        values: dict[str, Any] = {}
        for kname, raw in body.items():
            dotted = f"{sname}.{kname}"
            spec = SCHEMA[sname].get(kname)
            if spec is None:
                problems.append(
                    Problem(file, dotted, "unknown key",
                            allowed=_did_you_mean(kname, list(SCHEMA[sname])),
                            line=lines.get(dotted))
                )
                continue
            try:
                values[spec.field] = spec.parse(raw)
            except BadValue as exc:
                problems.append(
                    Problem(file, dotted, "bad value", value=_show(raw), allowed=str(exc),
                            line=lines.get(dotted))
                )
        sections[sname] = values
    built = {name: cls(**sections.get(name, {})) for name, cls in SECTIONS.items()}
    settings = Settings(**built)
    if not problems:
        problems.extend(_consistency(settings, file, lines))
    if problems:
        raise ProblemsError(problems)
    return settings


def _consistency(s: Settings, file: str, lines: dict[str, int]) -> list[Problem]:
    out: list[Problem] = []
    if s.breaks.heads_up >= s.sitting.break_after:
        out.append(
            Problem(file, "breaks.heads_up", "is not shorter than sitting.break_after",
                    value=f'"{format_duration(s.breaks.heads_up)}"',
                    allowed=f"make it shorter than {format_duration(s.sitting.break_after)}, "
                    "or 0 to turn the heads-up off",
                    line=lines.get("breaks.heads_up"))
        )
    if s.snooze.max_per_break > 0 and not s.snooze.options:
        out.append(
            Problem(file, "snooze.options", "is empty but snooze.max_per_break allows snoozes",
                    allowed='give at least one duration, e.g. ["5m"], or set max_per_break = 0',
                    line=lines.get("snooze.options"))
        )
    return out


def load_settings(path: Path) -> Settings:
    """Read and validate a settings file; a missing file is a problem, not the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemsError(
            [Problem(str(path), "", "does not exist",
                     allowed="create it, or run without --config to use the default file")]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemsError(
            [Problem(str(path), "", f"cannot be read ({exc})",
                     allowed="check the file's permissions and that it is UTF-8 text")]
        ) from None
    return parse_settings(text, str(path))


def ensure_user_file(path: Path, default: Path = DEFAULT_FILE) -> bool:
    """Copy the documented default settings to `path` on first run. True if it was created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(default, path)
    return True


def write_setting(path: Path, key: str, value: Any) -> None:
    """Change one key, keeping every comment and the order; refuses to touch a broken file.

    The write is atomic (temp file, fsync, rename) so a crash never leaves half a file.
    """
    text = path.read_text(encoding="utf-8")
    parse_settings(text, str(path))  # raises on a broken file: never overwrite the user's work
    section, _, name = key.partition(".")
    if section not in SCHEMA or name not in SCHEMA[section]:
        raise KeyError(f"unknown settings key {key!r}")
    doc = tomlkit.parse(text)
    table = doc.get(section)
    if table is None:
        table = tomlkit.table()
        doc[section] = table
    table[name] = value
    new_text = tomlkit.dumps(doc)
    parse_settings(new_text, str(path))  # the new value must be valid too
    atomic_write(path, new_text)


def atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

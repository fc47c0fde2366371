"""The settings window's model, without Tk: fields as the window shows them, the changes they
make to the file, and the problems the one validator finds in the result.

A field's value is what its widget holds: text for entries, a bool for a check box, a tuple of
names for a group of check boxes or a list. Only fields whose value differs from the one read
from the file become changes, so a save touches nothing else.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tray_app.core.duration import BadValue
from tray_app.core.exercise import PLACES
from tray_app.core.model import WEEKDAYS
from tray_app.core.problems import Problem
from tray_app.core.text import Text
from tray_app.settings.answers import in_their_order
from tray_app.settings.edit import apply_changes
from tray_app.settings.full import check_all
from tray_app.settings.schema import CHECKIN_TIMES, SCHEMA, Key, weekday
from tray_app.settings.validate import syntax_problem
from tray_app.support.i18n import N_, _, tr

# The file's sections as the window groups them, with their headings.
GROUPS: tuple[tuple[str, str], ...] = (  # titles marked: the window translates them
    ("sitting", N_("Sitting")), ("breaks", N_("Breaks")), ("posture", N_("Posture")),
    ("snooze", N_("Snooze")), ("schedule", N_("Schedule")), ("smart_pause", N_("Smart pause")),
    ("exercises", N_("Exercises")), ("history", N_("History")),
    ("notifications", N_("Notifications")), ("sound", N_("Sound")),
    ("meetings", N_("Meetings")), ("programme", N_("Programme")), ("general", N_("General")),
)
# Kinds shown as a row of check boxes, with their choices.
CHOICE_KINDS: dict[str, tuple[str, ...]] = {
    "days": WEEKDAYS, "places": PLACES, "moments": CHECKIN_TIMES}
TEXT_KINDS = ("duration", "int", "clock", "path", "glob", "hours", "durations", "language")
LIST_KINDS = ("hours", "durations")


@dataclass(frozen=True)
class Field:
    key: str
    spec: Key
    explanation: str


def fields(explained: Mapping[str, str]) -> list[Field]:
    return [Field(f"{s}.{k}", spec, explained.get(f"{s}.{k}", ""))
            for s, _title in GROUPS for k, spec in SCHEMA[s].items()]


def from_toml(spec: Key, value: Any) -> Any:
    """The widget value for a TOML value (as read from the file or the defaults)."""
    if spec.kind == "bool":
        return value if isinstance(value, bool) else False
    if spec.kind in LIST_KINDS:
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(v) for v in items)
    if spec.kind in TEXT_KINDS:
        return value if isinstance(value, str) else str(value)
    items = value if isinstance(value, list) else [value]
    if spec.kind == "days":
        days = set()
        for item in items:
            with contextlib.suppress(BadValue):
                days.add(WEEKDAYS[weekday(item)])
        return tuple(d for d in WEEKDAYS if d in days)
    if spec.kind == "places":
        return tuple(p for p in PLACES if p in items)
    if spec.kind == "moments":
        return tuple(m for m in CHECKIN_TIMES if m in items)
    return tuple(str(v) for v in items)  # names


def to_toml(spec: Key, value: Any) -> Any:
    """The TOML value to write for a widget value (the validator judges it afterwards)."""
    if spec.kind in LIST_KINDS:
        return [part.strip() for part in str(value).split(",") if part.strip()]
    if spec.kind == "int":
        text = str(value).strip()
        return int(text) if re.fullmatch(r"-?\d{1,18}", text) else text
    if spec.kind in TEXT_KINDS:
        return str(value).strip()
    if spec.kind == "bool":
        return bool(value)
    return list(value)


class Form:
    """The values read from one settings text, and what the window has changed."""

    def __init__(self, text: str, file: str, defaults: Mapping[str, Any],
                 explained: Mapping[str, str]) -> None:
        self.text = text
        self.file = file
        self.fields = fields(explained)
        self.by_key = {f.key: f for f in self.fields}
        self.broken: Problem | None = syntax_problem(text, file)
        raw = {} if self.broken else check_all(text, file).raw
        self.defaults = {f.key: from_toml(f.spec, defaults[f.key]) for f in self.fields
                         if f.key in defaults}
        self.initial = {f.key: from_toml(f.spec, raw[f.key]) if f.key in raw
                        else self.defaults.get(f.key) for f in self.fields}

    def changes(self, values: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in values.items():
            if key not in self.by_key:
                continue
            initial = self.initial[key]
            if self.by_key[key].spec.kind == "names":  # a list shows them in its own order
                if set(value) == set(initial):
                    continue
                value = in_their_order(initial, value)
            if value != initial:
                out[key] = to_toml(self.by_key[key].spec, value)
        return out

    def new_text(self, values: Mapping[str, Any]) -> str:
        return apply_changes(self.text, self.changes(values))

    def problems(self, values: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
        """Messages per key (a rule between keys shows on both) and the rest, for the top."""
        if self.broken is not None:
            return {}, [str(self.broken)]
        per_key: dict[str, str] = {}
        other: list[str] = []
        for p in check_all(self.new_text(values), self.file).problems:
            keys = [k for k in p.settings_keys() if k in self.by_key]
            for key in keys:
                per_key.setdefault(key, short_message(p))
            if not keys:
                other.append(str(p))
        return per_key, other


def short_message(p: Problem) -> str:
    """A problem as shown beside its field: no file or key, which the field already says."""
    text = p.message if p.message != _("bad value") else _("not allowed")
    if p.value is not None and len(p.settings_keys()) < 2:  # a pair's values are both on screen
        text = tr(Text("{problem} (got {value})", problem=text, value=p.value))
    return f"{text}; {p.allowed}" if p.allowed else text

"""Changing keys in the user's file with tomlkit: comments, order, spacing and every key not
changed stay exactly as they were; a file with a mistake in it is never rewritten."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tray_app.core.duration import BadValue, short
from tray_app.core.problems import ProblemsError
from tray_app.settings.files import (
    ChangedOnDisk,
    read_settings_text,
    replace_if_unchanged,
)
from tray_app.settings.schema import SCHEMA, Key
from tray_app.settings.validate import check_text

# What "on" restores when the interval in the file is 0 (as the default file has it).
DEFAULT_POSTURE_EVERY = "20m"


def apply_changes(text: str, changes: Mapping[str, Any]) -> str:
    """`text` with each 'section.key' in `changes` set; a value of None removes the key."""
    for key in changes:
        section, _, name = key.partition(".")
        if section not in SCHEMA or name not in SCHEMA[section]:
            raise KeyError(f"unknown settings key {key!r}")
    import tomlkit  # here, not at the top: the tray process loads it only when it writes

    doc = tomlkit.parse(text)
    for key, value in changes.items():
        section, _, name = key.partition(".")
        table = doc.get(section)
        if value is None:
            if table is not None and name in table:
                del table[name]
            continue
        if table is None:
            table = tomlkit.table()
            doc[section] = table
        if name in table and _same(SCHEMA[section][name], table[name], value):
            continue  # unchanged ("90s" for "1m30s"): keep the user's spelling and spacing
        table[name] = value
    return tomlkit.dumps(doc)


def _same(key: Key, old: Any, new: Any) -> bool:
    try:
        return bool(key.parse(_plain(old)) == key.parse(new))
    except BadValue:
        return False


def _plain(value: Any) -> Any:
    """A tomlkit item as the plain Python value tomllib would give."""
    return value.unwrap() if hasattr(value, "unwrap") else value


def posture_changes(text: str, on: bool) -> dict[str, Any]:
    """What turning posture cues on or off writes: the switch, never the user's interval.

    Only when the interval itself is 0 (the old way to turn cues off) does "on" give it the
    documented default again.
    """
    changes: dict[str, Any] = {"posture.enabled": on}
    every = check_text(text).raw.get("posture.every", DEFAULT_POSTURE_EVERY)
    if on and _same(SCHEMA["posture"]["every"], every, 0):
        changes["posture.every"] = DEFAULT_POSTURE_EVERY
    return changes


def write_settings(path: Path, changes: Mapping[str, Any], expected_text: str | None = None
                   ) -> str:
    """Set several keys at once, atomically; returns the new text.

    Refuses (ProblemsError) a file that has a mistake now or would have one after the change.
    With `expected_text`, raises ChangedOnDisk if the file is no longer that text.
    """
    text = read_settings_text(path)
    if expected_text is not None and text != expected_text:
        raise ChangedOnDisk(str(path))
    check(text, path)  # never overwrite the user's broken work
    new_text = apply_changes(text, changes)
    check(new_text, path)
    if new_text != text:
        # The check that the file is still `text` is one step with the write: an edit made
        # by hand meanwhile is never overwritten unseen.
        replace_if_unchanged(path, text, new_text)
    return new_text


def write_setting(path: Path, key: str, value: Any) -> None:
    """Change one key, keeping every comment and the order; refuses to touch a broken file."""
    write_settings(path, {key: value})


def check(text: str, path: Path) -> None:
    problems = check_text(text, str(path)).problems
    if problems:
        raise ProblemsError(problems)


class MenuEdits:
    """The changes the tray menu makes to one settings file, so the tray needs no settings code.

    Each call keeps every other key, comment and the order, and raises ProblemsError for a
    broken file (left as it is), ChangedOnDisk or OSError when it cannot write.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def break_every(self, seconds: float) -> None:
        self._write(lambda _text: {"sitting.break_after": short(seconds)})

    def posture(self, on: bool) -> None:
        self._write(lambda text: posture_changes(text, on))

    def _write(self, changes: Callable[[str], Mapping[str, Any]]) -> None:
        text = read_settings_text(self.path)
        write_settings(self.path, changes(text), expected_text=text)

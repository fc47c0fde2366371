"""The first-run health questions' answers in the settings file: the tags they exclude go into
`[exercises] exclude` and `[exercises] screened` becomes true (core.screening decides which)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tray_app.core.screening import answers_from, apply_answers
from tray_app.settings import ensure_user_file, load_settings, write_settings


def current_answers(path: Path) -> dict[str, bool]:
    """Each question's answer as the file stands (the defaults when it does not exist yet)."""
    if not path.exists():
        return answers_from(())
    return answers_from(load_settings(path).exercises.exclude)


def is_screened(path: Path) -> bool:
    """Whether the questions were answered or skipped (False for a file not made yet)."""
    return path.exists() and load_settings(path).exercises.screened


def answered(exclude: Iterable[str], answers: Mapping[str, bool] | None) -> dict[str, Any]:
    """The keys the answers set, from `exclude` as it stands (None: skipped, only `screened`
    changes). The first run writes them straight to the file; the Settings window puts them
    in its form, and its Save writes them."""
    before = tuple(exclude)
    after = before if answers is None else apply_answers(before, answers)
    return {"exercises.exclude": list(in_their_order(before, after)), "exercises.screened": True}


def in_their_order(before: Iterable[str], now: Iterable[str]) -> tuple[str, ...]:
    """The names in `now`: those already in `before` in the user's order, new ones last. How
    an `exclude` list is rewritten (here and by the Settings window), so the file keeps the
    list as the user wrote it and answers as they stand change nothing."""
    old, new = tuple(before), tuple(now)
    return (*(n for n in old if n in new), *(n for n in new if n not in old))


def save_answers(path: Path, answers: Mapping[str, bool] | None) -> tuple[str, ...]:
    """Write the answers (None: skipped, nothing changes but `screened`); returns the new
    exclude list. Makes the file from the defaults first if it is missing; refuses
    (ProblemsError) a file with a mistake in it, as every settings write does."""
    ensure_user_file(path)
    changes = answered(load_settings(path).exercises.exclude, answers)
    write_settings(path, changes)
    return tuple(changes["exercises.exclude"])

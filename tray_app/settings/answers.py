"""The first-run health questions' answers in the settings file: the tags they exclude go into
`[exercises] exclude` and `[exercises] screened` becomes true (core.screening decides which)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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


def save_answers(path: Path, answers: Mapping[str, bool] | None) -> tuple[str, ...]:
    """Write the answers (None: skipped, nothing changes but `screened`); returns the new
    exclude list. Makes the file from the defaults first if it is missing; refuses
    (ProblemsError) a file with a mistake in it, as every settings write does."""
    ensure_user_file(path)
    exclude = load_settings(path).exercises.exclude
    if answers is not None:
        exclude = apply_answers(exclude, answers)
    write_settings(path, {"exercises.exclude": list(exclude), "exercises.screened": True})
    return exclude

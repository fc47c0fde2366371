"""settings.toml -> validated Settings, with messages a person can act on.

Every problem in a file is reported at once, each naming the file, the line (where it can be
found), the key, the bad value and what is allowed. A file with problems is never rewritten.
The modules: `schema` (every key, its range and label), `validate` (text -> problems),
`files` (reading, first-run copy, atomic writes), `edit` (comment-keeping changes) and
`full` (the settings plus the exercises they point at).
"""

from __future__ import annotations

from pathlib import Path

from tray_app.core.duration import HELP as DURATION_HELP
from tray_app.core.duration import BadValue, parse_duration
from tray_app.core.duration import short as format_duration  # written back: 3000 -> "50m"
from tray_app.core.model import Settings
from tray_app.core.problems import ProblemsError
from tray_app.settings.edit import ChangedOnDisk, write_setting, write_settings
from tray_app.settings.files import (
    DEFAULT_FILE,
    atomic_write,
    ensure_user_file,
    read_settings_text,
)
from tray_app.settings.schema import SCHEMA, SECTIONS, Key, parse_clock
from tray_app.settings.validate import check_text

__all__ = [
    "DEFAULT_FILE", "DURATION_HELP", "SCHEMA", "SECTIONS", "BadValue", "ChangedOnDisk", "Key",
    "atomic_write", "check_text", "ensure_user_file", "format_duration", "load_settings",
    "parse_clock", "parse_duration", "parse_settings", "read_settings_text", "write_setting",
    "write_settings",
]


def parse_settings(text: str, file: str = "settings.toml") -> Settings:
    """Validate a settings document; raise ProblemsError listing every problem found."""
    report = check_text(text, file)
    if report.problems:
        raise ProblemsError(report.problems)
    return report.settings


def load_settings(path: Path) -> Settings:
    """Read and validate a settings file; a missing file is a problem, not the defaults."""
    return parse_settings(read_settings_text(path), str(path))

"""The settings file on disk: reading it safely, the first-run copy, atomic writes."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from tray_app.core.problems import Problem, ProblemsError
from tray_app.settings.validate import check_text
from tray_app.support.resources import DEFAULT_SETTINGS, DataFileError, packaged, read_file
from tray_app.support.userfile import Unreadable, read_user_text

# The repository's settings.toml, shipped in the package (a symbolic link here; a copy in a wheel).
DEFAULT_FILE = packaged(DEFAULT_SETTINGS)
# No settings file is near this; a bigger one is a mistake (or /dev/zero).
MAX_SETTINGS_BYTES = 1 << 20


def read_settings_text(path: Path) -> str:
    """The file's text; raises ProblemsError saying why it cannot be used."""
    try:
        return read_user_text(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        raise ProblemsError([Problem(str(path), "", "does not exist",
                                     allowed="check the path and the file name")]) from None
    except Unreadable as exc:
        raise ProblemsError([Problem(str(path), "", str(exc))]) from None


def ensure_user_file(path: Path, default: Path = DEFAULT_FILE) -> bool:
    """Copy the documented default settings to `path` on first run. True if it was created.

    A symbolic link that loops is reported, never followed or replaced. A missing or damaged
    default raises DataFileError (a broken install) and writes nothing.
    """
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ProblemsError([Problem(
                str(path), "", "is a symbolic link that leads back to itself (a loop)",
                allowed="replace it with a file, or remove it to start from the defaults",
            )]) from None
    if path.exists():
        return False
    text = read_file(default)
    problems = check_text(text, str(default)).problems
    if problems:
        raise DataFileError(default, f"is damaged:\n{ProblemsError(problems)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    return True


def atomic_write(path: Path, text: str) -> None:
    """Write through a temp file, fsync and rename, so a crash never leaves half a file.

    A symbolic link (a dotfiles folder, say) stays a link: its target is what gets replaced.
    """
    path = Path(os.path.realpath(path))
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

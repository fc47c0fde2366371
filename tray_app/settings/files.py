"""The settings file on disk: reading it safely, the first-run copy, atomic writes."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tray_app.core.problems import Problem, ProblemsError
from tray_app.settings.validate import check_text
from tray_app.support.i18n import _
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
        raise ProblemsError([Problem(str(path), "", _("does not exist"),
                                     allowed=_("check the path and the file name"))]) from None
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
                str(path), "", _("is a symbolic link that leads back to itself (a loop)"),
                allowed=_("replace it with a file, or remove it to start from the defaults"),
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


class ChangedOnDisk(Exception):
    """The file changed since it was read; the caller should offer to reload it."""


# After the swap, how long a hand edit already under way (an editor that opened the old file
# before the swap and writes a moment later) is waited for before the save counts as done.
SETTLE_S = 0.03
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux 3.15+): swap two names in one step
_AT_FDCWD = -100


def replace_if_unchanged(path: Path, expected: str, text: str) -> None:
    """Write `text` to `path` in one step with the check that it still holds `expected`;
    raises ChangedOnDisk (writing nothing) when it does not.

    A check then a rename would drop an edit made between the two. Here the new text waits in
    a synced temp file; under the writers' lock the file is read again, then swapped in with
    renameat2(RENAME_EXCHANGE), so the old file is still there to look at: if it is not the
    one checked, or was written to after the check (in place), it is swapped back.
    Where the swap is not supported, a plain rename follows the second check.
    """
    real = Path(os.path.realpath(path))
    with _writers_lock(real):
        tmp, ours = _synced_temp(real, text)
        try:
            with contextlib.suppress(OSError):  # before the check: nothing between it and the swap
                os.chmod(tmp, os.stat(real).st_mode & 0o777)
            exchange_ready = _renameat2() is not None  # loaded before: nothing slow in between
            old_fd, old = _open_checked(real, expected)
            try:
                if not (exchange_ready and _exchange(tmp, real)):
                    os.replace(tmp, real)  # no swap here: the second check is all there is
                    return
                for pause in (0.0, SETTLE_S):
                    time.sleep(pause)
                    if not _still(old_fd, old, tmp, expected):
                        _swap_back(tmp, real, ours, text)
                        raise ChangedOnDisk(str(path))
            finally:
                os.close(old_fd)
        finally:
            Path(tmp).unlink(missing_ok=True)


def _synced_temp(beside: Path, text: str) -> tuple[str, os.stat_result]:
    """A temp file next to `beside` holding `text`, on disk (fsync); its name and stat."""
    fd, tmp = tempfile.mkstemp(prefix=f".{beside.name}.", dir=beside.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
            return tmp, os.fstat(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _open_checked(path: Path, expected: str) -> tuple[int, os.stat_result]:
    """An open descriptor of the file at `path` and its stat, if it holds `expected`."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ChangedOnDisk(str(path)) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or _text_of(fd) != expected:
        os.close(fd)
        raise ChangedOnDisk(str(path))
    return fd, st


def _text_of(fd: int) -> str | None:
    data = os.pread(fd, MAX_SETTINGS_BYTES + 1, 0)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _still(fd: int, checked: os.stat_result, moved_to: str, expected: str) -> bool:
    """True if the file swapped out (now at `moved_to`) is the one checked, unchanged."""
    try:
        now = os.stat(moved_to)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (checked.st_dev, checked.st_ino) \
        and _text_of(fd) == expected


def _swap_back(tmp: str, path: Path, ours: os.stat_result, text: str) -> None:
    """Put the user's file back, if ours is still at `path` as written: an editor that
    renamed its file there since, or edited ours, has the newer text already."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return
    try:
        here = os.fstat(fd)
        if (here.st_dev, here.st_ino) == (ours.st_dev, ours.st_ino) and _text_of(fd) == text:
            _exchange(tmp, path)
    finally:
        os.close(fd)


@functools.cache
def _renameat2() -> Any:
    """libc's renameat2, or None (not Linux, glibc before 2.28, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    func = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if func is not None:
        func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    return func


def _exchange(a: str, b: Path) -> bool:
    """Swap two names in one step; False where the system cannot (then nothing moved)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(str(b)),
                 _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # e.g. a file system without it
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _writers_lock(path: Path) -> Iterator[None]:
    """sitbreak's own writers (the settings window, the tray menu, `sitbreak set`) one at a
    time: a lock file beside the settings file."""
    try:
        import fcntl
    except ImportError:  # Windows: the swap's own checks still hold
        yield
        return
    fd = os.open(path.parent / f".{path.name}.lock",
                 os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def atomic_write(path: Path, text: str) -> None:
    """Write through a temp file, fsync and rename, so a crash never leaves half a file.

    A symbolic link (a dotfiles folder, say) stays a link: its target is what gets replaced.
    """
    path = Path(os.path.realpath(path))
    tmp, _ = _synced_temp(path, text)
    try:
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

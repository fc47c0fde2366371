"""Reading a file the user named, safely: only a regular file, never blocking, size-limited.

A FIFO would block a read for ever and /dev/zero would fill memory, so the file is opened
non-blocking, checked with fstat before anything is read, and read at most `limit` bytes.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TextIO

from tray_app.support.i18n import _


class Unreadable(Exception):
    """The file cannot be used; the text says why in words for people."""


def read_user_text(path: Path, limit: int) -> str:
    """The text of a regular UTF-8 file of at most `limit` bytes; raises Unreadable.

    A missing file raises FileNotFoundError, so callers can phrase that case themselves.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable(
                _("is a symbolic link that leads back to itself (a loop); replace it with a file")
            ) from None
        raise Unreadable(_("cannot be read ({error})").format(error=exc.strerror or exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(_("is not a regular file (a pipe, device or folder); name a text "
                               "file"))
        if info.st_size > limit:
            raise Unreadable(_("is too big ({size} bytes; at most {limit})").format(
                size=info.st_size, limit=limit))
        try:
            data = _read_at_most(fd, limit + 1)
        except OSError as exc:  # /proc/kmsg: "regular", but a read would wait (EAGAIN)
            raise Unreadable(_("cannot be read as a file ({error}); name a text file").format(
                error=exc.strerror or exc)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(_("is too big (more than {limit} bytes)").format(limit=limit))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(_("is not UTF-8 text (byte {n}); save it as UTF-8").format(
            n=exc.start)) from None


def _read_at_most(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def open_private(path: Path, mode: str = "w", errors: str = "strict") -> TextIO:
    """A text file (UTF-8, csv-ready newlines) only its owner may read: created 0600 whatever
    the umask, and tightened if it already existed ("a" appends, "w" truncates)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, mode, newline="", encoding="utf-8", errors=errors)
    except BaseException:
        os.close(fd)
        raise


def output_problem(path: Path) -> str | None:
    """Why a file the user asked for may not be written at `path` (None: a new name, or a
    regular file to replace). A folder, symlink, pipe, device or socket there is refused: a
    rename over it would replace a link or a special file the user never meant to lose."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path} can't be checked ({exc.strerror or exc})"
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return f"{path} is a folder; give a file name inside it"
    kind = ("a symbolic link" if stat.S_ISLNK(st.st_mode)
            else "a pipe" if stat.S_ISFIFO(st.st_mode)
            else "a socket" if stat.S_ISSOCK(st.st_mode)
            else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "not a regular file")
    return f"{path} is {kind}, not a regular file: give a new name or a regular file"

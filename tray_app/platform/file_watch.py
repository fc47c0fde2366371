"""Notice that a file may have changed without polling it: inotify on its folder (Linux).

The folder is watched, not the file, because editors save by writing a new file and renaming
it over the old one. `on_change()` runs on the watcher's thread, which otherwise sleeps in
select() and costs no wake-ups. Where inotify is missing, `start()` returns False and the caller
keeps polling.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import select
import struct
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

IN_ATTRIB, IN_CLOSE_WRITE = 0x4, 0x8
IN_MOVED_FROM, IN_MOVED_TO, IN_DELETE = 0x40, 0x80, 0x200
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
# Only events after which the file is whole: a writer that truncates first (IN_MODIFY) or
# creates the file empty (IN_CREATE) is still writing, and reading then would see a file with no
# settings at all, that is the defaults. IN_CLOSE_WRITE follows the last write.
MASK = IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then `len` bytes of name


class FileWatch:
    """Calls `on_change()` soon after `path` is written, replaced, created or removed."""

    def __init__(self, path: Path, on_change: Callable[[], None],
                 also: Sequence[Path] = ()) -> None:
        """`also`: more files watched by the same thread (one thread and descriptor for all)."""
        self.path = path
        self.on_change = on_change
        self._fd: int | None = None
        self._stop_r, self._stop_w = -1, -1
        self._thread: threading.Thread | None = None
        self._paths = [path, *also]
        # Each file's own name and, if it is a symbolic link, its target's name too.
        self._names = {n.encode() for p in self._paths for n in (p.name, p.resolve().name)}

    def start(self) -> bool:
        """Start watching; False if this system has no inotify (then nothing was started)."""
        if not sys.platform.startswith("linux"):
            return False
        try:
            # The C library is already loaded: find_library would run ldconfig in a subprocess.
            libc = ctypes.CDLL(None, use_errno=True)
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
            if fd < 0:
                raise OSError(ctypes.get_errno(), "inotify_init1 failed")
            folders = {f for p in self._paths for f in (p.parent, p.resolve().parent)}
            for folder in folders:
                if libc.inotify_add_watch(fd, os.fsencode(folder), MASK) < 0:
                    os.close(fd)
                    raise OSError(ctypes.get_errno(), f"cannot watch {folder}")
        except (OSError, AttributeError) as exc:
            log.info("not watching %s (%s): checking it every few seconds", self.path, exc)
            return False
        self._fd = fd
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="file-watch", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        if self._thread is None:
            return
        with contextlib.suppress(OSError):
            os.write(self._stop_w, b"\0")
        self._thread.join(2.0)
        for fd in (self._fd, self._stop_r, self._stop_w):
            with contextlib.suppress(OSError, TypeError):
                os.close(fd)  # type: ignore[arg-type]
        self._thread = None

    def _run(self) -> None:
        assert self._fd is not None
        while True:
            ready, _, _ = select.select([self._fd, self._stop_r], [], [])
            if self._stop_r in ready:
                return
            try:
                data = os.read(self._fd, 64 * 1024)
            except BlockingIOError:
                continue
            except OSError:
                log.exception("reading inotify events failed; stopping the watch")
                return
            if self._concerns_us(data):
                try:
                    self.on_change()
                except Exception:
                    log.exception("file change handler failed")

    def _concerns_us(self, data: bytes) -> bool:
        offset = 0
        while offset + EVENT.size <= len(data):
            _wd, _mask, _cookie, length = EVENT.unpack_from(data, offset)
            name = data[offset + EVENT.size: offset + EVENT.size + length].rstrip(b"\0")
            offset += EVENT.size + length
            if name in self._names:
                return True
        return False

"""One instance per user: a lock file (flock on Unix, msvcrt on Windows) in the 0700 runtime
folder, held for the life of `sitbreak run`; the OS drops it if the process dies."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any


class AlreadyRunning(Exception):
    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        super().__init__(f"sitbreak is already running (pid {pid if pid else '?'})")


class InstanceLock:
    """Held for the life of `sitbreak run`; the OS drops it if the process dies."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "sitbreak.lock"
        self._fh: Any = None

    def acquire(self) -> None:
        fh = open(self.path, "a+", encoding="ascii")  # noqa: SIM115 - held until release()
        try:
            _lock_file(fh)
        except OSError:
            fh.seek(0)
            text = fh.read().strip()
            fh.close()
            raise AlreadyRunning(int(text) if text.isdigit() else None) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.seek(0)
                self._fh.truncate()
            self._fh.close()
            self._fh = None


def _lock_file(fh: Any) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

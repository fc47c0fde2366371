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
    """Held for the life of `sitbreak run`; the OS drops it if the process dies.

    With `also`, a second lock file in another folder (the state folder) is held too: if one
    folder is removed under the running app, the other still keeps a second instance out, and
    renew() puts the removed one back."""

    def __init__(self, folder: Path, also: Path | None = None) -> None:
        self.path = folder / "sitbreak.lock"
        self.paths = [self.path] + ([also / "sitbreak.lock"] if also is not None else [])
        self._held: list[Any] = []

    def acquire(self) -> None:
        for path in self.paths:
            try:
                self._held.append(_take(path))
            except AlreadyRunning:
                self.release()
                raise

    def renew(self) -> list[Path]:
        """Take again each lock file that was removed or replaced since; returns those."""
        renewed = []
        for i, path in enumerate(self.paths):
            fh = self._held[i] if i < len(self._held) else None
            try:
                same = fh is not None and os.path.samestat(os.stat(path), os.fstat(fh.fileno()))
            except OSError:
                same = False
            if same:
                continue
            new = _take(path)  # AlreadyRunning if another instance got in meanwhile
            if fh is not None:
                fh.close()
            self._held[i] = new
            renewed.append(path)
        return renewed

    def release(self) -> None:
        for fh in self._held:
            with contextlib.suppress(OSError):
                fh.seek(0)
                fh.truncate()
            fh.close()
        self._held = []


def _take(path: Path) -> Any:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fh = open(path, "a+", encoding="ascii")  # noqa: SIM115 - held until release()
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
    return fh


def _lock_file(fh: Any) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

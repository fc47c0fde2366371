"""Logs go to a rotating file in the user's log folder and, with --verbose, to the terminal."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from tray_app.support.paths import private_dir, private_file

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 1_000_000  # a log file grows to this size, then becomes sitbreak.log.1
BACKUPS = 3  # sitbreak.log.1 .. .3 are kept (at least 1)


class PrivateRotatingFileHandler(logging.FileHandler):
    """The log, readable by its owner only (0600 whatever the umask): it says when you sit,
    break and are away. Rotated as logging.handlers.RotatingFileHandler does (`path` grows to
    `max_bytes`, then becomes `path`.1, the older ones .2 .. `backups`); that module is not
    used because the idle tray process would keep its ~0.2 MiB of code all day for this."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            private_file(Path(self.baseFilename))
            return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)
        except BaseException:
            os.close(fd)
            raise

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        position = self.stream.tell()
        if not position or position + len(self.format(record)) + 1 < self.max_bytes:
            return False
        return os.path.isfile(self.baseFilename)  # not a device or a pipe someone put there

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        for n in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{n}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{n + 1}")
        if os.path.exists(self.baseFilename):
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def setup_logging(log_dir: Path, verbose: bool = False) -> Path:
    """Configure the root logger; returns the log file's path."""
    private_dir(log_dir)
    path = log_dir / "sitbreak.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in list(root.handlers):
        root.removeHandler(h)
    file_handler = PrivateRotatingFileHandler(path)
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    if verbose:
        term = logging.StreamHandler(sys.stderr)
        term.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(term)
    # APScheduler logs every job run at INFO; that is noise every few seconds.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return path

"""Logs go to a rotating file in the user's log folder and, with --verbose, to the terminal."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from tray_app.support.paths import private_dir, private_file

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log, readable by its owner only (0600 whatever the umask): it says when you sit,
    break and are away."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            private_file(Path(self.baseFilename))
            return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)
        except BaseException:
            os.close(fd)
            raise


def setup_logging(log_dir: Path, verbose: bool = False) -> Path:
    """Configure the root logger; returns the log file's path."""
    private_dir(log_dir)
    path = log_dir / "sitbreak.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in list(root.handlers):
        root.removeHandler(h)
    file_handler = PrivateRotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(file_handler)
    if verbose:
        term = logging.StreamHandler(sys.stderr)
        term.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(term)
    # APScheduler logs every job run at INFO; that is noise every few seconds.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return path

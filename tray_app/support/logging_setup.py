"""Logs go to a rotating file in the user's log folder and, with --verbose, to the terminal."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_dir: Path, verbose: bool = False) -> Path:
    """Configure the root logger; returns the log file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "sitbreak.log"
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for h in list(root.handlers):
        root.removeHandler(h)
    file_handler = logging.handlers.RotatingFileHandler(
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

"""The rows the programme (core.progression) reads from the history file."""

from __future__ import annotations

from pathlib import Path

from tray_app.core.model import Row
from tray_app.core.progression import PROGRAMME_KINDS
from tray_app.history.store import History


def programme_rows(path: Path) -> list[Row]:
    """Ratings, level answers, check-ins, re-tests and exercises done, oldest first; none when
    there is no history file yet (reading never creates one)."""
    if not Path(path).exists():
        return []
    store = History.open(Path(path), busy_timeout_s=1.0, retries=2, memory_fallback=False)
    try:
        return [r for r in store.events() if r.kind in PROGRAMME_KINDS]
    finally:
        store.close()

"""Issue 26 item 6: quitting while the history can't be written (disk full, read-only folder)
lost the rows waiting in memory, and only the log said so. Now the writer's close says where
they went, or that they are gone, through `on_quit_loss` (the app prints it on the console and
shows it in a notification)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tray_app.core.model import Kind, Row
from tray_app.history import History
from tray_app.history.totals import Days
from tray_app.history.writer import HistoryWriter

T0 = 1_700_000_000.0


def full_disk(path: Path) -> History:
    raise sqlite3.OperationalError("database or disk is full")


def quit_with_rows(path: Path, n: int, capacity: int = 100) -> list[str]:
    said: list[str] = []
    w = HistoryWriter(path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
                      on_problem=lambda t: None, open_store=full_disk, capacity=capacity,
                      retry_s=(0.01, 0.05), on_quit_loss=said.append)
    w.start()
    for i in range(n):
        w.record(Row(Kind.PAUSED, T0 + i, 1.0))
    w.close(timeout=0.3)
    return said


def test_rows_kept_beside_the_file_are_said_with_where(tmp_path: Path) -> None:
    said = quit_with_rows(tmp_path / "history.sqlite3", 21)
    assert len(said) == 1 and "21 history events" in said[0] and ".unsaved-" in said[0]
    assert "next start" in said[0]


def test_rows_that_nothing_takes_are_said_lost(tmp_path: Path) -> None:
    said = quit_with_rows(tmp_path / "gone" / "history.sqlite3", 21)  # no folder for the side
    assert len(said) == 1 and "21 history events" in said[0] and "lost" in said[0]


def test_rows_dropped_for_memory_are_said_too(tmp_path: Path) -> None:
    said = quit_with_rows(tmp_path / "history.sqlite3", 8, capacity=5)
    assert len(said) == 1 and "5 history events" in said[0] and "3 history events" in said[0]


def test_nothing_is_said_when_everything_was_written(tmp_path: Path) -> None:
    said: list[str] = []
    w = HistoryWriter(tmp_path / "h.sqlite3", days=lambda: Days(240, lambda w: 0),
                      keep_days=lambda: 365, on_problem=lambda t: None, on_quit_loss=said.append)
    w.start()
    w.record(Row(Kind.PAUSED, T0, 1.0))
    w.close()
    assert said == []

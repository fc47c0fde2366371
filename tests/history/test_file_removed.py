"""Issue 26 item 5: deleting history.sqlite3* while the app ran: the next 30 confirmed
commands went into the deleted file and were gone at quit, status saying ok throughout. Now
the writer notices at the next write or within a minute, puts the file back with every row
written so far, and tells the user (a notification and status.history.repaired)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.history.test_writer import stored
from tray_app.core.model import Kind, Row
from tray_app.history import History
from tray_app.history.totals import Days
from tray_app.history.writer import HistoryWriter

T0 = 1_700_000_000.0


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[HistoryWriter, list[str]]]:
    told: list[str] = []
    w = HistoryWriter(tmp_path / "data" / "history.sqlite3", days=lambda: Days(240, lambda w: 0),
                      keep_days=lambda: 36500, on_problem=told.append, retry_s=(0.01, 0.05),
                      checkpoint_s=(0.1, 0.1), wall=lambda: T0)
    w.start()
    try:
        yield w, told
    finally:
        w.close()


def write(w: HistoryWriter, first: int, n: int) -> None:
    for i in range(first, first + n):
        w.record(Row(Kind.PAUSED, T0 + i, 1.0))
    assert w.flush(10)


def remove_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def test_rows_written_after_the_file_was_deleted_are_kept(
        running: tuple[HistoryWriter, list[str]]) -> None:
    w, told = running
    write(w, 0, 20)
    remove_files(w.path)
    write(w, 20, 30)  # the trial's 30 confirmed commands
    w.close()
    assert stored(w.path) == 50
    assert any("was removed" in t for t in told)
    assert "was removed" in str(w.status()["repaired"])


def test_the_folder_removed_is_noticed_without_a_write(
        running: tuple[HistoryWriter, list[str]]) -> None:
    w, told = running
    write(w, 0, 10)
    shutil.rmtree(w.path.parent)
    wait_for(lambda: w.path.exists(), timeout=10, what="the history file put back")
    assert (w.path.parent.stat().st_mode & 0o777) == 0o700
    write(w, 10, 5)
    w.close()
    assert stored(w.path) == 15 and told


def test_a_file_replaced_by_an_older_copy_gets_the_newer_rows(
        running: tuple[HistoryWriter, list[str]], tmp_path: Path) -> None:
    w, told = running
    write(w, 0, 10)
    copy = tmp_path / "copy.sqlite3"
    h = History.open(copy)
    h.record_many([Row(Kind.PAUSED, T0 + i, 1.0) for i in range(5)])  # an older backup
    h.close()
    remove_files(w.path)
    shutil.copy(copy, w.path)
    write(w, 10, 5)
    w.close()
    assert stored(w.path) == 15 and any("replaced" in t for t in told)


def test_the_write_ahead_log_removed_loses_nothing(
        running: tuple[HistoryWriter, list[str]]) -> None:
    w, told = running
    write(w, 0, 10)
    w.path.with_name(w.path.name + "-wal").unlink()
    write(w, 10, 10)
    w.close()
    assert stored(w.path) == 20 and any("-wal" in t for t in told)

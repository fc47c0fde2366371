"""The SQLite history store in one process: schema, migration, damage, locks, queries."""

from __future__ import annotations

import csv
import inspect
import sqlite3
import threading
from datetime import datetime
from pathlib import Path

import pytest

from tray_app.core.model import Kind, Row
from tray_app.history import SCHEMA_VERSION, History, HistoryUnavailable
from tray_app.history.csv_io import export_csv
from tray_app.history.schema import DDL_V1
from tray_app.history.writer import HistoryWriter
from tray_app.ports import HistoryStore


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "sitbreak" / "history.sqlite3"


def notices() -> tuple[list[str], object]:
    seen: list[str] = []
    return seen, seen.append


def test_new_file_has_current_schema_wal_and_index(path: Path) -> None:
    h = History.open(path)
    h.record(Row(Kind.STARTED, 10.0))
    h.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cols = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    assert cols == ["id", "wall", "kind", "duration_s", "exercise_id", "category", "detail"]
    indexes = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index'").fetchall()
    assert any("wall" in sql for (sql,) in indexes)


@pytest.mark.parametrize("store", [History, HistoryWriter])
def test_is_a_history_store(store: type) -> None:
    """Both stores have every HistoryStore method, taking the protocol's parameters (and
    only optional ones besides)."""
    for name in ("record", "recent_exercises", "follow_clock", "close"):
        want = list(inspect.signature(getattr(HistoryStore, name)).parameters)
        have = inspect.signature(getattr(store, name)).parameters
        assert list(have)[: len(want)] == want, name
        extra = list(have.values())[len(want):]
        assert all(p.default is not inspect.Parameter.empty for p in extra), name


def test_record_and_read_back_in_order(path: Path) -> None:
    h = History.open(path)
    rows = [
        Row(Kind.COMPLETED, 30.0, 120.0, "bridge", "hip-extensors", "done early"),
        Row(Kind.STRETCH_ENDED, 10.0, 3000.0),
        Row(Kind.STARTED, 20.0, 0.0, "bridge", "hip-extensors"),
    ]
    for r in rows:
        h.record(r)
    assert h.events() == sorted(rows, key=lambda r: r.wall)
    assert h.events(since_wall=20.0) == [rows[2], rows[0]]
    assert h.events(until_wall=20.0) == [rows[1]]
    assert h.recent_exercises(5) == [(30.0, "bridge", "hip-extensors"),
                                     (20.0, "bridge", "hip-extensors")]
    assert h.recent_exercises(1) == [(30.0, "bridge", "hip-extensors")]
    h.close()


def test_migrates_v1_in_place_after_a_backup(path: Path) -> None:
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.executescript(DDL_V1)  # the first release's layout
    conn.executemany(
        "INSERT INTO events (wall, kind, duration_s, exercise_id) VALUES (?, ?, ?, ?)",
        [(1.0, "stretch_ended", 1800.0, None), (2.0, "completed", 90.0, "psoas-march")],
    )
    conn.commit()
    conn.close()

    seen, note = notices()
    h = History.open(path, on_notice=note)
    assert h.events() == [
        Row("stretch_ended", 1.0, 1800.0),
        Row("completed", 2.0, 90.0, "psoas-march"),
    ]
    h.record(Row(Kind.COMPLETED, 3.0, 60.0, "bird-dog", "core", "x"))
    assert h.events(since_wall=3.0) == [Row(Kind.COMPLETED, 3.0, 60.0, "bird-dog", "core", "x")]
    h.close()
    assert seen == []  # an upgrade is routine, not news for the user

    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    [backup] = path.parent.glob("history.sqlite3.v1-backup-*")
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 2
    old.close()

    # Opening again neither migrates nor backs up a second time.
    History.open(path).close()
    assert len(list(path.parent.glob("history.sqlite3.v1-backup-*"))) == 1


def test_garbage_file_is_moved_aside_and_a_fresh_one_started(path: Path) -> None:
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database\n" * 200
    path.write_bytes(garbage)
    seen, note = notices()

    h = History.open(path, on_notice=note)
    h.record(Row(Kind.STARTED, 5.0))
    assert h.events() == [Row(Kind.STARTED, 5.0)]
    h.close()

    [moved] = path.parent.glob("history.sqlite3.corrupt-*")
    assert moved.read_bytes() == garbage
    assert len(seen) == 1
    assert str(path) in seen[0] and str(moved) in seen[0]
    # The stamp is YYYYmmdd-HHMMSS.
    stamp = moved.name.removeprefix("history.sqlite3.corrupt-")
    assert len(stamp) == 15 and stamp[8] == "-" and stamp.replace("-", "").isdigit()

    History.open(path, on_notice=note).close()
    assert len(seen) == 1  # told once: the new file is fine


def test_damaged_pages_are_detected_too(path: Path) -> None:
    h = History.open(path)
    for i in range(400):
        h.record(Row(Kind.STRETCH_ENDED, float(i), 60.0, detail="x" * 200))
    h.close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a valid header with a wrecked page behind it
    path.write_bytes(bytes(data))
    seen, note = notices()
    h = History.open(path, on_notice=note)
    saved = h.events()  # found damaged on first use: moved aside, the readable rows kept
    h.close()
    assert set(saved) <= {Row(Kind.STRETCH_ENDED, float(i), 60.0, detail="x" * 200)
                          for i in range(400)}
    assert len(seen) == 1 and f"{len(saved)} events were saved" in seen[0]
    kept = [p for p in path.parent.glob("history.sqlite3.corrupt-*")
            if not p.name.endswith(("-wal", "-shm"))]
    assert len(kept) == 1


def test_unwritable_location_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    seen, note = notices()
    h = History.open(blocker / "history.sqlite3", on_notice=note)
    h.record(Row(Kind.STARTED, 1.0))
    assert h.events() == [Row(Kind.STARTED, 1.0)]
    h.close()
    assert len(seen) == 1 and "memory" in seen[0]


def test_locked_file_is_retried_not_dropped(path: Path) -> None:
    History.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO events (wall, kind) VALUES (1, 'paused')")
    waits: list[float] = []

    def release_on_first_wait(seconds: float) -> None:
        # Stands in for time passing while the other process finishes its transaction.
        waits.append(seconds)
        if len(waits) == 1:
            other.execute("COMMIT")

    h = History.open(path, busy_timeout_s=0, retry_sleep=release_on_first_wait)
    h.record(Row(Kind.STARTED, 2.0))
    assert len(waits) == 1
    assert [r.kind for r in h.events()] == ["paused", "started"]
    assert h.dropped == 0
    h.close()


def test_busy_timeout_waits_for_a_short_lock(path: Path) -> None:
    History.open(path).close()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    release.start()
    h = History.open(path, busy_timeout_s=5.0)
    h.record(Row(Kind.STARTED, 2.0))  # blocks in SQLite's own busy handler, then succeeds
    release.join()
    assert h.events() == [Row(Kind.STARTED, 2.0)]
    h.close()


def test_a_lock_that_never_ends_drops_the_row_without_raising(path: Path) -> None:
    History.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("DELETE FROM events")  # take the write lock for real
    waits: list[float] = []
    h = History.open(path, busy_timeout_s=0, retries=3, retry_sleep=waits.append)
    h.record(Row(Kind.STARTED, 2.0))
    assert h.dropped == 1
    assert len(waits) == 3
    with pytest.raises(HistoryUnavailable):
        h.clear()
    other.execute("COMMIT")
    h.close()


def test_record_after_close_is_dropped_not_raised(path: Path) -> None:
    h = History.open(path)
    h.close()
    h.record(Row(Kind.STARTED, 1.0))
    assert h.dropped == 1


def test_threads_share_one_store(path: Path) -> None:
    h = History.open(path)

    def write(t: int) -> None:
        for i in range(250):
            h.record(Row(Kind.STARTED, float(i), detail=f"{t}:{i}"))

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert h.count() == 1000
    assert len({r.detail for r in h.events()}) == 1000
    h.close()


def test_prune_keeps_recent_days(path: Path) -> None:
    now = 1_750_000_000.0
    h = History.open(path)
    for days_ago in (400, 366, 364.5, 10, 0):
        h.record(Row(Kind.STARTED, now - days_ago * 86400, detail=str(days_ago)))
    assert h.prune(365, now) == 2
    assert [r.detail for r in h.events()] == ["364.5", "10", "0"]
    h.close()


def test_clear_all_or_before(path: Path) -> None:
    h = History.open(path)
    for w in (1.0, 2.0, 3.0, 4.0):
        h.record(Row(Kind.STARTED, w))
    assert h.clear(before_wall=3.0) == 2
    assert [r.wall for r in h.events()] == [3.0, 4.0]
    assert h.clear() == 2
    assert h.events() == []
    h.close()


def test_export_csv(path: Path, tmp_path: Path) -> None:
    h = History.open(path)
    h.record(Row(Kind.STRETCH_ENDED, 1_700_000_000.0, 1500.0))
    h.record(Row(Kind.COMPLETED, 1_700_000_100.5, 90.00540686600004, "bird-dog", "core",
                 'said "ok", left'))
    out = tmp_path / "export.csv"
    assert export_csv(h, out) == 2
    h.close()
    with out.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "time_utc", "time_local", "wall", "kind", "duration_s",
                       "exercise_id", "category", "detail"]
    local = datetime.fromtimestamp(1_700_000_000.0).astimezone().isoformat(timespec="seconds")
    assert rows[1] == ["1", "2023-11-14T22:13:20+00:00", local, "1700000000.0",
                       "stretch_ended", "1500", "", "", ""]
    assert rows[2][4:] == ["completed", "90", "bird-dog", "core", 'said "ok", left']
    assert not list(tmp_path.glob(".export.csv.tmp*"))


def test_record_is_cheap(path: Path) -> None:
    """One row is one short transaction in a write-ahead log without a sync of its own, and
    costs the same few statements however many rows the file already holds."""
    h = History.open(path)
    try:
        assert h._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert h._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: no fsync

        def statements(row: Row) -> list[str]:
            seen: list[str] = []
            h._conn.set_trace_callback(seen.append)
            try:
                h.record(row)
            finally:
                h._conn.set_trace_callback(None)
            return seen

        first = statements(Row(Kind.STARTED, 0.0))
        h.record_many([Row(Kind.STARTED, float(i)) for i in range(1, 5000)])
        later = statements(Row(Kind.STARTED, 5000.0))
    finally:
        h.close()
    assert first[0].startswith("BEGIN") and first[-1] == "COMMIT"
    assert len(later) == len(first) <= 5, later

"""Saving what can still be read from a damaged history file."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

_EVENT_COLUMNS = "wall, kind, duration_s, exercise_id, category, detail"
_CHUNK = 1000


def move_aside(path: Path, target: Path) -> Path:
    """Rename a damaged file and its WAL side files to `target` (kept, never deleted)."""
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def _columns(src: sqlite3.Connection) -> list[str]:
    try:
        return [r[1] for r in src.execute("PRAGMA table_info(events)")]
    except sqlite3.DatabaseError:
        return []


def _read_range(src: sqlite3.Connection, select: str, lo: int, hi: int) -> tuple[list, int]:
    """Rows with lo <= id <= hi, one by one where a whole chunk can't be read."""
    try:
        return src.execute(f"{select} WHERE id BETWEEN ? AND ?", (lo, hi)).fetchall(), 0
    except sqlite3.DatabaseError:
        pass
    rows, lost = [], 0
    for rid in range(lo, hi + 1):
        try:
            rows.extend(src.execute(f"{select} WHERE id = ?", (rid,)).fetchall())
        except sqlite3.DatabaseError:
            lost += 1
    return rows, lost


def salvage(damaged: Path, dest: sqlite3.Connection) -> tuple[int, int | str]:
    """Copy every readable event (and daily total) from `damaged` into `dest`.

    Rows are read by id through the table itself, so a damaged index costs nothing and a damaged
    table page costs only its own rows. Returns (rows saved, rows known lost or "unknown").
    """
    try:
        src = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error as err:
        log.warning("can't open %s to salvage it: %s", damaged, err)
        return 0, "unknown"
    try:
        cols = _columns(src)
        if "wall" not in cols or "kind" not in cols:
            return 0, "unknown"
        wanted = [c if c in cols else "NULL" for c in _EVENT_COLUMNS.split(", ")]
        select = f"SELECT {', '.join(wanted)} FROM events NOT INDEXED"
        try:
            low, high = src.execute("SELECT MIN(id), MAX(id) FROM events NOT INDEXED").fetchone()
        except sqlite3.DatabaseError:
            low, high = 1, None
        saved, lost = 0, 0
        if high is None:
            # The table's last page is unreadable: read forwards until rows stop coming.
            rows = []
            try:
                for row in src.execute(select):
                    rows.append(row)
            except sqlite3.DatabaseError:
                lost_text: int | str = "unknown"
            else:
                lost_text = 0
            dest.executemany(f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                             rows)
            _salvage_totals(src, dest)
            return len(rows), lost_text
        for lo in range(int(low), int(high) + 1, _CHUNK):
            rows, missing = _read_range(src, select, lo, min(lo + _CHUNK - 1, int(high)))
            dest.executemany(f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                             rows)
            saved += len(rows)
            lost += missing
        _salvage_totals(src, dest)
        return saved, lost
    finally:
        src.close()


def _salvage_totals(src: sqlite3.Connection, dest: sqlite3.Connection) -> int:
    """Daily totals and their bookkeeping, if the damaged file had them and they read."""
    try:
        days = src.execute("SELECT day, totals FROM daily_totals").fetchall()
        try:
            meta = src.execute(
                "SELECT id, folded_until, day_starts, exercises_from FROM totals_meta").fetchall()
        except sqlite3.OperationalError:  # a v3 file: its totals lack minutes by exercise
            meta = src.execute(
                "SELECT id, folded_until, day_starts, -1e18 FROM totals_meta").fetchall()
    except sqlite3.DatabaseError:
        return 0
    dest.executemany("INSERT OR REPLACE INTO daily_totals (day, totals) VALUES (?, ?)", days)
    dest.executemany("INSERT OR REPLACE INTO totals_meta VALUES (?, ?, ?, ?)", meta)
    return len(days)

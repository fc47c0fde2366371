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


def _columns(src: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def _seek(src: sqlite3.Connection, sql: str, args: tuple = ()) -> tuple[bool, int | None]:
    """(read cleanly, the id found or None) for a rowid seek."""
    try:
        found = src.execute(sql, args).fetchone()
    except sqlite3.DatabaseError:
        return False, None
    return True, None if found is None else int(found[0])


def _read_range(src: sqlite3.Connection, select: str, lo: int, hi: int
                ) -> tuple[list, list[int]]:
    """Rows with lo <= rowid <= hi (rowid first), one by one where a whole chunk can't be
    read; and the ids that could not be read (some may never have existed)."""
    try:
        return src.execute(f"{select} WHERE rowid BETWEEN ? AND ?", (lo, hi)).fetchall(), []
    except sqlite3.DatabaseError:
        pass
    rows, failed = [], []
    for rid in range(lo, hi + 1):
        try:
            rows.extend(src.execute(f"{select} WHERE rowid = ?", (rid,)).fetchall())
        except sqlite3.DatabaseError:
            failed.append(rid)
    return rows, failed


class Salvaged:
    """What a salvage kept and lost, by table."""

    def __init__(self) -> None:
        self.kept: dict[str, int] = {}
        self.lost: dict[str, int | None] = {}  # None: unknown (the table's end was unreadable)

    @property
    def events(self) -> int:
        return self.kept.get("events", 0)

    @property
    def events_lost(self) -> int | str:
        lost = self.lost.get("events", 0)
        return "unknown" if lost is None else lost


def _copy_table(src: sqlite3.Connection, dest: sqlite3.Connection, table: str,
                columns: list[str], insert: str, found: Salvaged) -> None:
    """Copy every readable row of `table` by rowid ranges: the table's b-tree is entered by
    seek, so a damaged page costs only the rows on it, not the ones after it (a forward
    scan stops at the first bad page)."""
    have = _columns(src, table)
    if not have:
        found.kept[table], found.lost[table] = 0, None
        return
    wanted = ", ".join(c if c in have else "NULL" for c in columns)
    select = f"SELECT rowid, {wanted} FROM {table} NOT INDEXED"
    after = f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1"
    _ok, low = _seek(src, f"SELECT rowid FROM {table} ORDER BY rowid LIMIT 1")
    high_ok, high = _seek(src, f"SELECT rowid FROM {table} ORDER BY rowid DESC LIMIT 1")
    pages = _seek(src, "PRAGMA page_count")[1] or 1
    lo = 1 if low is None else low
    # Never past what the file's pages could hold, when the table's end can't be seen.
    bound = high if high is not None else lo + pages * 512
    kept, failed, last_read = 0, [], 0
    while lo <= bound:
        hi = min(lo + _CHUNK - 1, bound)
        rows, missing = _read_range(src, select, lo, hi)
        if rows:
            dest.executemany(insert, [r[1:] for r in rows])
            kept += len(rows)
            last_read = max(last_read, max(r[0] for r in rows))
        failed += missing
        ok, nxt = _seek(src, after, (hi,))
        if ok and nxt is None:
            break  # the end, read cleanly
        lo = nxt if ok and nxt is not None else hi + 1  # jump over gaps left by pruning
    found.kept[table] = kept
    end = high if high is not None else last_read
    beyond = [r for r in failed if r > end]
    found.lost[table] = None if (beyond or not high_ok) and failed else \
        sum(1 for r in failed if r <= end)


def salvage(damaged: Path, dest: sqlite3.Connection) -> Salvaged:
    """Copy every readable row of every table from `damaged` into `dest`, each table on its
    own (a damaged events table does not cost the daily totals, nor the other way round)."""
    found = Salvaged()
    try:
        src = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error as err:
        log.warning("can't open %s to salvage it: %s", damaged, err)
        found.lost["events"] = None
        return found
    try:
        cols = _EVENT_COLUMNS.split(", ")
        if {"wall", "kind"} <= set(_columns(src, "events")):
            _copy_table(src, dest, "events", cols,
                        f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", found)
        else:
            found.lost["events"] = None
        _copy_table(src, dest, "daily_totals", ["day", "totals"],
                    "INSERT OR REPLACE INTO daily_totals (day, totals) VALUES (?, ?)", found)
        meta_cols = ["id", "folded_until", "day_starts", "exercises_from"]
        if "exercises_from" not in _columns(src, "totals_meta"):
            meta_cols[3] = "-1e18"  # a v3 file: its totals lack minutes by exercise
        _copy_meta(src, dest, meta_cols, found)
        _copy_table(src, dest, "open_stretch", ["id", "wall", "duration_s"],
                    "INSERT OR REPLACE INTO open_stretch (id, wall, duration_s) VALUES (?, ?, ?)",
                    found)
        return found
    finally:
        src.close()


def _copy_meta(src: sqlite3.Connection, dest: sqlite3.Connection, cols: list[str],
               found: Salvaged) -> None:
    try:
        meta = src.execute(f"SELECT {', '.join(cols)} FROM totals_meta").fetchall()
    except sqlite3.DatabaseError:
        found.lost["totals_meta"] = None
        return
    dest.executemany("INSERT OR REPLACE INTO totals_meta VALUES (?, ?, ?, ?)", meta)
    found.kept["totals_meta"] = len(meta)

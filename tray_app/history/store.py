"""The history file: one SQLite database of events, shared by the tray and the CLI.

Rows are committed as they are written (WAL), so a crash loses at most the rows being written.
The schema version lives in `PRAGMA user_version`; older files are upgraded in place after a
backup copy is taken. A file that turns out damaged (when opening it or while using it) is
moved aside whole, never deleted; what can still be read is saved into a new file.
`PRAGMA quick_check` runs only then, or when asked (`sitbreak history check`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from tray_app.core.model import Kind, Row
from tray_app.core.stats import DayStats
from tray_app.history import totals
from tray_app.history.opening import (
    create_private,
    is_busy,
    is_damage,
    log_notice,
    open_file,
    open_memory,
    replace_damaged,
    transaction,
)
from tray_app.history.rows import SANE_SQL, problem
from tray_app.history.totals import Days

log = logging.getLogger(__name__)

COLUMNS = "kind, wall, duration_s, exercise_id, category, detail"
_INSERT = f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
PRUNE_BATCH = 5000
# Rows that history.keep_days does not prune: the programme's (core.progression, core.retest).
KEPT_KINDS = frozenset({Kind.RATING, Kind.LEVEL, Kind.CHECKIN, Kind.RETEST})
SETTLE_CHUNK_DAYS = 31
# id, time_utc, time_local (ISO 8601 with the offset in force then), wall, kind, duration_s,
# exercise_id, category, detail: formatted in SQLite, much faster than per-row Python; the
# offset comes from two small functions registered for the export (utc_offset is memoised).
_EXPORT = (
    "SELECT id, strftime('%Y-%m-%dT%H:%M:%S+00:00', wall, 'unixepoch'), "
    "strftime('%Y-%m-%dT%H:%M:%S', wall + utc_offset(wall), 'unixepoch') "
    "|| offset_suffix(utc_offset(wall)), "
    "wall, kind, duration_s, COALESCE(exercise_id, ''), COALESCE(category, ''), "
    f"COALESCE(detail, '') FROM events WHERE {SANE_SQL} ORDER BY wall, id"
)
# Raw events in a span, for folding and reading: rows outside the bounds (from before they
# were checked) are never read, so they can't break a day's arithmetic.
_SPAN = (f"SELECT {COLUMNS} FROM events WHERE wall >= ? AND wall < ? AND {SANE_SQL} "
         "ORDER BY wall, id")
_FIRST = f"SELECT MIN(wall) FROM events WHERE {SANE_SQL}"


def _offset_suffix(offset: int) -> str:
    sign = "-" if offset < 0 else "+"
    return f"{sign}{abs(offset) // 3600:02d}:{abs(offset) % 3600 // 60:02d}"


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path` now, or None (gone, or in memory)."""
    if str(path) == ":memory:":
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class HistoryUnavailable(Exception):
    """The history file could not be read even after waiting for other processes."""


def values(row: Row) -> tuple:
    return (row.kind, row.wall, row.duration_s, row.exercise_id, row.category, row.detail)


class History:
    """The SQLite history store (implements tray_app.ports.HistoryStore); thread-safe."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        retries: int,
        retry_sleep: Callable[[float], None],
        busy_timeout_s: float,
        on_notice: Callable[[str], None],
    ) -> None:
        self._conn = conn
        self.path = path
        self._identity = _identity(path)
        self._wal = self._in_wal_mode()
        self._lock = threading.RLock()
        self._retries = retries
        self._retry_sleep = retry_sleep
        self._busy_timeout_s = busy_timeout_s
        self._on_notice = on_notice
        self._dropped = 0
        # What the user was told about their file since it was opened (a repair, say).
        self.notices: list[str] = []

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        on_notice: Callable[[str], None] = log_notice,
        busy_timeout_s: float = 5.0,
        retries: int = 4,
        retry_sleep: Callable[[float], None] = time.sleep,
        memory_fallback: bool = True,
    ) -> History:
        """Open (creating, upgrading or repairing as needed) the history file at `path`.

        `on_notice` receives one sentence for the user when something had to be done to their
        file (moved aside because it was damaged, or kept in memory because it can't be written).
        `busy_timeout_s` is how long SQLite waits for another process's lock before each retry.
        With `memory_fallback=False` a file that can't be opened raises sqlite3.Error or OSError
        instead (the app's writer retries it later rather than losing the session's rows).
        """
        path = Path(path)
        heard: list[str] = []

        def notice(text: str) -> None:
            heard.append(text)
            on_notice(text)

        for attempt in range(retries + 1):
            try:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                conn = open_file(path, busy_timeout_s, notice)
                break
            except sqlite3.OperationalError as err:
                if is_busy(err) and attempt < retries:
                    retry_sleep(0.1)
                    continue
                if not memory_fallback:
                    raise
                conn = open_memory(path, err, busy_timeout_s, notice)
                break
            except (OSError, sqlite3.Error) as err:
                if not memory_fallback:
                    raise
                conn = open_memory(path, err, busy_timeout_s, notice)
                break
        store = cls(conn, path, retries=retries, retry_sleep=retry_sleep,
                    busy_timeout_s=busy_timeout_s, on_notice=notice)
        store.notices = heard
        return store

    # ---- running work: retries and repair ---------------------------------------------------

    def _run(self, work: Callable[[sqlite3.Connection], object]) -> object:
        """Run `work` under the lock, retrying while another process holds the database.

        A file found damaged on the way is repaired (moved aside, readable rows saved) and the
        work is tried once more on the new file.
        """
        delay = 0.05
        repaired = False
        attempt = 0
        while True:
            try:
                with self._lock:
                    return work(self._conn)
            except sqlite3.DatabaseError as err:
                if is_damage(err) and not repaired and str(self.path) != ":memory:":
                    repaired = True
                    self.repair(err)
                    continue
                if not is_busy(err) or attempt >= self._retries:
                    raise
                attempt += 1
                log.info("history is busy (%s); retrying", err)
                self._retry_sleep(delay)
                delay = min(delay * 2, 1.0)

    def _read(self, work: Callable[[sqlite3.Connection], object]) -> object:
        try:
            return self._run(work)
        except sqlite3.Error as err:
            raise HistoryUnavailable(f"can't read the history file {self.path}: {err}") from err

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> object:
        """`work` inside one write transaction (all or nothing)."""

        def in_transaction(conn: sqlite3.Connection) -> object:
            with transaction(conn):
                return work(conn)

        return self._run(in_transaction)

    def repair(self, err: Exception | None = None) -> None:
        """Replace a damaged file by a new one holding every row that can still be read."""
        with self._lock:
            self._conn.close()
            self._conn = replace_damaged(
                self.path, err or "damaged", self._busy_timeout_s, self._on_notice
            )
            self._identity = _identity(self.path)
            self._wal = self._in_wal_mode()

    # ---- the file moved under us ----------------------------------------------------------

    def file_problem(self) -> str | None:
        """What happened to the file since it was opened, if anything: removed (with its
        folder, maybe), replaced by another file, or its write-ahead log removed. Rows written
        meanwhile would go to a file nobody can open again."""
        if self._identity is None:
            return None
        now = _identity(self.path)
        if now is None:
            return "was removed" if not self.path.parent.is_dir() or not self.path.exists() \
                else "can't be reached"
        if now != self._identity:
            return "was replaced by another file"
        if self._wal and not self.path.with_name(self.path.name + "-wal").exists():
            return "lost its write-ahead log (-wal)"
        return None

    def _in_wal_mode(self) -> bool:
        """Only then does a missing -wal file mean it was removed (a file system without
        shared memory keeps the rollback journal)."""
        try:
            mode = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
        except sqlite3.Error:
            return False
        return str(mode).lower() == "wal"

    def rescue(self) -> int:
        """Put the rows of the file we hold open (removed or replaced on disk) into the file
        now at the path, recreating it (and its folder) if it is gone; returns how many events
        the file at the path holds afterwards. Nothing committed is lost: the removed file
        stays readable through our connection until it is closed here."""
        with self._lock:
            problem = self.file_problem()
            old = self._conn
            if problem is None:
                return int(old.execute("SELECT COUNT(*) FROM events").fetchone()[0])
            if problem.startswith("lost its"):
                # The log's pages go into the main file, then a new log starts.
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            elif not self.path.exists():
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                create_private(self.path)
                fresh = sqlite3.connect(str(self.path))
                try:
                    old.backup(fresh)  # every table, the daily totals too
                finally:
                    fresh.close()
            else:
                self._carry_events(old)
            old.close()
            self._conn = open_file(self.path, self._busy_timeout_s, self._on_notice)
            self._identity = _identity(self.path)
            self._wal = self._in_wal_mode()
            return int(self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def _carry_events(self, old: sqlite3.Connection) -> None:
        """Our events into the other file now at the path (it may be a restored copy: the
        rows it has already are skipped)."""
        other = History.open(self.path, busy_timeout_s=self._busy_timeout_s, retries=0,
                             memory_fallback=False, on_notice=self._on_notice)
        try:
            from tray_app.support.localtime import CachedOffset

            found = totals.meta(old)
            days = Days(240 if found is None else int(found[1]), CachedOffset())
            rows = (Row(*r) for r in old.execute(f"SELECT {COLUMNS} FROM events WHERE "
                                                 f"{SANE_SQL} ORDER BY wall, id"))
            other.import_rows(rows, days)
        finally:
            other.close()

    def check(self) -> str:
        """`PRAGMA quick_check`: "ok", or what it found (the file is then repaired)."""

        def quick_check(conn: sqlite3.Connection) -> str:
            found = conn.execute("PRAGMA quick_check").fetchall()
            return "ok" if found == [("ok",)] else "; ".join(str(r[0]) for r in found[:5])

        try:
            result = self._read(quick_check)
        except HistoryUnavailable as err:
            if not isinstance(err.__cause__, sqlite3.Error) or not is_damage(err.__cause__):
                raise
            result = str(err.__cause__)
        if result != "ok":
            self.repair(sqlite3.DatabaseError(result))
        return str(result)

    # ---- writing ---------------------------------------------------------------------------

    def record(self, row: Row) -> None:
        """Append one row; never raises (a row that can't be written is logged and dropped)."""
        why = problem(row)
        if why is not None:
            self._dropped += 1
            log.error("history row refused (%s): %r", why, row)
            return
        try:
            self.record_many([row])
        except sqlite3.Error as err:
            self._dropped += 1
            log.error("history row dropped (%s): %r", err, row)

    def record_many(self, rows: list[Row], days: Days | None = None) -> None:
        """Append rows in one transaction; raises sqlite3.Error if they could not be written.

        Rows older than what the daily totals already hold are added to their day's totals
        (`days` says where days turn; by default as they were last folded).
        """

        def insert(conn: sqlite3.Connection) -> None:
            conn.executemany(_INSERT, [values(r) for r in rows])
            self._fold_late_rows(conn, rows, days)
            if any(r.kind == Kind.STRETCH_ENDED for r in rows):
                conn.execute("DELETE FROM open_stretch")

        self._write(insert)

    def _fold_late_rows(self, conn: sqlite3.Connection, rows: list[Row], days: Days | None,
                        ) -> None:
        found = totals.meta(conn)
        if found is None:
            return
        folded_until, day_starts, _refold = found
        late = [r for r in rows if r.wall < folded_until]
        if late:
            from tray_app.support.localtime import CachedOffset

            totals.add_rows(conn, late, days or Days(day_starts, CachedOffset()))

    def import_rows(self, rows: Iterable[Row], days: Days) -> tuple[int, int]:
        """Insert the rows not already present (same wall, kind and exercise) in one
        transaction, adding old ones to their days' totals; (added, skipped). An exception
        from `rows` leaves the file as it was.

        Linear: the rows already stored at a wall time are read once per distinct time, so
        100,000 rows sharing one time cost no more than 100,000 different ones."""

        def work(conn: sqlite3.Connection) -> tuple[int, int]:
            found = totals.meta(conn)
            folded_until = float("-inf") if found is None else found[0]
            skipped = 0
            present: set[tuple[float, str, str | None]] = set()
            looked: set[float] = set()
            batch: list[Row] = []
            added = 0

            def flush() -> None:
                conn.executemany(_INSERT, [values(r) for r in batch])
                totals.add_rows(conn, [r for r in batch if r.wall < folded_until], days)
                batch.clear()

            for row in rows:
                if row.wall not in looked:
                    looked.add(row.wall)
                    present.update((row.wall, k, e) for k, e in conn.execute(
                        "SELECT kind, exercise_id FROM events WHERE wall = ?", (row.wall,)))
                key = (row.wall, row.kind, row.exercise_id)
                if key in present:
                    skipped += 1
                    continue
                present.add(key)
                batch.append(row)
                added += 1
                if len(batch) >= PRUNE_BATCH:
                    flush()
            flush()
            return added, skipped

        return self._write(work)  # type: ignore[return-value]

    def set_aside_unusable(self, keep: Callable[[list[tuple[Row, str]]], None]) -> int:
        """Take out the rows the statistics and the export can't use (stored before rows were
        checked, e.g. imported with a wall time in year 1): `keep` gets each with why before
        they are deleted, in one transaction (if `keep` raises, nothing is deleted).
        Returns how many."""

        def work(conn: sqlite3.Connection) -> int:
            found = conn.execute(
                f"SELECT id, {COLUMNS} FROM events WHERE NOT {SANE_SQL} "
                "OR typeof(wall) NOT IN ('real', 'integer') "
                "OR typeof(duration_s) NOT IN ('real', 'integer')").fetchall()
            if not found:
                return 0
            keep([(Row(*fields), problem(Row(*fields)) or "not a number")
                  for _rid, *fields in found])
            conn.executemany("DELETE FROM events WHERE id = ?", [(r[0],) for r in found])
            return len(found)

        return self._write(work)  # type: ignore[return-value]

    @property
    def dropped(self) -> int:
        """How many rows record() had to drop since opening."""
        return self._dropped

    def save_open_stretch(self, wall: float, duration_s: float) -> None:
        """Checkpoint the stretch that is still running, so a crash loses at most this much."""
        self._write(lambda c: c.execute(
            "INSERT OR REPLACE INTO open_stretch (id, wall, duration_s) VALUES (1, ?, ?)",
            (wall, duration_s),
        ))

    def recover_open_stretch(self) -> Row | None:
        """The stretch a crashed run left open, written now as ended at its last checkpoint.

        Only the app calls this at start (it holds the instance lock, so no other run is open).
        """

        def recover(conn: sqlite3.Connection) -> Row | None:
            found = conn.execute("SELECT wall, duration_s FROM open_stretch").fetchone()
            if found is None:
                return None
            row = Row(Kind.STRETCH_ENDED, found[0], found[1],
                      detail="recovered: sitbreak stopped without ending it")
            conn.execute(_INSERT, values(row))
            self._fold_late_rows(conn, [row], None)
            conn.execute("DELETE FROM open_stretch")
            return row

        return self._write(recover)  # type: ignore[return-value]

    # ---- reading ---------------------------------------------------------------------------

    def recent_exercises(self, limit: int) -> list[tuple[float, str, str]]:
        """(wall, exercise_id, category) of the last `limit` rows naming an exercise, newest first.

        Never raises: the picker can choose without history.
        """

        def query(conn: sqlite3.Connection) -> list[tuple[float, str, str]]:
            return conn.execute(
                "SELECT wall, exercise_id, COALESCE(category, '') FROM events "
                "WHERE exercise_id IS NOT NULL ORDER BY wall DESC, id DESC LIMIT ?",
                (limit,),
            ).fetchall()

        try:
            return self._run(query)  # type: ignore[return-value]
        except sqlite3.Error as err:
            log.error("can't read recent exercises: %s", err)
            return []

    def events(self, since_wall: float | None = None, until_wall: float | None = None) -> list[Row]:
        """Rows with since_wall <= wall < until_wall (either bound optional), oldest first.

        Raises HistoryUnavailable if the file stays locked or can't be read.
        """
        lo = float("-inf") if since_wall is None else since_wall
        hi = float("inf") if until_wall is None else until_wall

        def query(conn: sqlite3.Connection) -> list[Row]:
            cur = conn.execute(
                _SPAN,
                (lo, hi),
            )
            return [Row(*r) for r in cur]

        return self._read(query)  # type: ignore[return-value]

    def iter_events(self, since_wall: float) -> Iterator[Row]:
        """Rows from `since_wall` on, oldest first, streamed (memory stays flat); the caller
        holds the lock while it iterates. Raises HistoryUnavailable if they can't be read."""
        try:
            with self._lock:
                cur = self._conn.execute(
                    _SPAN, (since_wall, float("inf")),
                )
                for r in cur:
                    yield Row(*r)
        except sqlite3.Error as err:
            raise HistoryUnavailable(f"can't read the history file {self.path}: {err}") from err

    def count(self, before_wall: float | None = None) -> int:
        """Number of events (before `before_wall`, if given), counted by SQLite."""
        hi = float("inf") if before_wall is None else before_wall
        return self._read(  # type: ignore[return-value]
            lambda c: c.execute("SELECT COUNT(*) FROM events WHERE wall < ?", (hi,)).fetchone()[0]
        )

    def first_wall(self) -> float | None:
        """The time of the oldest event, or None."""
        return self._read(lambda c: c.execute(_FIRST).fetchone()[0])  # type: ignore[return-value]

    def first_day(self) -> date | None:
        """The oldest day with stored totals, or None."""
        found = self._read(lambda c: c.execute("SELECT MIN(day) FROM daily_totals").fetchone()[0])
        return None if found is None else date.fromisoformat(str(found))

    def export_rows(self) -> Iterator[tuple]:
        """Every event as a row of the CSV export (see csv_io.CSV_HEADER), oldest first,
        formatted by SQLite and streamed: the caller holds the lock while it iterates."""
        from functools import lru_cache

        from tray_app.support.localtime import CachedOffset

        with self._lock:
            self._conn.create_function("utc_offset", 1, CachedOffset(), deterministic=True)
            self._conn.create_function("offset_suffix", 1, lru_cache(_offset_suffix),
                                       deterministic=True)
            yield from self._conn.execute(_EXPORT)

    # ---- daily totals ----------------------------------------------------------------------

    def settle(self, through_wall: float, days: Days, *, patient: bool = True,
               between: Callable[[], None] = lambda: None,
               budget_s: float | None = None) -> None:
        """Fold every event before `through_wall` (a day start) into the daily totals.

        Works a month per transaction, so other writers wait at most that long. When day_starts
        changed, the days that still have raw events are folded again with the new boundary.
        After the upgrade that added minutes by exercise, those are filled in from the raw
        events for the days folded before it.
        `patient=False` gives up at once (sqlite3.OperationalError) if another process writes;
        `budget_s` stops after about that long (the rest is folded another time).
        """
        if not patient:
            with self._impatient():
                self.settle(through_wall, days, budget_s=budget_s)
            return
        deadline = None if budget_s is None else time.monotonic() + budget_s

        # One step per transaction, each re-reading where folding stands: another process
        # settling at the same time continues from there instead of folding a span twice.
        while not self._write(lambda conn: self._settle_step(conn, through_wall, days)):
            between()
            if deadline is not None and time.monotonic() > deadline:
                return

    @staticmethod
    def _settle_step(conn: sqlite3.Connection, through_wall: float, days: Days) -> bool:
        """Fold the next span (at most SETTLE_CHUNK_DAYS); True once everything is folded."""
        found = totals.meta(conn)
        if found is not None and found[1] == days.day_starts:
            start, exercises_from = float(found[0]), found[2]
        else:
            first = conn.execute(_FIRST).fetchone()[0]
            if first is None:
                totals.set_meta(conn, through_wall, days.day_starts)
                totals.set_exercises_from(conn, None)
                return True
            start = days.start(days.of(first))
            # The first raw day under the old boundary and the new one: both are folded again.
            old = days if found is None else Days(int(found[1]), days.offset)
            refold = min(days.of(first), old.of(first))
            conn.execute("DELETE FROM daily_totals WHERE day >= ?", (refold.isoformat(),))
            totals.set_meta(conn, start, days.day_starts)
            totals.set_exercises_from(conn, None)  # every day with raw events is folded anew
            exercises_from = None
        if start < through_wall:
            end = totals.next_chunk(start, through_wall, days, SETTLE_CHUNK_DAYS)
            History._fold_span(conn, start, end, days)
            if end < through_wall:
                return False
        return exercises_from is None or History._fill_exercises_step(
            conn, float(exercises_from), min(start, through_wall), days)

    @staticmethod
    def _fill_exercises_step(conn: sqlite3.Connection, since: float, until: float,
                             days: Days) -> bool:
        """Fill in minutes by exercise on folded days from `since` (a day start) to `until`,
        from their raw events, a span at a time (after the upgrade that added them); True
        once done."""
        first = conn.execute(f"{_FIRST} AND wall >= ?", (since,)).fetchone()[0]
        start = until if first is None else days.start(days.of(first))
        if start >= until:
            totals.set_exercises_from(conn, None)
            return True
        end = totals.next_chunk(start, until, days, SETTLE_CHUNK_DAYS)
        cur = conn.execute(
            _SPAN,
            (start, end),
        )
        totals.fill_exercises(conn, days.fold((Row(*r) for r in cur), days.of(start),
                                              days.of(end - 1)))
        totals.set_exercises_from(conn, end)
        return False

    @contextlib.contextmanager
    def _impatient(self) -> Iterator[None]:
        with self._lock:
            retries, self._retries = self._retries, 0
            self._conn.execute("PRAGMA busy_timeout = 100")
            try:
                yield
            finally:
                self._retries = retries
                self._conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_s * 1000)}")

    @staticmethod
    def _fold_span(conn: sqlite3.Connection, start: float, end: float, days: Days) -> None:
        cur = conn.execute(
            _SPAN,
            (start, end),
        )
        rows = (Row(*r) for r in cur)
        totals.add(conn, days.fold(rows, days.of(start), days.of(end - 1)))
        totals.set_meta(conn, end, days.day_starts)

    def folded_until(self) -> float | None:
        """Events before this wall time are in the daily totals."""
        found = self._read(totals.meta)
        return None if found is None else float(found[0])  # type: ignore[index]

    def daily_totals(self, first: date, last: date) -> dict[date, DayStats]:
        """Stored totals of the days from `first` to `last`, by day (days without any omitted)."""
        return self._read(lambda c: totals.load(c, first, last))  # type: ignore[return-value]

    # ---- deleting --------------------------------------------------------------------------

    def prune(self, keep_days: int, now_wall: float, days: Days | None = None,
              between: Callable[[], None] = lambda: None) -> int:
        """Delete events older than `keep_days` days (whole days), after folding them into the
        daily totals; in batches, calling `between()` after each; then give the space back.
        Returns how many events went. The programme's rows (ratings, level answers, check-ins,
        re-tests: a few a day) stay: the levels and the months of re-tests are worked out
        from them."""
        if days is None:
            from tray_app.support.localtime import CachedOffset

            days = Days(240, CachedOffset())
        cutoff = days.start(days.of(now_wall - keep_days * 86400.0))
        self.settle(min(cutoff, days.start(days.of(now_wall))), days, between=between)
        cutoff = min(cutoff, self.folded_until() or cutoff)
        deleted = self._delete_before(cutoff, between, keep=KEPT_KINDS)
        if deleted:
            self.give_back_space()
        return deleted

    def _delete_before(self, cutoff: float, between: Callable[[], None],
                       keep: frozenset[str] = frozenset()) -> int:
        """Delete events before `cutoff` in batches (small transactions, a small WAL), but
        none of the kinds in `keep`."""
        deleted = 0
        spared = "".join(f" AND kind != '{k}'" for k in sorted(keep))  # our own constants
        while True:
            n = int(self._write(lambda c: c.execute(  # type: ignore[call-overload]
                "DELETE FROM events WHERE id IN "
                f"(SELECT id FROM events WHERE wall < ?{spared} ORDER BY wall LIMIT ?)",
                (cutoff, PRUNE_BATCH),
            ).rowcount))
            deleted += n
            between()
            if n < PRUNE_BATCH:
                return deleted

    def give_back_space(self) -> None:
        """Return free pages to the file system and cut the write-ahead log back."""

        def vacuum(conn: sqlite3.Connection) -> None:
            if conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 0:
                # A file made before incremental vacuum: rewrite it once to switch it on.
                conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
                conn.execute("VACUUM")
            else:
                conn.execute("PRAGMA incremental_vacuum").fetchall()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

        try:
            self._run(vacuum)
        except sqlite3.Error as err:
            log.info("could not give space back yet: %s", err)

    def clear(self, before_wall: float | None = None, before_day: date | None = None) -> int:
        """Delete every event (or those before `before_wall`) and the daily totals (or those
        of days before `before_day`); return how many events were deleted."""

        def delete_all(conn: sqlite3.Connection) -> int:
            conn.execute("DELETE FROM daily_totals")
            conn.execute("DELETE FROM totals_meta")
            return conn.execute("DELETE FROM events").rowcount

        def delete_days(conn: sqlite3.Connection) -> None:
            if before_day is not None:
                conn.execute("DELETE FROM daily_totals WHERE day < ?", (before_day.isoformat(),))

        try:
            if before_wall is None:
                n = int(self._write(delete_all))  # type: ignore[call-overload]
            else:
                self._write(delete_days)
                n = self._delete_before(before_wall, lambda: None)
        except sqlite3.Error as err:
            raise HistoryUnavailable(f"can't change the history file {self.path}: {err}") from err
        self.give_back_space()
        return n

    def follow_clock(self, real_seconds: Callable[[float], float],
                     wall: Callable[[], float]) -> None:
        """Nothing to follow: this store writes as it is called and keeps no periods."""

    def close(self) -> None:
        """Close the file; later calls to record() are logged and dropped."""
        with self._lock:
            self._conn.close()

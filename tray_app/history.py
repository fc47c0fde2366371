"""The history file: one SQLite database of events, shared by the tray and the CLI.

Each row is committed on its own (autocommit, WAL), so a crash loses at most the row being
written. The schema version lives in `PRAGMA user_version`; older files are upgraded in place
after a backup copy is taken. A file that is not a readable database is moved aside, never
deleted, and the user is told once.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from tray_app.core.ports import Row

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

# The first released layout: no category or detail. Kept so migrations (and their tests) are real.
DDL_V1 = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    wall REAL NOT NULL,
    kind TEXT NOT NULL,
    duration_s REAL NOT NULL DEFAULT 0,
    exercise_id TEXT NULL
);
CREATE INDEX events_wall ON events (wall);
PRAGMA user_version = 1;
"""

DDL_V2 = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    wall REAL NOT NULL,
    kind TEXT NOT NULL,
    duration_s REAL NOT NULL DEFAULT 0,
    exercise_id TEXT NULL,
    category TEXT NULL,
    detail TEXT NULL
);
CREATE INDEX events_wall ON events (wall);
PRAGMA user_version = 2;
"""

# Each step upgrades from version N to N + 1 inside one transaction.
MIGRATIONS: dict[int, str] = {
    1: """
    ALTER TABLE events ADD COLUMN category TEXT NULL;
    ALTER TABLE events ADD COLUMN detail TEXT NULL;
    PRAGMA user_version = 2;
    """,
}

CSV_HEADER = ("id", "time_utc", "wall", "kind", "duration_s", "exercise_id", "category", "detail")

_COLUMNS = "kind, wall, duration_s, exercise_id, category, detail"


class HistoryUnavailable(Exception):
    """The history file could not be read even after waiting for other processes."""


def _log_notice(message: str) -> None:
    log.warning("%s", message)


def _stamp(now: float | None = None) -> str:
    return datetime.fromtimestamp(time.time() if now is None else now).strftime("%Y%m%d-%H%M%S")


def _free_name(base: Path) -> Path:
    """`base`, or `base` with a counter, whichever does not exist yet."""
    candidate, n = base, 1
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


def _is_busy(err: sqlite3.OperationalError) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


class History:
    """The SQLite history store (implements tray_app.core.ports.HistoryStore); thread-safe."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        retries: int,
        retry_sleep: Callable[[float], None],
    ) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.Lock()
        self._retries = retries
        self._retry_sleep = retry_sleep
        self._dropped = 0

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        on_notice: Callable[[str], None] = _log_notice,
        busy_timeout_s: float = 5.0,
        retries: int = 4,
        retry_sleep: Callable[[float], None] = time.sleep,
    ) -> History:
        """Open (creating, upgrading or replacing as needed) the history file at `path`.

        `on_notice` receives one sentence for the user when something had to be done to their
        file (moved aside because it was damaged, or kept in memory because it can't be written).
        `busy_timeout_s` is how long SQLite waits for another process's lock before each retry.
        """
        path = Path(path)
        for attempt in range(retries + 1):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = cls._open_file(path, busy_timeout_s, on_notice)
                break
            except sqlite3.OperationalError as err:
                if _is_busy(err) and attempt < retries:
                    retry_sleep(0.1)
                    continue
                conn = cls._open_memory(path, err, busy_timeout_s, on_notice)
                break
            except (OSError, sqlite3.Error) as err:
                conn = cls._open_memory(path, err, busy_timeout_s, on_notice)
                break
        return cls(conn, path, retries=retries, retry_sleep=retry_sleep)

    @classmethod
    def _open_file(
        cls, path: Path, busy_timeout_s: float, on_notice: Callable[[str], None]
    ) -> sqlite3.Connection:
        conn = cls._connect(path, busy_timeout_s)
        try:
            cls._check_readable(conn)
            cls._prepare(conn, path)
        except sqlite3.DatabaseError as err:
            conn.close()
            # Operational errors (locked, disk full, read-only) say nothing about the file's
            # contents; only a damaged or foreign file is moved aside.
            if isinstance(err, sqlite3.OperationalError):
                raise
            moved = cls._move_aside(path)
            log.warning("history file %s unreadable (%s); moved to %s", path, err, moved)
            on_notice(
                f"Your sitbreak history file {path} was damaged, so it was moved to {moved} "
                "and a new, empty history was started."
            )
            conn = cls._connect(path, busy_timeout_s)
            cls._prepare(conn, path)
        return conn

    @classmethod
    def _open_memory(
        cls, path: Path, err: Exception, busy_timeout_s: float, on_notice: Callable[[str], None]
    ) -> sqlite3.Connection:
        on_notice(
            f"sitbreak can't use its history file {path} ({err}); history for this session "
            "is kept in memory only and will be lost when sitbreak quits."
        )
        conn = cls._connect(Path(":memory:"), busy_timeout_s)
        cls._prepare(conn, Path(":memory:"))
        return conn

    @staticmethod
    def _connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
        # isolation_level=None: autocommit, so every record() is durable on its own.
        conn = sqlite3.connect(
            str(path), timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        return conn

    @staticmethod
    def _check_readable(conn: sqlite3.Connection) -> None:
        """Raise sqlite3.DatabaseError if the file is not a healthy SQLite database."""
        result = conn.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {result[0] if result else 'no answer'}")

    @staticmethod
    def _move_aside(path: Path) -> Path:
        """Rename a damaged file (and its WAL side files) to `<name>.corrupt-<stamp>`."""
        target = _free_name(path.with_name(f"{path.name}.corrupt-{_stamp()}"))
        path.replace(target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.replace(target.with_name(target.name + suffix))
        return target

    @classmethod
    def _prepare(cls, conn: sqlite3.Connection, path: Path) -> None:
        """WAL mode, then create or migrate the schema."""
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a power cut may lose the last commits, a crashed process loses none.
        conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if 0 < version < SCHEMA_VERSION and str(path) != ":memory:":
            # The backup API cannot run inside our own write transaction, so copy first.
            cls._backup(conn, path, version)
        with cls._transaction(conn):
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                has_table = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
                ).fetchone()
                if has_table:
                    raise sqlite3.DatabaseError("events table without a schema version")
                cls._run_script(conn, DDL_V2)
                return
            while version < SCHEMA_VERSION:
                cls._run_script(conn, MIGRATIONS[version])
                version += 1
            if version > SCHEMA_VERSION:
                # A newer sitbreak wrote this file; its extra columns are left alone.
                log.info("history schema %d is newer than %d; using it as is", version,
                         SCHEMA_VERSION)

    @staticmethod
    def _run_script(conn: sqlite3.Connection, script: str) -> None:
        # executescript() would COMMIT our transaction, so run statement by statement.
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)

    @staticmethod
    @contextlib.contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def _backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
        target = _free_name(path.with_name(f"{path.name}.v{version}-backup-{_stamp()}"))
        dest = sqlite3.connect(str(target))
        try:
            conn.backup(dest)
            # One self-contained file: no -wal/-shm appear beside the backup when it is opened.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        log.info("backed up history schema v%d to %s before upgrading", version, target)
        return target

    # ---- retries -------------------------------------------------------------------------

    def _run(self, work: Callable[[sqlite3.Connection], object]) -> object:
        """Run `work` under the lock, retrying while another process holds the database."""
        delay = 0.05
        for attempt in range(self._retries + 1):
            try:
                with self._lock:
                    return work(self._conn)
            except sqlite3.OperationalError as err:
                if not _is_busy(err) or attempt == self._retries:
                    raise
                log.info("history is busy (%s); retrying", err)
                self._retry_sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")

    def _read(self, work: Callable[[sqlite3.Connection], object]) -> object:
        try:
            return self._run(work)
        except sqlite3.Error as err:
            raise HistoryUnavailable(f"can't read the history file {self.path}: {err}") from err

    # ---- HistoryStore ---------------------------------------------------------------------

    def record(self, row: Row) -> None:
        """Append one row; never raises (a row that can't be written is logged and dropped)."""
        values = (row.kind, row.wall, row.duration_s, row.exercise_id, row.category, row.detail)

        def insert(conn: sqlite3.Connection) -> None:
            conn.execute(f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", values)

        try:
            self._run(insert)
        except sqlite3.Error as err:
            self._dropped += 1
            log.error("history row dropped (%s): %r", err, row)

    @property
    def dropped(self) -> int:
        """How many rows record() had to drop since opening."""
        return self._dropped

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
                f"SELECT {_COLUMNS} FROM events WHERE wall >= ? AND wall < ? ORDER BY wall, id",
                (lo, hi),
            )
            return [Row(*r) for r in cur.fetchall()]

        return self._read(query)  # type: ignore[return-value]

    def count(self) -> int:
        """Number of rows in the file."""
        return self._read(lambda c: c.execute("SELECT COUNT(*) FROM events").fetchone()[0])  # type: ignore[return-value]

    def prune(self, keep_days: int, now_wall: float) -> int:
        """Delete rows older than `keep_days` days before `now_wall`; return how many went."""
        return self.clear(before_wall=now_wall - keep_days * 86400)

    def clear(self, before_wall: float | None = None) -> int:
        """Delete every row (or those before `before_wall`); return how many were deleted."""

        def delete(conn: sqlite3.Connection) -> int:
            if before_wall is None:
                return conn.execute("DELETE FROM events").rowcount
            return conn.execute("DELETE FROM events WHERE wall < ?", (before_wall,)).rowcount

        return self._read(delete)  # type: ignore[return-value]

    def export_csv(self, path: Path) -> int:
        """Write every row to a CSV file (written to a temporary name, then renamed); row count."""

        def query(conn: sqlite3.Connection) -> list[tuple]:
            return conn.execute(f"SELECT id, {_COLUMNS} FROM events ORDER BY wall, id").fetchall()

        rows: list[tuple] = self._read(query)  # type: ignore[assignment]
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        with tmp.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(CSV_HEADER)
            for rid, kind, wall, duration, exercise_id, category, detail in rows:
                when = datetime.fromtimestamp(wall, UTC).isoformat(timespec="seconds")
                out.writerow((rid, when, wall, kind, duration, exercise_id or "", category or "",
                              detail or ""))
        tmp.replace(path)
        return len(rows)

    def close(self) -> None:
        """Close the file; later calls to record() are logged and dropped."""
        with self._lock:
            self._conn.close()

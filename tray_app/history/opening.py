"""Opening the history file: connect, create or upgrade the schema, and replace a damaged file
by a new one holding what can still be read."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from tray_app.history.schema import DDL_CURRENT, MIGRATIONS, SCHEMA_VERSION
from tray_app.support.paths import private_file

log = logging.getLogger(__name__)

# The write-ahead log is cut back to this size after a checkpoint, so one big delete does not
# leave a big file behind.
WAL_LIMIT_BYTES = 4 * 1024 * 1024


def log_notice(message: str) -> None:
    log.warning("%s", message)


def stamp(now: float | None = None) -> str:
    return datetime.fromtimestamp(time.time() if now is None else now).strftime("%Y%m%d-%H%M%S")


def free_name(base: Path) -> Path:
    """`base`, or `base` with a counter, whichever does not exist yet."""
    candidate, n = base, 1
    while candidate.exists():
        candidate = base.with_name(f"{base.name}-{n}")
        n += 1
    return candidate


def is_busy(err: sqlite3.Error) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


# SQLITE_CORRUPT and SQLITE_NOTADB: the file's contents are bad.
_DAMAGE_CODES = (11, 26)


def is_damage(err: BaseException) -> bool:
    """The file's contents are bad (not a lock, a full disk, a permission or a closed file)."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    text = str(err).lower()
    return isinstance(err, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "quick_check" in text
    )


def open_file(
    path: Path, busy_timeout_s: float, on_notice: Callable[[str], None]
) -> sqlite3.Connection:
    """Connect and prepare; a damaged or foreign file is replaced (see replace_damaged)."""
    conn = connect(path, busy_timeout_s)
    try:
        prepare(conn, path)
    except sqlite3.DatabaseError as err:
        conn.close()
        # Operational errors (locked, disk full, read-only) say nothing about the file's
        # contents; only a damaged or foreign file is moved aside.
        if not is_damage(err):
            raise
        conn = replace_damaged(path, err, busy_timeout_s, on_notice)
    return conn


def replace_damaged(
    path: Path, err: Exception, busy_timeout_s: float, on_notice: Callable[[str], None]
) -> sqlite3.Connection:
    """Move the damaged file aside, start a new one and save into it what can be read."""
    from tray_app.history.salvage import move_aside, salvage  # only for a damaged file

    moved = move_aside(path, free_name(path.with_name(f"{path.name}.corrupt-{stamp()}")))
    conn = connect(path, busy_timeout_s)
    prepare(conn, path)
    with transaction(conn):
        found = salvage(moved, conn)
    saved, lost = found.events, found.events_lost
    log.warning("history file %s damaged (%s); moved to %s; kept by table %s, lost %s",
                path, err, moved, found.kept, found.lost)
    lost_text = ("; none were lost" if lost == 0
                 else "; how many could not be read is unknown (the file's end was damaged)"
                 if lost == "unknown" else f"; up to {lost} could not be read")
    days = found.kept.get("daily_totals", 0)
    on_notice(
        f"Your sitbreak history file {path} was damaged, so it was moved to {moved}; "
        f"{saved} events were saved from it into a new history file, with {days} days of "
        f"totals{lost_text}."
    )
    return conn


def open_memory(
    path: Path, err: Exception, busy_timeout_s: float, on_notice: Callable[[str], None]
) -> sqlite3.Connection:
    on_notice(
        f"sitbreak can't use its history file {path} ({err}); history for this session "
        "is kept in memory only and will be lost when sitbreak quits."
    )
    conn = connect(Path(":memory:"), busy_timeout_s)
    prepare(conn, Path(":memory:"))
    return conn


def create_private(path: Path) -> None:
    """The database file (and its -wal and -shm, which SQLite creates with the database's own
    permissions) readable by the user only, whatever the umask: made 0600 before SQLite
    creates it, and an existing one tightened."""
    if str(path) == ":memory:":
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        private_file(name)


def connect(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    create_private(path)
    # isolation_level=None: autocommit; writes that belong together use transaction().
    conn = sqlite3.connect(
        str(path), timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    return conn


def prepare(conn: sqlite3.Connection, path: Path) -> None:
    """WAL mode, then create or migrate the schema."""
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode: a power cut may lose the last commits, a crashed process loses none.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if 0 < version < SCHEMA_VERSION and str(path) != ":memory:":
        # The backup API cannot run inside our own write transaction, so copy first.
        backup(conn, path, version)
    if version == 0:
        # Only an empty file can change its vacuum mode without a VACUUM.
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    with transaction(conn):
        # Re-read under the write lock: another process may have migrated meanwhile.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'"
            ).fetchone()
            if has_table:
                raise sqlite3.DatabaseError("events table without a schema version")
            run_script(conn, DDL_CURRENT)
            return
        while version < SCHEMA_VERSION:
            run_script(conn, MIGRATIONS[version])
            version += 1
        if version > SCHEMA_VERSION:
            # A newer sitbreak wrote this file; its extra columns are left alone.
            log.info("history schema %d is newer than %d; using it as is", version, SCHEMA_VERSION)


def run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT our transaction, so run statement by statement.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    target = free_name(path.with_name(f"{path.name}.v{version}-backup-{stamp()}"))
    create_private(target)
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
        # One self-contained file: no -wal/-shm appear beside the backup when it is opened.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    log.info("backed up history schema v%d to %s before upgrading", version, target)
    return target

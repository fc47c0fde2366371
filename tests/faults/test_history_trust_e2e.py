"""Issue 26 items 1, 5 and 9 the way they were found, with the real `sitbreak`:

1. `history import` of a row dated year 1 said "imported 1 events"; the next `run` lost its
   writer thread for good while status said ok. Now the import is refused naming the line, and
   a file an older version left with such a row runs, writes and quits with every row kept.
5. deleting history.sqlite3* while it ran: the next 30 confirmed commands were gone at quit.
9. history.sqlite3 and sitbreak.log were 0644 under umask 022.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, stop, write_settings
from tray_app.core.model import Kind, Row
from tray_app.history import History

SPEED = {"SITBREAK_CLOCK_SPEED": "20"}


def pauses(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'paused'").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    sb = Sandbox(tmp_path / "sb", dict(SPEED))
    return sb


@pytest.mark.slow
@pytest.mark.e2e
def test_year_1_import_refused_and_an_old_year_1_row_does_not_stop_the_writer(
        box: Sandbox, tmp_path: Path) -> None:
    y1 = tmp_path / "y1.csv"
    y1.write_text("time_utc,kind,duration_s\n0001-01-01T00:00:00,stretch_ended,60\n")
    out = box.cli("history", "import", str(y1))
    assert out.returncode == 2 and "line 2" in out.stderr and "imported" not in out.stdout, out
    # As an older sitbreak left it: the row is in the file already.
    h = History.open(box.history)
    h.record(Row(Kind.STRETCH_ENDED, 1_700_000_000.0, 60.0))
    h._write(lambda c: c.execute("INSERT INTO events (kind, wall, duration_s) "
                                 "VALUES ('stretch_ended', -62135596800.0, 60)"))
    h.close()
    cfg = write_settings(box.root / "s.toml", sitting={"break_after": "1h"})
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        for _ in range(5):
            done = box.cli("pause", "1m")
            assert done.returncode == 0 and "not saved" not in done.stderr, done
            assert box.cli("resume").returncode == 0
        hist = wait_for(lambda: (s := box.status()["history"])["moved_out"] and s, timeout=20,
                        what="the old row moved out")
        assert hist["ok"] is True and hist["pending"] == 0
    finally:
        stop(proc)
    assert pauses(box.history) == 5
    assert box.cli("stats", "--json").returncode == 0
    assert box.cli("history", "export", str(tmp_path / "out.csv")).returncode == 0


@pytest.mark.slow
@pytest.mark.e2e
def test_history_deleted_while_running_keeps_the_confirmed_commands(box: Sandbox) -> None:
    cfg = write_settings(box.root / "s.toml", sitting={"break_after": "1h"})
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        assert box.cli("pause", "1m").returncode == 0
        assert box.cli("resume").returncode == 0
        wait_for(lambda: box.history.exists() and pauses(box.history) == 1, timeout=20,
                 what="the first pause written")
        for suffix in ("", "-wal", "-shm"):
            box.history.with_name(box.history.name + suffix).unlink(missing_ok=True)
        for _ in range(15):  # the trial's 30 confirmed commands
            assert box.cli("pause", "1m").returncode == 0
            assert box.cli("resume").returncode == 0
        st = box.status()["history"]
        assert "was removed" in str(st["repaired"]), st
    finally:
        stop(proc)
    assert pauses(box.history) == 16


@pytest.mark.e2e
def test_history_and_log_are_private_under_umask_022(box: Sandbox) -> None:
    cfg = write_settings(box.root / "s.toml", sitting={"break_after": "1h"})
    old = os.umask(0o022)  # the child inherits it
    try:
        proc = box.start("--console", "--config", str(cfg))
    finally:
        os.umask(old)
    try:
        box.wait_running(proc)
        assert box.cli("pause", "1m").returncode == 0
        wait_for(lambda: box.history.exists(), timeout=20, what="the history file")
        wal = box.history.with_name(box.history.name + "-wal")
        wait_for(lambda: wal.exists(), timeout=20, what="the -wal file")
        log = box.root / "state" / "sitbreak" / "log" / "sitbreak.log"
        files = [box.history, wal, *box.root.glob("state/sitbreak/**/sitbreak.log")]
        assert len(files) >= 3, list(box.root.rglob("*.log"))
        assert {f.stat().st_mode & 0o777 for f in files} == {0o600}, log
        for folder in (box.history.parent, files[-1].parent):
            assert folder.stat().st_mode & 0o777 == 0o700, folder
    finally:
        stop(proc)

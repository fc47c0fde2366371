"""Issue 26 item 4: one page of random bytes in a 20,000-row history; `history check` said
"OK (7511 events)" and exit 0, while the moved-aside copy still gave 19,850 rows read by id
ranges; when the running app repaired, only the log said so. Now the salvage reads every
table by rowid ranges, reports what it kept and lost, check exits 1, and the app tells the
user (a notification and `status`)."""

from __future__ import annotations

import io
import random
import sqlite3
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.history.test_writer import stored
from tray_app.cli.history_commands import run_history_check
from tray_app.core.model import Kind, Row
from tray_app.history import History
from tray_app.history.totals import Days
from tray_app.history.writer import HistoryWriter

N = 20_000
T0 = 1_700_000_000.0


def damaged_history(tmp_path: Path, which: float, *, totals: bool = False) -> Path:
    """A 20,000-row history with one leaf page of its events (at `which` of the way along)
    overwritten with random bytes; with `totals`, folded daily totals too."""
    path = tmp_path / "history.sqlite3"
    h = History.open(path)
    h.record_many([Row(Kind.STRETCH_ENDED, T0 + i * 60, 60.0, detail="x" * 20)
                   for i in range(N)])
    if totals:
        h.settle(T0 + N * 60 - 86400, Days(240, lambda w: 0))
    h.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    try:
        leaves = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' "
            "ORDER BY pageno")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat to find the events table's pages")
    finally:
        conn.close()
    target = leaves[int(len(leaves) * which)]
    data = bytearray(path.read_bytes())
    rng = random.Random(26)
    data[(target - 1) * page:target * page] = bytes(rng.randrange(256) for _ in range(page))
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("which", [0.0, 0.4, 0.999])
def test_check_salvages_every_readable_row_and_says_what_was_lost(
        tmp_path: Path, which: float) -> None:
    path = damaged_history(tmp_path, which)
    out = io.StringIO()
    code = run_history_check(path, out, err=io.StringIO())
    text = out.getvalue()
    assert code == 1 and "OK" not in text and "was damaged" in text, text
    kept = stored(path)
    assert kept >= N - 200, text  # a page holds under 200 of these rows
    assert f"{kept} events" in text and "could not be read" in text
    moved = [p for p in tmp_path.glob("history.sqlite3.corrupt-*")
             if not p.name.endswith(("-wal", "-shm"))]
    assert len(moved) == 1  # the damaged copy, kept whole


def test_daily_totals_are_salvaged_on_their_own(tmp_path: Path) -> None:
    path = damaged_history(tmp_path, 0.5, totals=True)
    run_history_check(path, io.StringIO(), err=io.StringIO())
    h = History.open(path)
    try:
        assert h.first_day() is not None and h.folded_until() is not None
    finally:
        h.close()


def test_the_running_app_tells_the_user_of_a_repair(tmp_path: Path) -> None:
    path = damaged_history(tmp_path, 0.4)
    told: list[str] = []
    w = HistoryWriter(path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 36500,
                      on_problem=told.append, retry_s=(0.01, 0.05), maintain_after_s=0.0,
                      wall=lambda: T0 + N * 60)
    w.start()
    try:
        w.record(Row(Kind.PAUSED, T0 + N * 60, 1.0))
        assert w.flush(20)
        wait_for(lambda: w.status()["repaired"], timeout=20, what="the repair in status")
        assert any("was damaged" in t and "could not be read" in t for t in told)
        assert "events" in str(w.status()["repaired"])
    finally:
        w.close()
    assert stored(path) >= N - 200

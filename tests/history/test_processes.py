"""Several processes on one history file: parallel writers and a writer killed mid-stream."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.desktop import lines_of
from tray_app.history import History

ROOT = Path(__file__).resolve().parents[2]


def writer(path: Path, tag: str, count: int, go: Path | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "tests.history.writer", str(path), tag, str(count)]
    if go is not None:
        args.append(str(go))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)



def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History.open(path).close()  # create it, so both writers race on rows, not on the schema
    go = tmp_path / "go"
    procs = [writer(path, tag, 200, go) for tag in ("a", "b")]
    outs = [lines_of(p) for p in procs]
    for q in outs:
        assert q.get(timeout=20) == "ready"
    go.touch()  # both start writing at the same moment
    for p in procs:
        assert p.wait(timeout=60) == 0  # 4 would mean a row was dropped
    conn = sqlite3.connect(path)
    details = [d for (d,) in conn.execute("SELECT detail FROM events")]
    assert len(details) == 400
    for tag in ("a", "b"):
        assert sorted(int(d.split(":")[1]) for d in details if d.startswith(tag)) == list(
            range(200)
        )


def test_two_processes_creating_the_file_at_once(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    procs = [writer(path, tag, 20) for tag in ("a", "b")]
    for p in procs:
        assert p.wait(timeout=60) == 0
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM events").fetchone()[0] == 40


def test_kill_9_loses_at_most_the_last_event(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    proc = writer(path, "k", 0)  # writes until killed
    out = lines_of(proc)
    assert out.get(timeout=20) == "ready"
    last = -1
    while last < 150:
        line = out.get(timeout=20)
        assert line is not None, "writer stopped early"
        last = int(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    # Rows it reported after our cut-off are committed too: read every line it printed.
    while (line := out.get(timeout=10)) is not None:
        if line.isdigit():
            last = int(line)

    h = History.open(path)
    indexes = [int(r.detail.split(":")[1]) for r in h.events() if r.detail]
    h.close()
    # Every reported row is there, in order; at most one more (written, not yet reported).
    assert indexes[: last + 1] == list(range(last + 1))
    assert len(indexes) in (last + 1, last + 2)

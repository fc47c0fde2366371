"""Figures for the README's reliability section: hostile inputs by class, each run through the
real code (no sitbreak process), counted as refused cleanly, survived, lost or crashed.

    python bench/fault_figures.py [--json]

- import: hostile CSV lines through `sitbreak history import` (a fresh history each), then
  `stats` and `export` on the result. Refused cleanly = exit 2 naming the line; crashed = any
  traceback afterwards.
- writer: hostile rows fed to the app's history writer between good rows. Survived = the
  thread alive and every good row written; lost = good rows missing.
- damage: a page of random bytes at 10 places in a 20,000-row history, then `history check`:
  rows kept and lost.
- moved: the history file, its folder, its -wal removed or it replaced while rows are written:
  confirmed rows lost.
- settings: values that crashed the app before, through the one settings check.
- outputs: special files as the target of `history export --force`: left untouched.
- socket: `status` while a flood of connect/close hits the control socket: answered or not.
Exit 1 if anything crashed or lost a confirmed row.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import random
import shutil
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tray_app.cli.history_commands import (
    run_history_check,
    run_history_export,
    run_history_import,
    run_stats,
)
from tray_app.core.model import Kind, Row, Settings
from tray_app.core.problems import ProblemsError
from tray_app.history import History
from tray_app.history.totals import Days
from tray_app.history.writer import HistoryWriter
from tray_app.settings.full import load_checked

NOW = 1_780_000_000.0
HEADER = "wall,kind,duration_s,exercise_id,category,detail\n"
IMPORT_LINES: list[str | bytes] = [
    "1e18,stretch_ended,60,,,", "-1e18,stretch_ended,60,,,", "1e308,stretch_ended,60,,,",
    "-62135596800,stretch_ended,60,,,", "nan,stretch_ended,60,,,", "inf,stretch_ended,60,,,",
    f"{NOW + 10 * 86400},stretch_ended,60,,,", "1700000000,reboot_the_world,0,,,",
    "1700000000,,0,,,", "1700000000,stretch_ended,-60,,,", "1700000000,stretch_ended,1e308,,,",
    "1700000000,stretch_ended,nan,,,", "1700000000,exercise,90000,bridge,core,",
    "1700000000,exercise,60,bridge,core," + "x" * 5000,
    "1700000000,exercise,60," + "y" * 500 + ",core,", "1700000000,exercise,60,a\x01b,core,",
    "1700000000,exercise,60,bridge,core,a\x00b", "1700000000,stretch_ended,60,,",
    "1700000000,stretch_ended,60,,,,,", "1700000000,stretch_ended,sixty,,,",
    "yesterday,stretch_ended,60,,,", b"1700000000,exercise,60,bridge,core,caf\xe9",
    b"1700000000,exercise,60,bridge,core," + b"z" * 300_000,
    "1700000000,exercise,60,bridge,core,\"unterminated",
    "".join(f"{1_700_000_000 + i},exercise,3000,bridge,core,\n" for i in range(60)).rstrip(),
]
WRITER_ROWS = [
    Row(Kind.STRETCH_ENDED, -62135596800.0, 60.0), Row(Kind.STRETCH_ENDED, 1e18, 60.0),
    Row(Kind.STRETCH_ENDED, math.nan, 60.0), Row(Kind.STRETCH_ENDED, math.inf, 60.0),
    Row(Kind.STRETCH_ENDED, NOW, -1.0), Row(Kind.STRETCH_ENDED, NOW, 1e308),
    Row(Kind.STRETCH_ENDED, NOW, math.nan), Row("no-such-kind", NOW, 0.0),
    Row(Kind.EXERCISE, NOW, 60.0, "x" * 10_000), Row(Kind.EXERCISE, NOW, 60.0, "b", "c", "a\x00b"),
    Row(Kind.EXERCISE, NOW, 60.0, "b", "c", "\udce9"),
    Row(Kind.STRETCH_ENDED, "yesterday", 60.0),  # type: ignore[arg-type]
    Row(Kind.STRETCH_ENDED, NOW, "long"),  # type: ignore[arg-type]
    Row(None, NOW, 0.0),  # type: ignore[arg-type]
]
SETTINGS = [
    "[history]\nkeep_days = " + "9" * 400, "[history]\nkeep_days = " + "9" * 5000,
    '[exercises]\nextra = "/tmp/a\\u0000b.toml"', '[exercises]\nextra = "~nosuchuser26/x.toml"',
    '[exercises]\nextra = "/proc/kmsg"', '[exercises]\nextra = "/dev/zero"',
    '[exercises]\nextra = "' + "/x" * 3000 + '"',
    '[exercises]\nplaces = ["floor"]\nexclude = ["floor"]',
    "".join(f"[s{i}]\n" for i in range(20_000)), "[sitting]\nbreak_after = 1e400",
]


class Tally:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, int]] = {}

    def add(self, cls: str, outcome: str, n: int = 1) -> None:
        counts = self.rows.setdefault(cls, {"tried": 0, "refused": 0, "survived": 0, "lost": 0,
                                            "crashed": 0})
        if outcome != "lost":
            counts["tried"] += n
        counts[outcome] += n


def guarded(tally: Tally, cls: str, fn: Callable[[], str]) -> None:
    try:
        tally.add(cls, fn())
    except Exception as exc:  # a crash is what this counts
        print(f"{cls}: crashed: {type(exc).__name__}: {exc}", file=sys.stderr)
        tally.add(cls, "crashed")


def imports(tally: Tally, tmp: Path) -> None:
    for i, line in enumerate(IMPORT_LINES):
        def one(i: int = i, line: str | bytes = line) -> str:
            h, src = tmp / f"imp{i}.sqlite3", tmp / f"imp{i}.csv"
            data = line if isinstance(line, bytes) else line.encode("utf-8", "surrogateescape")
            src.write_bytes(HEADER.encode() + data + b"\n")
            err = io.StringIO()
            code = run_history_import(h, src, Settings(), io.StringIO(), err=err, now=NOW)
            out = io.StringIO()
            assert run_stats(h, Settings(), 30, "json", out=out, err=io.StringIO(), now=NOW) == 0
            assert run_history_export(h, tmp / f"imp{i}.out.csv", io.StringIO()) == 0
            if code == 2 and "line " in err.getvalue():  # the bad line named
                return "refused"
            return "survived" if code == 0 else "crashed"
        guarded(tally, "import: hostile CSV lines", one)


def writer(tally: Tally, tmp: Path) -> None:
    path = tmp / "writer.sqlite3"
    w = HistoryWriter(path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
                      on_problem=lambda t: None, retry_s=(0.01, 0.05), maintain_after_s=0.0,
                      wall=lambda: NOW + 86400)
    w.start()
    for i, row in enumerate(WRITER_ROWS):
        w.record(Row(Kind.PAUSED, NOW - 100 + i, 1.0))
        w.record(row)
    ok = w.flush(20) and w._thread.is_alive()
    aside = int(w.status()["set_aside"])  # type: ignore[call-overload]
    w.close()
    h = History.open(path)
    good = h.count()
    h.close()
    tally.add("writer: hostile rows", "refused", aside)
    tally.add("writer: hostile rows", "crashed", 0 if ok else 1)
    tally.add("writer: hostile rows", "lost", len(WRITER_ROWS) - good)


def damage(tally: Tally, tmp: Path) -> None:
    for n, where in enumerate([i / 10 for i in range(10)]):
        folder = tmp / f"dmg{n}"
        folder.mkdir()
        path = folder / "history.sqlite3"
        h = History.open(path)
        h.record_many([Row(Kind.STRETCH_ENDED, NOW - 2e6 + i * 60, 60.0, detail="x" * 20)
                       for i in range(20_000)])
        h.close()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        leaves = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'events' "
                                             "AND pagetype = 'leaf' ORDER BY pageno")]
        conn.close()
        page = leaves[int(len(leaves) * where)]
        data = bytearray(path.read_bytes())
        data[(page - 1) * 4096:page * 4096] = random.Random(n).randbytes(4096)
        path.write_bytes(bytes(data))
        code = run_history_check(path, io.StringIO(), err=io.StringIO())
        h = History.open(path)
        kept = h.count()
        h.close()
        tally.add("damage: one page of a 20,000-row file", "survived" if code == 1 else "crashed")
        tally.add("damage: one page of a 20,000-row file", "lost", 20_000 - kept)


def moved(tally: Tally, tmp: Path) -> None:
    for kind in ("file", "folder", "wal", "replaced"):
        path = tmp / f"moved-{kind}" / "history.sqlite3"
        w = HistoryWriter(path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 36500,
                          on_problem=lambda t: None, retry_s=(0.01, 0.05), wall=lambda: NOW)
        w.start()
        for i in range(20):
            w.record(Row(Kind.PAUSED, NOW + i, 1.0))
        w.flush(10)
        if kind == "folder":
            shutil.rmtree(path.parent)
        elif kind == "wal":
            path.with_name(path.name + "-wal").unlink()
        else:
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            if kind == "replaced":
                h = History.open(path)
                h.record(Row(Kind.PAUSED, NOW, 1.0))
                h.close()
        for i in range(20, 50):
            w.record(Row(Kind.PAUSED, NOW + i, 1.0))
        w.flush(10)
        w.close()
        h = History.open(path)
        kept = h.count()
        h.close()
        tally.add("moved: history file removed or replaced", "survived")
        tally.add("moved: history file removed or replaced", "lost", 50 - kept)


def settings(tally: Tally, tmp: Path) -> None:
    for i, text in enumerate(SETTINGS):
        def one(i: int = i, text: str = text) -> str:
            path = tmp / f"s{i}.toml"
            path.write_text(text + "\n")
            try:
                load_checked(path)
            except ProblemsError as exc:
                return "refused" if len(str(exc)) < 20_000 else "crashed"
            return "survived"
        guarded(tally, "settings: values that crashed before", one)


def outputs(tally: Tally, tmp: Path) -> None:
    h = tmp / "out.sqlite3"
    History.open(h).close()
    targets = []
    link = tmp / "link.csv"
    (tmp / "precious").write_text("keep")
    link.symlink_to(tmp / "precious")
    dangling = tmp / "dangling.csv"
    dangling.symlink_to(tmp / "nowhere")
    fifo = tmp / "fifo.csv"
    os.mkfifo(fifo)
    sock = tmp / "sock.csv"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(sock))
    s.close()
    targets = [link, dangling, fifo, sock, Path("/dev/null"), tmp]
    for target in targets:
        def one(target: Path = target) -> str:
            before = os.lstat(target).st_ino
            code = run_history_export(h, target, io.StringIO(), force=True, err=io.StringIO())
            return "refused" if code == 2 and os.lstat(target).st_ino == before else "crashed"
        guarded(tally, "outputs: special files as export --force target", one)


def flood(tally: Tally, tmp: Path) -> None:
    """40 `status` requests while another process's thread loops connect/close."""
    import threading

    from tray_app.shell.control_channel import ControlServer, control_address, send_command

    folder = tmp / "run"
    folder.mkdir()
    server = ControlServer(folder, lambda req: {"ok": True})
    server.start()
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.setblocking(False)
            with contextlib.suppress(OSError):
                c.connect(control_address(folder))
            c.close()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        for _ in range(40):
            guarded(tally, "socket: status during a connect/close flood",
                    lambda: "survived" if send_command(folder, {"cmd": "status"})["ok"]
                    else "crashed")
    finally:
        stop.set()
        t.join(5)
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    import logging

    logging.disable(logging.CRITICAL)  # the app's own notices would drown the table
    tally = Tally()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for part in (imports, writer, damage, moved, settings, outputs, flood):
            part(tally, tmp)
    if args.json:
        print(json.dumps(tally.rows, indent=2))
    else:
        print(f"{'class':52} {'tried':>6} {'refused':>8} {'survived':>9} {'lost':>6} "
              f"{'crashed':>8}")
        for cls, c in tally.rows.items():
            print(f"{cls:52} {c['tried']:6} {c['refused']:8} {c['survived']:9} {c['lost']:6} "
                  f"{c['crashed']:8}")
    bad = any(c["crashed"] for c in tally.rows.values()) or any(
        c["lost"] for name, c in tally.rows.items() if not name.startswith("damage"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

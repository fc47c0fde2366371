"""How sitbreak's history commands scale: 50k, 500k and 2M events against the empty floor.

    .venv/bin/python bench/history_bench.py [--sizes 0,50000,500000,2000000] [--reps 7]
        [--root CHECKOUT] [--cache DIR] [--in-process]

Each history is built once (Mon-Fri 08-18, one year per 100k events, at most 20 years) and
cached in --cache; every timed run works on a fresh copy, so destructive commands (clear, the
start-up prune) start from the same file. Whole-process times are the minimum of --reps runs
(a cell stops repeating once it has used --budget seconds); memory is the child's peak resident
set. --root points at another checkout (for a before/after table from one script); the bench
uses only the command line and the control socket, which every version has.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
WORK_SECONDS_PER_YEAR = 365.25 * 5 / 7 * 10 * 3600  # Mon-Fri, 08-18
# One 50-minute cycle of what the app writes: a stretch, cues, a break answered in one of the
# usual ways, an exercise done.
CYCLE = (
    ("stretch_started", 0.0, None, None),
    ("posture_nudge", 0.0, None, None),
    ("heads_up", 0.0, None, None),
    ("break_offered", 3000.0, None, None),
    ("snoozed", 300.0, None, None),
    ("break_offered", 3300.0, None, None),
    ("started", 3300.0, "bridge", "hip-extensors"),
    ("completed", 95.0, "bridge", "hip-extensors"),
    ("stretch_ended", 3300.0, None, None),
    ("natural_break", 600.0, None, None),
)

DDL = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY, wall REAL NOT NULL, kind TEXT NOT NULL,
    duration_s REAL NOT NULL DEFAULT 0, exercise_id TEXT NULL, category TEXT NULL,
    detail TEXT NULL
);
CREATE INDEX events_wall ON events (wall);
PRAGMA user_version = 2;
"""


def work_times(count: int, end: datetime) -> Iterator[float]:
    """`count` wall times spread over Mon-Fri 08-18, ending at `end` (local time)."""
    years = min(20.0, max(1.0, count / 100_000))
    step = years * WORK_SECONDS_PER_YEAR / max(count, 1)
    day = (end - timedelta(days=round(years * 365.25))).replace(hour=8, minute=0, second=0)
    t, produced = 0.0, 0
    while produced < count:
        if day.weekday() < 5:
            start = day.timestamp()
            while t < 36000 and produced < count:
                yield start + t
                t += step
                produced += 1
            t -= 36000
        day += timedelta(days=1)


def build(path: Path, count: int) -> None:
    """A schema-v2 history (the oldest layout every version reads) with `count` events."""
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    conn.executescript(DDL)
    conn.execute("PRAGMA journal_mode = WAL")
    end = datetime.now().astimezone() - timedelta(days=1)

    def rows() -> Iterator[tuple]:
        for i, wall in enumerate(work_times(count, end)):
            kind, duration, exercise, category = CYCLE[i % len(CYCLE)]
            yield wall, kind, duration, exercise, category, None

    with conn:
        conn.executemany(
            "INSERT INTO events (wall, kind, duration_s, exercise_id, category, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows(),
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.replace(path)


class Sandbox:
    """XDG folders for one run: a copy of a history, default settings, a private runtime dir."""

    def __init__(self, source: Path | None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="sitbreak-hbench-"))
        for name in ("data", "config", "runtime", "state", "cache"):
            (self.dir / name).mkdir()
        (self.dir / "runtime").chmod(0o700)
        self.history = self.dir / "data" / "sitbreak" / "history.sqlite3"
        if source is not None:
            self.history.parent.mkdir()
            shutil.copyfile(source, self.history)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update(
            XDG_DATA_HOME=str(self.dir / "data"),
            XDG_CONFIG_HOME=str(self.dir / "config"),
            XDG_RUNTIME_DIR=str(self.dir / "runtime"),
            XDG_STATE_HOME=str(self.dir / "state"),
            XDG_CACHE_HOME=str(self.dir / "cache"),
            DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent",
        )
        return env

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def run_cli(root: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit code) of `python main.py ARGS`."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(root / "main.py"), *args],
        cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 and proc.stderr is not None:
        sys.stderr.write(f"  {' '.join(args)}: exit {proc.returncode}: "
                         f"{proc.stderr.read().decode(errors='replace')[-300:]}\n")
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def start_until_status(root: Path, env: dict[str, str], sandbox: Sandbox) -> tuple[float, float]:
    """Seconds from spawning `run --console` until the control socket answers a status."""
    sys.path.insert(0, str(root))
    from tray_app.shell.control_channel import NotRunning, send_command

    folder = sandbox.dir / "runtime" / "sitbreak"
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(root / "main.py"), "run", "--console"], cwd=root, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < 60:
            try:
                if send_command(folder, {"cmd": "status"}, timeout=30).get("ok"):
                    elapsed = time.perf_counter() - start
                    break
            except (NotRunning, OSError, ValueError):
                time.sleep(0.005)
        with contextlib.suppress(NotRunning, OSError, ValueError):
            send_command(folder, {"cmd": "quit"}, timeout=5)
        _, _, usage = os.wait4(proc.pid, 0)
    finally:
        if proc.poll() is None:
            proc.kill()
    return elapsed, usage.ru_maxrss / 1024


COMMANDS: dict[str, list[str]] = {
    "`stats --json` (7 days)": ["stats", "--json"],
    "`stats --days 365 --json`": ["stats", "--days", "365", "--json"],
    "`stats --days 1826 --json`": ["stats", "--days", "1826", "--json"],
    "`history export`": ["history", "export", "{out}"],
    "`history clear --before` (1 year ago)": ["history", "clear", "--before", "{year_ago}",
                                              "--yes"],
    "start until `status` answers": [],
}


def prepare(root: Path, source: Path, cache: Path) -> Path:
    """A copy of `source` opened once by `root`'s code (one-time upgrades are not timed)."""
    key = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:10]
    target = cache / f"prepared-{key}" / source.name
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    target.parent.mkdir(exist_ok=True)
    sandbox = Sandbox(source)
    try:
        t = time.perf_counter()
        run_cli(root, ["stats", "--days", "1"], sandbox.env())
        settle = (  # what the running app does in the background a minute after an upgrade
            "import sys, time; sys.path.insert(0, sys.argv[1])\n"
            "try:\n"
            "    from tray_app.history import History\n"
            "    from tray_app.history.statistics import days_for\n"
            "except ImportError:\n"
            "    sys.exit(0)\n"
            "from pathlib import Path\n"
            "from tray_app.core.model import Settings\n"
            "h = History.open(Path(sys.argv[2])); d = days_for(Settings())\n"
            "h.settle(d.start(d.of(time.time())), d); h.close()\n"
        )
        subprocess.run([sys.executable, "-c", settle, str(root), str(sandbox.history)],
                       check=True, env=sandbox.env())
        print(f"prepared {source.name} for {root} in {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
        conn = sqlite3.connect(sandbox.history)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copyfile(sandbox.history, target)
    finally:
        sandbox.close()
    return target


def measure(root: Path, name: str, source: Path | None, reps: int, budget: float,
            ) -> tuple[float, float]:
    """(best ms, peak MiB of the best run) for one command on one history."""
    best, best_mem, spent = float("inf"), 0.0, 0.0
    year_ago = (datetime.now() - timedelta(days=365)).date().isoformat()
    for _ in range(reps):
        sandbox = Sandbox(source)
        try:
            env = sandbox.env()
            if not COMMANDS[name]:
                seconds, mem = start_until_status(root, env, sandbox)
            else:
                args = [a.format(out=sandbox.dir / "out.csv", year_ago=year_ago)
                        for a in COMMANDS[name]]
                seconds, mem, _code = run_cli(root, args, env)
        finally:
            sandbox.close()
        if seconds < best:
            best, best_mem = seconds, mem
        spent += seconds
        if spent > budget:
            break
    return best * 1000, best_mem


def in_process(root: Path, source: Path, reps: int) -> dict[str, float]:
    """Milliseconds per call of the CLI's main() inside one process (imports already done)."""
    code = r"""
import contextlib, io, json, os, shutil, sys, time
from pathlib import Path
root, source, reps = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, str(root))
from tray_app.cli import main
hist = Path(os.environ["XDG_DATA_HOME"]) / "sitbreak" / "history.sqlite3"
out = {}
for name, argv in json.loads(sys.argv[4]).items():
    best = float("inf")
    for _ in range(reps):
        shutil.copyfile(source, hist)
        for side in ("-wal", "-shm"):
            Path(str(hist) + side).unlink(missing_ok=True)
        for arg in argv:
            if arg.endswith("out.csv"):
                Path(arg).unlink(missing_ok=True)  # a fresh target, as in a new process
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(argv)
        best = min(best, time.perf_counter() - t)
    out[name] = best * 1000
print(json.dumps(out))
"""
    sandbox = Sandbox(source)
    year_ago = (datetime.now() - timedelta(days=365)).date().isoformat()
    argvs = {
        name: [a.format(out=sandbox.dir / "out.csv", year_ago=year_ago) for a in argv]
        for name, argv in COMMANDS.items() if argv
    }
    try:
        res = subprocess.run(
            [sys.executable, "-c", code, str(root), str(source), str(reps), json.dumps(argvs)],
            env=sandbox.env(), capture_output=True, text=True, check=True,
        )
    finally:
        sandbox.close()
    return json.loads(res.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0,50000,500000,2000000")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--budget", type=float, default=40.0, help="seconds per cell, at most")
    ap.add_argument("--root", type=Path, default=HERE)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sitbreak-hbench")
    ap.add_argument("--only", help="comma-separated command names (substring match)")
    ap.add_argument("--in-process", action="store_true", help="also time main() in-process")
    opts = ap.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",")]
    opts.cache.mkdir(parents=True, exist_ok=True)
    sources: dict[int, Path | None] = {}
    for n in sizes:
        if n == 0:
            sources[n] = None
            continue
        path = opts.cache / f"history-{n}.sqlite3"
        if not path.exists():
            t = time.perf_counter()
            build(path, n)
            print(f"built {n} events in {time.perf_counter() - t:.1f} s "
                  f"({path.stat().st_size / 2**20:.0f} MiB)", file=sys.stderr)
        sources[n] = prepare(opts.root, path, opts.cache)
    names = [n for n in COMMANDS
             if not opts.only or any(o in n for o in opts.only.split(","))]
    label = {0: "empty", 50_000: "50k", 500_000: "500k", 2_000_000: "2M"}
    print(f"root {opts.root}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, min of {opts.reps} "
          "(whole process, ms; peak MiB in brackets)\n")
    print("| command | " + " | ".join(label.get(n, str(n)) for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for name in names:
        cells = []
        for n in sizes:
            if n == 0 and name.startswith(("`history", "`stats --days")):
                cells.append("")
                continue
            ms, mem = measure(opts.root, name, sources[n], opts.reps, opts.budget)
            cells.append(f"{ms:.0f} ({mem:.0f} MiB)")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    if opts.in_process:
        print("\nin-process, ms per call (CLI main() after imports):\n")
        rows: dict[str, list[str]] = {n: [] for n in names if COMMANDS[n]}
        for n in sizes:
            if sources[n] is None:
                continue
            res = in_process(opts.root, sources[n], opts.reps)
            for name in rows:
                rows[name].append(f"{res[name]:.0f}")
        print("| command | " + " | ".join(label.get(n, str(n)) for n in sizes if n) + " |")
        print("|---|" + "---|" * len([n for n in sizes if n]))
        for name, cells in rows.items():
            print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Soak: the real `sitbreak run --console` under random commands, killed -9 and restarted.

Usage: python bench/soak.py [--minutes 10 | --seconds 5] [--kill-every 20] [--seed 1] [--json]

For the whole run a client sends random control commands (mostly `status`, then pause, resume,
break-now, done, skip, snooze) straight to the control socket, and every `--kill-every` seconds
(randomised 0.5x-1.5x) the app is killed with SIGKILL and started again. Every command the app
acknowledged without a "not saved yet" warning must have its history row on disk, whatever
kill came after it: rows lost (expected minus found, per kind) must be 0. Found can exceed
expected (break-now during a pause also writes `resumed`), so a kind's check is a lower bound.
Also reported: `status` latency (p50, p99, max), and the app's resident memory and thread
count sampled over time, by process life. Exit code 1 if a row was lost or a command failed.
CI runs it for a few seconds only, to check it works.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.console_bench import private_home
from bench.harness import ROOT

# command -> the history row kinds an acknowledged command writes (one of them)
ROW_OF = {
    "pause": ("paused",),
    "resume": ("resumed",),
    "break-now": ("started",),
    "done": ("completed", "ended_early"),
    "skip": ("skipped",),
    "snooze": ("snoozed",),
}
# Weights: status dominates, as with a tray and a shell prompt polling it.
COMMANDS = [("status", 10), ("pause", 2), ("resume", 2), ("break-now", 2), ("done", 2),
            ("skip", 1), ("snooze", 2)]
SETTINGS = """\
[sitting]
break_after = "20s"
idle_reset = "5m"
[breaks]
heads_up = "0"
length = "10m"
[posture]
every = "0"
[snooze]
options = ["30s", "1m"]
max_per_break = 3
"""
SAMPLE_EVERY_S = 1.0


def send(folder: Path, request: dict[str, Any]) -> tuple[dict[str, Any] | None, float]:
    from tray_app.shell.control_channel import NotRunning, send_command

    t0 = time.perf_counter()
    try:
        reply = send_command(folder, request, timeout=10)
    except (NotRunning, OSError, ValueError):
        reply = None
    return reply, time.perf_counter() - t0


def request_for(cmd: str, rng: random.Random) -> dict[str, Any]:
    if cmd == "pause":
        # long enough never to end by itself, so every `resumed` row comes from a command
        return {"cmd": "pause", "seconds": rng.choice([3600.0, 7200.0])}
    if cmd == "snooze":
        return {"cmd": "snooze", "seconds": rng.choice([None, 60.0])}
    return {"cmd": cmd}


def proc_sample(pid: int) -> tuple[float, int] | None:
    """Resident MiB and thread count of `pid`, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


def count_rows(history: Path) -> Counter[str]:
    con = sqlite3.connect(history)
    try:
        return Counter(dict(con.execute("SELECT kind, count(*) FROM events GROUP BY kind")))
    finally:
        con.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def start_app(argv: list[str], env: dict[str, str], folder: Path, log: Any
              ) -> tuple[subprocess.Popen[bytes], float]:
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    while time.monotonic() - t0 < 30:
        if proc.poll() is not None:
            raise SystemExit(f"sitbreak exited at start with {proc.returncode}")
        reply, _ = send(folder, {"cmd": "status"})
        if reply is not None and reply.get("ok"):
            return proc, time.monotonic() - t0
        time.sleep(0.05)
    raise SystemExit("sitbreak did not answer within 30 s of starting")


def soak(seconds: float, kill_every: float, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    names = [c for c, _ in COMMANDS]
    weights = [w for _, w in COMMANDS]
    expected: Counter[str] = Counter()  # ROW_OF key -> acknowledged commands
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    lives: list[dict[str, Any]] = []
    with private_home() as (root, env):
        cfg = root / "settings.toml"
        cfg.write_text(SETTINGS)
        folder = Path(env["XDG_RUNTIME_DIR"]) / "sitbreak"
        history = root / "data" / "sitbreak" / "history.sqlite3"
        argv = [sys.executable, str(ROOT / "main.py"), "run", "--console", "--config", str(cfg)]
        end = time.monotonic() + seconds
        with open(root / "run.out", "ab") as log:
            while time.monotonic() < end:
                proc, startup = start_app(argv, env, folder, log)
                life: dict[str, Any] = {"startup_s": round(startup, 2), "samples": []}
                lives.append(life)
                kill_at = min(end, time.monotonic() + kill_every * rng.uniform(0.5, 1.5))
                next_sample = 0.0
                while time.monotonic() < kill_at:
                    if time.monotonic() >= next_sample:
                        sample = proc_sample(proc.pid)
                        if sample is not None:
                            life["samples"].append(sample)
                        next_sample = time.monotonic() + SAMPLE_EVERY_S
                    cmd = rng.choices(names, weights)[0]
                    reply, took = send(folder, request_for(cmd, rng))
                    if cmd == "status":
                        latencies.append(took)
                    if reply is None:
                        outcomes["no reply"] += 1
                    elif reply.get("ok"):
                        outcomes["ok"] += 1
                        if cmd in ROW_OF and "warning" not in reply:
                            expected[cmd] += 1
                        elif cmd in ROW_OF:
                            outcomes["ok, not saved yet"] += 1
                    elif reply.get("code") == 4:
                        outcomes["refused (nothing to do)"] += 1
                    else:
                        outcomes[f"failed: {reply.get('error')}"] += 1
                    time.sleep(rng.uniform(0.0, 0.02))
                if time.monotonic() < end or rng.random() < 0.5:
                    proc.send_signal(signal.SIGKILL)
                    life["ended"] = "kill -9"
                else:
                    proc.terminate()
                    life["ended"] = "SIGTERM"
                proc.wait(30)
        found = count_rows(history)
    lost = {cmd: n - sum(found[k] for k in ROW_OF[cmd]) for cmd, n in expected.items()}
    return {
        "seconds": round(seconds, 1),
        "restarts": len(lives) - 1,
        "commands": sum(outcomes.values()),
        "outcomes": dict(outcomes),
        "rows_expected": dict(expected),
        "rows_found": {cmd: sum(found[k] for k in ROW_OF[cmd]) for cmd in ROW_OF},
        "rows_lost": sum(max(0, n) for n in lost.values()),
        "status_latency_ms": {
            "n": len(latencies),
            "p50": round(percentile(latencies, 50) * 1000, 1),
            "p99": round(percentile(latencies, 99) * 1000, 1),
            "max": round(max(latencies, default=0.0) * 1000, 1),
        },
        "startup_s_max": max(life["startup_s"] for life in lives),
        "lives": [summarise(i, life) for i, life in enumerate(lives)],
    }


def summarise(index: int, life: dict[str, Any]) -> dict[str, Any]:
    rss = [s[0] for s in life["samples"]] or [0.0]
    threads = [s[1] for s in life["samples"]] or [0]
    return {
        "life": index,
        "startup_s": life["startup_s"],
        "ended": life.get("ended"),
        "samples": len(life["samples"]),
        "rss_mib_first_last_max": [round(rss[0], 1), round(rss[-1], 1), round(max(rss), 1)],
        "threads_first_last_max": [threads[0], threads[-1], max(threads)],
    }


def print_report(r: dict[str, Any]) -> None:
    lat = r["status_latency_ms"]
    print(f"soak: {r['seconds']} s, {r['restarts']} kill/restart cycles, {r['commands']} commands")
    print(f"  outcomes: {r['outcomes']}")
    print(f"  rows expected {r['rows_expected']}")
    print(f"  rows found    {r['rows_found']}")
    print(f"  rows lost: {r['rows_lost']}")
    print(f"  status latency ms: p50 {lat['p50']}, p99 {lat['p99']}, max {lat['max']} "
          f"(n={lat['n']}); slowest start {r['startup_s_max']} s")
    print("  life  start_s  ended     RSS MiB first/last/max   threads first/last/max")
    for life in r["lives"]:
        rss, th = life["rss_mib_first_last_max"], life["threads_first_last_max"]
        print(f"  {life['life']:4d}  {life['startup_s']:7.2f}  {life['ended'] or '-':8s}  "
              f"{rss[0]:6.1f} {rss[1]:6.1f} {rss[2]:6.1f}          "
              f"{th[0]:3d} {th[1]:3d} {th[2]:3d}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=None)
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--kill-every", type=float, default=20.0,
                    help="seconds between kill -9s, randomised 0.5x-1.5x (default 20)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = ap.parse_args()
    seconds = args.seconds if args.seconds is not None else (args.minutes or 10.0) * 60
    report = soak(seconds, min(args.kill_every, seconds), args.seed)
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    failed = any(k.startswith(("failed", "no reply")) for k in report["outcomes"])
    return 1 if report["rows_lost"] or failed else 0


if __name__ == "__main__":
    sys.exit(main())

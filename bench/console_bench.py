"""Measure an idle `sitbreak run --console`: memory, CPU, wake-ups, due-to-prompt latency.

Usage: python bench/console_bench.py [--seconds 120] [--quiet]
Runs the real app in private XDG folders with `break_after = "60s"` (or a third of the run, for
short runs), then prints one JSON line. CI runs it for a few seconds only to check it works.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def wakeups(pid: int) -> int:
    """Voluntary context switches of every thread (psutil reads only the main thread's)."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("voluntary_ctxt_switches"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--quiet", action="store_true", help="only the JSON line")
    args = ap.parse_args()
    due_after = float(round(min(60.0, max(1.0, args.seconds / 3))))
    with tempfile.TemporaryDirectory(prefix="sitbreak-bench-") as tmp:
        root = Path(tmp)
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        for d in ("config", "data", "cache", "state", "runtime"):
            (root / d).mkdir(mode=0o700)
            env[f"XDG_{d.upper()}_HOME" if d != "runtime" else "XDG_RUNTIME_DIR"] = str(root / d)
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"
        cfg = root / "settings.toml"
        cfg.write_text(
            f'[sitting]\nbreak_after = "{due_after:.0f}s"\n[breaks]\nheads_up = "0"\n'
            '[posture]\nevery = "0"\n'
        )
        started = time.time()
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "run", "--console", "--config", str(cfg)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        prompt_at: list[float] = []

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if "Time to move" in line and not prompt_at:
                    prompt_at.append(time.time())
                if not args.quiet:
                    sys.stderr.write(line)

        threading.Thread(target=read, daemon=True).start()
        p = psutil.Process(proc.pid)
        time.sleep(min(3.0, args.seconds / 2))  # let start-up finish before counting
        cpu0, ctx0, t0 = sum(p.cpu_times()[:2]), wakeups(proc.pid), time.time()
        rss_peak = 0
        while time.time() - started < args.seconds and proc.poll() is None:
            rss_peak = max(rss_peak, p.memory_info().rss)
            time.sleep(0.5)
        cpu1, ctx1, t1 = sum(p.cpu_times()[:2]), wakeups(proc.pid), time.time()
        threads = p.num_threads()
        rss = p.memory_info().rss
        proc.terminate()
        code = proc.wait(15)
        con = sqlite3.connect(root / "data" / "sitbreak" / "history.sqlite3")
        row = con.execute(
            "SELECT wall FROM events WHERE kind='stretch_started' ORDER BY id LIMIT 1"
        ).fetchone()
        con.close()
        latency = None
        if row and prompt_at:
            latency = round(prompt_at[0] - (row[0] + due_after), 3)
        minutes = (t1 - t0) / 60
        result = {
            "bench": "console",
            "seconds": round(t1 - started, 1),
            "rss_mib": round(rss / 2**20, 1),
            "rss_peak_mib": round(rss_peak / 2**20, 1),
            "cpu_seconds": round(cpu1 - cpu0, 3),
            "cpu_percent": round(100 * (cpu1 - cpu0) / max(t1 - t0, 1e-9), 3),
            "wakeups_per_minute": round((ctx1 - ctx0) / minutes, 1) if minutes else None,
            "threads": threads,
            "due_to_prompt_latency_s": latency,
            "exit_code": code,
        }
        print(json.dumps(result))
        return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

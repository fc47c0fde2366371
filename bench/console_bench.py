"""Measure an idle `sitbreak run --console`: memory, CPU, wake-ups, due-to-prompt latency.

Usage: python bench/console_bench.py [--seconds 60] [--settle 15] [--floor] [--quiet]

First the idle run: the real app in private XDG folders with the shipped default settings, no
display and no session bus, left to settle and then watched for `--seconds` (memory, CPU, and
wake-ups per thread, see bench/harness.py). `--floor` first measures bench/floor.py console (an
APScheduler with one 5 s job) the same way. Then a short run with `break_after = "5s"` measures
how late the break prompt comes. Prints one JSON line per program. CI runs it for a few
seconds only to check it works.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import ROOT, measure, named_threads_env, started

DUE_AFTER_S = 5.0


@contextlib.contextmanager
def private_home() -> Iterator[tuple[Path, dict[str, str]]]:
    """Private XDG folders, no display, no usable session bus."""
    with tempfile.TemporaryDirectory(prefix="sitbreak-bench-") as tmp:
        root = Path(tmp)
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        for d in ("config", "data", "cache", "state", "runtime"):
            (root / d).mkdir(mode=0o700)
            env[f"XDG_{d.upper()}_HOME" if d != "runtime" else "XDG_RUNTIME_DIR"] = str(root / d)
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"
        yield root, env


def idle_run(program: str, seconds: float, settle: float) -> dict:
    from tray_app.settings import DEFAULT_FILE

    with private_home() as (root, env), named_threads_env(env) as app_env:
        cfg = root / "settings.toml"
        shutil.copyfile(DEFAULT_FILE, cfg)
        if program == "floor":
            argv = [sys.executable, str(ROOT / "bench" / "floor.py"), "console"]
        else:
            argv = [sys.executable, str(ROOT / "main.py"), "run", "--console", "--config", str(cfg)]
        with started(argv, app_env) as proc:
            result = measure(proc.pid, settle, seconds)
            proc.terminate()
            code = proc.wait(15)
    out = {"bench": "console", "program": program, **result}
    if program == "sitbreak":
        out["exit_code"] = code
    return out


def latency_run(quiet: bool) -> dict:
    """Seconds from the break falling due to the prompt on the terminal."""
    with private_home() as (root, env):
        cfg = root / "settings.toml"
        cfg.write_text(
            f'[sitting]\nbreak_after = "{DUE_AFTER_S:.0f}s"\n[breaks]\nheads_up = "0"\n'
            '[posture]\nevery = "0"\n'
        )
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "run", "--console", "--config", str(cfg)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        prompt_at: list[float] = []
        seen = threading.Event()

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if "Time to move" in line and not prompt_at:
                    prompt_at.append(time.time())
                    seen.set()
                if not quiet:
                    sys.stderr.write(line)

        threading.Thread(target=read, daemon=True).start()
        seen.wait(DUE_AFTER_S + 30)
        proc.terminate()
        code = proc.wait(15)
        con = sqlite3.connect(root / "data" / "sitbreak" / "history.sqlite3")
        row = con.execute(
            "SELECT wall FROM events WHERE kind='stretch_started' ORDER BY id LIMIT 1"
        ).fetchone()
        con.close()
    latency = round(prompt_at[0] - (row[0] + DUE_AFTER_S), 3) if row and prompt_at else None
    return {"bench": "console", "program": "sitbreak", "due_to_prompt_latency_s": latency,
            "exit_code": code}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--settle", type=float, default=None,
                    help="seconds after start before measuring (15, or less for short runs)")
    ap.add_argument("--floor", action="store_true", help="also measure the floor program first")
    ap.add_argument("--quiet", action="store_true", help="only the JSON lines")
    args = ap.parse_args()
    settle = args.settle if args.settle is not None else min(15.0, args.seconds)
    ok = True
    for program in (["floor"] if args.floor else []) + ["sitbreak"]:
        result = idle_run(program, args.seconds, settle)
        print(json.dumps(result), flush=True)
        ok = ok and result.get("exit_code", 0) == 0
    result = latency_run(args.quiet)
    print(json.dumps(result), flush=True)
    ok = ok and result["exit_code"] == 0 and result["due_to_prompt_latency_s"] is not None
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

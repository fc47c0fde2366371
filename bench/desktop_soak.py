"""Long soak: the real tray app on a private desktop for hours, used the way a person would.

    python bench/desktop_soak.py [--hours 8] [--backend xorg] [--out soak.jsonl]
    python bench/desktop_soak.py --summarize soak.jsonl

Starts Xvfb, a session bus, openbox, dunst and trayer, then `sitbreak run` with short intervals
(a break every 3 minutes of sitting, posture nudges every 2). A driver moves the pointer every
15 s (the user is at the desk), asks `status` every 10 s, and answers each due break at random:
start it and press done later, skip it, or snooze it; now and then it pauses for a minute. So
over the run the app offers, starts, ends and records hundreds of breaks, opens and closes the
break window, and redraws the tray every minute.

Every `--sample-every` seconds one JSON line goes to `--out` (flushed, so a run cut short still
counts): resident, proportional and unique memory, open file descriptors, threads, CPU seconds
and history rows. The summary (printed at the end, or by `--summarize` for a partial file) fits
a line to the memory samples after the first 15 minutes of warm-up and reports its slope in
MiB per hour, plus the ranges of descriptors and threads. Exit 1 if descriptors or threads
grew, or the app died. Needs Xvfb, openbox, dunst, trayer, xdotool, x11-utils, dbus, psutil.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil

from bench.harness import ROOT, need, poll, private_xdg, session_bus, started, tray_desktop, xvfb
from bench.tray_bench import docked

SETTINGS = """\
[sitting]
break_after = "3m"
idle_reset = "5m"
[breaks]
heads_up = "20s"
length = "1m"
[posture]
every = "2m"
[snooze]
options = ["1m", "2m"]
max_per_break = 2
"""
WARM_UP_S = 15 * 60


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MiB) points, in MiB per hour."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in points) / sxx * 3600


def summarize(samples: list[dict[str, Any]]) -> dict[str, Any]:
    if not samples:
        return {"bench": "desktop_soak", "samples": 0}
    late = [s for s in samples if s["t"] >= WARM_UP_S] or samples
    out: dict[str, Any] = {
        "bench": "desktop_soak",
        "hours": round(samples[-1]["t"] / 3600, 3),
        "samples": len(samples),
        "alive": samples[-1].get("alive", True),
    }
    for key in ("rss_mib", "pss_mib", "uss_mib"):
        slope = slope_per_hour([(s["t"], s[key]) for s in late])
        out[key] = {"after_warm_up": late[0][key], "end": samples[-1][key],
                    "max": max(s[key] for s in samples), "slope_mib_per_hour": round(slope, 3)}
    for key in ("fds", "threads"):
        out[key] = [min(s[key] for s in late), max(s[key] for s in late)]
    out["history_rows"] = samples[-1]["rows"]
    out["cpu_seconds"] = samples[-1]["cpu_s"]
    out["actions"] = samples[-1].get("actions", {})
    return out


def send(folder: Path, request: dict[str, Any]) -> dict[str, Any] | None:
    from tray_app.shell.control_channel import NotRunning, send_command

    try:
        return send_command(folder, request, timeout=10)
    except (NotRunning, OSError, ValueError):
        return None


def rows(history: Path) -> int:
    if not history.exists():
        return 0
    con = sqlite3.connect(f"file:{history}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM events").fetchone()[0])
    except sqlite3.Error:
        return -1
    finally:
        con.close()


def sample(proc: psutil.Process, t: float, history: Path, actions: dict[str, int]) -> dict:
    mem = proc.memory_full_info()
    cpu = proc.cpu_times()
    return {"t": round(t, 1), "rss_mib": round(mem.rss / 2**20, 2),
            "pss_mib": round(mem.pss / 2**20, 2), "uss_mib": round(mem.uss / 2**20, 2),
            "fds": proc.num_fds(), "threads": proc.num_threads(),
            "cpu_s": round(cpu.user + cpu.system, 2), "rows": rows(history),
            "actions": dict(actions)}


def drive(env: dict[str, str], folder: Path, rng: random.Random, state: dict[str, Any],
          actions: dict[str, int], now: float) -> None:
    """One step of the simulated user."""
    if now >= state["next_move"]:
        subprocess.run(["xdotool", "mousemove", str(rng.randrange(200, 1000)),
                        str(rng.randrange(100, 700))], env=env, check=False,
                       capture_output=True)
        state["next_move"] = now + 15
    if now < state["next_status"]:
        return
    state["next_status"] = now + 10
    reply = send(folder, {"cmd": "status"})
    if reply is None:
        actions["status_failed"] = actions.get("status_failed", 0) + 1
        return
    phase = reply.get("status", reply).get("state")
    request: dict[str, Any] | None = None
    if phase == "break_due":
        choice = rng.choices(["break-now", "skip", "snooze"], [6, 2, 2])[0]
        request = {"cmd": choice} if choice != "snooze" else {"cmd": "snooze", "seconds": None}
        state["break_started"] = now
    elif phase == "on_break" and now - state.get("break_started", now) > rng.uniform(20, 70):
        request = {"cmd": "done"}
    elif phase == "sitting" and rng.random() < 0.01:
        request = {"cmd": "pause", "seconds": 60.0}
    if request is not None:
        ok = send(folder, request)
        key = request["cmd"] + ("" if ok and ok.get("ok") else "_refused")
        actions[key] = actions.get(key, 0) + 1


def run(hours: float, backend: str, out_path: Path, every: float, seed: int) -> int:
    for tool, package in (("xdotool", "xdotool"), ("xwininfo", "x11-utils")):
        need(tool, package)
    rng = random.Random(seed)
    samples: list[dict[str, Any]] = []
    actions: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="desktop-soak-") as tmp_name:
        tmp = Path(tmp_name)
        settings = tmp / "settings.toml"
        settings.write_text(SETTINGS)
        xdg = private_xdg(tmp)
        history = tmp / "data" / "sitbreak" / "history.sqlite3"
        control = tmp / "runtime" / "sitbreak"
        with xvfb() as display, session_bus() as bus, contextlib.ExitStack() as stack, \
                out_path.open("a") as out:
            env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=bus,
                       NO_AT_BRIDGE="1", **xdg)
            env.pop("WAYLAND_DISPLAY", None)
            if backend != "auto":
                env["SITBREAK_TRAY_BACKEND"] = backend
            tray_desktop(stack, env, display)
            app = stack.enter_context(started(
                [sys.executable, str(ROOT / "main.py"), "run", "--config", str(settings)],
                env, cwd=ROOT))
            poll(lambda: docked(env) or app.poll() is not None, 60, "the icon to dock")
            proc = psutil.Process(app.pid)
            t0 = time.monotonic()
            end = t0 + hours * 3600
            state: dict[str, Any] = {"next_move": 0.0, "next_status": 0.0}
            next_sample = t0
            while time.monotonic() < end:
                now = time.monotonic()
                if app.poll() is not None:
                    samples.append({**(samples[-1] if samples else {}),
                                    "t": round(now - t0, 1), "alive": False})
                    break
                drive(env, control, rng, state, actions, now)
                if now >= next_sample:
                    row = sample(proc, now - t0, history, actions)
                    samples.append(row)
                    out.write(json.dumps(row) + "\n")
                    out.flush()
                    next_sample += every
                time.sleep(1.0)
            if app.poll() is None:
                send(control, {"cmd": "quit"})
                with contextlib.suppress(subprocess.TimeoutExpired):
                    app.wait(20)
    result = summarize(samples)
    print(json.dumps(result), flush=True)
    late = [s for s in samples if s["t"] >= WARM_UP_S] or samples
    grew = bool(late) and (late[-1]["fds"] > late[0]["fds"] + 2
                           or late[-1]["threads"] > late[0]["threads"] + 1)
    return 1 if grew or not result.get("alive", False) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--backend", default="xorg",
                        choices=["auto", "appindicator", "gtk", "xorg"])
    parser.add_argument("--out", type=Path, default=Path("desktop-soak.jsonl"))
    parser.add_argument("--sample-every", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--summarize", type=Path, metavar="JSONL",
                        help="only summarize the samples of an earlier (perhaps partial) run")
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so the desktop and the app started here are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.summarize:
        lines = args.summarize.read_text().splitlines()
        print(json.dumps(summarize([json.loads(x) for x in lines if x.strip()])))
        return 0
    return run(args.hours, args.backend, args.out, args.sample_every, args.seed)


if __name__ == "__main__":
    sys.exit(main())

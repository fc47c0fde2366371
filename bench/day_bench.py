"""A working day compressed: the real tray app for a simulated 8 hours on its accelerated clock.

    python bench/day_bench.py [--hours 8] [--speed 40] [--backend xorg] [--out day.jsonl]

Starts Xvfb, a private session bus, openbox, dunst and trayer (bench/harness.py), then
`sitbreak run` with SITBREAK_CLOCK_SPEED=SPEED and a person's ordinary settings (a break after
50 minutes of sitting, posture cues every 20, 2-minute breaks): every clock, every scheduler
wake, the idle seconds and the history writer's periods run SPEED times faster
(tray_app/shell/clock.py), so 8 simulated hours take 8 h / SPEED (12 minutes at 40x).
`day_starts` is set to fall in the middle of the run, so the day turns once.

A simulated person moves the pointer while at the desk (so the app's own X idle source sees
input), steps away now and then (a coffee, a lunch: real idle time, read N times longer), and
answers every due break with the `sitbreak` CLI against the running app, in turn: takes it (and
says `done`, early or late), snoozes it, takes it, skips it; now and then pauses and resumes.

At the start and at the end of every simulated hour it records the app's resident memory
(MiB), open file descriptors, threads, voluntary wake-ups of its threads and CPU seconds, the
history rows and the actions so far: one JSON line each to `--out`, and a table at the end.
Exit 1 if the app died, a CLI command failed to reach it, the day did not turn, or no break
was taken, snoozed and skipped. Needs Xvfb, openbox, dunst, trayer, xdotool, x11-utils, dbus.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil

from bench.desktop_soak import rows
from bench.harness import (
    ROOT,
    named_threads_env,
    need,
    poll,
    private_xdg,
    session_bus,
    started,
    thread_counts,
    tray_desktop,
    xvfb,
)
from bench.tray_bench import docked

SETTINGS = """\
[sitting]
break_after = "50m"
idle_reset = "5m"
[breaks]
heads_up = "60s"
length = "2m"
[posture]
every = "20m"
[snooze]
options = ["5m", "10m"]
max_per_break = 2
[schedule]
day_starts = "{day_starts}"
"""
# The person, in simulated seconds.
MOVE_EVERY_S = 60.0  # pointer moves while at the desk (idle_reset is 5 min)
AWAY_CHANCE_PER_H = 1.5  # short walks away (coffee, a colleague): 6-20 min
LUNCH_AT_H, LUNCH_S = 4.0, 45 * 60.0
STATUS_EVERY_S = 30.0
PAUSE_CHANCE_PER_H = 0.5  # a meeting: pause 30 min, or resume early
# A due break is answered in turn: taken (then `done`), snoozed, taken, skipped.
ANSWERS = ("break-now", "snooze", "break-now", "skip")


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], env=env,
                          capture_output=True, text=True, timeout=30, check=False, cwd=ROOT)


class Person:
    """The simulated user: where they are and what they answer, on the app's time."""

    def __init__(self, env: dict[str, str], rng: random.Random, speed: float) -> None:
        self.env, self.rng, self.speed = env, rng, speed
        self.away_until = -1.0
        self.lunch_done = False
        self.next_move = self.next_status = 0.0
        self.on_break_since: float | None = None
        self.break_lasts = 0.0
        self.paused_until: float | None = None
        self.actions: dict[str, int] = {}
        self.failures: list[str] = []
        self.last_status: dict[str, Any] = {}
        self.answered = 0

    def count(self, key: str) -> None:
        self.actions[key] = self.actions.get(key, 0) + 1

    def command(self, *args: str) -> bool:
        out = cli(self.env, *args)
        # 0 done; 4 refused (the state moved on between status and the command): both fine.
        if out.returncode not in (0, 4):
            self.failures.append(f"sitbreak {' '.join(args)}: exit {out.returncode}: "
                                 f"{out.stderr.strip()[:200]}")
        self.count(args[0] if out.returncode == 0 else f"{args[0]}_refused")
        return out.returncode == 0

    def step(self, sim: float, tick_s: float) -> None:
        """One look at the world; `sim` is simulated seconds since the start."""
        rng = self.rng
        at_desk = sim >= self.away_until
        if at_desk and not self.lunch_done and sim >= LUNCH_AT_H * 3600:
            self.lunch_done, self.away_until, at_desk = True, sim + LUNCH_S, False
            self.count("lunch")
        elif at_desk and rng.random() < AWAY_CHANCE_PER_H * tick_s / 3600:
            self.away_until, at_desk = sim + rng.uniform(6, 20) * 60, False
            self.count("walk_away")
        if not at_desk:
            return  # no input: the app's idle source sees the time pass
        if sim >= self.next_move:
            subprocess.run(["xdotool", "mousemove", str(rng.randrange(200, 1000)),
                            str(rng.randrange(100, 700))], env=self.env, check=False,
                           capture_output=True)
            self.next_move = sim + MOVE_EVERY_S * rng.uniform(0.5, 1.0)
        if sim < self.next_status:
            return
        self.next_status = sim + STATUS_EVERY_S
        out = cli(self.env, "status", "--json")
        if out.returncode != 0:
            self.failures.append(f"sitbreak status: exit {out.returncode}: {out.stderr[:200]}")
            return
        self.last_status = st = json.loads(out.stdout)
        phase = st["state"]
        if phase == "break_due":
            choice = ANSWERS[self.answered % len(ANSWERS)]
            if st.get("snoozes_left") == 0 and choice == "snooze":
                choice = "break-now"
            self.answered += 1
            if self.command(choice) and choice == "break-now":
                self.on_break_since, self.break_lasts = sim, rng.uniform(30, 110)
        elif phase == "on_break":  # `done` early or late; a break left alone ends by itself
            if self.on_break_since is None:
                self.on_break_since, self.break_lasts = sim, rng.uniform(30, 110)
            if sim - self.on_break_since >= self.break_lasts:
                self.command("done")
                self.on_break_since = None
        elif phase == "paused":
            if self.paused_until is not None and sim >= self.paused_until:
                self.command("resume")
                self.paused_until = None
        elif (phase == "sitting" and rng.random() < PAUSE_CHANCE_PER_H * STATUS_EVERY_S / 3600
              and self.command("pause", "30m")):
            self.paused_until = sim + rng.uniform(10, 40) * 60  # may end on its own


def sample(proc: psutil.Process, hour: float, history: Path, person: Person,
           real_s: float) -> dict[str, Any]:
    mem = proc.memory_info()
    cpu = proc.cpu_times()
    counts = thread_counts(proc.pid)
    st = person.last_status
    return {"sim_hour": round(hour, 2), "real_s": round(real_s, 1),
            "rss_mib": round(mem.rss / 2**20, 2), "fds": proc.num_fds(),
            "threads": proc.num_threads(), "wakeups": sum(v for _, v, _ in counts.values()),
            "cpu_s": round(cpu.user + cpu.system, 2), "rows": rows(history),
            "phase": st.get("state"),
            "today_sitting_min": round(st.get("today_sitting_seconds", 0) / 60, 1),
            "actions": dict(person.actions)}


def table(samples: list[dict[str, Any]]) -> str:
    head = (f"{'sim h':>6} {'real s':>7} {'RSS MiB':>8} {'fds':>4} {'threads':>7} "
            f"{'wakes/h':>8} {'CPU s':>6} {'rows':>5} {'today min':>9}  phase")
    lines = [head]
    prev: dict[str, Any] | None = None
    for s in samples:
        span = s["sim_hour"] - prev["sim_hour"] if prev else 0
        wakes = (s["wakeups"] - prev["wakeups"]) / span if prev and span else 0
        lines.append(f"{s['sim_hour']:>6.2f} {s['real_s']:>7.1f} {s['rss_mib']:>8.1f} "
                     f"{s['fds']:>4} {s['threads']:>7} {wakes:>8.0f} {s['cpu_s']:>6.1f} "
                     f"{s['rows']:>5} {s['today_sitting_min']:>9.1f}  {s['phase']}")
        prev = s
    return "\n".join(lines)


def day_starts_in(hours: float) -> str:
    """HH:MM local, halfway through a run of `hours` simulated hours from now."""
    at = time.localtime(time.time() + hours * 3600 / 2)
    return f"{at.tm_hour:02d}:{at.tm_min:02d}"


def run(hours: float, speed: float, backend: str, out_path: Path, seed: int) -> int:
    for tool, package in (("xdotool", "xdotool"), ("xwininfo", "x11-utils")):
        need(tool, package)
    rng = random.Random(seed)
    samples: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="day-bench-") as tmp_name:
        tmp = Path(tmp_name)
        settings = tmp / "settings.toml"
        settings.write_text(SETTINGS.format(day_starts=day_starts_in(hours)))
        xdg = private_xdg(tmp)
        history = tmp / "data" / "sitbreak" / "history.sqlite3"
        with xvfb() as display, session_bus() as bus, contextlib.ExitStack() as stack, \
                out_path.open("w") as out:
            env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=bus,
                       NO_AT_BRIDGE="1", SITBREAK_CLOCK_SPEED=f"{speed:g}", **xdg)
            env.pop("WAYLAND_DISPLAY", None)
            if backend != "auto":
                env["SITBREAK_TRAY_BACKEND"] = backend
            tray_desktop(stack, env, display)
            app_env = stack.enter_context(named_threads_env(env))
            app = stack.enter_context(started(
                [sys.executable, str(ROOT / "main.py"), "run", "--config", str(settings)],
                app_env, cwd=ROOT))
            poll(lambda: docked(env) or app.poll() is not None, 60, "the icon to dock")
            proc = psutil.Process(app.pid)
            person = Person(env, rng, speed)
            first = json.loads(cli(env, "status", "--json").stdout or "{}")
            if first.get("clock_speed") != speed:
                sys.exit(f"day_bench: the app does not run at {speed}x: {first}")
            t0 = time.monotonic()
            tick_real = min(0.5, 30.0 / speed)  # the person looks at least every 30 sim s
            next_hour, end = 0.0, hours * 3600
            alive = True
            while True:
                real = time.monotonic() - t0
                sim = real * speed
                if app.poll() is not None:
                    alive = False
                    break
                if sim >= next_hour or sim >= end:
                    row = sample(proc, min(sim, end) / 3600, history, person, real)
                    samples.append(row)
                    out.write(json.dumps(row) + "\n")
                    out.flush()
                    print(f"day_bench: {row['sim_hour']:.2f} h simulated, {row['rss_mib']} MiB,"
                          f" {row['fds']} fds, {row['threads']} threads", flush=True)
                    next_hour += 3600
                    if sim >= end:
                        break
                person.step(sim, tick_real * speed)
                time.sleep(max(0.0, t0 + (real + tick_real) - time.monotonic()))
            if app.poll() is None:
                cli(env, "quit")
                with contextlib.suppress(subprocess.TimeoutExpired):
                    app.wait(20)
    print(table(samples))
    turned = any(b["today_sitting_min"] < a["today_sitting_min"]
                 for a, b in itertools.pairwise(samples))
    summary = {"bench": "day_bench", "hours": hours, "speed": speed, "alive": alive,
               "day_turned": turned, "actions": person.actions,
               "failures": person.failures[:10]}
    print(json.dumps(summary), flush=True)
    problems = [] if alive else ["the app died"]
    problems += person.failures[:3]
    if hours >= 2:  # a short run only has to run; a day must show a whole day's life
        if not turned:
            problems.append("the day did not turn")
        for key in ("break-now", "done", "snooze", "skip"):
            if not person.actions.get(key):
                problems.append(f"no `{key}` all day")
    for p in problems:
        print(f"day_bench: {p}", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=8.0, help="simulated hours")
    parser.add_argument("--speed", type=float, default=40.0,
                        help="simulated seconds per real second (SITBREAK_CLOCK_SPEED)")
    parser.add_argument("--backend", default="xorg",
                        choices=["auto", "appindicator", "gtk", "xorg"])
    parser.add_argument("--out", type=Path, default=Path("day-bench.jsonl"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so the desktop and the app started here are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return run(args.hours, args.speed, args.backend, args.out, args.seed)


if __name__ == "__main__":
    sys.exit(main())

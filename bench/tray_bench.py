"""Benchmark `sitbreak run` with its tray under Xvfb and trayer; prints one JSON line per program.

    python bench/tray_bench.py [--seconds 60] [--settle 15] [--backend auto|appindicator|gtk|xorg]
                               [--floor] [--after-break]

Measures the time from start to the icon docked in trayer, then lets it settle and idles for
`--seconds` with the shipped default settings: resident and proportional memory, CPU seconds,
and wake-ups per minute for every thread and in total (see bench/harness.py). `--floor` first
measures bench/floor.py (pystray on the same backend + APScheduler with one 5 s job) the same
way, so the two lines compare like with like. `--after-break` first takes one break (the
window opens for 3 s, then `done`), so the numbers are those of the rest of a working day.
Needs Xvfb, trayer, x11-utils and dbus (dunst is used when installed) and psutil.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    ROOT,
    measure,
    named_threads_env,
    need,
    poll,
    private_xdg,
    session_bus,
    started,
    tray_owned,
    xvfb,
)

MAIN = ROOT / "main.py"
FLOOR = ROOT / "bench" / "floor.py"


def docked(env: dict[str, str]) -> bool:
    """True once a window of sitbreak's is nested under trayer's panel."""
    out = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                         check=False).stdout.decode("latin-1")
    panel = None
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip())
        if '("panel" "trayer")' in line:
            panel = indent
        elif panel is not None and line.strip() and indent <= panel:
            panel = None
        elif panel is not None and '"sitbreak")' in line:
            return True
    return False


def backend_from_log(state_home: Path) -> str | None:
    for log in state_home.rglob("sitbreak.log"):
        for line in log.read_text(errors="replace").splitlines():
            if "tray backend " in line:
                return line.split("tray backend ", 1)[1].split(":", 1)[0]
    return None


def take_a_break(env: dict[str, str]) -> None:
    """One break through the command line, as the notification's Start and Done would."""
    for command, then in (("break-now", 3.0), ("done", 1.0)):
        subprocess.run([sys.executable, str(MAIN), command], env=env, cwd=ROOT,
                       capture_output=True, timeout=30, check=True)
        time.sleep(then)


def run_one(program: str, backend: str, seconds: float, settle: float,
            after_break: bool = False) -> dict:
    """Measure sitbreak (`program` "sitbreak") or the floor program on a fresh private desktop."""
    from tray_app.settings import DEFAULT_FILE

    trayer = need("trayer", "trayer")
    need("xwininfo", "x11-utils")
    with tempfile.TemporaryDirectory(prefix="tray-bench-") as tmp_name:
        tmp = Path(tmp_name)
        settings = tmp / "settings.toml"
        shutil.copyfile(DEFAULT_FILE, settings)
        xdg = private_xdg(tmp)
        with xvfb() as display, session_bus() as bus, contextlib.ExitStack() as stack:
            env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=bus,
                       NO_AT_BRIDGE="1", **xdg)
            env.pop("WAYLAND_DISPLAY", None)
            env.pop("PYSTRAY_BACKEND", None)
            if backend != "auto":
                env["SITBREAK_TRAY_BACKEND"] = backend
            dunst = shutil.which("dunst")
            if dunst:
                stack.enter_context(started([dunst], env))
            stack.enter_context(started([trayer, "--edge", "top", "--align", "right",
                                         "--widthtype", "pixel", "--width", "100",
                                         "--height", "24"], env))
            poll(lambda: tray_owned(display), 10, "trayer to own the tray selection")
            app_env = stack.enter_context(named_threads_env(env))
            if program == "floor":
                floor_backend = "appindicator" if backend == "auto" else backend
                argv = [sys.executable, str(FLOOR), floor_backend]
            else:
                argv = [sys.executable, str(MAIN), "run", "--config", str(settings)]
            t0 = time.monotonic()
            app = stack.enter_context(started(argv, app_env, cwd=ROOT))
            poll(lambda: docked(env) or app.poll() is not None, 60, "the icon to dock")
            if app.poll() is not None:
                sys.exit(f"tray_bench: {program} exited with {app.returncode}")
            dock_s = time.monotonic() - t0
            if after_break and program == "sitbreak":
                take_a_break(env)
            result = measure(app.pid, settle, seconds)
            code, quit_s = None, None
            if program == "sitbreak":
                q0 = time.monotonic()
                subprocess.run([sys.executable, str(MAIN), "quit"], env=env, cwd=ROOT,
                               capture_output=True, timeout=30, check=False)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    code = app.wait(20)
                quit_s = round(time.monotonic() - q0, 2)
                backend = backend_from_log(Path(xdg["XDG_STATE_HOME"])) or backend
    out = {"bench": "tray", "program": program, "backend": backend,
           "dock_seconds": round(dock_s, 2), **result}
    if after_break and program == "sitbreak":
        out["after_break"] = True
    if program == "sitbreak":
        out.update(quit_seconds=quit_s, exit_code=code)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="idle period to measure")
    parser.add_argument("--settle", type=float, default=None,
                        help="seconds after docking before measuring (15, or less for short runs)")
    parser.add_argument("--backend", default="auto",
                        choices=["auto", "appindicator", "gtk", "xorg"])
    parser.add_argument("--floor", action="store_true",
                        help="also measure the floor program on the same backend, first")
    parser.add_argument("--after-break", action="store_true",
                        help="take one break before measuring (sitbreak only)")
    args = parser.parse_args()
    settle = args.settle if args.settle is not None else min(15.0, args.seconds)
    ok = True
    for program in (["floor"] if args.floor else []) + ["sitbreak"]:
        result = run_one(program, args.backend, args.seconds, settle, args.after_break)
        print(json.dumps(result), flush=True)
        ok = ok and result.get("exit_code", 0) == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

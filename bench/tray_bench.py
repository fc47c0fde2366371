"""Benchmark `sitbreak run` with its tray under Xvfb and trayer; prints one JSON line.

    python bench/tray_bench.py [--seconds 120] [--backend auto|appindicator|gtk|xorg]

Measures the time from start to the icon docked in trayer, then, after `--seconds` of idling
with the shipped default settings: resident memory, CPU seconds, and wake-ups per minute
(voluntary context switches summed over every thread, counted from docking to the end).
Needs Xvfb, trayer, x11-utils and dbus (dunst is used when installed) and psutil.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"
sys.path.insert(0, str(ROOT))


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        sys.exit(f"tray_bench: {tool} is missing: apt-get install {package}")
    return path


def poll(predicate, timeout: float, what: str, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            sys.exit(f"tray_bench: timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextlib.contextmanager
def started(args: list[str], env: dict[str, str], **kw) -> Iterator[subprocess.Popen]:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **kw)
    try:
        yield proc
    finally:
        stop(proc)


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    binary = need("Xvfb", "xvfb")
    need("xdpyinfo", "x11-utils")
    n = next(n for n in range(150, 400) if not Path(f"/tmp/.X{n}-lock").exists()
             and not Path(f"/tmp/.X11-unix/X{n}").exists())
    name = f":{n}"
    # -noreset: the readiness probe's disconnect must not reset the server under trayer.
    with started([binary, name, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
                 dict(os.environ)):
        poll(lambda: subprocess.run(["xdpyinfo", "-display", name], capture_output=True,
                                    check=False).returncode == 0, 10, "Xvfb")
        yield name


@contextlib.contextmanager
def session_bus() -> Iterator[str]:
    binary = need("dbus-daemon", "dbus")
    out = subprocess.run([binary, "--session", "--fork", "--print-address=1", "--print-pid=1"],
                         capture_output=True, text=True, check=True, timeout=10)
    address, pid = out.stdout.split()[:2]
    try:
        yield address
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGTERM)


def tray_owned(name: str) -> bool:
    """A tray host owns _NET_SYSTEM_TRAY_S0 (its panel appears a moment before it does)."""
    from Xlib import X
    from Xlib import display as xdisplay

    conn = xdisplay.Display(name)
    try:
        return conn.get_selection_owner(conn.intern_atom("_NET_SYSTEM_TRAY_S0")) != X.NONE
    finally:
        conn.close()


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


def wakeups(pid: int) -> dict[int, int]:
    """Voluntary context switches per thread (the process's own count is one thread's)."""
    counts: dict[int, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            for line in (task / "status").read_text().splitlines():
                if line.startswith("voluntary_ctxt_switches:"):
                    counts[int(task.name)] = int(line.split()[1])
    return counts


def woke(before: dict[int, int], after: dict[int, int]) -> int:
    """Switches between two readings; threads born in between count from zero."""
    return sum(n - before.get(tid, 0) for tid, n in after.items())


def backend_from_log(state_home: Path) -> str | None:
    for log in state_home.rglob("sitbreak.log"):
        for line in log.read_text(errors="replace").splitlines():
            if "tray backend " in line:
                return line.split("tray backend ", 1)[1].split(":", 1)[0]
    return None


def measure(seconds: float, backend: str) -> dict:
    from tray_app.settings import DEFAULT_FILE

    trayer = need("trayer", "trayer")
    need("xwininfo", "x11-utils")
    with tempfile.TemporaryDirectory(prefix="tray-bench-") as tmp_name:
        tmp = Path(tmp_name)
        settings = tmp / "settings.toml"
        shutil.copyfile(DEFAULT_FILE, settings)
        xdg = {}
        for key in ("CONFIG", "DATA", "CACHE", "STATE", "RUNTIME"):
            folder = tmp / key.lower()
            folder.mkdir(mode=0o700)
            xdg["XDG_RUNTIME_DIR" if key == "RUNTIME" else f"XDG_{key}_HOME"] = str(folder)
        with xvfb() as display, session_bus() as bus:
            env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=bus,
                       NO_AT_BRIDGE="1", **xdg)
            env.pop("WAYLAND_DISPLAY", None)
            env.pop("PYSTRAY_BACKEND", None)
            if backend != "auto":
                env["SITBREAK_TRAY_BACKEND"] = backend
            dunst = shutil.which("dunst")
            with contextlib.ExitStack() as stack:
                if dunst:
                    stack.enter_context(started([dunst], env))
                stack.enter_context(started([trayer, "--edge", "top", "--align", "right",
                                             "--widthtype", "pixel", "--width", "100",
                                             "--height", "24"], env))
                poll(lambda: tray_owned(display), 10, "trayer to own the tray selection")
                t0 = time.monotonic()
                app = stack.enter_context(started(
                    [sys.executable, str(MAIN), "run", "--config", str(settings)], env,
                    cwd=ROOT))
                poll(lambda: docked(env) or app.poll() is not None, 60, "the icon to dock")
                if app.poll() is not None:
                    sys.exit(f"tray_bench: sitbreak exited with {app.returncode}")
                dock_s = time.monotonic() - t0
                proc = psutil.Process(app.pid)
                w0, c0, t1 = wakeups(app.pid), proc.cpu_times(), time.monotonic()
                time.sleep(seconds)  # the measured idle period
                elapsed = time.monotonic() - t1
                cpu = proc.cpu_times()
                w1 = wakeups(app.pid)
                rss = proc.memory_info().rss
                threads = proc.num_threads()
                q0 = time.monotonic()
                subprocess.run([sys.executable, str(MAIN), "quit"], env=env, cwd=ROOT,
                               capture_output=True, timeout=30, check=False)
                try:
                    code = app.wait(20)
                except subprocess.TimeoutExpired:
                    code = None
                quit_s = time.monotonic() - q0
                chosen = backend_from_log(Path(xdg["XDG_STATE_HOME"])) or backend
    return {
        "bench": "tray",
        "backend": chosen,
        "seconds": round(elapsed, 1),
        "dock_seconds": round(dock_s, 2),
        "rss_mib": round(rss / 2**20, 1),
        "cpu_seconds_total": round(cpu.user + cpu.system, 2),
        "cpu_seconds_idle_period": round(max(0.0, cpu.user + cpu.system - c0.user - c0.system), 3),
        "wakeups_per_minute": round(woke(w0, w1) / elapsed * 60, 1),
        "threads": threads,
        "quit_seconds": round(quit_s, 2),
        "exit_code": code,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="idle period to measure")
    parser.add_argument("--backend", default="auto",
                        choices=["auto", "appindicator", "gtk", "xorg"])
    args = parser.parse_args()
    result = measure(args.seconds, args.backend)
    print(json.dumps(result), flush=True)
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

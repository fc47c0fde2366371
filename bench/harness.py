"""What the benchmarks share: a private X display and session bus, and per-thread wake-ups.

Wake-ups are context switches read from /proc/PID/task/*/status: voluntary ones (the thread
blocked and was woken: a timer, a socket, a queue) and nonvoluntary ones (preempted). Threads
carry their Python names into /proc (see `named_threads_env`), so each count has an owner.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]

# Loaded by every Python process started with `named_threads_env`: each thread writes its
# Python name to /proc/self/task/TID/comm, so per-thread counts say which thread woke.
SITECUSTOMIZE = '''
import threading
_run = threading.Thread._bootstrap_inner
def _named(self):
    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as fh:
            fh.write(self.name[:15])
    except OSError:
        pass
    _run(self)
threading.Thread._bootstrap_inner = _named
'''


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        sys.exit(f"bench: {tool} is missing: apt-get install {package}")
    return path


def poll(predicate: Callable[[], object], timeout: float, what: str,
         interval: float = 0.02) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            sys.exit(f"bench: timed out after {timeout}s waiting for {what}")
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
def started(args: list[str], env: dict[str, str], **kw: object) -> Iterator[subprocess.Popen]:
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", subprocess.DEVNULL)
    proc = subprocess.Popen(args, env=env, **kw)  # type: ignore[call-overload]
    try:
        yield proc
    finally:
        stop(proc)


def private_xdg(root: Path) -> dict[str, str]:
    """XDG_*_HOME and XDG_RUNTIME_DIR pointing at fresh private folders under `root`."""
    xdg = {}
    for key in ("CONFIG", "DATA", "CACHE", "STATE", "RUNTIME"):
        folder = root / key.lower()
        folder.mkdir(mode=0o700)
        xdg["XDG_RUNTIME_DIR" if key == "RUNTIME" else f"XDG_{key}_HOME"] = str(folder)
    return xdg


@contextlib.contextmanager
def named_threads_env(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """`env` plus a PYTHONPATH entry whose sitecustomize names threads in /proc."""
    with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
        Path(folder, "sitecustomize.py").write_text(SITECUSTOMIZE)
        path = os.pathsep.join(p for p in (folder, env.get("PYTHONPATH", "")) if p)
        yield dict(env, PYTHONPATH=path)


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


def tray_desktop(stack: contextlib.ExitStack, env: dict[str, str], display: str) -> None:
    """openbox, dunst and trayer on `display` (stopped with `stack`), once trayer owns the
    tray selection: the desktop the soaks run the tray app on."""
    for tool, package in (("trayer", "trayer"), ("openbox", "openbox"), ("dunst", "dunst")):
        need(tool, package)
    stack.enter_context(started(["openbox"], env))
    stack.enter_context(started(["dunst"], env))
    stack.enter_context(started(["trayer", "--edge", "top", "--align", "right",
                                 "--widthtype", "pixel", "--width", "100", "--height", "24"],
                                env))
    poll(lambda: tray_owned(display), 10, "trayer to own the tray selection")


Counts = dict[int, tuple[str, int, int]]  # tid -> (name, voluntary, nonvoluntary)


def thread_counts(pid: int) -> Counts:
    """Context switches of every thread (psutil's process-wide count is one thread's)."""
    counts: Counts = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError):
            fields = dict(line.split(":", 1) for line in
                          (task / "status").read_text().splitlines() if ":" in line)
            name = "main" if int(task.name) == pid else fields["Name"].strip()
            counts[int(task.name)] = (name, int(fields["voluntary_ctxt_switches"]),
                                      int(fields["nonvoluntary_ctxt_switches"]))
    return counts


def per_thread(before: Counts, after: Counts, minutes: float) -> dict[str, list[float]]:
    """name -> [voluntary, nonvoluntary] per minute; threads born in between count from zero."""
    out: dict[str, list[float]] = {}
    for tid, (name, vol, nonvol) in after.items():
        _, vol0, nonvol0 = before.get(tid, (name, 0, 0))
        row = out.setdefault(name, [0.0, 0.0])
        row[0] += (vol - vol0) / minutes
        row[1] += (nonvol - nonvol0) / minutes
    return {k: [round(v, 1) for v in row] for k, row in sorted(out.items())}


def measure(pid: int, settle: float, seconds: float) -> dict:
    """Let `pid` settle, then watch it idle for `seconds`: memory, CPU and wake-ups."""
    proc = psutil.Process(pid)
    time.sleep(settle)
    w0, c0, t0 = thread_counts(pid), proc.cpu_times(), time.monotonic()
    rss_start = proc.memory_info().rss
    rss_peak = 0
    deadline = t0 + seconds
    while time.monotonic() < deadline and proc.is_running():
        rss_peak = max(rss_peak, proc.memory_info().rss)
        time.sleep(min(5.0, max(0.0, deadline - time.monotonic())))
    elapsed = time.monotonic() - t0
    w1, c1 = thread_counts(pid), proc.cpu_times()
    mem = proc.memory_full_info()
    minutes = elapsed / 60
    threads = per_thread(w0, w1, minutes)
    return {
        "seconds": round(elapsed, 1),
        "rss_mib": round(mem.rss / 2**20, 1),
        "rss_peak_mib": round(max(rss_peak, mem.rss) / 2**20, 1),
        "rss_growth_mib": round((mem.rss - rss_start) / 2**20, 2),  # over the measured idle
        "pss_mib": round(mem.pss / 2**20, 1),
        "cpu_seconds": round(c1.user + c1.system - c0.user - c0.system, 3),
        "wakeups_per_minute": round(sum(v for v, _ in threads.values()), 1),
        "preempted_per_minute": round(sum(n for _, n in threads.values()), 1),
        "threads": len(w1),
        "per_thread": threads,
    }

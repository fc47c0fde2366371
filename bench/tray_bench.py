"""Benchmark `sitbreak run` with its tray under Xvfb and trayer; prints one JSON line per program.

    python bench/tray_bench.py [--seconds 60] [--settle 15]
                               [--backend auto|appindicator|gtk|xorg|sni]
                               [--floor] [--after-break] [--compare]

Measures the time from start to the icon docked in trayer, then lets it settle and idles for
`--seconds` with the shipped default settings: resident and proportional memory, CPU seconds,
and wake-ups per minute for every thread and in total (see bench/harness.py). `--floor` first
measures bench/floor.py (pystray on the same backend + APScheduler with one 5 s job) the same
way, so the two lines compare like with like. `--after-break` first takes one break (the
window opens for 3 s, then `done`), so the numbers are those of the rest of a working day.
`--backend sni` runs on headless sway with waybar as the StatusNotifierItem host and DISPLAY
unset (tests/wayland.py; sway, waybar, mako-notifier). `--compare` measures the xorg, GTK
(AppIndicator) and sni floors and sitbreak on sni and xorg in one run and prints them side by
side with each one's resident memory as a multiple of the xorg floor's.
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
from collections.abc import Callable, Iterator
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


@contextlib.contextmanager
def x11_desktop(tmp: Path) -> Iterator[tuple[dict[str, str], Callable[[int], bool]]]:
    """Xvfb, a session bus, dunst (when installed) and trayer; docked: in trayer's panel."""
    trayer = need("trayer", "trayer")
    need("xwininfo", "x11-utils")
    with xvfb() as display, session_bus() as bus, contextlib.ExitStack() as stack:
        env = dict(os.environ, DISPLAY=display, DBUS_SESSION_BUS_ADDRESS=bus,
                   NO_AT_BRIDGE="1", **private_xdg(tmp))
        env.pop("WAYLAND_DISPLAY", None)
        dunst = shutil.which("dunst")
        if dunst:
            stack.enter_context(started([dunst], env))
        stack.enter_context(started([trayer, "--edge", "top", "--align", "right",
                                     "--widthtype", "pixel", "--width", "100",
                                     "--height", "24"], env))
        poll(lambda: tray_owned(display), 10, "trayer to own the tray selection")
        yield env, lambda _pid: docked(env)


@contextlib.contextmanager
def wayland_desktop(tmp: Path) -> Iterator[tuple[dict[str, str], Callable[[int], bool]]]:
    """Headless sway with waybar (the SNI host) and mako, DISPLAY unset (tests/wayland.py);
    docked: waybar lists the program's StatusNotifierItem."""
    need("sway", "sway")
    need("waybar", "waybar")
    from tests.wayland import sway_desktop

    with sway_desktop(tmp) as sway:
        env = dict(sway.env, NO_AT_BRIDGE="1")
        env.update({k: v for k, v in private_xdg(tmp).items() if k != "XDG_RUNTIME_DIR"})
        yield env, lambda pid: sni_registered(env, pid)


def sni_registered(env: dict[str, str], pid: int) -> bool:
    """True once the watcher lists the item of process `pid` (its unique name + path)."""
    from jeepney import DBusAddress, Properties
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    watcher = DBusAddress("/StatusNotifierWatcher", bus_name="org.kde.StatusNotifierWatcher",
                          interface="org.kde.StatusNotifierWatcher")
    try:
        with open_dbus_connection(env["DBUS_SESSION_BUS_ADDRESS"]) as conn:
            owner = conn.send_and_get_reply(message_bus.GetNameOwner(
                f"org.kde.StatusNotifierItem-{pid}-1"), timeout=2).body[0]
            reply = conn.send_and_get_reply(
                Properties(watcher).get("RegisteredStatusNotifierItems"), timeout=2)
    except Exception:
        return False
    body = reply.body
    items = list(body[0][1]) if body and isinstance(body[0], tuple) else []
    return any(item.startswith(f"{owner}/") for item in items)


def run_one(program: str, backend: str, seconds: float, settle: float,
            after_break: bool = False) -> dict:
    """Measure sitbreak (`program` "sitbreak") or the floor program on a fresh private desktop:
    X11 with trayer, or for `sni` headless sway with waybar."""
    from tray_app.settings import DEFAULT_FILE

    desktop = wayland_desktop if backend == "sni" else x11_desktop
    with tempfile.TemporaryDirectory(prefix="tray-bench-") as tmp_name:
        tmp = Path(tmp_name)
        settings = tmp / "settings.toml"
        shutil.copyfile(DEFAULT_FILE, settings)
        with desktop(tmp) as (env, is_docked), contextlib.ExitStack() as stack:
            env.pop("PYSTRAY_BACKEND", None)
            if backend != "auto":
                env["SITBREAK_TRAY_BACKEND"] = backend
            app_env = stack.enter_context(named_threads_env(env))
            if program == "floor":
                floor_backend = "appindicator" if backend == "auto" else backend
                argv = [sys.executable, str(FLOOR), floor_backend]
            else:
                argv = [sys.executable, str(MAIN), "run", "--config", str(settings)]
            t0 = time.monotonic()
            app = stack.enter_context(started(argv, app_env, cwd=ROOT))
            poll(lambda: is_docked(app.pid) or app.poll() is not None, 60, "the icon to dock")
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
                backend = backend_from_log(Path(env["XDG_STATE_HOME"])) or backend
    out = {"bench": "tray", "program": program, "backend": backend,
           "dock_seconds": round(dock_s, 2), **result}
    if after_break and program == "sitbreak":
        out["after_break"] = True
    if program == "sitbreak":
        out.update(quit_seconds=quit_s, exit_code=code)
    return out


# --compare: the SNI app beside the floors, in one run (issue 22's budget: 1.1x the xorg floor).
# The GTK floor is pystray's AppIndicator backend (Gtk 3 + libayatana-appindicator), as in
# the 119.8 vs 32.2 MiB.
COMPARE = (("floor", "xorg"), ("floor", "appindicator"), ("floor", "sni"), ("sitbreak", "sni"),
           ("sitbreak", "xorg"))


def side_by_side(results: list[dict]) -> str:
    """A table of the runs, with memory and wake-ups against the xorg floor's."""
    base = next((r for r in results if r["program"] == "floor" and r["backend"] == "xorg"),
                None)
    lines = [f"{'program':<9} {'backend':<12} {'rss MiB':>8} {'pss MiB':>8} {'x xorg':>7} "
             f"{'wakeups/min':>12} {'threads':>7} {'dock s':>7}"]
    for r in results:
        ratio = f"{r['rss_mib'] / base['rss_mib']:.2f}" if base else "-"
        lines.append(f"{r['program']:<9} {r['backend']:<12} {r['rss_mib']:>8} {r['pss_mib']:>8} "
                     f"{ratio:>7} {r['wakeups_per_minute']:>12} {r['threads']:>7} "
                     f"{r['dock_seconds']:>7}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="idle period to measure")
    parser.add_argument("--settle", type=float, default=None,
                        help="seconds after docking before measuring (15, or less for short runs)")
    parser.add_argument("--backend", default="auto",
                        choices=["auto", "appindicator", "gtk", "xorg", "sni"])
    parser.add_argument("--compare", action="store_true",
                        help="the floors (xorg, appindicator, sni) and sitbreak (sni, xorg) "
                        "side by side")
    parser.add_argument("--floor", action="store_true",
                        help="also measure the floor program on the same backend, first")
    parser.add_argument("--after-break", action="store_true",
                        help="take one break before measuring (sitbreak only)")
    args = parser.parse_args()
    settle = args.settle if args.settle is not None else min(15.0, args.seconds)
    ok = True
    runs = [(program, args.backend) for program in (["floor"] if args.floor else [])
            + ["sitbreak"]]
    results = []
    for program, backend in COMPARE if args.compare else runs:
        result = run_one(program, backend, args.seconds, settle, args.after_break)
        print(json.dumps(result), flush=True)
        results.append(result)
        ok = ok and result.get("exit_code", 0) == 0
    if args.compare:
        print(side_by_side(results), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

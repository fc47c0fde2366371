"""A real headless KWin 5.27 (Wayland, `--virtual` backend, XWayland) on a private D-Bus session.

KWin offers what Debian 12's sway lacks: ext_idle_notifier_v1 (besides org_kde_kwin_idle).
/usr/bin/kwin_wayland carries the file capability cap_sys_resource=ep; where that capability is
not in the bounding set (containers, CI) exec fails with "Operation not permitted", so we run a
copy without it. The copy's name must still end in "kwin_wayland", or KWin's own Qt platform
plugin refuses to load.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.desktop import _stop, dbus_session, require, wait_for
from tests.wayland import name_has_owner
from tray_app.platform.wayland import wire

SOCKET = "wayland-k"
GTK_WINDOW = Path(__file__).with_name("gtk_window.py")


class FakeInput:
    """org_kde_kwin_fake_input: real input to KWin (its idle timers see it as such).

    KWin offers it only to clients whose executable a desktop file lists with
    `X-KDE-Wayland-Interfaces=org_kde_kwin_fake_input` (kwin_desktop writes one for this
    Python)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.conn = wire.Connection.connect(env)
        self.obj = self.conn.bind("org_kde_kwin_fake_input", 4)
        self.conn.send(self.obj, 0, wire.string("sitbreak tests"), wire.string("test input"))

    def move(self, dx: float, dy: float) -> None:
        self.conn.send(self.obj, 1, wire.fixed(dx), wire.fixed(dy))  # pointer_motion
        self.conn.roundtrip()

    def close(self) -> None:
        self.conn.close()


@dataclass
class KWin:
    env: dict[str, str]  # WAYLAND_DISPLAY, XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS, ...
    proc: subprocess.Popen
    workdir: Path
    clients: list[subprocess.Popen] = field(default_factory=list)

    def start_window(self, name: str, fullscreen: bool = False) -> subprocess.Popen:
        """A native Wayland window (GTK 3; foot 1.13 dies of SIGFPE on KWin's virtual output),
        stopped with the desktop."""
        args = [sys.executable, str(GTK_WINDOW), name, *(["fullscreen"] if fullscreen else [])]
        env = dict(self.env, GDK_BACKEND="wayland", NO_AT_BRIDGE="1")
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        self.clients.append(proc)
        return proc

    def app_env(self) -> dict[str, str]:
        """The session's variables for an app with its own XDG_RUNTIME_DIR."""
        socket = Path(self.env["XDG_RUNTIME_DIR"]) / SOCKET
        keys = ("DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP")
        return {**{k: self.env[k] for k in keys}, "WAYLAND_DISPLAY": str(socket)}

    def move_pointer(self, dx: float, dy: float) -> None:
        """Real pointer input (through org_kde_kwin_fake_input)."""
        fake = FakeInput(self.env)
        try:
            fake.move(dx, dy)
        finally:
            fake.close()

    def log(self) -> str:
        return (self.workdir / "kwin.log").read_text(errors="replace")


def _runnable(work: Path) -> str:
    binary = require("kwin_wayland")
    try:
        subprocess.run([binary, "--version"], capture_output=True, check=True, timeout=20)
        return binary
    except (OSError, subprocess.CalledProcessError):
        pass  # exec refused: the capability
    copy = work / "bin" / "kwin_wayland"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(binary, copy)  # the file's contents only: no capability
    copy.chmod(0o755)
    return str(copy)


@contextlib.contextmanager
def kwin_desktop(tmp: Path, *, width: int = 1280, height: int = 800) -> Iterator[KWin]:
    work = tmp / "kwin"
    run = work / "run"
    run.mkdir(parents=True, exist_ok=True)
    run.chmod(0o700)
    for d in ("home", "config", "data", "cache", "state"):
        (work / d).mkdir(exist_ok=True)
    binary = _runnable(work)
    # Allows this Python to use KWin's fake input (see FakeInput).
    (work / "data" / "applications").mkdir(exist_ok=True)
    (work / "data" / "applications" / "sitbreak-test-input.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=sitbreak test input\nNoDisplay=true\n"
        f"Exec={os.path.realpath(sys.executable)}\n"
        "X-KDE-Wayland-Interfaces=org_kde_kwin_fake_input\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "QT_QPA_PLATFORM",
                        "DBUS_SESSION_BUS_ADDRESS", "SWAYSOCK")}
    env.update(XDG_RUNTIME_DIR=str(run), HOME=str(work / "home"),
               XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data"),
               XDG_CACHE_HOME=str(work / "cache"), XDG_STATE_HOME=str(work / "state"),
               XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="KDE")
    with dbus_session() as bus:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        with (work / "kwin.log").open("w") as log:
            proc = subprocess.Popen(
                [binary, "--virtual", "--socket", SOCKET, "--width", str(width),
                 "--height", str(height), "--no-lockscreen"],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        desktop = KWin(dict(env, WAYLAND_DISPLAY=SOCKET), proc, work)
        try:
            def up() -> bool:
                if proc.poll() is not None:
                    raise AssertionError(f"kwin_wayland exited:\n{desktop.log()}")
                return (run / SOCKET).exists()

            wait_for(up, timeout=30, what="kwin_wayland to listen")
            wait_for(lambda: name_has_owner(env, "org.kde.KWin"), timeout=30,
                     what="KWin to own org.kde.KWin on the session bus")
            yield desktop
        finally:
            for client in desktop.clients:
                _stop(client)
            _stop(proc)

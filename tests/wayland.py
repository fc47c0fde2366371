"""A real headless Wayland desktop for tests: sway 1.7 + XWayland + waybar + mako.

sway runs with the headless wlroots backend on a private XDG_RUNTIME_DIR, on a private D-Bus
session bus (tests/desktop.py). As root it runs in a user namespace (sway 1.7 refuses root;
without the uid map Xwayland cannot write its keymap). waybar (a StatusNotifierWatcher and
host) and mako are started here, outside that namespace: started by sway they would look like
uid 1000 to the bus and fail its EXTERNAL auth. The headless seat has no pointer, so a
zwlr_virtual_pointer_v1 gives it one: real input for the compositor (it resets idle timers,
and clients such as waybar get wl_pointer events).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.desktop import PACKAGES, _stop, dbus_session, require, wait_for
from tray_app.platform.wayland import wire

PACKAGES.update({
    "sway": "sway", "swaymsg": "sway", "Xwayland": "xwayland", "waybar": "waybar",
    "mako": "mako-notifier", "makoctl": "mako-notifier", "grim": "grim",
    "swayidle": "swayidle", "foot": "foot", "xterm": "xterm", "unshare": "util-linux",
    "kwin_wayland": "kwin-wayland", "wayland-info": "wayland-utils",
    "swaync": "sway-notification-center", "swaync-client": "sway-notification-center",
})

WIDTH, HEIGHT = 1280, 800
BUTTONS = {"button1": 0x110, "button2": 0x112, "button3": 0x111}  # BTN_LEFT, _MIDDLE, _RIGHT

WAYBAR_CONFIG = {
    "layer": "top", "position": "top", "height": 30,
    "modules-left": ["sway/workspaces"], "modules-center": ["sway/window"],
    "modules-right": ["clock", "tray"],
    "tray": {"icon-size": 22, "spacing": 8}, "clock": {"format": "{:%H:%M:%S}", "interval": 1},
}
# do-not-disturb as mako's documentation sets it up: a mode that hides notifications.
MAKO_CONFIG = "default-timeout=0\nmax-visible=5\n\n[mode=do-not-disturb]\ninvisible=1\n"
WAYBAR_STYLE = "* { font-size: 12px; } window#waybar { background: #223; color: #eee; }\n"


def name_has_owner(env: dict[str, str], name: str) -> bool:
    out = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
         "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
        env=env, capture_output=True, text=True, check=False, timeout=10,
    )
    return "boolean true" in out.stdout


class VirtualPointer:
    """A zwlr_virtual_pointer_v1 on sway's seat, held open for the desktop's life."""

    def __init__(self, env: dict[str, str]) -> None:
        self.conn = wire.Connection.connect(env)
        seat = self.conn.bind("wl_seat", 1)
        manager = self.conn.bind("zwlr_virtual_pointer_manager_v1", 1)
        self.ptr = self.conn.new_object()
        # create_virtual_pointer(seat, id)
        self.conn.send(manager, 0, wire.uint(seat), wire.uint(self.ptr))
        self.conn.roundtrip()
        self.x, self.y = WIDTH / 2, HEIGHT / 2

    @staticmethod
    def _ms() -> bytes:
        return wire.uint(int(time.monotonic() * 1000))

    def _frame(self) -> None:
        self.conn.send(self.ptr, 4)  # frame
        self.conn.roundtrip()

    def move(self, dx: float, dy: float) -> None:
        self.conn.send(self.ptr, 0, self._ms(), wire.fixed(dx), wire.fixed(dy))  # motion
        self.x = min(max(self.x + dx, 0), WIDTH - 1)
        self.y = min(max(self.y + dy, 0), HEIGHT - 1)
        self._frame()

    def move_to(self, x: int, y: int) -> None:
        # motion_absolute(time, x, y, x_extent, y_extent)
        self.conn.send(self.ptr, 1, self._ms(), wire.uint(x), wire.uint(y),
                       wire.uint(WIDTH), wire.uint(HEIGHT))
        self.x, self.y = x, y
        self._frame()

    def button(self, code: int, pressed: bool) -> None:
        self.conn.send(self.ptr, 2, self._ms(), wire.uint(code), wire.uint(int(pressed)))
        self._frame()

    def close(self) -> None:
        with contextlib.suppress(wire.WaylandError, OSError):
            self.conn.send(self.ptr, 5)  # destroy
        self.conn.close()


class Sway:
    """A running desktop: its environment, its IPC, real pointer input and its clients."""

    def __init__(self, env: dict[str, str], xdisplay: str, workdir: Path) -> None:
        self.env = env
        self.xdisplay = xdisplay
        self.workdir = workdir
        self.pointer: VirtualPointer | None = None
        self.clients: list[subprocess.Popen] = []

    def env_with_x(self) -> dict[str, str]:
        return dict(self.env, DISPLAY=self.xdisplay)

    def app_env(self) -> dict[str, str]:
        """The session's variables for an app with its own XDG_RUNTIME_DIR (e.g. the extra_env
        of tests/e2e/sitbreak_proc.Sandbox): WAYLAND_DISPLAY is then the socket's full path."""
        keys = ("SWAYSOCK", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP")
        socket = Path(self.env["XDG_RUNTIME_DIR"]) / self.env["WAYLAND_DISPLAY"]
        return {**{k: self.env[k] for k in keys}, "WAYLAND_DISPLAY": str(socket)}

    def _run(self, tool: str, *args: str) -> str:
        out = subprocess.run([require(tool), *args], env=self.env, capture_output=True,
                             text=True, timeout=10, check=False)
        if out.returncode != 0:
            raise AssertionError(f"{tool} {' '.join(args)} failed: {out.stdout}{out.stderr}")
        return out.stdout

    def msg(self, *args: str) -> str:
        return self._run("swaymsg", *args)

    def tree(self) -> dict[str, Any]:
        return json.loads(self.msg("-r", "-t", "get_tree"))

    def windows(self) -> list[dict[str, Any]]:
        """Every window (a node with an app_id or an X11 window id), floating ones too."""
        found: list[dict[str, Any]] = []

        def walk(node: dict[str, Any]) -> None:
            if node.get("pid") and (node.get("app_id") is not None or node.get("window")):
                found.append(node)
            for child in node.get("nodes", []) + node.get("floating_nodes", []):
                walk(child)

        walk(self.tree())
        return found

    def focused_window(self) -> dict[str, Any] | None:
        return next((w for w in self.windows() if w.get("focused")), None)

    def move_pointer(self, dx: float, dy: float) -> None:
        assert self.pointer is not None
        self.pointer.move(dx, dy)

    def click(self, x: int, y: int, button: str = "button1") -> None:
        assert self.pointer is not None
        self.pointer.move_to(x, y)
        self.pointer.button(BUTTONS[button], True)
        self.pointer.button(BUTTONS[button], False)

    def makoctl(self, *args: str) -> str:
        return self._run("makoctl", *args)

    def start(self, args: list[str], **kw: Any) -> subprocess.Popen:
        """Start a client in this desktop (stopped when the desktop stops)."""
        kw.setdefault("env", self.env_with_x())
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        proc = subprocess.Popen(args, start_new_session=True, **kw)
        self.clients.append(proc)
        return proc

    def wait_window(self, timeout: float = 15.0, **match: Any) -> dict[str, Any]:
        """The window whose tree fields equal `match` (e.g. app_id="x"), once it is mapped."""
        def found() -> dict[str, Any] | None:
            return next((w for w in self.windows()
                         if all(w.get(k) == v for k, v in match.items())), None)
        return wait_for(found, timeout=timeout, what=f"a window with {match}")

    def screenshot(self, path: Path) -> Path:
        subprocess.run([require("grim"), str(path)], env=self.env, check=True, timeout=20,
                       capture_output=True)
        return path


def _sway_config(work: Path) -> Path:
    cfg = work / "sway.config"
    cfg.write_text(
        "xwayland enable\n"
        f"output HEADLESS-1 resolution {WIDTH}x{HEIGHT} position 0,0 bg #335577 solid_color\n"
        "default_border normal\n"
        "focus_follows_mouse no\n"
        f"exec sh -c 'echo $DISPLAY > {work / 'xdisplay'}'\n"
    )
    return cfg


def _sway_argv(config: Path) -> list[str]:
    sway = require("sway")
    if os.geteuid() != 0:
        return [sway, "-c", str(config)]
    return [require("unshare"), "-U", "--map-user=1000", "--map-group=1000",
            sway, "-c", str(config)]


@contextlib.contextmanager
def sway_desktop(tmp: Path, *, waybar: bool = True, mako: bool = True) -> Iterator[Sway]:
    """A private headless sway desktop under `tmp` (see the module's docstring)."""
    work = tmp / "sway"
    run = work / "run"
    run.mkdir(parents=True)
    run.chmod(0o700)
    base = {k: v for k, v in os.environ.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK", "GDK_BACKEND",
                         "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS")}
    base.update(XDG_RUNTIME_DIR=str(run), XDG_SESSION_TYPE="wayland",
                XDG_CURRENT_DESKTOP="sway")
    procs: list[subprocess.Popen] = []
    with dbus_session() as bus:
        base["DBUS_SESSION_BUS_ADDRESS"] = bus.address
        sway_env = dict(base, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1",
                        WLR_RENDERER="pixman")
        log = (work / "sway.log").open("w")
        proc = subprocess.Popen(_sway_argv(_sway_config(work)), env=sway_env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(proc)
        desktop: Sway | None = None
        try:
            def ready() -> tuple[str, str] | None:
                if proc.poll() is not None:
                    raise AssertionError(f"sway exited: {(work / 'sway.log').read_text()}")
                sockets = sorted(p.name for p in run.glob("wayland-*")
                                 if not p.name.endswith(".lock"))
                ipc = sorted(run.glob("sway-ipc.*.sock"))
                xfile = work / "xdisplay"
                if sockets and ipc and xfile.exists() and xfile.read_text().strip():
                    return sockets[0], str(ipc[0])
                return None

            display, swaysock = wait_for(ready, timeout=20, what="sway to listen")
            env = dict(base, WAYLAND_DISPLAY=display, SWAYSOCK=swaysock)
            desktop = Sway(env, (work / "xdisplay").read_text().strip(), work)
            # The pointer first, so the clients started next see a seat with a pointer.
            desktop.pointer = VirtualPointer(env)
            if waybar:
                (work / "waybar.json").write_text(json.dumps(WAYBAR_CONFIG))
                (work / "waybar.css").write_text(WAYBAR_STYLE)
                procs.append(subprocess.Popen(
                    [require("waybar"), "-c", str(work / "waybar.json"),
                     "-s", str(work / "waybar.css")],
                    env=env, stdout=(work / "waybar.log").open("w"), stderr=subprocess.STDOUT,
                    start_new_session=True))
            if mako:
                (work / "mako.config").write_text(MAKO_CONFIG)
                procs.append(subprocess.Popen(
                    [require("mako"), "-c", str(work / "mako.config")],
                    env=env, stdout=(work / "mako.log").open("w"), stderr=subprocess.STDOUT,
                    start_new_session=True))
            if waybar:
                wait_for(lambda: name_has_owner(env, "org.kde.StatusNotifierWatcher"),
                         timeout=20, what="waybar's tray to own org.kde.StatusNotifierWatcher")
            if mako:
                wait_for(lambda: name_has_owner(env, "org.freedesktop.Notifications"),
                         timeout=20, what="mako to own org.freedesktop.Notifications")
            yield desktop
        finally:
            if desktop is not None:
                for client in desktop.clients:
                    _stop(client)
                if desktop.pointer is not None:
                    desktop.pointer.close()
            for p in reversed(procs):
                _stop(p)
            log.close()


@contextlib.contextmanager
def held_app(tmp: Path, app_env: dict[str, str], reason: str
             ) -> Iterator[tuple[Any, dict[str, Any]]]:
    """`sitbreak run --console --no-window` in this desktop (break due 3 s after start), once
    its break waits for `reason`: yields the sandbox and that status; stops the app after."""
    from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop

    box = Sandbox(tmp / "app", extra_env=app_env)
    cfg = quick_settings(tmp / "s.toml", break_after="3s")
    proc = box.start("--console", "--no-window", "--config", str(cfg))
    try:
        box.wait_running(proc)
        held = wait_for(lambda: (s := box.status())["waiting_for"] and s, timeout=20,
                        what=f"the break to wait for {reason}")
        assert held["held_by"] == reason and held["state"] == "sitting", held
        yield box, held
    finally:
        assert stop(proc) == 0, box.output()

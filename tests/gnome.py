"""A real headless GNOME Shell 43 desktop for tests: Wayland, XWayland, the AppIndicator
extension, gnome-session's inhibitors, input through Mutter's RemoteDesktop.

Everything is private to a temporary folder: the runtime dir, HOME and the XDG folders, a session
bus and a stand-in system bus (gnome-shell dies without a system bus where /run/systemd/seats
exists; an empty bus is enough). The session bus activates only the services GNOME needs here
(dconf for the settings, the Shell's gjs notification service that owns
org.freedesktop.Notifications): the stock service folder would also start evolution, goa, the
portals, and dunst or mako for Notify. gnome-session runs with an empty session (`--builtin`, no
components, no XDG autostart), so `org.gnome.SessionManager` answers Inhibit/IsInhibited as on a
real login. Input goes through org.gnome.Mutter.RemoteDesktop: real input for Mutter (it resets
its IdleMonitor and reaches clients). Screenshots come from org.gnome.Shell.Screenshot, which
only answers senders on its allow-list, so the connection owns org.gnome.Screenshot first.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.desktop import PACKAGES, _stop, require, wait_for

PACKAGES.update({
    "gnome-shell": "gnome-shell gnome-shell-extension-appindicator gjs",
    "gnome-session": "gnome-session-bin", "gnome-session-inhibit": "gnome-session-bin",
    "gjs": "gjs", "Xwayland": "xwayland", "xterm": "xterm", "foot": "foot",
})

WIDTH, HEIGHT = 1280, 800
APPINDICATOR = "ubuntu-appindicators@ubuntu.com"  # Debian's id (the upstream id does nothing)
SERVICES = ("ca.desrt.dconf.service", "org.gnome.Shell.Notifications.service",
            "org.gnome.Shell.CalendarServer.service")
BANNER = (400, 40, 880, 110)  # where GNOME 43 draws a notification banner at 1280x800
BANNER_TEXT = (560, 80)  # a point on a banner's text (not a button): a click there is "default"
BTN_LEFT = 0x110
KEY_LEFTSHIFT = 42
INHIBIT_IDLE = 8  # gnome-session's flag for "do not go idle" (videos, presentations)

# A session-style bus that activates only the services in `servicedir` (none when empty).
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{listen}</listen>
  <auth>EXTERNAL</auth>
  {servicedir}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
SESSION_FILE = "[GNOME Session]\nName=sitbreak tests\nRequiredComponents=\n"


class Bus:
    """One blocking jeepney connection to the desktop's session bus."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self.conn = open_dbus_connection(address)

    def call(self, dest: str, path: str, iface: str, method: str, sig: str | None = None,
             body: tuple = (), timeout: float = 10) -> tuple:
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import unwrap_msg

        msg = new_method_call(DBusAddress(path, dest, iface), method, sig, body)
        return tuple(unwrap_msg(self.conn.send_and_get_reply(msg, timeout=timeout)))

    def prop(self, dest: str, path: str, iface: str, name: str) -> Any:
        (value,) = self.call(dest, path, "org.freedesktop.DBus.Properties", "Get", "ss",
                             (iface, name))
        return value[1]  # (signature, value)

    def owner(self, name: str) -> str | None:
        try:
            return self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                             "org.freedesktop.DBus", "GetNameOwner", "s", (name,))[0]
        except Exception:
            return None

    def request_name(self, name: str) -> int:
        return self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                         "org.freedesktop.DBus", "RequestName", "su", (name, 4))[0]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()


class RemoteInput:
    """A Mutter RemoteDesktop session: pointer and keys as real input to the compositor.

    Mutter's relative motion has no acceleration, so the pointer is first pushed into the
    bottom-right corner (the top-left is the hot corner that opens the overview) and then moved
    by differences, which keeps `x, y` known.
    """

    DEST = "org.gnome.Mutter.RemoteDesktop"
    IFACE = "org.gnome.Mutter.RemoteDesktop.Session"

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        (self.path,) = bus.call(self.DEST, "/org/gnome/Mutter/RemoteDesktop", self.DEST,
                                "CreateSession")
        self._session("Start")
        self.x, self.y = WIDTH - 1, HEIGHT - 1
        self._session("NotifyPointerMotionRelative", "dd", (10000.0, 10000.0))

    def _session(self, method: str, sig: str | None = None, body: tuple = ()) -> None:
        self.bus.call(self.DEST, self.path, self.IFACE, method, sig, body)

    def move(self, dx: float, dy: float) -> None:
        self._session("NotifyPointerMotionRelative", "dd", (float(dx), float(dy)))
        self.x = min(max(self.x + dx, 0), WIDTH - 1)
        self.y = min(max(self.y + dy, 0), HEIGHT - 1)

    def move_to(self, x: float, y: float) -> None:
        self.move(x - self.x, y - self.y)

    def click(self, x: float, y: float, button: int = BTN_LEFT) -> None:
        self.move_to(x, y)
        time.sleep(0.3)  # let the shell pick the actor under the pointer (hover, crossing)
        self._session("NotifyPointerButton", "ib", (button, True))
        time.sleep(0.05)
        self._session("NotifyPointerButton", "ib", (button, False))

    def key(self, code: int = KEY_LEFTSHIFT) -> None:
        """Press and release an evdev keycode (left Shift types nothing)."""
        self._session("NotifyKeyboardKeycode", "ub", (code, True))
        self._session("NotifyKeyboardKeycode", "ub", (code, False))

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._session("Stop")


class Gnome:
    """A running headless GNOME Shell; `env` is the environment a client of it gets."""

    def __init__(self, env: dict[str, str], work: Path) -> None:
        self.env = env
        self.work = work
        self.bus = Bus(env["DBUS_SESSION_BUS_ADDRESS"])
        self.input = RemoteInput(self.bus)
        self.clients: list[subprocess.Popen] = []
        self._screenshot_name = False
        self.started_s = 0.0  # how long the desktop took to come up

    @property
    def xdisplay(self) -> str:
        return self.env["DISPLAY"]

    def start(self, args: list[str], **kw: Any) -> subprocess.Popen:
        """Start a client in this desktop (stopped when the desktop stops)."""
        kw.setdefault("env", self.env)
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        proc = subprocess.Popen(args, start_new_session=True, **kw)
        self.clients.append(proc)
        return proc

    def shell_log(self, pattern: str = "") -> str:
        """gnome-shell's output (extensions log there), only the lines matching `pattern`."""
        text = (self.work / "shell.log").read_text(errors="replace")
        if not pattern:
            return text
        return "\n".join(line for line in text.splitlines() if re.search(pattern, line))

    def idle_ms(self) -> int:
        """Mutter's own idle time (IdleMonitor), in milliseconds."""
        return self.bus.call("org.gnome.Mutter.IdleMonitor",
                             "/org/gnome/Mutter/IdleMonitor/Core",
                             "org.gnome.Mutter.IdleMonitor", "GetIdletime")[0]

    def sni_items(self) -> list[str]:
        """The StatusNotifierItems the AppIndicator extension's watcher has registered."""
        return list(self.bus.prop("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
                                  "org.kde.StatusNotifierWatcher",
                                  "RegisteredStatusNotifierItems"))

    def inhibited_actions(self) -> int:
        return self.bus.prop("org.gnome.SessionManager", "/org/gnome/SessionManager",
                             "org.gnome.SessionManager", "InhibitedActions")

    def inhibit(self, app_id: str = "org.gnome.Totem", reason: str = "Playing a video",
                what: str = "idle") -> subprocess.Popen:
        """An app holding a gnome-session inhibitor (as a video player does) until stopped."""
        proc = self.start([require("gnome-session-inhibit"), "--inhibit", what, "--app-id",
                           app_id, "--reason", reason, "sleep", "600"])
        wait_for(lambda: self.inhibited_actions() & INHIBIT_IDLE, timeout=10,
                 what="gnome-session to list the idle inhibitor")
        return proc

    def screenshot(self, path: Path) -> Path:
        if not self._screenshot_name:
            self.bus.request_name("org.gnome.Screenshot")  # on the Shell's sender allow-list
            self._screenshot_name = True
        ok, used = self.bus.call("org.gnome.Shell.Screenshot", "/org/gnome/Shell/Screenshot",
                                 "org.gnome.Shell.Screenshot", "Screenshot", "bbs",
                                 (False, False, str(path)), timeout=20)
        assert ok, f"the Shell refused the screenshot ({used})"
        return Path(used)

    def region(self, path: Path, box: tuple[int, int, int, int]) -> bytes:
        """A screenshot's `box` (left, top, right, bottom) as grey levels, one byte a pixel."""
        from PIL import Image

        with Image.open(self.screenshot(path)) as img:
            return img.convert("L").crop(box).tobytes()

    # -- XWayland windows (python-xlib on the desktop's X display) --------------------------------

    def _x(self) -> Any:
        """A python-xlib connection to XWayland (it reads XAUTHORITY from os.environ)."""
        from Xlib import display

        saved = os.environ.get("XAUTHORITY")
        os.environ["XAUTHORITY"] = self.env.get("XAUTHORITY", "")
        try:
            return display.Display(self.xdisplay)
        finally:
            if saved is None:
                os.environ.pop("XAUTHORITY", None)
            else:
                os.environ["XAUTHORITY"] = saved

    def x_windows(self) -> dict[int, str]:
        """Client windows the window manager lists (_NET_CLIENT_LIST): id -> title."""
        from Xlib import X

        conn = self._x()
        try:
            root = conn.screen().root
            listed = root.get_full_property(conn.intern_atom("_NET_CLIENT_LIST"), X.AnyPropertyType)
            out: dict[int, str] = {}
            for wid in (listed.value if listed is not None else []):
                win = conn.create_resource_object("window", int(wid))
                name = win.get_full_property(conn.intern_atom("_NET_WM_NAME"), X.AnyPropertyType)
                title = name.value if name is not None else win.get_wm_name()
                out[int(wid)] = title.decode() if isinstance(title, bytes) else str(title or "")
            return out
        finally:
            conn.close()

    def wait_x_window(self, title: str, timeout: float = 20) -> int:
        def found() -> int | None:
            return next((w for w, t in self.x_windows().items() if t == title), None)
        return wait_for(found, timeout=timeout, what=f"an X window titled {title!r}")

    def set_x_fullscreen(self, wid: int, on: bool = True) -> None:
        """Ask the window manager to make `wid` fullscreen (_NET_WM_STATE, as a client does)."""
        from Xlib import X
        from Xlib.protocol import event

        conn = self._x()
        try:
            win = conn.create_resource_object("window", wid)
            state = conn.intern_atom("_NET_WM_STATE")
            full = conn.intern_atom("_NET_WM_STATE_FULLSCREEN")
            msg = event.ClientMessage(window=win, client_type=state,
                                      data=(32, [1 if on else 0, full, 0, 1, 0]))
            conn.screen().root.send_event(
                msg, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
            conn.sync()
        finally:
            conn.close()

    def x_state(self, wid: int) -> tuple[int | None, set[str]]:
        """(_NET_ACTIVE_WINDOW, names in `wid`'s _NET_WM_STATE)."""
        from Xlib import X

        conn = self._x()
        try:
            root = conn.screen().root
            active = root.get_full_property(conn.intern_atom("_NET_ACTIVE_WINDOW"),
                                            X.AnyPropertyType)
            win = conn.create_resource_object("window", wid)
            state = win.get_full_property(conn.intern_atom("_NET_WM_STATE"), X.AnyPropertyType)
            names = {conn.get_atom_name(a) for a in (state.value if state is not None else [])}
            return (int(active.value[0]) if active is not None and len(active.value) else None,
                    names)
        finally:
            conn.close()

    def dismiss_banner(self) -> None:
        """Click the notification banner away (top centre, below the top bar). A banner that
        shows while the user is idle stays until input comes, so it would hide later ones."""
        self.input.click(*BANNER_TEXT)
        time.sleep(0.4)  # the banner slides out
        self.input.move_to(WIDTH - 1, HEIGHT - 1)

    def close(self) -> None:
        for client in self.clients:
            _stop_group(client)
        self.input.stop()
        self.bus.close()


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop a client and what it started (xterm's shell, gnome-session-inhibit's command):
    each client leads its own process group."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(5)
            time.sleep(0.1)  # the group's other members take the signal too
        except subprocess.TimeoutExpired:
            continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # whatever ignored SIGTERM
        return


def changed(before: bytes, after: bytes) -> float:
    """The share of pixels of two `Gnome.region`s that differ by more than a little."""
    return sum(1 for a, b in zip(before, after, strict=True) if abs(a - b) > 8) / len(before)


def _bus_daemon(config: Path, socket: Path, servicedir: Path | None, log: Path,
                env: dict[str, str]) -> subprocess.Popen:
    # `env`: the services it starts (dconf-service) inherit it, so they must see the private
    # XDG folders, or the settings would land in the real user's dconf database.
    sd = f"<servicedir>{servicedir}</servicedir>" if servicedir else ""
    config.write_text(BUS_CONFIG.format(listen=f"unix:path={socket}", servicedir=sd))
    return subprocess.Popen([require("dbus-daemon"), f"--config-file={config}", "--nofork"],
                            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _gsettings(env: dict[str, str], schema: str, key: str, value: str) -> None:
    subprocess.run([require("gsettings"), "set", schema, key, value], env=env, check=True,
                   timeout=20, capture_output=True)


@contextlib.contextmanager
def gnome_desktop(tmp: Path, *, session_manager: bool = True) -> Iterator[Gnome]:
    """A private headless GNOME Shell under `tmp` (see the module's docstring)."""
    started = time.monotonic()
    shell_bin = require("gnome-shell")
    require("gjs")  # without it nothing owns org.freedesktop.Notifications
    work = tmp / "gnome"
    dirs = {name: work / name for name in ("run", "home", "config", "data", "cache", "state",
                                           "services", "xdg")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    dirs["run"].chmod(0o700)
    # Without GDM the shell warns once, in a banner, that it cannot lock the screen: this file
    # says the warning was shown, so no banner covers the ones a test looks at.
    (dirs["data"] / "gnome-shell").mkdir()
    (dirs["data"] / "gnome-shell" / "lock-warning-shown").touch()
    for name in SERVICES:
        (dirs["services"] / name).symlink_to(Path("/usr/share/dbus-1/services") / name)
    session_socket, system_socket = dirs["run"] / "bus", dirs["run"] / "system_bus_socket"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "SWAYSOCK", "GDK_BACKEND",
                        "QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS", "SESSION_MANAGER")}
    env.update(
        XDG_RUNTIME_DIR=str(dirs["run"]), HOME=str(dirs["home"]),
        XDG_CONFIG_HOME=str(dirs["config"]), XDG_DATA_HOME=str(dirs["data"]),
        XDG_CACHE_HOME=str(dirs["cache"]), XDG_STATE_HOME=str(dirs["state"]),
        DBUS_SESSION_BUS_ADDRESS=f"unix:path={session_socket}",
        DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={system_socket}",
        XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="GNOME", XDG_SESSION_DESKTOP="gnome",
    )
    procs: list[subprocess.Popen] = [
        _bus_daemon(work / "system-bus.conf", system_socket, None, work / "system-bus.log", env),
        _bus_daemon(work / "session-bus.conf", session_socket, dirs["services"],
                    work / "session-bus.log", env),
    ]
    desktop: Gnome | None = None
    try:
        wait_for(lambda: session_socket.exists() and system_socket.exists(), timeout=10,
                 what="the private D-Bus daemons")
        _gsettings(env, "org.gnome.shell", "enabled-extensions", f"['{APPINDICATOR}']")
        _gsettings(env, "org.gnome.shell", "welcome-dialog-last-shown-version", "'999'")
        _gsettings(env, "org.gnome.desktop.session", "idle-delay", "uint32 0")
        _gsettings(env, "org.gnome.desktop.screensaver", "lock-enabled", "false")
        shell_log = work / "shell.log"
        shell = subprocess.Popen(
            [shell_bin, "--headless", "--wayland", "--virtual-monitor", f"{WIDTH}x{HEIGHT}"],
            env=env, stdout=shell_log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        procs.append(shell)

        def shell_up() -> bool:
            if shell.poll() is not None:
                raise AssertionError(f"gnome-shell exited:\n{shell_log.read_text()[-3000:]}")
            return "GNOME Shell started" in shell_log.read_text(errors="replace")

        wait_for(shell_up, timeout=60, interval=0.1, what="GNOME Shell to start")
        text = shell_log.read_text(errors="replace")
        xdisplay = re.search(r"Using public X11 display (:\d+)", text)
        wl = re.search(r"Using Wayland display name '([^']+)'", text)
        assert xdisplay and wl, f"no display names in the shell's log:\n{text[-3000:]}"
        auth = sorted(dirs["run"].glob(".mutter-Xwaylandauth.*"))
        env.update(DISPLAY=xdisplay.group(1), WAYLAND_DISPLAY=str(dirs["run"] / wl.group(1)))
        if auth:
            env["XAUTHORITY"] = str(auth[0])
        probe = Bus(env["DBUS_SESSION_BUS_ADDRESS"])
        try:
            wait_for(lambda: probe.owner("org.freedesktop.Notifications"), timeout=30,
                     interval=0.1, what="the Shell's notification service (gjs)")
            wait_for(lambda: probe.owner("org.kde.StatusNotifierWatcher"), timeout=30,
                     interval=0.1, what="the AppIndicator extension's watcher")
            # the shell starts in the overview: leave it, so windows get focus as usual
            probe.call("org.gnome.Shell", "/org/gnome/Shell", "org.freedesktop.DBus.Properties",
                       "Set", "ssv", ("org.gnome.Shell", "OverviewActive", ("b", False)))
        finally:
            probe.close()
        if session_manager:
            (dirs["config"] / "gnome-session" / "sessions").mkdir(parents=True)
            (dirs["config"] / "gnome-session" / "sessions" / "sitbreak-tests.session").write_text(
                SESSION_FILE)
            procs.append(subprocess.Popen(
                [require("gnome-session"), "--builtin", "--session=sitbreak-tests",
                 "--disable-acceleration-check"],
                env=dict(env, XDG_CONFIG_DIRS=str(dirs["xdg"])),  # no XDG autostart apps
                stdout=(work / "session.log").open("w"), stderr=subprocess.STDOUT,
                start_new_session=True))
        desktop = Gnome(env, work)
        if session_manager:
            wait_for(lambda: desktop.bus.owner("org.gnome.SessionManager"), timeout=20,
                     interval=0.1, what="gnome-session to own org.gnome.SessionManager")
        if os.geteuid() == 0:
            # As root the shell greets with a banner ("Logged in as a privileged user") that
            # would hide the ones a test looks for.
            time.sleep(0.8)  # it slides in
            desktop.dismiss_banner()
        desktop.started_s = time.monotonic() - started
        yield desktop
    finally:
        if desktop is not None:
            desktop.close()
        for proc in reversed(procs):  # the shell before its buses
            _stop(proc)

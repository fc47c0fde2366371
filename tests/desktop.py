"""Real desktop hosts for tests: Xvfb, a private D-Bus session, dunst, trayer.

A missing tool fails the test with the Debian package to install; it never skips.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def _each_x_connection_its_own_tables() -> None:
    """python-xlib keeps the extension opcode, event and error tables on its Display class, so
    every connection in a process shares them. The app talks to one X server; the test process
    talks to Xvfb, then GNOME's or sway's XWayland, whose extensions take other event codes, and
    a later connection then failed in its XFIXES set-up ("'type' object does not support item
    assignment"). Each connection gets fresh tables."""
    try:
        from Xlib import error as xerror
        from Xlib.protocol import display as xdisplay
        from Xlib.protocol import event as xevent
    except ImportError:  # no python-xlib here: nothing to share
        return
    if getattr(xdisplay.Display.__init__, "own_tables", False):
        return
    original = xdisplay.Display.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.extension_major_opcodes = {}
        self.error_classes = xerror.xerror_class.copy()
        self.event_classes = xevent.event_class.copy()
        original(self, *args, **kwargs)

    init.own_tables = True  # type: ignore[attr-defined]
    xdisplay.Display.__init__ = init


_each_x_connection_its_own_tables()


PACKAGES = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "xwininfo": "x11-utils",
    "xdpyinfo": "x11-utils",
    "xprop": "x11-utils",
    "trayer": "trayer",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "dbus-daemon": "dbus",
    "dbus-monitor": "dbus",
    "import": "imagemagick",
    "openbox": "openbox",
    "desktop-file-validate": "desktop-file-utils",
    "gsettings": "libglib2.0-bin",
    "xmessage": "x11-utils",
}


def require(tool: str) -> str:
    """Path of `tool`, or fail the test saying which Debian package provides it."""
    path = shutil.which(tool)
    if path is None:
        pkg = PACKAGES.get(tool, tool)
        pytest.fail(
            f"{tool} is not installed: run `apt-get install {pkg}` "
            "(the README's test command does)"
        )
    return path


# How much longer every wait may take: scripts/test runs two desktop streams side by side on
# two cores, where a window or a bus name can come several times later than on its own.
PATIENCE = float(os.environ.get("SITBREAK_TEST_PATIENCE", "1"))


def noon_zone(now: float) -> str:
    """A POSIX TZ value whose local time at `now` is within 8 minutes of noon (in steps of 15
    minutes, so processes started a moment apart agree)."""
    utc = time.gmtime(now)
    east = 12 * 60 - (utc.tm_hour * 60 + utc.tm_min)  # minutes east of UTC
    east = 15 * round(east / 15)
    if east > 12 * 60:
        east -= 24 * 60
    elif east <= -12 * 60:
        east += 24 * 60
    hours, minutes = divmod(abs(east), 60)
    # POSIX counts west of UTC as positive: UTC+08:00 is "-8:00".
    name, posix = ("+", "-") if east >= 0 else ("-", "+")
    return f"<{name}{hours:02d}{minutes:02d}>{posix}{hours}:{minutes:02d}"


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05, what: str = "condition"):
    """Poll until `predicate()` is truthy; return its value or fail after `timeout` seconds
    (times PATIENCE). A wait that succeeds returns at once, so patience costs nothing then."""
    timeout *= PATIENCE
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@dataclass
class Display:
    name: str
    proc: subprocess.Popen

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, DISPLAY=self.name)
        env.pop("WAYLAND_DISPLAY", None)
        env.update(extra)
        return env

    def run(self, *args: str, check: bool = True, timeout: float = 10) -> str:
        out = subprocess.run(
            args, env=self.env(), capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and out.returncode != 0:
            cmd = " ".join(args)
            raise AssertionError(f"{cmd} failed ({out.returncode}): {out.stderr.strip()}")
        return out.stdout


@contextlib.contextmanager
def xvfb(*extra_args: str, size: str = "1280x800x24") -> Iterator[Display]:
    """A private Xvfb server; pass `-extension`, `MIT-SCREEN-SAVER` to turn that extension off."""
    binary = require("Xvfb")
    # -displayfd: Xvfb takes a free display number itself and writes it once it accepts
    # connections. Picking a number here raced with tests in other processes (pytest -n 2):
    # two took the same one, the second Xvfb died and its tests used the first one's screen.
    # -noreset: otherwise a client's disconnect resets the server, and on a busy machine the
    # test's next connection can land in that reset and be dropped.
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp",
         "-noreset", *extra_args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    try:
        number = _read_display_number(read_fd, proc, timeout=10.0)
    finally:
        os.close(read_fd)
    if number is None:
        _stop(proc)
        pytest.fail("Xvfb did not start")
    try:
        yield Display(f":{number}", proc)
    finally:
        _stop(proc)


def _read_display_number(fd: int, proc: subprocess.Popen, timeout: float) -> int | None:
    """The number Xvfb writes to its -displayfd, or None if it exits or stays silent."""
    deadline = time.monotonic() + timeout
    text = b""
    while not text.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            return None
        ready, _, _ = select.select([fd], [], [], min(left, 0.2))
        if ready:
            chunk = os.read(fd, 16)
            if not chunk:
                return None
            text += chunk
    return int(text)


@dataclass
class Bus:
    address: str
    pid: int


@contextlib.contextmanager
def dbus_session(config: Path | None = None) -> Iterator[Bus]:
    """A private session-style D-Bus daemon, so tests never touch a real desktop's bus.

    `config` replaces the session configuration (e.g. a bus with no activatable services).
    """
    binary = require("dbus-daemon")
    which = f"--config-file={config}" if config else "--session"
    out = subprocess.run(
        [binary, which, "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    )
    address, pid = out.stdout.split()[:2]
    try:
        yield Bus(address, int(pid))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGTERM)


def lines_of(proc: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """Lines of a child's stdout as they come; None when it closes."""
    q: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            q.put(line.strip())
        q.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return q


@contextlib.contextmanager
def background(args: list[str], env: dict[str, str], **kw) -> Iterator[subprocess.Popen]:
    """Run a helper process for the length of a `with` block."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    try:
        yield proc
    finally:
        _stop(proc)


def dunst_config(tmp: Path, dmenu_script: str | None = None) -> Path:
    """A dunst config; `dmenu_script` lets a test pick a named action through `dunstctl context`."""
    lines = ["[global]", "    timeout = 0"]
    if dmenu_script:
        lines.append(f'    dmenu = "{dmenu_script}"')
    cfg = tmp / "dunstrc"
    cfg.write_text("\n".join(lines) + "\n")
    return cfg


@contextlib.contextmanager
def dunst(display: Display, bus: Bus, config: Path) -> Iterator[subprocess.Popen]:
    """A real notification daemon on the private bus; waits until it owns the name."""
    binary = require("dunst")
    env = display.env(DBUS_SESSION_BUS_ADDRESS=bus.address)
    with background([binary, "-config", str(config)], env) as proc:
        def owned() -> bool:
            r = subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                 "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                 "string:org.freedesktop.Notifications"],
                env=env, capture_output=True, text=True, check=False,
            )
            return "boolean true" in r.stdout
        wait_for(owned, what="dunst to own org.freedesktop.Notifications")
        yield proc


def tray_manager_ready(display: Display) -> bool:
    """True once a system tray owns the _NET_SYSTEM_TRAY_S0 selection (trayer's panel can be
    mapped a moment before it takes the selection; an icon started then never docks)."""
    from Xlib import X
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display.name)
    try:
        owner = conn.get_selection_owner(conn.intern_atom("_NET_SYSTEM_TRAY_S0"))
        return owner != X.NONE
    finally:
        conn.close()


"""Giving the break window the keyboard (issue 22, item 4): which way per desktop, and each way
against the real thing where the machine has it (sway, an X server); Hyprland's socket against
a stand-in speaking its request protocol."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import Display, require
from tests.wayland import Sway
from tray_app.platform.focus import choose
from tray_app.platform.focus.hyprland import HyprlandFocuser, socket_path
from tray_app.platform.focus.sway import SwayFocuser
from tray_app.platform.focus.x11 import X11Focuser


def test_the_way_per_desktop(tmp_path: Path) -> None:
    sock = tmp_path / "sway-ipc.sock"
    sock.touch()
    assert choose.detect({"SWAYSOCK": str(sock), "WAYLAND_DISPLAY": "wayland-1",
                          "DISPLAY": ":1"}).name == "sway"
    assert choose.detect({"I3SOCK": str(sock), "DISPLAY": ":1"}).name == "x11"  # no pid=
    hypr = tmp_path / "hypr" / "abc"
    hypr.mkdir(parents=True)
    (hypr / ".socket.sock").touch()
    env = {"HYPRLAND_INSTANCE_SIGNATURE": "abc", "XDG_RUNTIME_DIR": str(tmp_path),
           "XDG_SESSION_TYPE": "wayland"}
    assert choose.detect(env).name == "hyprland"
    assert choose.detect({"DISPLAY": ":1", "XDG_SESSION_TYPE": "x11"}).name == "x11"
    gnome = choose.detect({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0",
                           "XDG_CURRENT_DESKTOP": "GNOME"})
    assert gnome.name == "none" and gnome.focus(1).focused is None
    assert "GNOME" in gnome.focus(1).detail
    # A socket named but gone (sway restarted): not sway.
    assert choose.detect({"SWAYSOCK": str(tmp_path / "gone"), "DISPLAY": ":1"}).name == "x11"


class FakeHyprland:
    """Hyprland's request socket: one request per connection, then it closes."""

    def __init__(self, path: Path, active_pid: int) -> None:
        self.requests: list[str] = []
        self.active_pid = active_pid
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                text = conn.recv(4096).decode()
                self.requests.append(text)
                if text.startswith("dispatch focuswindow pid:"):
                    found = text.rsplit(":", 1)[1] == str(self.active_pid)
                    conn.sendall(b"ok" if found else b"No such window found")
                elif text == "j/activewindow":
                    conn.sendall(json.dumps({"pid": self.active_pid, "title": "Time to move",
                                             "fullscreen": False}).encode())


@pytest.fixture
def hyprland(tmp_path: Path) -> Iterator[tuple[FakeHyprland, Path]]:
    path = tmp_path / "hypr" / "sig" / ".socket.sock"
    path.parent.mkdir(parents=True)
    fake = FakeHyprland(path, active_pid=4242)
    yield fake, path
    fake.server.close()


def test_hyprland_focuses_by_pid_and_checks(hyprland: tuple[FakeHyprland, Path],
                                            tmp_path: Path) -> None:
    fake, path = hyprland
    assert socket_path({"HYPRLAND_INSTANCE_SIGNATURE": "sig",
                        "XDG_RUNTIME_DIR": str(tmp_path)}) == path
    got = HyprlandFocuser(path).focus(4242)
    assert got.focused is True, got
    assert fake.requests == ["dispatch focuswindow pid:4242", "j/activewindow"]
    refused = HyprlandFocuser(path).focus(7)
    assert refused.focused is False and "No such window" in refused.detail


@pytest.mark.desktop
def test_x11_reads_who_has_the_focus(display: Display) -> None:
    from Xlib import X
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display.name)
    # No _NET_WM_PID, as Tk's windows: the X server itself says whose window it is.
    win = conn.screen().root.create_window(0, 0, 50, 50, 0, X.CopyFromParent)
    win.map()
    conn.sync()
    focuser = X11Focuser(display.name)
    assert focuser.focus(os.getpid()).focused is False  # nobody has focused it yet
    win.set_input_focus(X.RevertToParent, X.CurrentTime)
    conn.sync()
    assert focuser.focus(os.getpid()).focused is True
    assert focuser.focus(1).focused is False
    conn.close()


@pytest.mark.desktop
def test_sway_focuses_an_xwayland_window_over_a_fullscreen_one(sway: Sway) -> None:
    """sway leaves fullscreen when another window on the workspace is focused by command: the
    break window is then seen, not hidden behind the fullscreen window."""
    sway.start([require("foot"), "-a", "term"], env=sway.env)
    sway.wait_window(app_id="term")
    xterm = sway.start([require("xterm"), "-T", "breakwin"])
    sway.wait_window(name="breakwin")
    sway.msg("[app_id=term] focus")
    sway.msg("[app_id=term] fullscreen enable")
    focuser = SwayFocuser(sway.env["SWAYSOCK"])
    got = focuser.focus(xterm.pid)
    assert got.focused is True and got.visible is not False, got
    assert (sway.focused_window() or {}).get("name") == "breakwin"
    assert not any(w.get("fullscreen_mode") for w in sway.windows())
    refused = focuser.focus(999_999)
    assert refused.focused is False and "No matching" in refused.detail

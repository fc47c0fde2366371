"""The headless sway desktop itself (tests/wayland.py) starts, and its parts answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.wayland import Sway, name_has_owner

pytestmark = pytest.mark.desktop


def test_desktop_has_a_tray_watcher_a_notifier_a_pointer_and_xwayland(sway: Sway) -> None:
    assert name_has_owner(sway.env, "org.kde.StatusNotifierWatcher")
    assert name_has_owner(sway.env, "org.freedesktop.Notifications")
    assert "DISPLAY" not in sway.env and sway.xdisplay.startswith(":")
    seats = sway.msg("-t", "get_seats")
    assert "pointer" in seats  # the virtual pointer gave the headless seat one
    sway.start(["foot", "-a", "probe-native"])
    sway.start(["xterm", "-title", "probe-x11"])
    sway.wait_window(app_id="probe-native")
    xterm = sway.wait_window(name="probe-x11")
    assert xterm.get("shell") == "xwayland"
    sway.click(200, 200)
    focused = wait_for(sway.focused_window, what="a focused window")
    assert focused["pid"] in {c.pid for c in sway.clients}


def test_screenshot(sway: Sway, tmp_path: Path) -> None:
    shot = sway.screenshot(tmp_path / "shot.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

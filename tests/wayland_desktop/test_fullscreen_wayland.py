"""Fullscreen on a real wlroots compositor (sway 1.7): wlr-foreign-toplevel-management."""

from __future__ import annotations

import subprocess

import pytest

from tests.desktop import wait_for
from tests.wayland import Sway
from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.platform.fullscreen.wlr import WlrFullscreenProbe

pytestmark = pytest.mark.desktop


def test_focused_fullscreen_native_and_xwayland_windows_are_seen(sway: Sway) -> None:
    probe = fullscreen.detect(sway.env, platform="linux")
    assert isinstance(probe, WlrFullscreenProbe)
    assert "wlr-foreign-toplevel" in fullscreen.explain(probe, sway.env)
    assert not probe.is_fullscreen_focused()
    sway.start(["foot", "-a", "slides"])
    sway.wait_window(app_id="slides", focused=True)
    assert not probe.is_fullscreen_focused()
    sway.msg("[app_id=slides] fullscreen enable")
    wait_for(probe.is_fullscreen_focused, timeout=5, what="the fullscreen foot to show")
    assert probe.focused_fullscreen() == "slides"
    sway.msg("[app_id=slides] fullscreen disable")
    wait_for(lambda: not probe.is_fullscreen_focused(), timeout=5, what="fullscreen to end")
    # An XWayland window is a toplevel too.
    sway.start(["xterm", "-title", "film"])
    sway.wait_window(name="film", focused=True)
    sway.msg("[title=film] fullscreen enable")
    wait_for(probe.is_fullscreen_focused, timeout=5, what="the fullscreen xterm to show")
    # Fullscreen but not focused: the user looks elsewhere (sway focuses the other window).
    sway.msg("[app_id=slides] focus")
    wait_for(lambda: not probe.is_fullscreen_focused(), timeout=5,
             what="focus leaving the fullscreen window")


def test_closing_the_fullscreen_window_ends_the_hold(sway: Sway) -> None:
    probe = fullscreen.detect(sway.env, platform="linux")
    assert probe is not None
    proc = sway.start(["foot", "-a", "movie"])
    sway.wait_window(app_id="movie", focused=True)
    sway.msg("[app_id=movie] fullscreen enable")
    wait_for(probe.is_fullscreen_focused, timeout=5, what="the fullscreen foot to show")
    proc.terminate()
    wait_for(lambda: not probe.is_fullscreen_focused(), timeout=5, what="the closed window")


def test_without_a_compositor_protocol_status_says_it_cannot_tell() -> None:
    env = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "/nonexistent/wayland-9",
           "XDG_CURRENT_DESKTOP": "Hyprland"}
    probe = fullscreen.detect(env, platform="linux")
    assert probe is None
    text = fullscreen.explain(probe, env)
    assert "cannot tell on Hyprland" in text and "only its notification" in text


def test_a_compositor_that_goes_away_is_said_in_status(sway: Sway) -> None:
    probe = fullscreen.detect(sway.env, platform="linux")
    assert isinstance(probe, WlrFullscreenProbe)
    subprocess.run(["swaymsg", "exit"], env=sway.env, capture_output=True, check=False)
    wait_for(lambda: probe.lost_why, timeout=10, what="the lost compositor")
    assert "stopped" in fullscreen.explain(probe, sway.env)
    assert not probe.is_fullscreen_focused()

"""Fullscreen on a real KWin 5.27 (Wayland): sitbreak's KWin script reports the active window."""

from __future__ import annotations

import subprocess

import pytest

from tests.desktop import wait_for
from tests.kwin import KWin
from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.platform.fullscreen.kwin import KWinFullscreenProbe
from tray_app.platform.wayland import client as wayland_client

pytestmark = pytest.mark.desktop


def test_the_kwin_script_follows_the_active_window(kwin: KWin) -> None:
    probe = fullscreen.detect(kwin.env, platform="linux")
    assert isinstance(probe, KWinFullscreenProbe), fullscreen.explain(probe, kwin.env)
    # KWin has no wlroots toplevels: that probe's Wayland connection was not kept open.
    assert wayland_client.socket_path(kwin.env) not in wayland_client._shared
    try:
        wait_for(lambda: probe.reported, timeout=10, what="the script's first report")
        assert "KWin script" in fullscreen.explain(probe, kwin.env)
        assert list((kwin.workdir / "run").glob("sitbreak-kwin-*")) == []  # read: removed
        assert not probe.is_fullscreen_focused()
        film = kwin.start_window("film", fullscreen=True)
        wait_for(probe.is_fullscreen_focused, timeout=15, what="the fullscreen window")
        assert probe.app == "film"
        other = kwin.start_window("notes")  # activated over it: the user looks elsewhere
        wait_for(lambda: not probe.is_fullscreen_focused(), timeout=15, what="the other window")
        other.terminate()
        wait_for(probe.is_fullscreen_focused, timeout=15, what="the film active again")
        film.terminate()
        wait_for(lambda: not probe.is_fullscreen_focused(), timeout=15, what="the film closed")
    finally:
        probe.close()


def test_calls_from_anyone_but_kwin_are_refused(kwin: KWin) -> None:
    probe = fullscreen.detect(kwin.env, platform="linux")
    assert isinstance(probe, KWinFullscreenProbe)
    try:
        wait_for(lambda: probe.reported, timeout=10, what="the script's first report")
        out = subprocess.run(
            ["dbus-send", "--session", "--print-reply", f"--dest={probe._conn.unique_name}",
             "/io/github/sitbreak/Fullscreen", "io.github.sitbreak.Fullscreen.Report",
             "boolean:true", "string:fake"],
            env=kwin.env, capture_output=True, text=True, timeout=10, check=False)
        assert "AccessDenied" in out.stderr
        assert not probe.is_fullscreen_focused()
    finally:
        probe.close()

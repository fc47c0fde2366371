"""Smart pause, sleep and lock in the running app, against real desktop services."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from Xlib import display as xdisplay

from tests.desktop import Display, background, dbus_session, dunst, dunst_config, require, wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.platform.test_fullscreen_desktop import ADD, REMOVE, _focused, _set_fullscreen
from tests.platform.test_session_desktop import MANAGER, OUR_SESSION, SESSION, _logind

pytestmark = [pytest.mark.desktop, pytest.mark.e2e]  # Xvfb, dunst or a private D-Bus


def break_windows(display: Display) -> list[str]:
    return display.run("xdotool", "search", "--onlyvisible", "--name", "^Time to move$",
                       check=False).split()


@pytest.mark.slow
def test_fullscreen_window_holds_the_break_until_it_leaves_fullscreen(
    tmp_path: Path, display: Display
) -> None:
    require("openbox")
    require("xdotool")
    box = Sandbox(tmp_path, extra_env={"DISPLAY": display.name, "XDG_SESSION_TYPE": "x11"})
    cfg = quick_settings(tmp_path / "s.toml")
    conn = xdisplay.Display(display.name)
    with background(["openbox", "--sm-disable"], display.env()):
        wait_for(lambda: display.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False)
                 .count("window id"), what="openbox to start")
        slides = subprocess.Popen(["xmessage", "-name", "slides", "a presentation"],
                                  env=display.env())
        window = _focused(display, conn, "slides")
        _set_fullscreen(conn, window, ADD)
        proc = box.start("--console", "--config", str(cfg))
        try:
            box.wait_running(proc)
            st = wait_for(lambda: (s := box.status())["waiting_for"] and s, timeout=20,
                          what="the break to wait for the fullscreen window")
            assert st["waiting_for"] == "fullscreen window"
            assert st["state"] == "sitting" and "break waiting" in st["line"]
            assert break_windows(display) == []
            _set_fullscreen(conn, window, REMOVE)
            box.wait_state("break_due", timeout=10)
            wait_for(lambda: break_windows(display), timeout=15, what="the break window")
        finally:
            assert stop(proc) == 0
            slides.kill()
    conn.close()


@pytest.mark.slow
def test_do_not_disturb_holds_the_break(tmp_path: Path, display: Display) -> None:
    require("dunstctl")
    with dbus_session() as bus, dunst(display, bus, dunst_config(tmp_path)):
        env = display.env(DBUS_SESSION_BUS_ADDRESS=bus.address)
        subprocess.run(["dunstctl", "set-paused", "true"], env=env, check=True)
        box = Sandbox(tmp_path, extra_env={"DBUS_SESSION_BUS_ADDRESS": bus.address})
        cfg = quick_settings(tmp_path / "s.toml")
        proc = box.start("--console", "--no-window", "--config", str(cfg))
        try:
            box.wait_running(proc)
            wait_for(lambda: box.status()["waiting_for"] == "do not disturb", timeout=20,
                     what="the break to wait for do-not-disturb")
            assert box.status()["state"] == "sitting"
            subprocess.run(["dunstctl", "set-paused", "false"], env=env, check=True)
            box.wait_state("break_due", timeout=15)
        finally:
            assert stop(proc) == 0


@pytest.mark.slow
def test_lock_is_away_and_sleep_holds_prompts(tmp_path: Path) -> None:
    with dbus_session() as system, dbus_session() as session, _logind(system) as logind:
        # On the app's accelerated clock: a minute of its time is a real second.
        box = Sandbox(tmp_path, extra_env={"DBUS_SYSTEM_BUS_ADDRESS": system.address,
                                           "DBUS_SESSION_BUS_ADDRESS": session.address,
                                           "SITBREAK_CLOCK_SPEED": "60"})
        # idle_reset above the heartbeat (a minute with the settings file watched): a gap
        # between ticks that long is a break too.
        cfg = quick_settings(tmp_path / "s.toml", break_after="3m", idle_reset="2m")
        proc = box.start("--console", "--no-window", "--config", str(cfg))
        try:
            box.wait_running(proc)
            wait_for(lambda: any(c[2] == "GetSessionByPID" for c in logind.calls), timeout=10,
                     what="sitbreak to subscribe to logind")
            logind.emit(OUR_SESSION, SESSION, "Lock")
            box.wait_state("away", timeout=20)
            logind.emit(OUR_SESSION, SESSION, "Unlock")
            box.wait_state("sitting", timeout=15)

            box.wait_state("break_due", timeout=20)
            logind.emit("/org/freedesktop/login1", MANAGER, "PrepareForSleep", "b", (True,))
            wait_for(lambda: box.status()["suspended"], timeout=10, what="the suspend")
            st = box.status()
            assert st["state"] == "sitting"  # the prompt was withdrawn
            logind.emit("/org/freedesktop/login1", MANAGER, "PrepareForSleep", "b", (False,))
            wait_for(lambda: not box.status()["suspended"], timeout=10, what="the wake-up")
        finally:
            assert stop(proc) == 0
    con = sqlite3.connect(box.history)
    kinds = [r[0] for r in con.execute("SELECT kind FROM events ORDER BY id")]
    con.close()
    assert "natural_break" in kinds

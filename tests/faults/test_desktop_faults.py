"""Issue 11, items 10 and 11: the X server or the session bus dies, or no tray host is there.

Real components: Xvfb, a private dbus-daemon with dunst, trayer as the tray host, and the real
`sitbreak run` process. Each case ends cleanly or degrades, says one line why, and records the
stretch; `tray_docked` in `status --json` follows the tray host.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from jeepney.low_level import Message

from tests.desktop import (
    Bus,
    Display,
    background,
    dbus_session,
    dunst,
    dunst_config,
    require,
    tray_manager_ready,
    wait_for,
    xvfb,
)
from tests.e2e.sitbreak_proc import Sandbox, stop, write_settings
from tests.platform.fake_dbus_service import FakeService
from tray_app.platform.tray.health import no_host_line

pytestmark = [pytest.mark.desktop, pytest.mark.e2e]  # each runs sitbreak itself


@dataclass
class Desk:
    box: Sandbox
    display: Display
    bus: Bus
    proc: subprocess.Popen[str] | None = None

    def start(self, backend: str, *args: str) -> subprocess.Popen[str]:
        self.box.extra_env.update(SITBREAK_TRAY_BACKEND=backend)
        cfg = write_settings(self.box.root / "s.toml", sitting={"break_after": "1h"})
        self.proc = self.box.start("--no-window", "--config", str(cfg), *args)
        self.box.wait_running(self.proc)
        return self.proc

    def kinds(self) -> list[str]:
        con = sqlite3.connect(self.box.history)
        try:
            return [r[0] for r in con.execute("SELECT kind FROM events ORDER BY id")]
        finally:
            con.close()

    def trayer(self) -> contextlib.AbstractContextManager[subprocess.Popen]:
        return background([require("trayer"), "--edge", "top", "--width", "10"],
                          self.display.env())


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    with xvfb() as d, dbus_session() as bus, dunst(d, bus, dunst_config(tmp_path)):
        box = Sandbox(tmp_path, extra_env={"DISPLAY": d.name, "NO_AT_BRIDGE": "1",
                                           "DBUS_SESSION_BUS_ADDRESS": bus.address})
        desk = Desk(box, d, bus)
        try:
            yield desk
        finally:
            if desk.proc is not None:
                stop(desk.proc)


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text and "Exception ignored" not in text, text


# --- item 10: the X server dies ------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["appindicator", "gtk", "xorg"])
def test_x_server_dies_under_the_tray(desk: Desk, backend: str) -> None:
    with desk.trayer():
        wait_for(lambda: tray_manager_ready(desk.display), what="trayer")
        proc = desk.start(backend)
        time.sleep(1.5)
        desk.display.proc.kill()
        assert proc.wait(15) == 0
    out = desk.box.output()
    assert_no_traceback(out)
    lines = [ln for ln in out.splitlines() if "went away" in ln]
    assert len(lines) == 1 and f"the X display {desk.display.name} went away" in lines[0]
    assert "the sitting stretch so far is recorded" in lines[0]
    assert desk.kinds()[-1] == "stretch_ended"


def test_x_server_dies_in_console_mode(desk: Desk) -> None:
    desk.start("xorg", "--console")
    assert desk.box.status()["idle_sees_input"] is True
    desk.display.proc.kill()

    def blind() -> dict | None:
        st = desk.box.status()
        return st if st["idle_sees_input"] is False else None

    wait_for(blind, timeout=20, interval=0.5, what="status to say input is not visible")
    plain = desk.box.cli("status")
    assert plain.returncode == 0 and "counting wall time" in plain.stdout
    out = desk.box.output()
    assert out.count("stopped answering: counting wall time as sitting") == 1, out
    assert desk.box.cli("quit").returncode == 0
    assert desk.proc is not None and desk.proc.wait(15) == 0
    assert desk.kinds()[-1] == "stretch_ended"
    assert_no_traceback(desk.box.output())


# --- item 10: the session D-Bus dies -------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["appindicator", "gtk"])
def test_session_bus_dies_under_a_gtk_tray(desk: Desk, backend: str) -> None:
    with desk.trayer():
        wait_for(lambda: tray_manager_ready(desk.display), what="trayer")
        proc = desk.start(backend)
        time.sleep(1.5)
        os.kill(desk.bus.pid, signal.SIGKILL)
        time.sleep(4)  # it used to exit within 3 s with a GError traceback
        assert proc.poll() is None, desk.box.output()
        assert desk.box.status()["state"] == "sitting"
        out = desk.box.output()
        assert out.count("the session D-Bus went away") == 1, out
        assert desk.box.cli("quit").returncode == 0
        assert proc.wait(15) == 0
    assert_no_traceback(desk.box.output())
    assert desk.kinds()[-1] == "stretch_ended"


# --- item 11: no tray host -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["appindicator", "xorg"])
def test_no_tray_host_is_said_and_tray_docked_follows_the_host(desk: Desk, backend: str) -> None:
    desk.start(backend)
    assert desk.box.status()["tray_docked"] is False
    wait_for(lambda: no_host_line(window=False) in desk.box.output(), timeout=15,
             what="the no-tray line")
    assert desk.box.output().count("no system tray found") == 1
    with desk.trayer():
        wait_for(lambda: desk.box.status()["tray_docked"] is True, timeout=20, interval=0.3,
                 what="tray_docked to turn true")
    # The panel quits: the field follows it back.
    wait_for(lambda: desk.box.status()["tray_docked"] is False, timeout=20, interval=0.3,
             what="tray_docked to turn false")
    assert desk.box.cli("quit").returncode == 0
    assert desk.proc is not None and desk.proc.wait(15) == 0
    assert_no_traceback(desk.box.output())


@pytest.mark.slow
def test_appindicator_counts_a_statusnotifier_host_as_docked(desk: Desk) -> None:
    """KDE or GNOME's AppIndicator extension: no XEmbed tray, a StatusNotifier host instead."""

    def get(msg: Message) -> tuple[str, tuple[tuple[str, bool]]]:
        assert msg.body == ("org.kde.StatusNotifierWatcher", "IsStatusNotifierHostRegistered")
        return "v", (("b", True),)

    with FakeService(desk.bus.address, "org.kde.StatusNotifierWatcher",
                     {("org.freedesktop.DBus.Properties", "Get"): get}):
        desk.start("appindicator")
        assert desk.box.status()["tray_docked"] is True
        time.sleep(6)
        assert "no system tray found" not in desk.box.output()


@pytest.mark.slow
def test_docked_from_the_start_says_nothing(desk: Desk) -> None:
    with desk.trayer():
        wait_for(lambda: tray_manager_ready(desk.display), what="trayer")
        desk.start("xorg")
        assert desk.box.status()["tray_docked"] is True
        time.sleep(6)
        assert "no system tray found" not in desk.box.output()

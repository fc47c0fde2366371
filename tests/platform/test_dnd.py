"""Do-not-disturb: dunst's pause on a private bus, GNOME's show-banners key, the cache."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from jeepney.low_level import Message

from tests.desktop import Bus, Display, dunst, dunst_config, require
from tests.platform.fake_dbus_service import FakeService
from tray_app.platform.dnd.probe import DndProbe


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _fake_gsettings(tmp_path: Path, answer: str) -> Path:
    script = tmp_path / "gsettings"
    script.write_text(f"#!/bin/sh\necho {answer}\n")
    script.chmod(0o755)
    return script


def test_no_bus_and_no_gnome_means_off(tmp_path: Path) -> None:
    probe = DndProbe(env={}, gsettings=str(_fake_gsettings(tmp_path, "true")))
    assert probe.is_on() is False
    assert probe.reason == "off"


def test_answers_are_cached_for_a_few_seconds(tmp_path: Path) -> None:
    clock = FakeClock()
    script = _fake_gsettings(tmp_path, "false")
    probe = DndProbe(env={}, cache_s=5.0, clock=clock, gsettings=str(script))
    assert probe.is_on() is True
    assert probe.reason == "GNOME notification banners are off"
    script.write_text("#!/bin/sh\necho true\n")
    clock.now += 4.9
    assert probe.is_on() is True  # still the cached answer: no subprocess
    clock.now += 0.2
    assert probe.is_on() is False


def test_gsettings_without_the_schema_is_asked_once(tmp_path: Path) -> None:
    script = tmp_path / "gsettings"
    count = tmp_path / "count"
    script.write_text(
        f"#!/bin/sh\necho x >> {count}\n"
        "echo 'No such schema \u201corg.gnome.desktop.notifications\u201d' >&2\nexit 1\n"
    )
    script.chmod(0o755)
    clock = FakeClock()
    probe = DndProbe(env={}, cache_s=1.0, clock=clock, gsettings=str(script))
    for _ in range(3):
        assert probe.is_on() is False
        clock.now += 2
    assert count.read_text().count("x") == 1


@pytest.mark.desktop
def test_real_gsettings_show_banners_off(tmp_path: Path) -> None:
    gsettings = require("gsettings")
    # The keyfile backend keeps the test away from any real dconf database.
    env = dict(os.environ, GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=str(tmp_path))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    key = ["org.gnome.desktop.notifications", "show-banners"]
    probe = DndProbe(env=env, cache_s=0.0)
    assert probe.is_on() is False
    subprocess.run([gsettings, "set", *key, "false"], env=env, check=True, timeout=10)
    assert probe.is_on() is True
    subprocess.run([gsettings, "set", *key, "true"], env=env, check=True, timeout=10)
    assert probe.is_on() is False


@pytest.mark.desktop
def test_dunst_pause_is_do_not_disturb(display: Display, session_bus: Bus, tmp_path: Path) -> None:
    dunstctl = require("dunstctl")
    env = display.env(DBUS_SESSION_BUS_ADDRESS=session_bus.address)
    probe = DndProbe(env=env, cache_s=0.0, gsettings="/nonexistent/gsettings")
    assert probe.is_on() is False  # no notification service yet
    with dunst(display, session_bus, dunst_config(tmp_path)):
        assert probe.is_on() is False
        subprocess.run([dunstctl, "set-paused", "true"], env=env, check=True, timeout=10)
        assert probe.is_on() is True
        assert probe.reason == "dunst is paused"
        subprocess.run([dunstctl, "set-paused", "false"], env=env, check=True, timeout=10)
        assert probe.is_on() is False
    probe.close()


@pytest.mark.desktop
def test_inhibited_notification_service_is_do_not_disturb(session_bus: Bus) -> None:
    # KDE Plasma's notification service exposes `Inhibited`; dunst 1.9 does not.
    inhibited = {"value": True}

    def get(msg: Message) -> tuple[str, tuple[tuple[str, bool]]]:
        interface, name = msg.body
        if (interface, name) != ("org.freedesktop.Notifications", "Inhibited"):
            raise LookupError(f"no property {interface}.{name}")
        return "v", (("b", inhibited["value"]),)

    env = {"DBUS_SESSION_BUS_ADDRESS": session_bus.address}
    probe = DndProbe(env=env, cache_s=0.0, gsettings="/nonexistent/gsettings")
    with FakeService(session_bus.address, "org.freedesktop.Notifications",
                     {("org.freedesktop.DBus.Properties", "Get"): get}):
        assert probe.is_on() is True
        assert probe.reason == "the notification service is inhibited"
        inhibited["value"] = False
        assert probe.is_on() is False
    probe.close()

"""Idle sources against real hosts: Xvfb + xdotool, and stand-in GNOME/KDE services on a bus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from jeepney import HeaderFields
from jeepney.low_level import Message

from tests.desktop import Bus, Display, dbus_session, require, wait_for, xvfb
from tests.platform.fake_dbus_service import FakeService
from tray_app.platform.dbus.client import ReconnectingClient
from tray_app.platform.idle import choose as idle
from tray_app.platform.idle import dbus as idle_dbus
from tray_app.platform.idle import x11 as idle_x11

pytestmark = pytest.mark.desktop



MUTTER = ("org.gnome.Mutter.IdleMonitor", "GetIdletime")
KDE = ("org.freedesktop.ScreenSaver", "GetSessionIdleTime")


def _x11_env(display: Display, bus: Bus | None = None) -> dict[str, str]:
    env = display.env(XDG_SESSION_TYPE="x11")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.pop("XDG_RUNTIME_DIR", None)  # never find the machine's own session bus
    if bus is not None:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.address
    return env


def test_x11_idle_grows_and_input_resets_it(display: Display) -> None:
    require("xdotool")
    source, reason = idle_x11.probe(display.name)
    assert source is not None, reason
    assert (source.name, source.sees_input) == ("x11-screensaver", True)

    def idle_at_least(seconds: float) -> float | None:
        value = source.idle_seconds()
        return value if value is not None and value >= seconds else None

    for i, action in enumerate((["mousemove", "40", "60"], ["key", "shift"])):
        before = wait_for(lambda: idle_at_least(0.8), timeout=10, what=f"idle to grow ({i})")
        display.run("xdotool", *action)
        after = source.idle_seconds()
        assert after is not None and after < before, f"{action} did not reset idle"
    source.close()


def test_detect_picks_x11_screensaver(display: Display) -> None:
    source, reason = idle.detect(_x11_env(display), platform="linux")
    assert source.name == "x11-screensaver"
    assert "MIT-SCREEN-SAVER" in reason
    assert source.idle_seconds() is not None


def test_without_the_extension_detect_falls_back(session_bus: Bus) -> None:
    with xvfb("-extension", "MIT-SCREEN-SAVER") as bare:
        source, reason = idle.detect(_x11_env(bare, session_bus), platform="linux")
    assert source.name == "fallback" and not source.sees_input
    assert source.idle_seconds() == 0.0
    assert "no MIT-SCREEN-SAVER extension" in reason
    assert "GNOME Mutter IdleMonitor not available" in reason
    assert reason.endswith("counting wall time")


@pytest.fixture
def mutter(session_bus: Bus) -> Iterator[tuple[FakeService, dict[str, int]]]:
    """A stand-in Mutter; tests change its answer through the returned dict."""
    idle_ms = {"value": 4_500}
    with FakeService(session_bus.address, "org.gnome.Mutter.IdleMonitor",
                     {MUTTER: lambda _msg: ("t", (idle_ms["value"],))}) as service:
        yield service, idle_ms


def test_gnome_mutter_idle_source(
    session_bus: Bus, mutter: tuple[FakeService, dict[str, int]]
) -> None:
    service, idle_ms = mutter
    env = {"DBUS_SESSION_BUS_ADDRESS": session_bus.address, "XDG_SESSION_TYPE": "wayland",
           "DISPLAY": ":0"}  # XWayland's DISPLAY must not lure detect() into X11
    source, reason = idle.detect(env, platform="linux")
    assert (source.name, source.sees_input) == ("gnome-mutter", True)
    assert reason == "GNOME Mutter IdleMonitor over D-Bus"
    assert source.idle_seconds() == 4.5
    idle_ms["value"] = 120
    assert source.idle_seconds() == 0.12
    assert ("/org/gnome/Mutter/IdleMonitor/Core", *MUTTER) in service.calls


def test_freedesktop_screensaver_on_the_kde_path(session_bus: Bus) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": session_bus.address, "XDG_SESSION_TYPE": "wayland"}
    # This stand-in answers only on the short path, like some KDE versions.
    def answer(msg: Message) -> tuple[str, tuple[int]]:
        if msg.header.fields[HeaderFields.path] != "/ScreenSaver":
            raise LookupError("no such object")
        return "u", (12_000,)

    with FakeService(session_bus.address, "org.freedesktop.ScreenSaver", {KDE: answer}):
        source, reason = idle.detect(env, platform="linux")
        assert source.name == "freedesktop-screensaver"
        assert "GNOME Mutter IdleMonitor not available" not in reason  # reason is the winner's
        assert source.idle_seconds() == 12.0
        assert isinstance(source, idle_dbus.DBusIdleSource) and source.path == "/ScreenSaver"
    # The service left: no answer, but no exception either.
    assert source.idle_seconds() is None


def test_dbus_source_recovers_when_the_service_comes_back(session_bus: Bus) -> None:
    client = ReconnectingClient(session_bus.address)
    with FakeService(session_bus.address, "org.gnome.Mutter.IdleMonitor",
                     {MUTTER: lambda _m: ("t", (1_000,))}):
        source, _why = idle_dbus.probe(idle_dbus.GNOME_MUTTER, {}, client=client)
        assert source is not None and source.idle_seconds() == 1.0
    assert source.idle_seconds() is None
    with FakeService(session_bus.address, "org.gnome.Mutter.IdleMonitor",
                     {MUTTER: lambda _m: ("t", (3_000,))}):
        assert source.idle_seconds() == 3.0
    source.close()


def test_dbus_source_survives_the_bus_dying() -> None:
    with dbus_session() as bus, FakeService(bus.address, "org.gnome.Mutter.IdleMonitor",
                                            {MUTTER: lambda _m: ("t", (1_000,))}):
        source, _why = idle_dbus.probe(idle_dbus.GNOME_MUTTER,
                                       {"DBUS_SESSION_BUS_ADDRESS": bus.address})
        assert source is not None and source.idle_seconds() == 1.0
    wait_for(lambda: source.idle_seconds() is None, timeout=5, what="the dead bus to show")

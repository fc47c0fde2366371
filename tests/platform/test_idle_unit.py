"""Idle sources without a desktop: arithmetic with the OS calls injected, and detect() rules."""

from __future__ import annotations

import math

from tray_app.platform.idle import choose as idle
from tray_app.platform.idle import macos as idle_macos
from tray_app.platform.idle import windows as idle_windows
from tray_app.platform.idle.fallback import FallbackIdleSource
from tray_app.platform.idle.macos import MacIdleSource
from tray_app.platform.idle.windows import WindowsIdleSource
from tray_app.platform.idle.x11 import X11IdleSource
from tray_app.platform.session.kind import is_wayland, x11_display


def test_fallback_counts_everything_as_sitting() -> None:
    source = FallbackIdleSource()
    assert (source.name, source.sees_input) == ("fallback", False)
    assert source.idle_seconds() == 0.0


def test_windows_idle_is_tick_difference_in_seconds() -> None:
    source = WindowsIdleSource(last_input_tick=lambda: 1_000, tick_count64=lambda: 4_500)
    assert (source.name, source.sees_input) == ("windows", True)
    assert source.idle_seconds() == 3.5


def test_windows_idle_survives_the_32_bit_tick_wrap() -> None:
    # 50 days of uptime: GetTickCount64 is past 2**32 while dwTime has wrapped to a small value.
    now = 50 * 86_400_000
    last = (now - 2_000) % 2**32
    assert idle_windows.idle_ms(last, now) == 2_000
    assert WindowsIdleSource(lambda: last, lambda: now).idle_seconds() == 2.0


def test_windows_failed_call_gives_none() -> None:
    assert WindowsIdleSource(lambda: None, lambda: 10).idle_seconds() is None

    def broken() -> int:
        raise OSError("no user32")

    assert WindowsIdleSource(broken, lambda: 10).idle_seconds() is None


def test_macos_idle_passes_seconds_through_and_rejects_junk() -> None:
    assert MacIdleSource(lambda: 12.25).idle_seconds() == 12.25
    assert MacIdleSource(lambda: math.nan).idle_seconds() is None
    assert MacIdleSource(lambda: -1.0).idle_seconds() is None
    assert idle_macos.clean_seconds(0.0) == 0.0


def test_detect_on_windows_and_macos_without_their_os_falls_back() -> None:
    # On Linux the real calls fail (no windll, no CoreGraphics): detect must not raise.
    for platform, why in (("win32", "GetLastInputInfo"), ("darwin", "CGEventSource")):
        source, reason = idle.detect({}, platform=platform)
        assert source.name == "fallback"
        assert why in reason and "counting wall time" in reason


def test_detect_without_display_or_bus_says_why() -> None:
    source, reason = idle.detect({}, platform="linux")
    assert source.name == "fallback"
    assert reason.startswith("no idle source found (")
    assert "no DISPLAY" in reason and "no session bus" in reason


def test_wayland_never_uses_x11() -> None:
    env = {"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}
    assert is_wayland(env) and x11_display(env) is None
    _source, reason = idle.detect(env, platform="linux")
    assert "skipped in a Wayland session" in reason
    assert x11_display({"DISPLAY": ":3", "XDG_SESSION_TYPE": "x11"}) == ":3"
    assert is_wayland({"WAYLAND_DISPLAY": "wayland-0"})
    assert not is_wayland({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"})


class _FakeRoot:
    def __init__(self, idle_ms: int) -> None:
        self.idle_ms = idle_ms

    def screensaver_query_info(self) -> object:
        return type("Reply", (), {"idle": self.idle_ms})()


class _FakeDisplay:
    def __init__(self, idle_ms: int, broken: bool = False) -> None:
        self.root = _FakeRoot(idle_ms)
        self.broken = broken
        self.closed = False

    def screen(self) -> object:
        if self.broken:
            raise ConnectionResetError("X server went away")
        return type("Screen", (), {"root": self.root})()

    def close(self) -> None:
        self.closed = True


def test_x11_source_reconnects_after_an_error() -> None:
    dead = _FakeDisplay(0, broken=True)
    opened: list[str] = []

    def opener(name: str) -> _FakeDisplay:
        opened.append(name)
        return _FakeDisplay(2_500)

    source = X11IdleSource(":9", opener=opener, display=dead)
    assert source.idle_seconds() == 2.5
    assert dead.closed and opened == [":9"]
    assert source.idle_seconds() == 2.5 and opened == [":9"]  # the new connection is kept


def test_x11_source_gives_none_when_the_server_stays_away() -> None:
    def opener(name: str) -> _FakeDisplay:
        raise ConnectionRefusedError(name)

    assert X11IdleSource(":9", opener=opener).idle_seconds() is None

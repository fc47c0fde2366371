"""Idle on a real Wayland compositor: sway 1.7 offers org_kde_kwin_idle (ext-idle-notify came in
sway 1.8; tests/wayland_desktop/test_kwin.py checks that one on KWin). Input is a virtual
pointer, which is real input to the compositor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.wayland import Sway
from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.platform.idle import choose as idle
from tray_app.platform.idle import wayland as idle_wayland

pytestmark = pytest.mark.desktop
ROOT = Path(__file__).resolve().parents[2]


def idle_then_input(sway: Sway, source: idle_wayland.EventIdleSource, rounds: int = 2) -> None:
    """No input: idle grows past the step; a pointer move: back under it. Twice."""
    for i in range(rounds):
        def grown() -> float | None:
            value = source.idle_seconds()
            return value if value is not None and value >= idle_wayland.STEP_S + 0.3 else None

        wait_for(grown, timeout=10, what=f"idle to grow ({i})")
        sway.move_pointer(5, 3)
        wait_for(lambda: source.idle_seconds() == 0.0, timeout=5,
                 what=f"the pointer move to reset idle ({i})")
        assert source.sees_input


@pytest.mark.slow
def test_kde_idle_on_sway_sees_no_input_then_a_pointer_move(sway: Sway) -> None:
    source, why = idle_wayland.probe(sway.env)
    assert source is not None, why
    assert source.name == "wayland-kde-idle" and "org_kde_kwin_idle" in why
    assert source.idle_seconds() == 0.0
    idle_then_input(sway, source)


def test_detect_on_sway_picks_the_compositor_protocol(sway: Sway) -> None:
    source, why = idle.detect(sway.env, platform="linux")
    assert source.name == "wayland-kde-idle", why
    assert source.sees_input


def test_sway_started_from_a_text_console_is_still_wayland(sway: Sway) -> None:
    # logind's type for a console login stays; XWayland's DISPLAY is set too.
    env = dict(sway.env_with_x(), XDG_SESSION_TYPE="tty")
    source, why = idle.detect(env, platform="linux")
    assert source.name == "wayland-kde-idle", why
    assert fullscreen.detect(env, platform="linux") is not None


@pytest.mark.slow
def test_swayidle_fallback_on_sway(sway: Sway) -> None:
    source, why = idle_wayland.probe_swayidle(sway.env)
    assert source is not None, why
    try:
        idle_then_input(sway, source)
    finally:
        source.close()
    wait_for(lambda: source.idle_seconds() is None, timeout=5, what="swayidle's exit to show")
    assert not source.sees_input


def test_compositor_gone_is_said_not_counted_as_sitting(sway: Sway, tmp_path) -> None:
    source, why = idle_wayland.probe(sway.env)
    assert source is not None, why
    told: list[str] = []
    source.visibility.on_change = told.append
    subprocess.run(["swaymsg", "exit"], env=sway.env, capture_output=True, check=False)
    wait_for(lambda: source.idle_seconds() is None, timeout=10, what="the lost compositor")
    assert not source.sees_input and "stopped answering" in told[0]


def test_without_wayland_display_detect_says_why(sway: Sway) -> None:
    env: dict[str, str] = dict(sway.env, WAYLAND_DISPLAY="wayland-nothing-here")
    env["PATH"] = "/nonexistent"  # no swayidle either
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"
    source, why = idle.detect(env, platform="linux")
    assert source.name == "fallback"
    assert "cannot connect" in why and "swayidle: not installed" in why




def test_swayidle_ends_with_the_process_that_started_it(sway: Sway) -> None:
    code = ("import os; from tray_app.platform.idle import wayland as w; "
            "s, why = w.probe_swayidle(os.environ); print(s.proc.pid if s else why)")
    out = subprocess.run([sys.executable, "-c", code], env=sway.env, cwd=ROOT,
                         capture_output=True, text=True, timeout=30, check=True)
    pid = int(out.stdout)
    with pytest.raises(ProcessLookupError):  # gone at once, not at its next event
        os.kill(pid, 0)

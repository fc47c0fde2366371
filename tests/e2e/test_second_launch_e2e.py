"""Issue 25 bug 8: launching sitbreak while it runs (the menu, autostart) showed nothing but a
line on stderr. Now the running one shows itself: the break window if a break is on, else a
notification with its status."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop import Display, wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.e2e.test_break_window_e2e import visible_windows

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_second_launch_shows_the_status_in_a_notification(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    cfg = quick_settings(tmp_path / "s.toml", break_after="50m")
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        second = box.cli("run", "--console", "--config", str(cfg))
        assert second.returncode == 1
        assert f"sitbreak is already running (pid {proc.pid})" in second.stderr
        assert "showed its status in a notification: Sitting" in second.stderr
        # the console notifier prints what a desktop would show
        wait_for(lambda: "sitbreak is already running" in box.output(), timeout=10,
                 what="the notification in the running app")
        assert "It shows no tray icon here (console mode" in box.output()
    finally:
        assert stop(proc) == 0


@pytest.mark.desktop
def test_a_second_launch_during_a_break_brings_the_window_up(tmp_path: Path,
                                                            display: Display) -> None:
    box = Sandbox(tmp_path, extra_env={"DISPLAY": display.name})
    settings = quick_settings(tmp_path / "due.toml", break_after="2s")
    proc = box.start("--console", "--config", str(settings))
    try:
        box.wait_running(proc)
        wait_for(lambda: visible_windows(display), timeout=20, what="the break window")
        again = box.cli("run", "--console", "--config", str(settings))
        assert again.returncode == 1
        assert "brought its break window to the front" in again.stderr, again.stderr
        assert visible_windows(display)
    finally:
        assert stop(proc) == 0

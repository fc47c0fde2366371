"""The running app's notifications in a real dunst: content, and answering them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.desktop import Display, dbus_session, dunst, dunst_config, require, wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop

pytestmark = [pytest.mark.desktop, pytest.mark.e2e]  # Xvfb, dunst or a private D-Bus

PICK_SNOOZE = """#!/bin/sh
# Stands in for dmenu: dunst writes one line per action; pick sitbreak's snooze.
grep 'snooze-60' | head -n 1
"""


def dunstctl(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(["dunstctl", *args], env=env, capture_output=True, text=True,
                         timeout=10, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.slow
def test_snooze_from_the_notification(tmp_path: Path, display: Display) -> None:
    require("dunstctl")
    require("dbus-monitor")
    script = tmp_path / "pick"
    script.write_text(PICK_SNOOZE)
    script.chmod(0o755)
    with dbus_session() as bus, dunst(display, bus, dunst_config(tmp_path, str(script))):
        env = display.env(DBUS_SESSION_BUS_ADDRESS=bus.address)
        monitor = subprocess.Popen(
            ["dbus-monitor", "--address", bus.address,
             "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        box = Sandbox(tmp_path, extra_env={"DBUS_SESSION_BUS_ADDRESS": bus.address})
        cfg = quick_settings(tmp_path / "s.toml",
                             snooze={"options": ["1m"], "max_per_break": 2})
        proc = box.start("--no-window", "--console", "--config", str(cfg))
        try:
            box.wait_running(proc)
            assert box.status()["notifications"].startswith("freedesktop")
            box.wait_state("break_due", timeout=20)
            wait_for(lambda: dunstctl(env, "count", "displayed").strip() == "1", timeout=10,
                     what="dunst to show the break notification")
            dunstctl(env, "context")  # the stand-in dmenu picks "Snooze 1 min"
            box.wait_state("snoozed", timeout=10)
        finally:
            assert stop(proc) == 0
            monitor.terminate()
        captured = monitor.communicate(timeout=10)[0]
    assert 'string "sitbreak"' in captured  # app name
    assert 'string "Time to move"' in captured  # summary
    assert "You have been sitting for" in captured  # body
    for action in ('string "start"', 'string "Start break"', 'string "snooze-60"',
                   'string "Snooze 1 min"', 'string "skip"'):
        assert action in captured
    assert "sitbreak-256.png" in captured  # the app icon


def test_status_says_when_the_daemon_dies(tmp_path: Path, display: Display) -> None:
    """Issue 26: after the notification daemon died, `status` still said it was running."""
    with dbus_session() as bus:
        box = Sandbox(tmp_path, extra_env={"DBUS_SESSION_BUS_ADDRESS": bus.address})
        with dunst(display, bus, dunst_config(tmp_path)) as daemon:
            proc = box.start("--no-window", "--config", str(quick_settings(tmp_path / "s.toml")))
            try:
                box.wait_running(proc)
                assert box.status()["notifications"].endswith("(running)")
                daemon.kill()
                daemon.wait(5)
                wait_for(lambda: "(running)" not in box.status()["notifications"],
                         what="status to say the daemon went")
                status = box.status()
                assert "notification daemon" in status["notifications"]
                assert status["notifier"]["ok"] is False
            except BaseException:
                stop(proc)
                raise
        try:
            # dunst is D-Bus activatable on this bus: the next notification may bring it back;
            # a daemon that takes the name makes status true again.
            with dunst(display, bus, dunst_config(tmp_path)):
                wait_for(lambda: box.status()["notifier"]["ok"], what="status to see it back")
                assert box.status()["notifications"].endswith("(running)")
        finally:
            assert stop(proc) == 0

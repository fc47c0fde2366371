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

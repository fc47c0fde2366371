"""No tray host at all: one clear line and a status that says why, not a traceback per try.

Issue 22, item 3: the XEmbed icon with no tray to dock in (a Wayland panel through XWayland)
wrote 30 "Failed to dock icon" tracebacks in 11 minutes of log: one for every docking retry
and every picture change. Reproduced on Xvfb with nothing owning the tray selection.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop import dbus_session, wait_for, xvfb
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]


def test_xorg_icon_without_a_tray_logs_no_tracebacks(tmp_path: Path) -> None:
    with xvfb() as display, dbus_session() as bus:
        box = Sandbox(tmp_path / "box", extra_env={
            "DISPLAY": display.name, "DBUS_SESSION_BUS_ADDRESS": bus.address,
            "SITBREAK_TRAY_BACKEND": "xorg"})
        proc = box.start("--config", str(quick_settings(tmp_path / "s.toml", "20m")))
        try:
            box.wait_running(proc)
            st = wait_for(lambda: (s := box.status()).get("tray_problem") and s, timeout=15,
                          interval=0.3, what="status to say why there is no icon")
            assert st["tray_docked"] is False and "no system tray found" in st["tray_problem"]
            for command in ("pause", "resume", "pause"):  # each changes the picture
                args = (command, "30m") if command == "pause" else (command,)
                assert box.cli(*args).returncode == 0
            wait_for(lambda: box.status()["state"] == "paused", what="paused")
        finally:
            assert stop(proc) == 0
    log = next((box.root / "state").rglob("sitbreak.log")).read_text()
    assert "Failed to dock icon" not in log
    assert "Traceback" not in log and "Traceback" not in box.output()
    assert log.count("no system tray found") == 1
    assert box.output().count("no system tray found") == 1

"""Do-not-disturb of the Wayland notifiers, run for real on headless sway: mako's mode, swaync."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.desktop import require, wait_for
from tests.wayland import Sway, name_has_owner, sway_desktop
from tray_app.platform.dnd.probe import DndProbe

pytestmark = pytest.mark.desktop


def test_mako_do_not_disturb_mode(sway: Sway) -> None:
    probe = DndProbe(sway.env, cache_s=0)
    try:
        assert probe.is_on() is False
        sway.makoctl("mode", "-a", "do-not-disturb")
        assert probe.is_on() is True
        assert probe.reason == "mako is in its do-not-disturb mode"
        sway.makoctl("mode", "-r", "do-not-disturb")
        assert probe.is_on() is False
        sway.makoctl("mode", "-a", "away")  # another mode of the user's is not do-not-disturb
        assert probe.is_on() is False
    finally:
        probe.close()


def test_swaync_do_not_disturb(tmp_path: Path) -> None:
    with sway_desktop(tmp_path, mako=False) as sway:
        (tmp_path / "swaync").mkdir()
        sway.start([require("swaync")], env=dict(sway.env, XDG_CONFIG_HOME=str(tmp_path)))
        wait_for(lambda: name_has_owner(sway.env, "org.erikreider.swaync.cc"), timeout=20,
                 what="swaync to own its name")
        probe = DndProbe(sway.env, cache_s=0)
        try:
            assert probe.is_on() is False
            subprocess.run([require("swaync-client"), "--dnd-on"], env=sway.env, check=True,
                           capture_output=True, timeout=10)
            assert probe.is_on() is True
            assert probe.reason == "swaync's do-not-disturb is on"
            subprocess.run([require("swaync-client"), "--dnd-off"], env=sway.env, check=True,
                           capture_output=True, timeout=10)
            assert probe.is_on() is False
        finally:
            probe.close()

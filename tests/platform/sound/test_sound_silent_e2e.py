"""Where no player reaches a sound server, the app runs silent and `status` says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox, stop

pytestmark = pytest.mark.e2e


def test_without_a_player_the_app_runs_silent_and_says_why(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, extra_env={"PATH": str(tmp_path / "no-programs")})
    proc = box.start("--console")
    try:
        box.wait_running(proc)
        sound = box.status()["sound"]
    finally:
        stop(proc)
    assert sound["player"] is None
    assert sound["why"].startswith("silent: pw-play not installed; paplay not installed; "
                                   "canberra-gtk-play not installed; aplay not installed"), sound
    assert sound["why"].endswith("(install pipewire-bin, pulseaudio-utils or alsa-utils)")

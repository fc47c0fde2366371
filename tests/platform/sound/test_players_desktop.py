"""Every player sitbreak knows, heard on the test sound server at two volumes: the level must
scale with the volume setting whichever program plays (pw-play and paplay take a linear
factor, canberra-gtk-play decibels, aplay samples scaled by sitbreak)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import Display, xvfb
from tests.platform.sound.server import SoundServer, need, sound_server
from tray_app.platform.sound import choose
from tray_app.platform.sound.player import SoundPlayer
from tray_app.platform.sound.players import APLAY, CANBERRA, PAPLAY, PW_PLAY, Backend
from tray_app.support.resources import SOUNDS, packaged

pytestmark = [pytest.mark.desktop, pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SoundServer]:
    with sound_server(tmp_path) as s:
        yield s


def level(server: SoundServer, root: Path, backend: Backend, volume: float,
          env: dict[str, str]) -> tuple[float, str]:
    """The RMS of the step cue played by `backend` at `volume`, and what the player said."""
    program = need(backend.name) if backend is not CANBERRA else shutil.which(backend.name)
    if program is None:
        pytest.fail("canberra-gtk-play is not installed: apt-get install gnome-session-canberra")
    player = SoundPlayer([(backend, program)], backend.name, packaged(SOUNDS), env)
    with server.recording(root / f"{backend.name}-{volume}.raw") as rec:
        asked = time.time()
        player.play("step", volume)
        proc = player._running[0][0]
        proc.wait(10)
        time.sleep(0.3)
    assert proc.returncode == 0, player.status()
    return rec.rms(asked, asked + 1.0), player.last or ""


def test_each_player_is_heard_and_follows_the_volume(server: SoundServer,
                                                     tmp_path: Path) -> None:
    env = {**os.environ, **server.env}
    env.pop("DISPLAY", None)
    found, why = choose.usable(env, "linux")
    names = [b.name for b, _ in found]
    assert names[:3] == ["pw-play", "paplay", "aplay"], why  # aplay: ALSA routed to PipeWire
    results = {}
    with xvfb() as display:
        for backend in (PW_PLAY, PAPLAY, APLAY, CANBERRA):
            run_env = Display.env(display, **server.env) if backend is CANBERRA else env
            loud, said = level(server, tmp_path, backend, 1.0, run_env)
            quiet, _ = level(server, tmp_path, backend, 0.25, run_env)
            results[backend.name] = (loud, quiet, said)
    for name, (loud, _, said) in results.items():
        assert loud > 0.005, (name, results)
        assert said.startswith("step: "), said
    # pw-play's volume and aplay's scaled samples are what sitbreak sets. paplay's and
    # canberra's stream volume is the client's on PulseAudio, but pipewire-pulse (0.3.65) gives
    # a stream the volume last kept for its role instead: those two are only heard here.
    for name in ("pw-play", "aplay"):
        loud, quiet, _ = results[name]
        assert 0.2 < quiet / loud < 0.3, (name, results)  # a quarter
    # Theme sounds for the players that read Ogg, the shipped WAV for aplay.
    assert "bell.oga (freedesktop sound theme)" in results["pw-play"][2]
    assert "sitbreak-step.wav (shipped with sitbreak)" in results["aplay"][2]


def test_a_quiet_cue_leaves_other_programs_sounds_as_loud_as_they_were(
        server: SoundServer, tmp_path: Path) -> None:
    """The session manager keeps a volume per media role: sitbreak's cue at 25% must not set
    the volume of the user's music or of other programs' event sounds."""
    env = {**os.environ, **server.env}
    bell = "/usr/share/sounds/freedesktop/stereo/bell.oga"

    def other(role: str) -> float:
        with server.recording(tmp_path / f"{role}.raw") as rec:
            asked = time.time()
            subprocess.run([need("paplay"), f"--property=media.role={role}", bell], env=env,
                           check=True, timeout=10)
            time.sleep(0.2)
        return rec.rms(asked, asked + 1.0)

    before = {role: other(role) for role in ("music", "event")}
    for backend in (PW_PLAY, PAPLAY):
        level(server, tmp_path, backend, 0.25, env)
    after = {role: other(role) for role in ("music", "event")}
    for role in before:
        assert after[role] > 0.8 * before[role], (role, before, after)

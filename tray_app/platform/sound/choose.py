"""Pick how to play sounds here: `detect(env) -> SoundPlayer`, silent with a reason if nothing fits.

A player counts only when its sound server is reachable: PipeWire's socket for `pw-play`,
PulseAudio's (or pipewire-pulse's) for `paplay`, either of them or an ALSA card for
`canberra-gtk-play` (which also needs a display), an ALSA playback device for `aplay`.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from tray_app.platform.session.kind import pipewire_socket, pulse_server
from tray_app.platform.sound.player import SoundPlayer
from tray_app.platform.sound.players import AFPLAY, APLAY, CANBERRA, PAPLAY, PW_PLAY, Backend

log = logging.getLogger(__name__)

ALSA_PCM = Path("/proc/asound/pcm")
# ALSA's default device handed to a sound server (pipewire-alsa, or PulseAudio's ALSA plugin):
# then aplay plays through that server even on a machine without a sound card of its own.
ALSA_TO_SERVER = {"pipewire": (Path("/etc/alsa/conf.d/99-pipewire-default.conf"),),
                  "pulse": (Path("/etc/alsa/conf.d/99-pulse.conf"),
                            Path("/usr/share/alsa/alsa.conf.d/99-pulse.conf"))}


def alsa_playback(pcm: Path = ALSA_PCM) -> bool:
    """Whether the kernel lists a sound card that plays (ALSA)."""
    try:
        return "playback" in pcm.read_text()
    except OSError:
        return False


def alsa_routed(pipewire: bool, pulse: bool) -> bool:
    """Whether ALSA's default device goes to a sound server that is reachable here."""
    return any(path.exists() for name, reachable in (("pipewire", pipewire), ("pulse", pulse))
               if reachable for path in ALSA_TO_SERVER[name])


def usable(env: Mapping[str, str], platform: str = sys.platform,
           which: Callable[[str], str | None] | None = None,
           alsa: Callable[[], bool] = alsa_playback,
           routed: Callable[[bool, bool], bool] = alsa_routed,
           ) -> tuple[list[tuple[Backend, str]], str]:
    """The players that can reach a sound server here, best first, and a line saying why."""
    def find(name: str) -> str | None:
        return which(name) if which is not None else shutil.which(name, path=env.get("PATH"))

    if platform == "darwin":
        program = find("afplay")
        return ([(AFPLAY, program)], "afplay") if program else ([], "silent: no afplay found")
    if platform == "win32":
        return [], "silent: sounds are not played on Windows yet"
    pipewire, pulse = pipewire_socket(env), pulse_server(env)
    card = alsa() or routed(pipewire is not None, pulse is not None)
    display = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    reachable = {
        PW_PLAY.name: (pipewire is not None, "no PipeWire socket"),
        PAPLAY.name: (pulse is not None, "no PulseAudio server"),
        CANBERRA.name: ((pipewire or pulse or card) and display,
                        "no sound server or no display"),
        APLAY.name: (card, "no ALSA playback device, nor ALSA routed to a sound server"),
    }
    found: list[tuple[Backend, str]] = []
    missing: list[str] = []
    for backend in (PW_PLAY, PAPLAY, CANBERRA, APLAY):
        program = find(backend.name)
        ok, why_not = reachable[backend.name]
        if program is None:
            missing.append(f"{backend.name} not installed")
        elif not ok:
            missing.append(f"{backend.name}: {why_not}")
        else:
            found.append((backend, program))
    if not found:
        return [], "silent: " + "; ".join(missing) + \
            " (install pipewire-bin, pulseaudio-utils or alsa-utils)"
    first = found[0][0]
    where = str(pipewire) if first is PW_PLAY else pulse if first is PAPLAY else first.server
    return found, f"{first.name} through {first.server} ({where})"


def detect(env: Mapping[str, str] = os.environ, shipped: Path | None = None,
           platform: str = sys.platform) -> SoundPlayer:
    """A player for this desktop; one that stays silent (saying why) when none fits."""
    try:
        backends, why = usable(env, platform)
    except Exception as exc:  # never keep the app from starting over a sound
        log.exception("choosing a sound player failed")
        backends, why = [], f"silent: choosing a player failed ({exc})"
    log.info("sound: %s", why)
    return SoundPlayer(backends, why, shipped, env)

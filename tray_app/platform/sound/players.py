"""The programs that play a sound file, and how each is told the volume.

Each is a command line the desktop already has: PipeWire's `pw-play`, PulseAudio's `paplay`
(also served by pipewire-pulse), libcanberra's `canberra-gtk-play`, ALSA's `aplay` (WAV only,
the volume applied to the samples), macOS's `afplay`. `choose.py` picks the first that can
reach a sound server here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Command:
    argv: list[str]
    stdin: bytes | None = None  # sound data fed on standard input (aplay)


@dataclass(frozen=True)
class Backend:
    name: str  # the program, as `status` shows it
    server: str  # what it plays through, for messages
    plays_ogg: bool  # False: only the shipped WAV files
    build: Callable[[str, Path, float, bytes | None], Command]  # (program, file, volume, wav)


# The streams' media role. The session manager (WirePlumber, PulseAudio's stream-restore) keeps
# the last volume per role: with a shared role ("Music", pw-play's default, or "event") the cue's
# volume became the volume of the user's music or notification sounds (measured: a 25% cue, then
# another program's music stream at 25%). A role of sitbreak's own keeps it to sitbreak.
ROLE = "sitbreak"


def _pw_play(program: str, path: Path, volume: float, _wav: bytes | None) -> Command:
    return Command([program, f"--media-role={ROLE}", f"--volume={volume:.3f}", str(path)])


def _paplay(program: str, path: Path, volume: float, _wav: bytes | None) -> Command:
    # PA_VOLUME_NORM is 65536 (100%).
    return Command([program, f"--volume={round(volume * 65536)}",
                    f"--property=media.role={ROLE}", str(path)])


def _canberra(program: str, path: Path, volume: float, _wav: bytes | None) -> Command:
    db = 20 * math.log10(volume) if volume > 0 else -120.0
    return Command([program, "-f", str(path), f"--volume={db:.1f}",
                    f"--property=media.role={ROLE}", "-d", "sitbreak break cue"])


def _aplay(program: str, path: Path, volume: float, wav: bytes | None) -> Command:
    if wav is None:
        return Command([program, "-q", str(path)])
    return Command([program, "-q", "-"], stdin=wav)


def _afplay(program: str, path: Path, volume: float, _wav: bytes | None) -> Command:
    return Command([program, "-v", f"{volume:.3f}", str(path)])


PW_PLAY = Backend("pw-play", "PipeWire", True, _pw_play)
PAPLAY = Backend("paplay", "PulseAudio", True, _paplay)
CANBERRA = Backend("canberra-gtk-play", "libcanberra", True, _canberra)
APLAY = Backend("aplay", "ALSA", False, _aplay)
AFPLAY = Backend("afplay", "macOS", True, _afplay)

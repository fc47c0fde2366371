"""The shipped sounds: short tones drawn as 16-bit mono WAV, and the volume applied to them.

`scripts/make_sounds.py` writes `tray_app/data/sounds/*.wav` from `tone()`; the files are
byte-for-byte the same on every run, so a test compares the shipped ones with a fresh draw. A
player without a volume option (ALSA's `aplay`) gets the samples scaled by `scaled()`.
"""

from __future__ import annotations

import array
import io
import math
import sys
import wave
from collections.abc import Sequence

RATE = 22050
PEAK = 0.6  # of full scale: loud enough across a room at volume 100 without clipping
FADE_S = 0.012  # ramps at both ends of a note, so it starts and stops without a click

# Each cue as notes: (frequency in Hz, seconds). Rising for the start, one short note per
# step, a falling-then-resolving three for the end, so the three are told apart by ear.
NOTES: dict[str, tuple[tuple[float, float], ...]] = {
    "start": ((659.25, 0.16), (880.0, 0.26)),
    "step": ((987.77, 0.14),),
    "end": ((880.0, 0.14), (698.46, 0.14), (1046.5, 0.32)),
}


def tone(notes: Sequence[tuple[float, float]], rate: int = RATE) -> bytes:
    """A WAV file of `notes` played in turn: sine plus a soft octave, each faded in and out."""
    samples = array.array("h")
    for freq, seconds in notes:
        n = int(seconds * rate)
        fade = max(1, int(FADE_S * rate))
        for i in range(n):
            t = i / rate
            edge = min(1.0, i / fade, (n - 1 - i) / fade)
            decay = math.exp(-2.5 * t / seconds)
            v = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            samples.append(round(32767 * PEAK / 1.3 * edge * decay * v))
    return _wav(samples, rate)


def _wav(samples: array.array, rate: int) -> bytes:
    if sys.byteorder != "little":
        samples = array.array("h", samples)
        samples.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return out.getvalue()


def scaled(data: bytes, volume: float) -> bytes:
    """A 16-bit PCM WAV file with every sample times `volume` (0..1)."""
    with wave.open(io.BytesIO(data), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError("only 16-bit WAV files can be scaled")
        channels, rate, frames = w.getnchannels(), w.getframerate(), w.readframes(w.getnframes())
    samples = array.array("h", frames)
    if sys.byteorder != "little":
        samples.byteswap()
    factor = max(0.0, min(1.0, volume))
    samples = array.array("h", (round(s * factor) for s in samples))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        if sys.byteorder != "little":
            samples.byteswap()
        w.writeframes(samples.tobytes())
    return out.getvalue()

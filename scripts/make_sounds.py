"""Regenerate the shipped sounds in tray_app/data/sounds/ from tray_app.platform.sound.wave.

Usage: python scripts/make_sounds.py [--out DIR]

They are played where the desktop has no freedesktop sound theme. The output is the same on
every run, so the committed files can be checked against a fresh one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run as a plain script from a checkout

from tray_app.platform.sound.wave import NOTES, tone  # noqa: E402

OUT = REPO / "tray_app" / "data" / "sounds"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write (default {OUT})")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for cue, notes in NOTES.items():
        path = args.out / f"sitbreak-{cue}.wav"
        path.write_bytes(tone(notes))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

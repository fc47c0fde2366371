"""Draw docs/exercises.png: every built-in exercise's pictures with its name beneath.

Run: .venv/bin/python scripts/make_contact_sheet.py [--all-frames] [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tray_app.core.model import ExerciseSettings  # noqa: E402
from tray_app.exercises.loader import load_catalogue  # noqa: E402
from tray_app.exercises.pictures import frames  # noqa: E402

TILE, LABEL, COLUMNS = 220, 30, 6
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu when installed, else Pillow's built-in font."""
    try:
        return ImageFont.truetype(FONT_FILE, size)
    except OSError:
        return ImageFont.load_default(size)


def main(argv: list[str] | None = None) -> int:
    """Write the contact sheet and print its path."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "exercises.png")
    parser.add_argument("--all-frames", action="store_true", help="every frame, not just the first")
    args = parser.parse_args(argv)
    everything = ExerciseSettings(places=("chair", "standing", "floor"))
    tiles: list[tuple[Image.Image, str]] = []
    for exercise in load_catalogue(everything):
        pictures = frames(exercise, TILE)
        for index, picture in enumerate(pictures if args.all_frames else pictures[:1]):
            label = exercise.name if not args.all_frames else f"{exercise.name} {index + 1}"
            tiles.append((picture, label))
    rows = -(-len(tiles) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * TILE, rows * (TILE + LABEL)), "white")
    draw = ImageDraw.Draw(sheet)
    small = font(12)
    for n, (picture, label) in enumerate(tiles):
        x, y = (n % COLUMNS) * TILE, (n // COLUMNS) * (TILE + LABEL)
        sheet.paste(picture, (x, y))
        draw.text((x + TILE / 2, y + TILE + LABEL / 2), label, fill="black", font=small,
                  anchor="mm")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, optimize=True)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

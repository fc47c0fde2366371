"""Tray pictures read from the packaged sheets that scripts/make_icons.py draws.

Drawing at run time needs PIL.ImageDraw, which loads ImageFont and with it FreeType, HarfBuzz
and FriBidi (about 1.4 MiB resident in an app that never draws text). The pictures are few
(every phase at every progress step), so they are drawn once at build time into one sheet
per size: a row per phase in `Phase` order, a column per progress step 0..RING_STEPS.
A sheet is its RGBA bytes, zlib-compressed: reading a PNG would load Pillow's PNG plugin and
with it decimal, fractions and the palette modules, for pictures we cut out by offset anyway.
tests/icons/test_tray_sheets.py checks the sheets against tray_app.ui.icons.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

from PIL import Image

from tray_app.core.model import Phase
from tray_app.core.views import RING_STEPS
from tray_app.support.resources import TRAY_SHEET_SIZES, DataFileError, tray_sheet

# The sizes the tray draws at (tray.icon_size): 22 everywhere but Windows, which gets 32.
SHEET_SIZES: tuple[int, ...] = TRAY_SHEET_SIZES
PHASES: tuple[Phase, ...] = tuple(Phase)

Colour = tuple[int, int, int, int]

# pystray's xorg backend paints transparency black; a mid grey keeps both the dark
# outline and the light fill of every state visible on it.
XORG_BACKGROUND: Colour = (128, 128, 128, 255)


def sheet_size(size: int) -> tuple[int, int]:
    """Width and height in pixels of the sheet of `size` px pictures."""
    return ((RING_STEPS + 1) * size, len(PHASES) * size)


def cell_origin(phase: Phase, bucket: int, size: int) -> tuple[int, int]:
    """The top left corner of the picture of `phase` at progress step `bucket`."""
    return (bucket * size, PHASES.index(phase) * size)


@lru_cache(maxsize=64)
def state_image(
    phase: Phase, bucket: int, size: int, background: Colour | None = None
) -> Image.Image:
    """The tray picture (RGBA, `size` px), composited onto `background` when one is given.

    Cached; do not modify the returned image. The sheet itself is not kept: it is larger than
    every picture the tray shows in a day, and a picture changes a few times an hour.
    """
    if size not in SHEET_SIZES:
        raise ValueError(f"no tray sheet of {size} px (there are {SHEET_SIZES})")
    if not 0 <= bucket <= RING_STEPS:
        raise ValueError(f"progress step {bucket} is not in 0..{RING_STEPS}")
    path = tray_sheet(size)
    width, height = sheet_size(size)
    try:
        data = zlib.decompress(path.read_bytes())
    except (OSError, zlib.error) as exc:
        raise DataFileError(path, f"cannot be read ({exc})") from None
    if len(data) != width * height * 4:
        raise DataFileError(path, f"holds {len(data)} bytes, not {width} x {height} RGBA")
    x, y = cell_origin(Phase(phase), bucket, size)
    stride, row = width * 4, size * 4
    rows = b"".join(
        data[(y + r) * stride + x * 4:(y + r) * stride + x * 4 + row] for r in range(size)
    )
    picture = Image.frombytes("RGBA", (size, size), rows)
    if background is not None:
        picture = Image.alpha_composite(Image.new("RGBA", picture.size, background), picture)
    return picture

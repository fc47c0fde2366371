"""Regenerate the icon files in icons/, and the tray sheets in tray_app/data/tray/, from
tray_app.ui.icons.

Usage: python scripts/make_icons.py [--out DIR] [--sheets-out DIR] [--preview FILE]

The output is byte-for-byte the same on every run (no timestamps, no metadata), so the
committed files can be checked against a fresh run.
"""

from __future__ import annotations

import argparse
import io
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    # Run as a plain script from a checkout: make the package importable.
    sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from tray_app.core.model import Phase  # noqa: E402
from tray_app.core.views import RING_STEPS  # noqa: E402
from tray_app.ui.icons import ICON_SIZES, app_icon, app_icon_svg, draw_state_icon  # noqa: E402
from tray_app.ui.tray.images import (  # noqa: E402
    PHASES,
    SHEET_SIZES,
    cell_origin,
    sheet_size,
)

APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
STATE_SIZES = (32, 64)
# Progress shown in the state icons where the ring matters; a realistic mid-stretch value.
SAMPLE_PROGRESS = 0.6
# Panels to try the icons on in the preview: light, dark, and the xorg stand-in grey.
PREVIEW_PANELS = ((240, 240, 240, 255), (36, 36, 40, 255), (128, 128, 128, 255))


def _png_bytes(image: Image.Image) -> bytes:
    """PNG bytes with fixed settings and no metadata chunks."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=9)
    return buf.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def state_file(phase: Phase, size: int) -> str:
    """File name of a state icon: the 32 px one is the plain name, others carry the size."""
    return f"state-{phase.value}.png" if size == 32 else f"state-{phase.value}-{size}.png"


def make_icons(out: Path) -> list[Path]:
    """Write every icon file into `out` (created if needed); return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(name: str, data: bytes) -> None:
        path = out / name
        _write(path, data)
        written.append(path)

    for n in APP_SIZES:
        put(f"sitbreak-{n}.png", _png_bytes(app_icon(n)))
    put("sitbreak.svg", app_icon_svg().encode())

    ico = io.BytesIO()
    largest = app_icon(max(ICO_SIZES))
    largest.save(
        ico,
        format="ICO",
        sizes=[(n, n) for n in ICO_SIZES],
        append_images=[app_icon(n) for n in ICO_SIZES if n != max(ICO_SIZES)],
    )
    put("sitbreak.ico", ico.getvalue())

    icns = io.BytesIO()
    big = app_icon(max(ICNS_SIZES))
    big.save(icns, format="ICNS", append_images=[app_icon(n) for n in ICNS_SIZES[:-1]])
    put("sitbreak.icns", icns.getvalue())

    for phase in Phase:
        for size in STATE_SIZES:
            put(state_file(phase, size), _png_bytes(draw_state_icon(phase, SAMPLE_PROGRESS, size)))
    return written


def tray_sheet(size: int) -> Image.Image:
    """Every phase at every progress step, as tray_app.ui.tray.images reads them back."""
    sheet = Image.new("RGBA", sheet_size(size), (0, 0, 0, 0))
    for phase in PHASES:
        for bucket in range(RING_STEPS + 1):
            icon = draw_state_icon(phase, bucket / RING_STEPS, size)
            sheet.paste(icon, cell_origin(phase, bucket, size))
    return sheet


def make_tray_sheets(out: Path) -> list[Path]:
    """Write the packaged tray sheets into `out`; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SHEET_SIZES:
        path = out / f"tray-{size}.rgba.z"
        _write(path, zlib.compress(tray_sheet(size).tobytes(), 9))
        written.append(path)
    return written


def preview_sheet(scale: int = 8) -> Image.Image:
    """Every state at every tray size, enlarged with hard pixels, on light/dark/grey panels."""
    progresses = (0.0, 0.25, SAMPLE_PROGRESS, 1.0)
    rows: list[tuple[Phase, float]] = [(Phase.SITTING, p) for p in progresses]
    rows += [(phase, SAMPLE_PROGRESS) for phase in Phase if phase is not Phase.SITTING]
    cell = max(ICON_SIZES) * scale + 8
    label_w = 260
    font = ImageFont.load_default(size=26)
    width = label_w + cell * len(ICON_SIZES) * len(PREVIEW_PANELS)
    height = cell * len(rows)
    sheet = Image.new("RGBA", (width, height), (255, 255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for r, (phase, progress) in enumerate(rows):
        y = r * cell
        ring = phase in (Phase.SITTING, Phase.ON_BREAK, Phase.SNOOZED)
        label = f"{phase.value}\n{progress:.0%}" if ring else phase.value
        draw.multiline_text((10, y + cell // 2 - 30), label, fill=(0, 0, 0, 255), font=font)
        for p, panel in enumerate(PREVIEW_PANELS):
            for s, size in enumerate(ICON_SIZES):
                x = label_w + (p * len(ICON_SIZES) + s) * cell
                draw.rectangle((x, y, x + cell - 1, y + cell - 1), fill=panel)
                icon = draw_state_icon(phase, progress, size, background=panel)
                big = icon.resize((size * scale, size * scale), Image.Resampling.NEAREST)
                sheet.paste(big, (x + 4, y + 4))
    return sheet


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "icons", help="output folder")
    parser.add_argument("--sheets-out", type=Path, default=REPO / "tray_app" / "data" / "tray",
                        help="output folder of the tray sheets")
    parser.add_argument(
        "--preview", type=Path, help="also write an enlarged sheet of all tray states here"
    )
    args = parser.parse_args(argv)
    written = make_icons(args.out) + make_tray_sheets(args.sheets_out)
    if args.preview is not None:
        args.preview.parent.mkdir(parents=True, exist_ok=True)
        _write(args.preview, _png_bytes(preview_sheet()))
        written.append(args.preview)
    print(f"wrote {len(written)} files ({args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""scripts/make_icons.py: the committed icons/ must be exactly what the script draws now."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tray_app.core.model import Phase

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "make_icons.py"
COMMITTED = REPO / "icons"
APP_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh run of the script, from outside the repo to prove it finds the package."""
    out = tmp_path_factory.mktemp("icons")
    sheets = tmp_path_factory.mktemp("tray-sheets")  # never the package's own folder
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--sheets-out", str(sheets)],
        cwd=out,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def frames(path: Path) -> dict[tuple[int, ...], Image.Image]:
    """Every picture in a PNG, ICO or ICNS file, decoded to RGBA, keyed by its size."""
    with Image.open(path) as im:
        if im.format == "ICO":
            return {s: im.ico.getimage(s).convert("RGBA") for s in im.info["sizes"]}
        if im.format == "ICNS":
            # ICNS sizes are (width, height, scale) triples.
            return {s: im.icns.getimage(s).convert("RGBA") for s in im.info["sizes"]}
        return {im.size: im.convert("RGBA")}


def test_committed_icons_match_a_fresh_run(fresh: Path) -> None:
    made = sorted(p.name for p in fresh.iterdir())
    committed = sorted(p.name for p in COMMITTED.iterdir())
    assert made == committed, "icons/ is out of date: run python scripts/make_icons.py"
    # Compared by pixels, not bytes, so another zlib or Pillow build does not fail it;
    # a tolerance of 2 per channel absorbs rounding, a drawing change is far larger.
    stale = []
    for name in made:
        if name.endswith(".svg"):  # text: the same shapes give the same bytes
            if (fresh / name).read_bytes() != (COMMITTED / name).read_bytes():
                stale.append(name)
            continue
        new, old = frames(fresh / name), frames(COMMITTED / name)
        if new.keys() != old.keys():
            stale.append(name)
            continue
        for size, image in new.items():
            diff = ImageChops.difference(image, old[size]).getextrema()
            if max(high for _, high in diff) > 2:
                stale.append(f"{name}@{size}")
    assert not stale, f"icons differ from a fresh run, run scripts/make_icons.py: {stale}"


def test_two_runs_write_the_same_bytes(fresh: Path, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_icons", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_icons(tmp_path)
    for path in sorted(fresh.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_app_icon_pngs_have_their_sizes(fresh: Path) -> None:
    for n in APP_SIZES:
        with Image.open(fresh / f"sitbreak-{n}.png") as im:
            assert (im.format, im.mode, im.size) == ("PNG", "RGBA", (n, n))


def test_pngs_carry_no_metadata(fresh: Path) -> None:
    with Image.open(fresh / "sitbreak-32.png") as im:
        assert not {"tIME", "date:create", "Software", "Creation Time"} & set(im.info)
        assert im.text == {}


def test_state_icons_at_32_and_64(fresh: Path) -> None:
    for phase in Phase:
        for name, size in ((f"state-{phase.value}.png", 32), (f"state-{phase.value}-64.png", 64)):
            with Image.open(fresh / name) as im:
                assert im.size == (size, size), name


def test_ico_holds_several_sizes(fresh: Path) -> None:
    with Image.open(fresh / "sitbreak.ico") as im:
        sizes = set(im.info["sizes"])
    assert {(16, 16), (24, 24), (32, 32), (48, 48), (256, 256)} <= sizes


def test_icns_opens_at_full_size(fresh: Path) -> None:
    with Image.open(fresh / "sitbreak.icns") as im:
        assert im.format == "ICNS"
        assert im.size == (1024, 1024)
        im.load()
        assert im.getpixel((512, 512))[3] == 255  # type: ignore[index]


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="needs rsvg-convert")
@pytest.mark.parametrize("size", [48, 256])
def test_scalable_icon_draws_the_same_logo_as_the_pngs(fresh: Path, tmp_path: Path,
                                                        size: int) -> None:
    """The SVG, rendered by librsvg (what desktops use), matches the PNG of that size."""
    out = tmp_path / f"svg-{size}.png"
    subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), "-o", str(out),
                    str(fresh / "sitbreak.svg")], check=True, timeout=30)
    with Image.open(out) as svg, Image.open(fresh / f"sitbreak-{size}.png") as png:
        diff = ImageChops.difference(svg.convert("RGBA"), png.convert("RGBA"))
        per_pixel = [sum(px) / 4 for px in diff.getdata()]
    # Edges antialias differently; the shapes and colours must be the same.
    assert sum(per_pixel) / len(per_pixel) < 6.0
    assert sum(1 for v in per_pixel if v > 60) / len(per_pixel) < 0.04

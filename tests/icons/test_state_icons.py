"""Tray state icons and the app logo drawn by tray_app.ui.icons."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
from PIL import Image, ImageChops, ImageStat

from tray_app.core.model import Phase
from tray_app.core.views import RING_STEPS, ring_step_of
from tray_app.ui.icons import (
    ICON_SIZES,
    XORG_BACKGROUND,
    app_icon,
    draw_state_icon,
)

WHITE = (255, 255, 255, 255)
BLACK = (0, 0, 0, 255)
# Phases whose ring shows how far the stretch (or the break) has gone.
RING_PHASES = (Phase.SITTING, Phase.ON_BREAK, Phase.SNOOZED)


def luminance(r: int, g: int, b: int) -> float:
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def pixels(image: Image.Image) -> list[tuple[int, int, int, int]]:
    data = image.convert("RGBA").tobytes()
    return [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]  # type: ignore[misc]


def visible_pixels(image: Image.Image, background: tuple[int, int, int, int], apart: float) -> int:
    """Pixels whose luminance differs from the panel colour by more than `apart`."""
    panel = luminance(*background[:3])
    return sum(1 for r, g, b, _ in pixels(image) if abs(luminance(r, g, b) - panel) > apart)


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per pixel, summed over R, G and B (0..765)."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    return sum(ImageStat.Stat(diff).mean)


@pytest.mark.parametrize("size", ICON_SIZES)
@pytest.mark.parametrize("phase", list(Phase))
def test_every_state_is_a_transparent_rgba_icon_with_content(phase: Phase, size: int) -> None:
    icon = draw_state_icon(phase, 0.6, size)
    assert icon.mode == "RGBA"
    assert icon.size == (size, size)
    alpha = icon.getchannel("A")
    for corner in ((0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)):
        assert alpha.getpixel(corner) == 0, f"{phase} {size}px corner {corner} not transparent"
    opaque = sum(1 for a in alpha.tobytes() if a > 200)
    assert opaque > size * size // 5, f"{phase} at {size}px draws almost nothing"


def test_icon_sizes_cover_the_common_tray_sizes() -> None:
    assert ICON_SIZES == (16, 22, 24, 32)


def test_states_differ_pairwise_at_16_px() -> None:
    icons = {p: draw_state_icon(p, 0.6, 16, background=XORG_BACKGROUND) for p in Phase}
    for a, b in itertools.combinations(Phase, 2):
        assert mean_difference(icons[a], icons[b]) > 60, f"{a} and {b} look alike at 16 px"


@pytest.mark.parametrize("phase", RING_PHASES)
def test_the_ring_shows_progress(phase: Phase) -> None:
    quarter = draw_state_icon(phase, 0.25, 16, background=XORG_BACKGROUND)
    three_quarters = draw_state_icon(phase, 0.75, 16, background=XORG_BACKGROUND)
    assert mean_difference(quarter, three_quarters) > 15


def test_the_ring_fills_clockwise_from_twelve_oclock() -> None:
    quarter = draw_state_icon(Phase.SITTING, 0.25, 32, background=BLACK)
    empty = draw_state_icon(Phase.SITTING, 0.0, 32, background=BLACK)

    def greenish(image: Image.Image, xy: tuple[int, int]) -> bool:
        r, g, _b, _a = image.getpixel(xy)  # type: ignore[misc]
        return g > r + 60

    # On the ring's band: upper right is filled after a quarter, upper left is not.
    upper_right, upper_left = (23, 7), (8, 7)
    assert greenish(quarter, upper_right)
    assert not greenish(quarter, upper_left)
    assert not greenish(empty, upper_right)


@pytest.mark.parametrize("size", ICON_SIZES)
@pytest.mark.parametrize("phase", list(Phase))
def test_background_leaves_no_transparent_pixel(phase: Phase, size: int) -> None:
    icon = draw_state_icon(phase, 0.6, size, background=XORG_BACKGROUND)
    assert icon.mode == "RGBA"
    assert icon.getchannel("A").getextrema() == (255, 255)
    # The corners show the panel colour the tray adapter asked for.
    assert icon.getpixel((0, 0)) == XORG_BACKGROUND


def test_xorg_background_is_an_opaque_neutral_grey() -> None:
    r, g, b, a = XORG_BACKGROUND
    assert a == 255 and r == g == b and 64 <= r <= 192


@pytest.mark.parametrize("panel", [WHITE, BLACK, XORG_BACKGROUND], ids=["white", "black", "grey"])
@pytest.mark.parametrize("phase", list(Phase))
def test_every_state_shows_on_light_and_dark_panels(
    phase: Phase, panel: tuple[int, int, int, int]
) -> None:
    icon = draw_state_icon(phase, 0.6, 16, background=panel)
    # A mid grey panel is at most 128 away from anything, so it gets a lower bar.
    apart = 50 if panel == XORG_BACKGROUND else 80
    # At least an eighth of a 16 px icon must stand out clearly from the panel.
    assert visible_pixels(icon, panel, apart) >= 32, f"{phase} is hard to see on {panel}"


def test_same_bucket_returns_the_same_cached_image() -> None:
    first = draw_state_icon(Phase.SITTING, 0.50, 22)
    # 0.51 rounds to the same 1/24 step as 0.50.
    assert draw_state_icon(Phase.SITTING, 0.51, 22) is first
    assert draw_state_icon("sitting", 0.50, 22) is first  # type: ignore[arg-type]
    assert draw_state_icon(Phase.SITTING, 0.60, 22) is not first
    assert draw_state_icon(Phase.SITTING, 0.50, 22, background=XORG_BACKGROUND) is not first
    grey_list = list(XORG_BACKGROUND)
    assert draw_state_icon(
        Phase.SITTING,
        0.5,
        22,
        background=grey_list,  # type: ignore[arg-type]
    ) is draw_state_icon(Phase.SITTING, 0.5, 22, background=XORG_BACKGROUND)


@pytest.mark.parametrize(
    ("progress", "bucket"),
    [
        (0.0, 0),
        (-1.0, 0),
        (float("nan"), 0),
        (1.0, RING_STEPS),
        (7.0, RING_STEPS),
        (0.5, RING_STEPS // 2),
        (1 / RING_STEPS, 1),
    ],
)
def test_progress_is_clamped_and_quantised(progress: float, bucket: int) -> None:
    assert ring_step_of(progress) == bucket


def test_out_of_range_progress_draws_like_the_ends() -> None:
    assert draw_state_icon(Phase.SITTING, 3.0, 16) is draw_state_icon(Phase.SITTING, 1.0, 16)
    assert draw_state_icon(Phase.SITTING, -2.0, 16) is draw_state_icon(Phase.SITTING, 0.0, 16)


def test_a_zero_size_is_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        draw_state_icon(Phase.SITTING, 0.5, 0)
    with pytest.raises(ValueError, match="size"):
        app_icon(0)


@pytest.mark.parametrize("size", [16, 22, 32, 48, 128, 512])
def test_app_icon_is_a_rounded_tile_at_every_size(size: int) -> None:
    icon = app_icon(size)
    assert icon.mode == "RGBA"
    assert icon.size == (size, size)
    # Rounded corners are transparent; the middle is opaque.
    assert icon.getpixel((0, 0))[3] == 0  # type: ignore[index]
    assert icon.getpixel((size // 2, size // 2))[3] == 255  # type: ignore[index]
    assert app_icon(size) is icon


def test_app_icon_differs_from_every_state_icon() -> None:
    logo = app_icon(16)
    for phase in Phase:
        assert mean_difference(logo, draw_state_icon(phase, 0.6, 16)) > 40


def test_importing_icons_stays_light() -> None:
    code = (
        "import sys, tray_app.ui.icons; "
        "heavy = {'numpy', 'tkinter', '_tkinter', 'gi', 'pystray'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert out.stdout.strip() == "[]"

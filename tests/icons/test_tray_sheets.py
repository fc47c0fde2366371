"""The tray shows the packaged sheets; they must be what tray_app.ui.icons draws."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from PIL import ImageChops

from tray_app.core.views import RING_STEPS
from tray_app.support.resources import DataFileError
from tray_app.ui.icons import draw_state_icon
from tray_app.ui.tray import images as tray_images
from tray_app.ui.tray.images import (
    PHASES,
    SHEET_SIZES,
    XORG_BACKGROUND,
    state_image,
)

REGENERATE = "the tray sheets are stale: run `python scripts/make_icons.py` and commit them"


@pytest.mark.parametrize("size", SHEET_SIZES)
@pytest.mark.parametrize("background", [None, XORG_BACKGROUND])
def test_every_packaged_picture_is_the_drawn_one(size: int, background: tuple | None) -> None:
    for phase in PHASES:
        for bucket in range(RING_STEPS + 1):
            shown = state_image(phase, bucket, size, background)
            drawn = draw_state_icon(phase, bucket / RING_STEPS, size, background=background)
            assert shown.mode == "RGBA" and shown.size == (size, size)
            # By pixels, every band: a tolerance of 2 absorbs another Pillow build's rounding
            # (as test_make_icons does); the next progress step differs far more.
            diff = ImageChops.difference(shown, drawn).getextrema()
            assert max(high for _, high in diff) <= 2, (
                f"{phase.value} at step {bucket}, {size} px: {REGENERATE}")


def test_a_size_without_a_sheet_is_refused() -> None:
    with pytest.raises(ValueError, match="no tray sheet of 48 px"):
        state_image(PHASES[0], 0, 48)


@pytest.mark.parametrize("content", [b"", b"not zlib", zlib.compress(b"\0" * 100)])
def test_a_damaged_sheet_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    sheet = tmp_path / "tray-22.rgba.z"
    sheet.write_bytes(content)
    monkeypatch.setattr(tray_images, "tray_sheet", lambda size: sheet)
    state_image.cache_clear()
    try:
        with pytest.raises(DataFileError, match=re.escape(str(sheet))):
            state_image(PHASES[0], 0, 22)
    finally:
        state_image.cache_clear()

"""Exercise pictures: every exercise drawn, moving ones animate, the cache follows edits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tray_app.core.exercise import PLACES, WALK_ID, Exercise, Step
from tray_app.core.model import ExerciseSettings
from tray_app.exercises import pictures, pose_data
from tray_app.exercises.loader import load_catalogue
from tray_app.exercises.pictures import cached_frames, frames
from tray_app.exercises.pose_data import FRAMES, poses_for

BUILTIN = load_catalogue(ExerciseSettings(places=PLACES))


def differs(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is not None


@pytest.mark.parametrize("exercise", BUILTIN, ids=lambda e: e.id)
def test_every_exercise_is_drawn_and_moves(exercise: Exercise) -> None:
    images = frames(exercise, 120)
    assert len(images) >= 2  # every built-in exercise moves or shows its working part
    for image in images:
        assert image.size == (120, 120)
        colours = image.getcolors(maxcolors=120 * 120)
        assert colours and len(colours) > 10, "looks blank"
        # The figure's dark body colour covers a fair part of the picture.
        dark = sum(n for n, c in colours if sum(c) < 300)
        assert dark > 120 * 120 * 0.01
    assert differs(images[0], images[1])


def test_every_builtin_exercise_has_its_own_pose() -> None:
    assert {e.id for e in BUILTIN} <= set(FRAMES)
    # ... and the picker's stand-up-and-walk step, which is not in the catalogue
    known = {e.id for e in BUILTIN} | {WALK_ID}
    assert set(FRAMES) <= known, "poses for exercises that do not exist"


def test_active_limb_is_highlighted() -> None:
    lift = next(e for e in BUILTIN if e.id == "seated-knee-lift-hold")
    held, start = frames(lift, 120)  # the working pose is shown first
    accent = pictures.ACCENT

    def accent_pixels(image: Image.Image) -> int:
        r, g, b = accent
        colours = image.getcolors(maxcolors=image.width * image.height) or []
        return sum(n for n, (x, y, z) in colours if abs(x - r) + abs(y - g) + abs(z - b) < 40)

    assert accent_pixels(start) == 0
    assert accent_pixels(held) > 30


def test_user_exercise_gets_a_default_picture() -> None:
    mine = Exercise("my-own", "Mine", "core", "floor", (Step("x", 30),), "c", "w")
    assert poses_for(mine) == FRAMES["dead-bug"]
    odd = dataclasses.replace(mine, category="made-up")
    assert len(frames(odd, 64)) >= 1


def test_size_is_respected() -> None:
    assert {im.size for im in frames(BUILTIN[0], 333)} == {(333, 333)}


def test_cached_frames_are_written_once(tmp_path: Path) -> None:
    exercise = BUILTIN[0]
    paths = cached_frames(exercise, tmp_path, 96)
    assert len(paths) == len(poses_for(exercise))
    for index, path in enumerate(paths):
        assert path.name.startswith(f"{exercise.id}-{index}-96-")
        assert Image.open(path).size == (96, 96)
    stamps = [p.stat().st_mtime_ns for p in paths]
    assert cached_frames(exercise, tmp_path, 96) == paths
    assert [p.stat().st_mtime_ns for p in paths] == stamps
    assert not list(tmp_path.glob("*.tmp"))


def test_cache_follows_pose_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = next(e for e in BUILTIN if e.id == "glute-bridge")
    first = cached_frames(exercise, tmp_path, 64)
    other = cached_frames(next(e for e in BUILTIN if e.id == "dead-bug"), tmp_path, 64)
    edited = dict(FRAMES)
    edited["glute-bridge"] = (*FRAMES["glute-bridge"], FRAMES["glute-bridge"][0])
    monkeypatch.setattr(pose_data, "FRAMES", edited)
    second = cached_frames(exercise, tmp_path, 64)
    assert len(second) == len(first) + 1
    assert set(first).isdisjoint(second)
    assert not any(p.exists() for p in first), "stale pictures are removed"
    assert all(p.exists() for p in other), "other exercises' pictures are kept"


def test_cache_follows_renderer_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = BUILTIN[0]
    first = cached_frames(exercise, tmp_path, 64)
    monkeypatch.setattr(pictures, "RENDER_VERSION", pictures.RENDER_VERSION + 1)
    assert set(cached_frames(exercise, tmp_path, 64)).isdisjoint(first)

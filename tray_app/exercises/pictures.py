"""Pictures of exercises: a stick figure seen from the side (or, for sideways moves, from the
front: from above when it lies on its back) posed from key frames, drawn with Pillow.

The poses are data (`poses`, `pose_data`); this module only draws them and caches the PNGs.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from tray_app.core.exercise import Exercise
from tray_app.exercises.pose_data import poses_for
from tray_app.exercises.poses import (
    BACKREST_H,
    DESK_H,
    DESK_W,
    HEAD_R,
    NECK,
    SEAT_H,
    SEAT_HALF,
    Point,
    Pose,
    angle_of,
    joints,
    seen_from_above,
    toward,
)

# Bump when the drawing changes, so cached pictures are redrawn.
RENDER_VERSION = 6

BACKGROUND = (246, 243, 236)
BODY = (43, 45, 66)
WRONG = (200, 30, 40)  # the cross on a pose shown as the fault to avoid
BODY_FAR = (150, 160, 180)
ACCENT = (231, 111, 81)
ACCENT_FAR = (244, 174, 140)
PROP = (170, 140, 105)
FLOOR = (120, 110, 95)
MAT = (205, 222, 214)


# Line widths in body units (0: a filled outline).
LIMB_W, TORSO_W = 0.036, 0.06


@dataclass(frozen=True)
class _Line:
    points: tuple[Point, ...]
    width: float
    colour: tuple[int, int, int]


def _scene(poses: Sequence[Pose]) -> tuple[list[list[_Line]], list[list[_Line]]]:
    """Per frame: prop lines (drawn first) and figure lines."""
    all_props: list[list[_Line]] = []
    figures: list[list[_Line]] = []
    for pose in poses:
        all_props.append(_props(pose))
        figures.append(_figure(pose, joints(pose)))
    return all_props, figures


def _props(pose: Pose) -> list[_Line]:
    lines: list[_Line] = []
    above = seen_from_above(pose)
    if "mat" in pose.props and above:  # the whole mat, seen from above, under the figure
        x0, x1 = pose.x - 0.32, pose.x + 0.32
        lines.append(_Line(((x0, -0.03), (x1, -0.03), (x1, 0.9), (x0, 0.9)), 0.0, MAT))
    elif "mat" in pose.props:
        lines.append(_Line(((-0.7, 0.006), (0.9, 0.006)), 0.012, MAT))
    if "wall" in pose.props:
        lines.append(_Line(((pose.wall_x - 0.015, 0.0), (pose.wall_x - 0.015, 1.15)), 0.03, PROP))
    if "chair" in pose.props and pose.front:
        c = pose.chair_x  # seen from the front: the backrest behind, the seat, two legs
        lines += [
            _Line(((c - SEAT_HALF, SEAT_H), (c - SEAT_HALF, SEAT_H + BACKREST_H),
                   (c + SEAT_HALF, SEAT_H + BACKREST_H), (c + SEAT_HALF, SEAT_H)), 0.03, PROP),
            _Line(((c - SEAT_HALF, SEAT_H), (c + SEAT_HALF, SEAT_H)), 0.035, PROP),
            _Line(((c - SEAT_HALF + 0.01, 0.0), (c - SEAT_HALF + 0.01, SEAT_H)), 0.03, PROP),
            _Line(((c + SEAT_HALF - 0.01, 0.0), (c + SEAT_HALF - 0.01, SEAT_H)), 0.03, PROP),
        ]
    elif "chair" in pose.props:
        c = pose.chair_x
        lines += [
            # back leg and backrest
            _Line(((c - SEAT_HALF, 0.0), (c - SEAT_HALF, SEAT_H + BACKREST_H)), 0.03, PROP),
            _Line(((c - SEAT_HALF, SEAT_H), (c + SEAT_HALF, SEAT_H)), 0.035, PROP),  # seat
            _Line(((c + SEAT_HALF - 0.01, 0.0), (c + SEAT_HALF - 0.01, SEAT_H)), 0.03, PROP),
        ]
    if "desk" in pose.props:
        d, top = pose.desk_x, DESK_H - 0.0175
        lines += [
            _Line(((d, top), (d + DESK_W, top)), 0.035, PROP),
            _Line(((d + 0.03, 0.0), (d + 0.03, top)), 0.03, PROP),
            _Line(((d + DESK_W - 0.03, 0.0), (d + DESK_W - 0.03, top)), 0.03, PROP),
        ]
    if not above:
        lines.append(_Line(((-2.0, -0.01), (2.0, -0.01)), 0.02, FLOOR))
    return lines


def _figure(pose: Pose, j: dict[str, Point]) -> list[_Line]:
    def colour(part: str, far: bool = False) -> tuple[int, int, int]:
        if part in pose.active:
            return ACCENT_FAR if far else ACCENT
        return BODY_FAR if far else BODY

    if pose.front:
        return _front_figure(pose, j, colour)

    far_arm = ("shoulder", "elbow_far", "hand_far")
    far_leg = ("hip", "knee_far", "ankle_far", "toe_far")
    lines = [
        _Line(tuple(j[n] for n in far_leg), LIMB_W, colour("leg_far", True)),
        _Line(tuple(j[n] for n in far_arm), LIMB_W, colour("arm_far", True)),
        _Line((j["hip"], j["shoulder"]), TORSO_W, colour("torso")),
        _Line((j["shoulder"], toward(j["shoulder"], angle_of(j["shoulder"], j["head"]), NECK)),
              LIMB_W, colour("head")),
        _Line((j["head"],), HEAD_R * 2, colour("head")),
        _Line((j["hip"], j["knee"], j["ankle"], j["toe"]), LIMB_W, colour("leg")),
        _Line((j["shoulder"], j["elbow"], j["hand"]), LIMB_W, colour("arm")),
    ]
    if "hip" in pose.active:
        lines.append(_Line((j["hip"],), 0.075, ACCENT))
    if pose.pelvis is not None:  # the pelvis as a bar: its tilt is the movement
        back, front = toward(j["hip"], pose.pelvis + 180, 0.05), toward(j["hip"], pose.pelvis, 0.07)
        lines.append(_Line((back, front), 0.045, ACCENT if "hip" in pose.active else BODY))
    # A light eye on the face side of the head, so the facing is obvious.
    face = angle_of(j["shoulder"], j["head"]) + 90
    lines.append(_Line((toward(j["head"], face - 25, HEAD_R * 0.55),), 0.022, BACKGROUND))
    return lines


def _front_figure(pose: Pose, j: dict[str, Point],
                  colour: Callable[..., tuple[int, int, int]]) -> list[_Line]:  # fmt: skip
    """The figure seen from the front (poses.front_joints): both sides drawn alike."""
    mid_hip = ((j["hip"][0] + j["hip_far"][0]) / 2, (j["hip"][1] + j["hip_far"][1]) / 2)
    mid_top = ((j["shoulder"][0] + j["shoulder_far"][0]) / 2,
               (j["shoulder"][1] + j["shoulder_far"][1]) / 2)
    tilt = angle_of(mid_top, j["head"])  # the head follows a side bend
    crest = [(x, y + 0.05) for x, y in (j["hip"], j["hip_far"])]  # the top of the pelvis
    lines = [
        _Line((j["hip"], crest[0], crest[1], j["hip_far"]), TORSO_W, colour("hip")),
        _Line((mid_hip, j["waist"], mid_top), TORSO_W, colour("torso")),
        _Line((j["shoulder"], j["shoulder_far"]), LIMB_W, colour("torso")),
        _Line((mid_top, toward(mid_top, tilt, NECK)), LIMB_W, colour("head")),
        _Line((j["head"],), HEAD_R * 2, colour("head")),
    ]
    for side in ("", "_far"):
        lines.append(_Line(tuple(j[n + side] for n in ("hip", "knee", "ankle", "toe")),
                           LIMB_W, colour("leg" + side)))
        lines.append(_Line(tuple(j[n + side] for n in ("shoulder", "elbow", "hand")),
                           LIMB_W, colour("arm" + side)))
    for turn in (-68, 68):  # two eyes, level with the tilted head: it faces you
        lines.append(_Line((toward(j["head"], tilt + turn, 0.027),), 0.02, BACKGROUND))
    return lines


# -- drawing ---------------------------------------------------------------------------------

SUPERSAMPLE = 3


def frames(exercise: Exercise, size: int = 240) -> list[Image.Image]:
    """The exercise's key frames as square RGB images, all drawn to the same scale."""
    props, figures = _scene(poses_for(exercise))
    points = [p for frame in figures for line in frame for p in line.points]
    # The floor and mat run off the edges; they do not decide the framing.
    points += [p for frame in props for line in frame if line.colour not in (FLOOR, MAT)
               for p in line.points]  # fmt: skip
    left = min(x for x, _ in points) - HEAD_R
    right = max(x for x, _ in points) + HEAD_R
    top = max(y for _, y in points) + HEAD_R
    big = size * SUPERSAMPLE
    # One scale for every exercise unless it would not fit, so figures look alike.
    scale = min(0.78 * big, 0.9 * big / (right - left), 0.84 * big / max(top, 0.3))
    floor_px = 0.92 * big
    centre = (left + right) / 2

    def px(p: Point) -> tuple[float, float]:
        return (big / 2 + (p[0] - centre) * scale, floor_px - p[1] * scale)

    images = []
    for pose, prop_lines, figure_lines in zip(poses_for(exercise), props, figures, strict=True):
        image = Image.new("RGB", (big, big), BACKGROUND)
        draw = ImageDraw.Draw(image)
        for line in [*prop_lines, *figure_lines]:
            _draw(draw, [px(p) for p in line.points], line.width * scale, line.colour)
        if pose.wrong:  # a red cross in the top right corner: not like this
            m, w = 0.06 * big, 0.13 * big
            left, right = big - m - w, big - m
            for a, b in (((left, m), (right, m + w)), ((left, m + w), (right, m))):
                _draw(draw, [a, b], 0.025 * big, WRONG)
        images.append(image.resize((size, size), Image.Resampling.LANCZOS))
    return images


def _draw(draw: ImageDraw.ImageDraw, pts: list[tuple[float, float]], width: float,
          colour: tuple[int, int, int]) -> None:  # fmt: skip
    if width <= 0:  # a filled outline (a mat seen from above)
        draw.polygon(pts, fill=colour)
        return
    r = width / 2
    if len(pts) > 1:
        draw.line(pts, fill=colour, width=max(1, round(width)), joint="curve")
    for x, y in pts:  # round ends and joints
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def picture_hash(exercise: Exercise, size: int) -> str:
    """A short hash of everything that shapes the picture, used in cache file names."""
    text = repr((RENDER_VERSION, size, exercise.id, exercise.category, exercise.where,
                 poses_for(exercise)))  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def cached_frames(exercise: Exercise, cache_dir: Path, size: int = 240) -> list[Path]:
    """PNG files of the frames, drawn once: `<id>-<frame>-<size>-<hash>.png` in `cache_dir`.

    A change to the pose data or the renderer changes the hash, so stale files are redrawn
    (and removed).
    """
    digest = picture_hash(exercise, size)
    count = len(poses_for(exercise))
    paths = [cache_dir / f"{exercise.id}-{i}-{size}-{digest}.png" for i in range(count)]
    if all(p.exists() for p in paths):
        return paths
    cache_dir.mkdir(parents=True, exist_ok=True)
    mine = re.compile(rf"^{re.escape(exercise.id)}-\d+-{size}-([0-9a-f]+)\.png$")
    for old in cache_dir.iterdir():
        found = mine.match(old.name)
        if found and found.group(1) != digest:
            old.unlink(missing_ok=True)
    for image, path in zip(frames(exercise, size), paths, strict=True):
        # Write then rename, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            image.save(handle, format="PNG", optimize=True)
        os.replace(tmp, path)
    return paths

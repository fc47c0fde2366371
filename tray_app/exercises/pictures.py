"""Pictures of exercises: a side-view stick figure posed from key frames, drawn with Pillow.

Poses are data. A pose gives absolute segment angles in degrees: 0 points up, 90 points
forward (the figure faces right), 180 down, 270 backwards. `FRAMES` maps exercise ids to their
key frames; an exercise without an entry (a user's own) gets a default by category and place.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw

from tray_app.core.exercise import Exercise

# Bump when the drawing changes, so cached pictures are redrawn.
RENDER_VERSION = 1

# Segment lengths in body units (standing height is about 1).
TORSO, NECK, HEAD_R = 0.30, 0.05, 0.065
UPPER_ARM, FOREARM = 0.15, 0.14
THIGH, SHIN, FOOT = 0.24, 0.23, 0.07
ANKLE_H = 0.03  # ankle above the floor when the foot is flat
SEAT_H = 0.23  # chair seat height: a seated shin is vertical with the foot flat
HIP_ON_SEAT = SEAT_H + 0.03

BACKGROUND = (246, 243, 236)
BODY = (43, 45, 66)
BODY_FAR = (150, 160, 180)
ACCENT = (231, 111, 81)
ACCENT_FAR = (244, 174, 140)
PROP = (170, 140, 105)
FLOOR = (120, 110, 95)
MAT = (205, 222, 214)

Point = tuple[float, float]


@dataclass(frozen=True)
class Pose:
    """One key frame. Arms are (upper arm, forearm), legs (thigh, shin, foot) angles.

    `near` limbs face the viewer and are drawn dark; `far` ones are drawn pale behind.
    `anchor` "floor" puts the lowest point on the floor, "seat" puts the hip on the chair.
    `fix` names the joint kept at horizontal position `x` (so feet stay put between frames).
    `active` names what is working, drawn in the accent colour: arm, arm_far, leg, leg_far,
    torso, head, hip. `props`: chair (under a seated hip, at `chair_x`), chair-ahead (its
    backrest under the near hand), desk (its top under the near hand), wall (at `wall_x`),
    mat (under a floor exercise).
    """

    torso: float = 0
    neck: float | None = None
    arm: tuple[float, float] = (180, 175)
    arm_far: tuple[float, float] = (180, 175)
    leg: tuple[float, float, float] = (180, 180, 90)
    leg_far: tuple[float, float, float] = (180, 180, 90)
    anchor: str = "floor"
    fix: str = "hip"
    x: float = 0.0
    lift: float = 0.0
    active: tuple[str, ...] = ()
    props: tuple[str, ...] = ()
    chair_x: float = 0.0
    wall_x: float = -0.12


def _with(pose: Pose, **changes: object) -> Pose:
    return replace(pose, **changes)  # type: ignore[arg-type]


# -- base poses ------------------------------------------------------------------------------

STAND = Pose()
SIT = Pose(anchor="seat", arm=(165, 95), arm_far=(165, 95), leg=(90, 180, 90),
           leg_far=(90, 180, 90), props=("chair",))  # fmt: skip
SIT_TALL = _with(SIT, x=0.0)
# Lying on the back, head to the left, legs long to the right.
SUPINE = Pose(torso=270, neck=272, arm=(95, 90), arm_far=(95, 90), leg=(90, 90, 5),
              leg_far=(90, 90, 5), props=("mat",))  # fmt: skip
# On the back with knees bent and feet flat (hook lying).
HOOK = _with(SUPINE, leg=(45, 135, 90), leg_far=(45, 135, 90), fix="ankle", x=0.3)
ALL_FOURS = Pose(torso=90, neck=105, arm=(180, 180), arm_far=(180, 180), leg=(180, 270, 270),
                 leg_far=(180, 270, 270), props=("mat",))  # fmt: skip
HANDS_ON_DESK = _with(STAND, arm=(150, 125), arm_far=(150, 125), props=("desk",))
CROSSED = (150, 10)  # arms folded on the chest
KNEEL = Pose(torso=0, leg=(180, 270, 240), leg_far=(90, 180, 90), arm=(175, 170),
             arm_far=(175, 170), fix="ankle_far", x=0.25, props=("mat",))  # fmt: skip

FRAMES: dict[str, tuple[Pose, ...]] = {
    # psoas strength
    "seated-knee-lift-hold": (SIT, _with(SIT, leg=(68, 165, 95), active=("leg",))),
    "seated-march": (
        _with(SIT, leg=(55, 160, 100), active=("leg",)),
        _with(SIT, leg_far=(55, 160, 100), active=("leg_far",)),
    ),
    "standing-knee-raise-hold": (STAND, _with(STAND, leg=(90, 180, 95), active=("leg",))),
    "standing-slow-march": (
        _with(STAND, leg=(80, 175, 95), arm_far=(155, 130), active=("leg",)),
        _with(STAND, leg_far=(80, 175, 95), arm=(155, 130), active=("leg_far",)),
    ),
    "lying-tabletop-hold": (HOOK, _with(HOOK, leg=(0, 90, 45), active=("leg",))),
    # psoas mobility
    "seated-pelvic-tilt": (
        _with(SIT, torso=10, active=("torso", "hip")),
        _with(SIT, torso=-12, neck=0, active=("torso", "hip")),
    ),
    "standing-pelvic-tilt": (
        _with(STAND, torso=8, arm=(200, 95), arm_far=(200, 95), active=("torso", "hip")),
        _with(STAND, torso=-10, neck=0, arm=(200, 95), arm_far=(200, 95), leg=(170, 190, 90),
              leg_far=(170, 190, 90), active=("torso", "hip")),
    ),
    "leg-swings": (
        _with(STAND, leg=(135, 150, 100), arm_far=(200, 190), fix="ankle_far", active=("leg",)),
        _with(STAND, leg=(215, 215, 130), arm_far=(200, 190), fix="ankle_far", active=("leg",)),
    ),
    "windshield-wipers": (
        _with(HOOK, arm=(300, 300), arm_far=(300, 300), active=("leg",)),
        _with(HOOK, arm=(300, 300), arm_far=(300, 300), leg=(75, 105, 90),
              leg_far=(75, 105, 90), active=("leg",)),
    ),
    "supine-hip-flexor-release": (
        SUPINE,
        _with(SUPINE, leg_far=(330, 110, 40), arm=(45, 30), arm_far=(45, 30), active=("leg",)),
    ),
    # hip extensors
    "glute-bridge": (
        _with(HOOK, active=("hip",)),
        _with(HOOK, torso=250, neck=272, leg=(80, 130, 90), leg_far=(80, 130, 90),
              active=("hip", "torso", "leg")),
    ),
    "standing-hip-extension": (
        HANDS_ON_DESK,
        _with(HANDS_ON_DESK, torso=8, leg=(205, 200, 110), active=("leg", "hip")),
    ),
    "seated-glute-squeeze": (SIT, _with(SIT, lift=0.02, active=("hip",))),
    "standing-hamstring-curl": (
        HANDS_ON_DESK,
        _with(HANDS_ON_DESK, leg=(185, 305, 240), active=("leg",)),
    ),
    "sit-to-stand": (
        _with(SIT, torso=25, arm=CROSSED, arm_far=CROSSED, leg=(90, 190, 90),
              leg_far=(90, 190, 90)),
        _with(STAND, x=0.24, arm=CROSSED, arm_far=CROSSED, props=("chair",),
              active=("hip", "leg")),
    ),
    # core
    "dead-bug": (
        _with(SUPINE, arm=(0, 0), arm_far=(0, 0), leg=(0, 90, 30), leg_far=(0, 90, 30),
              fix="hip", x=0.0, active=("torso",)),
        _with(SUPINE, arm=(290, 280), arm_far=(0, 0), leg=(0, 90, 30), leg_far=(85, 88, 20),
              fix="hip", x=0.0, active=("torso", "arm", "leg_far")),
    ),
    "bird-dog": (
        ALL_FOURS,
        _with(ALL_FOURS, arm=(90, 90), leg_far=(270, 270, 200), active=("arm", "leg_far")),
    ),
    "standing-brace": (
        _with(STAND, arm=(170, 60), arm_far=(200, 80)),
        _with(STAND, arm=(170, 60), arm_far=(200, 80), active=("torso",)),
    ),
    "seated-abdominal-hollowing": (SIT, _with(SIT, active=("torso",))),
    "desk-plank": (
        _with(HANDS_ON_DESK, torso=35, neck=40, arm=(140, 140), arm_far=(140, 140),
              leg=(215, 215, 110), leg_far=(215, 215, 110), fix="ankle", x=-0.2),
        _with(HANDS_ON_DESK, torso=35, neck=40, arm=(140, 140), arm_far=(140, 140),
              leg=(215, 215, 110), leg_far=(215, 215, 110), fix="ankle", x=-0.2,
              active=("torso", "hip")),
    ),
    # posture
    "chin-tucks": (
        _with(SIT, torso=5, neck=40),
        _with(SIT, torso=0, neck=-8, active=("head",)),
    ),
    "wall-angels": (
        _with(STAND, props=("wall",), wall_x=-0.07, arm=(170, 120), arm_far=(170, 120),
              active=("arm",)),
        _with(STAND, props=("wall",), wall_x=-0.07, arm=(350, 355), arm_far=(350, 355),
              active=("arm",)),
    ),
    "shoulder-blade-squeeze": (
        _with(SIT, arm=(160, 75), arm_far=(160, 75)),
        _with(SIT, arm=(225, 100), arm_far=(225, 100), active=("arm",)),
    ),
    "tall-sitting-reset": (
        _with(SIT, torso=-18, neck=30, x=0.03),
        _with(SIT, torso=0, neck=0, active=("torso", "head")),
    ),
    "seated-back-extension": (
        _with(SIT, arm=CROSSED, arm_far=CROSSED),
        _with(SIT, torso=-14, neck=-35, arm=(130, 350), arm_far=(130, 350), active=("torso",)),
    ),
    # stretches
    "half-kneeling-lunge": (
        KNEEL,
        _with(KNEEL, torso=-3, leg=(205, 270, 240), leg_far=(110, 165, 90), active=("leg", "hip")),
    ),
    "split-stance-lunge": (
        _with(STAND, leg=(200, 200, 110), leg_far=(160, 160, 90), fix="ankle_far", x=0.25),
        _with(STAND, leg=(215, 215, 120), leg_far=(130, 175, 90), fix="ankle_far", x=0.25,
              active=("leg", "hip")),
    ),
    "chair-supported-lunge": (
        _with(STAND, arm=(150, 120), arm_far=(150, 120), leg=(200, 200, 110),
              leg_far=(160, 160, 90), props=("chair-ahead",)),
        _with(STAND, arm=(140, 120), arm_far=(140, 120), leg=(220, 215, 120),
              leg_far=(130, 178, 90), props=("chair-ahead",), active=("leg", "hip")),
    ),
    "seated-edge-hip-stretch": (
        _with(SIT, chair_x=-0.1),
        _with(SIT, chair_x=-0.1, leg=(215, 262, 250), active=("leg", "hip")),
    ),
    "standing-quad-hip-stretch": (
        STAND,
        _with(STAND, leg=(185, 330, 250), arm=(220, 175), active=("leg",)),
    ),
}

# These were written start pose first; show the working pose first instead, because the first
# frame is the one shown alone (contact sheet, lists). The animation loops, so nothing is lost.
_WORKING_POSE_FIRST = {
    "seated-knee-lift-hold", "standing-knee-raise-hold", "lying-tabletop-hold",
    "supine-hip-flexor-release", "glute-bridge", "standing-hip-extension", "seated-glute-squeeze",
    "standing-hamstring-curl", "dead-bug", "bird-dog", "standing-brace",
    "seated-abdominal-hollowing", "chin-tucks", "shoulder-blade-squeeze", "tall-sitting-reset",
    "seated-back-extension", "half-kneeling-lunge", "seated-edge-hip-stretch",
    "standing-quad-hip-stretch", "wall-angels",
}  # fmt: skip
FRAMES = {k: v[::-1] if k in _WORKING_POSE_FIRST else v for k, v in FRAMES.items()}

# Pictures for exercises without their own entry (a user's extra file).
DEFAULT_BY_KIND: dict[tuple[str, str], tuple[Pose, ...]] = {
    ("psoas-strength", "chair"): FRAMES["seated-knee-lift-hold"],
    ("psoas-strength", "standing"): FRAMES["standing-knee-raise-hold"],
    ("psoas-strength", "floor"): FRAMES["lying-tabletop-hold"],
    ("psoas-mobility", "chair"): FRAMES["seated-pelvic-tilt"],
    ("psoas-mobility", "standing"): FRAMES["standing-pelvic-tilt"],
    ("psoas-mobility", "floor"): FRAMES["windshield-wipers"],
    ("hip-extensors", "chair"): FRAMES["seated-glute-squeeze"],
    ("hip-extensors", "standing"): FRAMES["standing-hip-extension"],
    ("hip-extensors", "floor"): FRAMES["glute-bridge"],
    ("core", "chair"): FRAMES["seated-abdominal-hollowing"],
    ("core", "standing"): FRAMES["standing-brace"],
    ("core", "floor"): FRAMES["dead-bug"],
    ("posture", "chair"): FRAMES["tall-sitting-reset"],
    ("posture", "standing"): FRAMES["wall-angels"],
    ("posture", "floor"): (SUPINE,),
    ("stretch", "chair"): FRAMES["seated-edge-hip-stretch"],
    ("stretch", "standing"): FRAMES["split-stance-lunge"],
    ("stretch", "floor"): FRAMES["half-kneeling-lunge"],
}
DEFAULT_BY_PLACE: dict[str, tuple[Pose, ...]] = {
    "chair": (SIT,), "standing": (STAND,), "floor": (HOOK,),
}  # fmt: skip


def poses_for(exercise: Exercise) -> tuple[Pose, ...]:
    """The key frames for an exercise: its own, else a default for its kind or place."""
    return (
        FRAMES.get(exercise.id)
        or DEFAULT_BY_KIND.get((exercise.category, exercise.where))
        or DEFAULT_BY_PLACE.get(exercise.where, (STAND,))
    )


# -- geometry --------------------------------------------------------------------------------


def _toward(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.sin(a), p[1] + length * math.cos(a))


def joints(pose: Pose) -> dict[str, Point]:
    """World positions (y up, floor at 0) of every joint of a pose."""
    j: dict[str, Point] = {"hip": (0.0, 0.0)}
    j["shoulder"] = _toward(j["hip"], pose.torso, TORSO)
    neck = pose.torso if pose.neck is None else pose.neck
    j["head"] = _toward(j["shoulder"], neck, NECK + HEAD_R)
    for side, (upper, fore) in (("", pose.arm), ("_far", pose.arm_far)):
        j["elbow" + side] = _toward(j["shoulder"], upper, UPPER_ARM)
        j["hand" + side] = _toward(j["elbow" + side], fore, FOREARM)
    for side, (thigh, shin, foot) in (("", pose.leg), ("_far", pose.leg_far)):
        j["knee" + side] = _toward(j["hip"], thigh, THIGH)
        j["ankle" + side] = _toward(j["knee" + side], shin, SHIN)
        j["toe" + side] = _toward(j["ankle" + side], foot, FOOT)
    if pose.anchor == "seat":
        dx, dy = pose.chair_x + 0.02 - j["hip"][0], HIP_ON_SEAT + pose.lift
    else:
        lowest = min(y - _RADIUS.get(name, ANKLE_H) for name, (_, y) in j.items())
        dx, dy = pose.x - j[pose.fix][0], pose.lift - lowest
    return {name: (x + dx, y + dy) for name, (x, y) in j.items()}


_RADIUS = {"head": HEAD_R, "hip": 0.04, "shoulder": 0.04, "hand": 0.02, "hand_far": 0.02,
           "knee": 0.025, "knee_far": 0.025, "elbow": 0.02, "elbow_far": 0.02}  # fmt: skip

# Line widths in body units.
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
    first = joints(poses[0])
    for pose in poses:
        j = joints(pose)
        all_props.append(_props(pose, j, first))
        figures.append(_figure(pose, j))
    return all_props, figures


def _props(pose: Pose, j: dict[str, Point], first: dict[str, Point]) -> list[_Line]:
    lines: list[_Line] = []
    if "mat" in pose.props:
        lines.append(_Line(((-0.7, 0.006), (0.9, 0.006)), 0.012, MAT))
    if "wall" in pose.props:
        lines.append(_Line(((pose.wall_x, 0.0), (pose.wall_x, 1.15)), 0.03, PROP))
    chair_x = None
    if "chair" in pose.props:
        chair_x = pose.chair_x
    if "chair-ahead" in pose.props:
        # The backrest sits under the near hand of the first frame, so it stays put.
        chair_x = first["hand"][0] + 0.14
    if chair_x is not None:
        c = chair_x
        back_top = SEAT_H + 0.32
        lines += [
            _Line(((c - 0.13, 0.0), (c - 0.13, back_top)), 0.03, PROP),  # back leg and backrest
            _Line(((c - 0.13, SEAT_H), (c + 0.13, SEAT_H)), 0.035, PROP),  # seat
            _Line(((c + 0.12, 0.0), (c + 0.12, SEAT_H)), 0.03, PROP),  # front leg
        ]
    if "desk" in pose.props:
        hx, hy = first["hand"]
        top = hy - 0.02
        lines += [
            _Line(((hx - 0.04, top), (hx + 0.5, top)), 0.035, PROP),
            _Line(((hx + 0.02, 0.0), (hx + 0.02, top)), 0.03, PROP),
        ]
    lines.append(_Line(((-2.0, -0.01), (2.0, -0.01)), 0.02, FLOOR))
    return lines


def _figure(pose: Pose, j: dict[str, Point]) -> list[_Line]:
    def colour(part: str, far: bool = False) -> tuple[int, int, int]:
        if part in pose.active:
            return ACCENT_FAR if far else ACCENT
        return BODY_FAR if far else BODY

    far_arm = ("shoulder", "elbow_far", "hand_far")
    far_leg = ("hip", "knee_far", "ankle_far", "toe_far")
    lines = [
        _Line(tuple(j[n] for n in far_leg), LIMB_W, colour("leg_far", True)),
        _Line(tuple(j[n] for n in far_arm), LIMB_W, colour("arm_far", True)),
        _Line((j["hip"], j["shoulder"]), TORSO_W, colour("torso")),
        _Line((j["shoulder"], _toward(j["shoulder"], _angle(j["shoulder"], j["head"]), NECK)),
              LIMB_W, colour("head")),
        _Line((j["head"],), HEAD_R * 2, colour("head")),
        _Line((j["hip"], j["knee"], j["ankle"], j["toe"]), LIMB_W, colour("leg")),
        _Line((j["shoulder"], j["elbow"], j["hand"]), LIMB_W, colour("arm")),
    ]
    if "hip" in pose.active:
        lines.append(_Line((j["hip"],), 0.075, ACCENT))
    # A light eye on the face side of the head, so the facing is obvious.
    face = _angle(j["shoulder"], j["head"]) + 90
    lines.append(_Line((_toward(j["head"], face - 25, HEAD_R * 0.55),), 0.022, BACKGROUND))
    return lines


def _angle(a: Point, b: Point) -> float:
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))


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
    for prop_lines, figure_lines in zip(props, figures, strict=True):
        image = Image.new("RGB", (big, big), BACKGROUND)
        draw = ImageDraw.Draw(image)
        for line in [*prop_lines, *figure_lines]:
            _draw(draw, [px(p) for p in line.points], line.width * scale, line.colour)
        images.append(image.resize((size, size), Image.Resampling.LANCZOS))
    return images


def _draw(draw: ImageDraw.ImageDraw, pts: list[tuple[float, float]], width: float,
          colour: tuple[int, int, int]) -> None:  # fmt: skip
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

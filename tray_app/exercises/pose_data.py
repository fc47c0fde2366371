"""The key frames of every built-in exercise, working pose first (the first frame is the one
shown alone, in lists and on the contact sheet), and defaults for a user's own exercises.

Hands and feet are placed with `reach` and `plant`, so they touch what the words say they
touch; tests/exercises/test_poses.py measures each picture against its words.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from tray_app.core.exercise import WALK_ID, Exercise
from tray_app.exercises.poses import (
    ANKLE_H,
    SHIN,
    THIGH,
    Point,
    Pose,
    along_torso,
    joints,
    near_joint,
    on_desk,
    on_floor,
    plant,
    reach,
    with_,
)

Joints = dict[str, Point]


def _between(a: str, b: str, part: float, dy: float) -> Callable[[Joints], Point]:
    return lambda j: (j[a][0] + part * (j[b][0] - j[a][0]),
                      j[a][1] + part * (j[b][1] - j[a][1]) + dy)  # fmt: skip


def _hands_on_thighs(pose: Pose) -> Pose:
    pose = reach(pose, _between("hip", "knee", 0.65, 0.04))
    return reach(pose, _between("hip", "knee_far", 0.65, 0.04), "_far")


def _hands_on_seat(pose: Pose) -> Pose:
    """Both hands holding the sides of the seat, just in front of the hip."""
    pose = reach(pose, near_joint("hip", 0.05, -0.02))
    return reach(pose, near_joint("hip", 0.05, -0.02), "_far")


def _arms_crossed(pose: Pose) -> Pose:
    pose = reach(pose, along_torso(0.8, 0.06))
    return reach(pose, along_torso(0.8, 0.06), "_far")


def _feet_at(pose: Pose, near: float, far: float | None = None) -> Pose:
    pose = plant(pose, on_floor(near))
    return plant(pose, on_floor(near if far is None else far), "_far")


def _hands_on_desk(pose: Pose, near: float, far: float | None = None) -> Pose:
    pose = reach(pose, on_desk(near))
    return reach(pose, on_desk(near if far is None else far), "_far")


# -- base poses ------------------------------------------------------------------------------

STAND = Pose()
_SIT = Pose(anchor="seat", leg=(90, 180, 90), leg_far=(90, 180, 90), props=("chair",))
SIT = _hands_on_thighs(_SIT)
SIT_FRONT = _hands_on_thighs(with_(_SIT, perch=0.08))  # near the front of the seat
SIT_HOLD = _hands_on_seat(with_(_SIT, perch=0.08))
SIT_CROSSED = _arms_crossed(with_(_SIT, perch=0.08))
# Lying on the back, head to the left, legs long to the right, arms by the sides.
# The head is drawn thicker than the trunk, so the neck lifts it a little to let the back lie flat.
SUPINE = Pose(torso=270, neck=288, arm=(95, 90), arm_far=(95, 90), leg=(90, 90, 5),
              leg_far=(90, 90, 5), props=("mat",), rest="hip")  # fmt: skip
# On the back with knees bent and feet flat (hook lying), heels a foot's length from the hips.
HOOK = _feet_at(with_(SUPINE, leg=(40, 150, 90), leg_far=(40, 150, 90)), 0.22)
# Hands under the shoulders, knees under the hips: the arms are longer than the thighs, so the
# back rises a little towards the shoulders.
ALL_FOURS = Pose(torso=78, neck=95, arm=(180, 180), arm_far=(180, 180), leg=(180, 270, 270),
                 leg_far=(180, 270, 270), props=("mat",), rest="knee")  # fmt: skip
# Seen from the front, for sideways moves: seated with the feet wide, and standing with the
# feet hip-width apart. How far knees sway (body units) and how far a side bend goes (degrees).
SIT_WIDE = with_(_SIT, front=True, wide=0.04)
STAND_FRONT = with_(STAND, front=True)
SWAY, SIDE_BEND = 0.08, 22
HOOK_ABOVE, WIPE = with_(HOOK, front=True, wide=0.04), 0.11  # lying, seen from above
BESIDE_DESK = reach(with_(STAND, props=("desk",), desk_x=-0.3), on_desk(0.07), "_far")
# For a knee raised in front: the desk behind the hip, so the thigh never seems to rest on it.
DESK_BEHIND = reach(with_(STAND, props=("desk",), desk_x=-0.62), on_desk(-0.15), "_far")
FACING_DESK = _hands_on_desk(with_(STAND, torso=5, props=("desk",), desk_x=0.15), 0.18)


def _knee_lift(pose: Pose, thigh: float, side: str = "") -> Pose:
    leg = (thigh, 180 - (90 - thigh) * 0.3, 95)
    return with_(pose, **{"leg" + side: leg}, active=("leg" + side,))


def _seated_lift(knee_rise: float) -> tuple[float, float, float]:
    """A seated leg whose knee rises `knee_rise` above the seat, the shin hanging."""
    thigh = 90 - math.degrees(math.asin(knee_rise / 0.24))
    return (thigh, 182, 95)


# Kneeling on the near knee, shin and top of the foot on the mat, far foot flat in front.
_KNEEL = Pose(torso=0, leg=(180, 270, 270), leg_far=(90, 180, 90), fix="knee", x=0.0,
              rest="knee", props=("mat",))  # fmt: skip
KNEEL = plant(_KNEEL, on_floor(0.24), "_far")


def _lunge(pose: Pose, front: float, bend: float) -> Pose:
    """A split stance: the far foot flat at `front` with its knee bent by `bend` degrees, the
    near leg straight behind, on its toes with the heel raised; the trunk upright."""
    pose = with_(pose, leg_far=(180 - bend, 180 + bend * 0.2, 90), leg=(200, 200, 125),
                 fix="ankle_far", x=front, rest="ankle_far")  # fmt: skip
    hip_y = joints(pose)["hip"][1]
    back = 180 + math.degrees(math.acos((hip_y - ANKLE_H - 0.04) / (THIGH + SHIN)))
    return with_(pose, leg=(back, back, 125))


FRAMES: dict[str, tuple[Pose, ...]] = {
    # psoas strength
    "seated-knee-lift-hold": (
        _hands_on_thighs(with_(SIT_FRONT, leg=_seated_lift(0.05), active=("leg",))),
        SIT_FRONT,
    ),
    "seated-march": (
        _hands_on_seat(with_(SIT_HOLD, leg=(55, 160, 100), active=("leg",))),
        _hands_on_seat(with_(SIT_HOLD, leg_far=(55, 160, 100), active=("leg_far",))),
    ),
    "seated-high-knee-hold": (
        with_(SIT_HOLD, leg=(45, 150, 100), active=("leg",)),
        SIT_HOLD,
    ),
    "seated-knee-press-up": (
        reach(with_(SIT, leg=_seated_lift(0.03), active=("leg", "arm")),
              near_joint("knee", 0.0, 0.04)),
        reach(SIT, near_joint("knee", 0.0, 0.04)),
    ),
    "standing-knee-raise-hold": (
        with_(DESK_BEHIND, leg=(90, 180, 95), active=("leg",)),
        DESK_BEHIND,
    ),
    "standing-slow-march": (
        _knee_lift(DESK_BEHIND, 80),
        _knee_lift(DESK_BEHIND, 80, "_far"),
    ),
    "standing-knee-drive": (
        _knee_lift(DESK_BEHIND, 90),
        with_(DESK_BEHIND, leg=(196, 196, 120), fix="ankle_far"),
    ),
    "standing-knee-press": (
        reach(with_(DESK_BEHIND, leg=(90, 180, 95), active=("leg", "arm")),
              near_joint("knee", -0.02, 0.035)),
        DESK_BEHIND,
    ),
    "lying-heel-slide-lift": (
        with_(HOOK, leg=(0, 90, 45), active=("leg",)),
        plant(with_(SUPINE, active=("leg",)), on_floor(0.22), "_far"),
    ),
    "lying-tabletop-hold": (
        with_(HOOK, leg=(0, 90, 45), active=("leg",)),
        HOOK,
    ),
    # psoas mobility
    "seated-pelvic-tilt": (
        _hands_on_thighs(with_(SIT_FRONT, torso=3, pelvis=115, active=("hip",))),
        _hands_on_thighs(with_(SIT_FRONT, torso=-3, pelvis=65, active=("hip",))),
    ),
    "seated-knee-circles": (
        with_(SIT_HOLD, leg=(72, 172, 95), active=("leg",)),
        with_(SIT_HOLD, leg=(84, 160, 100), active=("leg",)),
        with_(SIT_HOLD, leg=(86, 190, 90), active=("leg",)),
    ),
    # Seen from the front, as the sways go: to the right (the viewer's left), then the left;
    # the feet wide and still, the hands riding on the thighs. Every frame is a sway, so the
    # window shows one per repetition (core.tempo.frame_at).
    "seated-knee-sways": (
        with_(SIT_WIDE, sway=-SWAY, active=("leg", "leg_far")),
        with_(SIT_WIDE, sway=SWAY, active=("leg", "leg_far")),
    ),
    # Seen from the front: a hike lifts one side of the pelvis, which a side view hides.
    "seated-hip-hikes": (
        with_(_SIT, front=True, hike=18, active=("hip",)),
        with_(_SIT, front=True),
    ),
    "standing-pelvic-tilt": (
        reach(reach(with_(STAND, torso=3, pelvis=115, active=("hip",)),
                    near_joint("hip", 0.0, 0.03)), near_joint("hip", 0.0, 0.03), "_far"),
        reach(reach(with_(STAND, torso=-3, pelvis=65, active=("hip",)),
                    near_joint("hip", 0.0, 0.03)), near_joint("hip", 0.0, 0.03), "_far"),
    ),
    "leg-swings": (
        with_(BESIDE_DESK, leg=(145, 160, 100), fix="ankle_far", active=("leg",)),
        with_(BESIDE_DESK, leg=(198, 198, 120), fix="ankle_far", active=("leg",)),
    ),
    # Seen from above, where knees dropping to one side show: to the right (the viewer's
    # left), then to the left, the feet wide and the shoulders still.
    "windshield-wipers": (
        with_(HOOK_ABOVE, sway=-WIPE, active=("leg", "leg_far")),
        with_(HOOK_ABOVE, sway=WIPE, active=("leg", "leg_far")),
    ),
    "lying-pelvic-tilt": (
        with_(HOOK, pelvis=115, active=("hip",)),
        with_(HOOK, pelvis=65, active=("hip",)),
    ),
    # hip extensors
    "lying-heel-press": (
        with_(HOOK, active=("leg", "leg_far", "hip")),
        HOOK,
    ),
    "seated-glute-squeeze": (
        _hands_on_thighs(_feet_at(with_(SIT, lift=0.015, active=("hip",)), 0.26)),
        SIT,
    ),
    "seated-heel-dig": (
        plant(with_(SIT, leg=(90, 160, 40), active=("leg", "hip")), (0.35, 0.045)),
        plant(with_(SIT, leg=(90, 160, 40)), (0.35, 0.045)),
    ),
    "seated-thigh-press": (
        with_(SIT, active=("leg", "hip")),
        SIT,
    ),
    "seated-hip-hinge": (
        _arms_crossed(with_(SIT_CROSSED, torso=35, active=("hip", "torso"))),
        SIT_CROSSED,
    ),
    "standing-hip-extension": (
        _hands_on_desk(with_(FACING_DESK, torso=4, leg=(198, 198, 115), fix="ankle_far",
                             active=("leg", "hip")), 0.2),
        FACING_DESK,
    ),
    "standing-hip-hinge": (
        _hands_on_desk(with_(FACING_DESK, torso=50, neck=55, fix="ankle", x=0.0,
                             leg=(163, 183, 90), leg_far=(163, 183, 90), desk_x=0.17,
                             active=("hip", "leg")), 0.2),
        _hands_on_desk(with_(FACING_DESK, desk_x=0.17, fix="ankle"), 0.2),
    ),
    "desk-squat": (
        _hands_on_desk(with_(FACING_DESK, torso=30, neck=35, fix="ankle", x=0.0,
                             leg=(120, 200, 90), leg_far=(120, 200, 90),
                             active=("hip", "leg")), 0.2),
        _hands_on_desk(with_(FACING_DESK, fix="ankle"), 0.2),
    ),
    "glute-bridge": (
        _feet_at(with_(HOOK, torso=248, neck=285, fix="shoulder", x=-0.3, rest="shoulder",
                       active=("hip", "torso", "leg")), 0.22),
        with_(HOOK, active=("hip",)),
    ),
    # core
    "seated-abdominal-hollowing": (with_(SIT_FRONT, active=("torso",)), SIT_FRONT),
    "seated-lean-back-hold": (
        _arms_crossed(with_(SIT_CROSSED, torso=-12, active=("torso",))),
        SIT_CROSSED,
    ),
    "seated-opposite-reach": (
        reach(with_(SIT_HOLD, arm=(90, 90), leg_far=_seated_lift(0.04),
                    active=("arm", "leg_far")), near_joint("hip", 0.05, -0.02), "_far"),
        reach(with_(SIT_HOLD, arm_far=(90, 90), leg=_seated_lift(0.04),
                    active=("arm_far", "leg")), near_joint("hip", 0.05, -0.02)),
    ),
    "seated-cross-press": (
        reach(with_(SIT, leg=_seated_lift(0.03), active=("torso", "arm_far", "leg")),
              near_joint("knee", 0.0, 0.04), "_far"),
        reach(SIT, near_joint("knee", 0.0, 0.04), "_far"),
    ),
    "standing-brace": (
        reach(reach(with_(STAND, active=("torso",)), along_torso(0.35, 0.06)),
              along_torso(0.3, -0.06), "_far", bend=-1),
        reach(reach(STAND, along_torso(0.35, 0.06)), along_torso(0.3, -0.06), "_far", bend=-1),
    ),
    "desk-plank": (
        _hands_on_desk(with_(FACING_DESK, torso=35, neck=40, leg=(215, 215, 110),
                             leg_far=(215, 215, 110), fix="ankle", x=-0.2,
                             desk_x=0.25, active=("torso", "hip")), 0.28),
        _hands_on_desk(with_(FACING_DESK, torso=35, neck=40, leg=(215, 215, 110),
                             leg_far=(215, 215, 110), fix="ankle", x=-0.2, desk_x=0.25), 0.28),
    ),
    "standing-cross-press": (
        reach(with_(STAND, leg=(90, 180, 95), active=("torso", "arm_far", "leg")),
              near_joint("knee", 0.0, 0.04), "_far"),
        STAND,
    ),
    "dead-bug": (
        with_(SUPINE, arm=(290, 280), arm_far=(0, 0), leg=(0, 90, 30), leg_far=(80, 85, 20),
              active=("torso", "arm", "leg_far")),
        with_(SUPINE, arm=(0, 0), arm_far=(0, 0), leg=(0, 90, 30), leg_far=(0, 90, 30),
              active=("torso",)),
    ),
    "bird-dog": (
        with_(ALL_FOURS, arm=(90, 90), leg_far=(270, 270, 200), active=("arm", "leg_far")),
        ALL_FOURS,
    ),
    # posture
    "chin-tucks": (
        with_(SIT, neck=-6, active=("head",)),
        with_(SIT, neck=28),
    ),
    "shoulder-blade-squeeze": (
        with_(SIT, arm=(215, 95), arm_far=(215, 95), active=("arm", "arm_far")),
        with_(SIT, arm=(160, 75), arm_far=(160, 75)),
    ),
    "tall-sitting-reset": (
        _hands_on_thighs(with_(SIT, perch=-0.06, active=("torso", "head"))),
        _hands_on_thighs(with_(SIT, perch=-0.03, torso=-16, neck=25, wrong=True)),  # the slump
    ),
    "seated-back-extension": (
        _arms_crossed(with_(SIT_CROSSED, torso=0, neck=0, active=("torso",))),
        _arms_crossed(with_(SIT_CROSSED, torso=7, neck=22)),
    ),
    "standing-elbow-pull": (
        with_(STAND, arm=(215, 95), arm_far=(215, 95), active=("arm", "arm_far")),
        with_(STAND, arm=(160, 75), arm_far=(160, 75)),
    ),
    "standing-chest-opener": (
        with_(STAND, arm=(190, 185), arm_far=(190, 185), neck=-4,
              active=("arm", "arm_far", "head")),
        with_(STAND, torso=4, neck=22, arm=(172, 170), arm_far=(172, 170)),
    ),
    "lying-chin-nod": (
        with_(HOOK, neck=278, active=("head",)),
        with_(HOOK, neck=296),
    ),
    "lying-arm-slides": (
        with_(HOOK, arm=(270, 270), arm_far=(270, 270), active=("arm", "arm_far")),
        with_(HOOK, arm=(200, 270), arm_far=(200, 270), short=("upper_arm", "upper_arm_far"),
              shorten=0.3),
    ),
    "wall-angels": (
        with_(STAND, props=("wall",), wall_x=-0.07, leg=(170, 172, 90), leg_far=(170, 172, 90),
              arm=(270, 0), arm_far=(270, 0), short=("upper_arm", "upper_arm_far"),
              shorten=0.3, active=("arm", "arm_far")),
        with_(STAND, props=("wall",), wall_x=-0.07, leg=(170, 172, 90), leg_far=(170, 172, 90),
              arm=(355, 0), arm_far=(355, 0), active=("arm", "arm_far")),
    ),
    "wall-posture-check": (
        reach(with_(STAND, props=("wall",), wall_x=-0.07, leg=(174, 178, 90),
                    leg_far=(174, 178, 90), active=("torso", "head")),
              near_joint("hip", -0.035, 0.06), bend=-1),
        with_(STAND, props=("wall",), wall_x=-0.07, leg=(174, 178, 90), leg_far=(174, 178, 90)),
    ),
    # stretches
    "seated-figure-four": (
        plant(_hands_on_thighs(with_(SIT_FRONT, torso=28, neck=32, short=("thigh", "shin"),
                                     shorten=0.55, leg=(85, 95, 60), active=("leg", "hip"))),
              near_joint("knee_far", -0.02, 0.05), bend=-1),
        plant(_hands_on_thighs(with_(SIT_FRONT, short=("thigh", "shin"), shorten=0.55,
                                     leg=(85, 95, 60))),
              near_joint("knee_far", -0.02, 0.05), bend=-1),
    ),
    "seated-hamstring-stretch": (
        reach(plant(with_(SIT_FRONT, torso=30, neck=34, leg=(100, 100, 30), active=("leg",)),
                    on_floor(0.55)), near_joint("knee", -0.02, 0.035)),
        reach(plant(with_(SIT_FRONT, leg=(100, 100, 30)), on_floor(0.55)),
              near_joint("knee", -0.02, 0.035)),
    ),
    "seated-knee-hug": (
        reach(reach(with_(SIT, leg=(25, 160, 120), active=("leg",)),
                    near_joint("knee", 0.035, -0.06)),
              near_joint("knee", 0.035, -0.06), "_far"),
        SIT,
    ),
    # Seen from the front, as the bend goes: the right arm up and over to the left (the
    # viewer's right), then the left arm over to the right, then the start.
    "seated-side-reach": (
        with_(SIT_WIDE, lean=SIDE_BEND, overhead="arm", active=("arm", "torso")),
        with_(SIT_WIDE, lean=-SIDE_BEND, overhead="arm_far", active=("arm_far", "torso")),
        SIT_WIDE,
    ),
    "standing-side-reach": (
        with_(STAND_FRONT, lean=SIDE_BEND, overhead="arm", active=("arm", "torso")),
        with_(STAND_FRONT, lean=-SIDE_BEND, overhead="arm_far", active=("arm_far", "torso")),
        STAND_FRONT,
    ),
    "split-stance-lunge": (
        reach(with_(_lunge(with_(STAND, props=("desk",), desk_x=-0.3), 0.2, 35),
                    active=("leg", "hip")), on_desk(-0.08), "_far"),
        reach(_lunge(with_(STAND, props=("desk",), desk_x=-0.3), 0.2, 25),
              on_desk(-0.05), "_far"),
    ),
    "desk-supported-lunge": (
        _hands_on_desk(with_(_lunge(with_(FACING_DESK, desk_x=0.3), 0.15, 35),
                             active=("leg", "hip")), 0.32),
        _hands_on_desk(_lunge(with_(FACING_DESK, desk_x=0.3), 0.15, 25), 0.32),
    ),
    "standing-quad-hip-stretch": (
        reach(with_(BESIDE_DESK, leg=(183, 355, 330), active=("leg",)), near_joint("ankle"),
              bend=-1),
        BESIDE_DESK,
    ),
    "half-kneeling-lunge": (
        plant(with_(KNEEL, torso=-2, leg=(205, 270, 270), fix="knee", x=0.0,
                    active=("leg", "hip")), on_floor(0.3), "_far"),
        KNEEL,
    ),
    "supine-hip-flexor-release": (
        reach(reach(with_(SUPINE, leg_far=(330, 110, 40), active=("leg",)),
                    near_joint("knee_far", 0.0, 0.03)), near_joint("knee_far", 0.0, 0.03), "_far"),
        SUPINE,
    ),
    # Standing work that needs neither balance nor a back bend: both feet stay on the floor,
    # or both hands on the desk.
    "standing-thigh-press": (
        reach(with_(DESK_BEHIND, leg=(176, 186, 92), rest="ankle_far", active=("leg", "arm")),
              near_joint("hip", 0.045, -0.02)),
        reach(DESK_BEHIND, near_joint("hip", 0.045, -0.02)),
    ),
    "supported-standing-march": (
        _hands_on_desk(with_(FACING_DESK, torso=8, leg=(145, 185, 95), fix="ankle_far", x=0.0,
                             desk_x=0.2, active=("leg",)), 0.22),
        _hands_on_desk(with_(FACING_DESK, torso=8, leg_far=(145, 185, 95), fix="ankle", x=0.0,
                             desk_x=0.2, active=("leg_far",)), 0.22),
    ),
    "standing-hip-glide": (
        _hands_on_desk(with_(FACING_DESK, torso=0, pelvis=115, leg=(186, 183, 90),
                             leg_far=(186, 183, 90), fix="ankle", x=0.0, desk_x=0.2,
                             active=("hip",)), 0.22),
        _hands_on_desk(with_(FACING_DESK, torso=3, pelvis=90, fix="ankle", x=0.0, desk_x=0.2),
                       0.22),
    ),
    # The heel lifts while the toes stay down: each frame stands on the other flat foot.
    "standing-heel-pedals": (
        _hands_on_desk(with_(FACING_DESK, leg=(155, 205, 129), leg_far=(179, 181, 90),
                             fix="ankle_far", x=0.0, rest="ankle_far", desk_x=0.17,
                             active=("leg",)), 0.2),
        _hands_on_desk(with_(FACING_DESK, leg_far=(155, 205, 129), leg=(179, 181, 90),
                             fix="ankle", x=0.0, rest="ankle", desk_x=0.17,
                             active=("leg_far",)), 0.2),
    ),
    "desk-long-arm-stretch": (
        _hands_on_desk(with_(FACING_DESK, torso=88, neck=90, leg=(165, 188, 90),
                             leg_far=(165, 188, 90), fix="ankle", x=0.0, desk_x=0.54,
                             active=("torso", "arm", "arm_far")), 0.585),
        _hands_on_desk(with_(FACING_DESK, torso=72, neck=74, leg=(172, 184, 90),
                             leg_far=(172, 184, 90), fix="ankle", x=0.0, desk_x=0.54), 0.585),
    ),
    "standing-heel-hamstring-stretch": (
        reach(reach(with_(DESK_BEHIND, torso=30, neck=34, leg=(164.7, 164.7, 40),
                          leg_far=(162, 192, 90), rest="ankle_far", desk_x=-0.55,
                          active=("leg",)), near_joint("knee", -0.02, 0.035)),
              on_desk(-0.1), "_far"),
        reach(reach(with_(DESK_BEHIND, leg=(164.7, 164.7, 40), leg_far=(162, 192, 90),
                          rest="ankle_far", desk_x=-0.55), near_joint("knee", -0.02, 0.035)),
              on_desk(-0.1), "_far"),
    ),
    # From the tabletop (knees over the hips, shins level) one foot lowers to tap the mat.
    "lying-heel-taps": (
        with_(HOOK, leg=(45, 135, 110), leg_far=(0, 90, 45), active=("leg", "torso")),
        with_(HOOK, leg=(0, 90, 45), leg_far=(45, 135, 110), active=("leg_far", "torso")),
    ),
    "lying-knee-circles": (
        with_(HOOK, leg=(345, 75, 45), active=("leg",)),
        with_(HOOK, leg=(15, 105, 45), active=("leg",)),
        with_(HOOK, leg=(0, 70, 30), active=("leg",)),
    ),
    "lying-double-knee-hug": (
        reach(reach(with_(SUPINE, leg=(330, 110, 40), leg_far=(330, 110, 40),
                          active=("hip", "leg", "leg_far")), near_joint("knee", 0.0, 0.03)),
              near_joint("knee_far", 0.0, 0.03), "_far"),
        HOOK,
    ),
    "all-fours-hip-lift": (
        with_(ALL_FOURS, leg=(270, 0, 270), rest="knee_far", active=("leg", "hip")),
        ALL_FOURS,
    ),
    # The hips rock back over the heels while the hands stay where they were.
    "all-fours-rock-back": (
        reach(reach(with_(ALL_FOURS, torso=70, neck=80, leg=(125, 270, 270),
                          leg_far=(125, 270, 270), fix="knee", x=joints(ALL_FOURS)["knee"][0],
                          active=("hip", "leg", "leg_far")), joints(ALL_FOURS)["hand"]),
              joints(ALL_FOURS)["hand_far"], "_far"),
        ALL_FOURS,
    ),
}

# The stand-up-and-walk step a break gets when no standing exercise fits (core.exercise):
# a stride with the near leg forward, then the far leg, the opposite arm swinging forward.
_STRIDE = Pose(leg=(160, 175, 90), leg_far=(200, 205, 120), arm=(200, 190), arm_far=(160, 150))
FRAMES[WALK_ID] = (
    with_(_STRIDE, fix="ankle_far", active=("leg",)),
    with_(_STRIDE, leg=(200, 205, 120), leg_far=(160, 175, 90), arm=(160, 150),
          arm_far=(200, 190), fix="ankle", active=("leg_far",)),
)

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
    ("stretch", "chair"): FRAMES["seated-figure-four"],
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

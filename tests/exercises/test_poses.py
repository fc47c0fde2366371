"""Each picture against its words: contact points (floor, seat, wall, desk), which limb moves,
joint angles. Measured on the pose data, so a wrong picture fails without looking at it.

Frames are working pose first, start pose last.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from tray_app.core.exercise import PLACES, Exercise
from tray_app.core.model import ExerciseSettings
from tray_app.exercises.loader import load_catalogue
from tray_app.exercises.pose_data import FRAMES
from tray_app.exercises.poses import (
    ANKLE_H,
    DESK_H,
    DESK_W,
    FOREARM,
    HEAD_R,
    RADIUS,
    SEAT_H,
    SEAT_HALF,
    SHIN,
    THIGH,
    UPPER_ARM,
    Point,
    Pose,
    along_torso,
    angle_of,
    joints,
    seen_from_above,
)

BUILTIN = {e.id: e for e in load_catalogue(ExerciseSettings(places=PLACES))}
Joints = dict[str, Point]


# -- measurements ----------------------------------------------------------------------------


def gap(j: Joints, name: str) -> float:
    """How far a joint's surface is above the floor."""
    return j[name][1] - RADIUS.get(name, ANKLE_H)


def on_floor(j: Joints, name: str, tol: float = 0.02) -> bool:
    return gap(j, name) <= tol


def foot_down(j: Joints, side: str = "") -> bool:
    return on_floor(j, "ankle" + side) or on_floor(j, "toe" + side)


def on_desk(pose: Pose, j: Joints, hand: str) -> bool:
    x, y = j[hand]
    return ("desk" in pose.props and abs(y - RADIUS["hand"] - DESK_H) <= 0.03
            and pose.desk_x - 0.02 <= x <= pose.desk_x + DESK_W)  # fmt: skip


def seg(j: Joints, a: str, b: str) -> float:
    return angle_of(j[a], j[b])


def turn(a: float, b: float) -> float:
    """The smallest angle between two directions, in degrees."""
    return abs((a - b + 180) % 360 - 180)


def torso_lean(pose: Pose) -> float:
    """Forward lean of the trunk from upright, degrees (negative: leaning back)."""
    return (pose.torso + 180) % 360 - 180


def near(a: Point, b: Point, tol: float) -> bool:
    return math.dist(a, b) <= tol


def to_segment(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    bx, by = b
    t = ((p[0] - ax) * (bx - ax) + (p[1] - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
    t = max(0.0, min(1.0, t))
    return math.dist(p, (ax + t * (bx - ax), ay + t * (by - ay)))


def knee_bend(j: Joints, side: str = "") -> float:
    return turn(seg(j, "hip", "knee" + side), seg(j, "knee" + side, "ankle" + side))


def flat_back(pose: Pose) -> bool:
    """The head stays in line with a leaning trunk (a hinge, not a hunch or a craned neck)."""
    return pose.neck is None or turn(pose.neck, pose.torso) <= 10


# -- checks every picture gets from its words -------------------------------------------------


def text_of(e: Exercise) -> str:
    return " ".join(s.text for s in e.steps).lower()


@pytest.mark.parametrize("exercise", BUILTIN.values(), ids=lambda e: e.id)
def test_place_and_props_follow_the_words(exercise: Exercise) -> None:
    poses = FRAMES[exercise.id]
    text = text_of(exercise)
    for pose in poses:
        j = joints(pose)
        if exercise.where == "chair":
            assert pose.anchor == "seat" and "chair" in pose.props
            assert abs(gap(j, "hip") - (SEAT_H - RADIUS["hip"] + 0.03)) < 0.05, "hip on the seat"
            back = pose.chair_x - SEAT_HALF
            # (Seen from the front, x runs sideways: the backrest is behind the figure.)
            assert pose.front or j["shoulder"][0] - back >= 0.015, "never through the backrest"
            if re.search(r"(away from|clear of) the backrest", text) and not pose.front:
                assert j["shoulder"][0] - back >= 0.05, "clear of the backrest"
        if exercise.where == "standing":
            assert foot_down(j) or foot_down(j, "_far"), "stands on a foot"
        if exercise.where == "floor":
            assert "mat" in pose.props
        if "desk" in text:
            assert on_desk(pose, j, "hand") or on_desk(pose, j, "hand_far"), "hand on the desk"
        if "wall" in text:
            assert "wall" in pose.props
    if "arms crossed on the chest" in text:
        for pose in poses:
            j = joints(pose)
            chest = along_torso(0.8, 0.06)(j)
            assert near(j["hand"], chest, 0.04) and near(j["hand_far"], chest, 0.04)
    if re.search(r"hands (resting )?on the thighs", exercise.steps[0].text.lower()):
        j = joints(poses[-1])
        assert to_segment(j["hand"], j["hip"], j["knee"]) <= 0.07
        assert to_segment(j["hand_far"], j["hip"], j["knee_far"]) <= 0.07
    assert poses[0].active, "the working pose shows what works"


# -- safe on an office chair with wheels ---------------------------------------------------------

HIP_HIKE = 0.03  # the most a seated exercise raises the hip: one side of the pelvis lifted
# What the pictures cannot show (sitting across a corner, leaning on the backrest from the
# side) must not be asked for in the words either; a sideways move only in a front view.
UNSEEN = re.compile(r"corner|stand up|lean (?:back )?(?:on|against) the backrest"
                    r"|over the (?:top of the )?backrest|use a chair (?:that|without)")
UNSEEN_FROM_THE_SIDE = re.compile(r"sideways")


def rolling_chair_risks(pose: Pose) -> list[str]:
    """Why `pose` would be unsafe on a chair that rolls and tips: measured on the figure."""
    j = joints(pose)
    back, front = pose.chair_x - SEAT_HALF, pose.chair_x + SEAT_HALF
    risks = []
    if pose.anchor != "seat" or pose.lift > HIP_HIKE:
        risks.append("off the seat: standing up from a chair that can roll away")
    hip = j["hip"][0]
    if not back + RADIUS["hip"] <= hip <= front - RADIUS["hip"]:
        risks.append("perched on the seat's edge: the chair can shoot back or tip")
    if not (foot_down(j) or foot_down(j, "_far")):
        risks.append("no foot on the floor to hold the chair still")
    if pose.front:  # x runs sideways: the trunk's weight must stay over the seat
        middle = (j["shoulder"][0] + j["shoulder_far"][0]) / 2
        if not back <= middle <= front:
            risks.append("leaning out past the seat's side: the chair can tip")
    elif j["shoulder"][0] - back < 0.015:
        risks.append("weight into the backrest: the chair reclines or rolls")
    return risks


def test_every_chair_exercise_is_safe_on_a_chair_with_wheels() -> None:
    for e in BUILTIN.values():
        if e.where != "chair":
            continue
        for n, pose in enumerate(FRAMES[e.id]):
            assert not rolling_chair_risks(pose), (e.id, n, rolling_chair_risks(pose))
        words = " ".join([*(s.text for s in e.steps), *e.cautions]).lower()
        assert not UNSEEN.search(words), (e.id, UNSEEN.search(words))
        if not all(p.front for p in FRAMES[e.id]):
            assert not UNSEEN_FROM_THE_SIDE.search(words), e.id


def test_the_rolling_chair_measure_catches_each_risk() -> None:
    sit = FRAMES["seated-march"][-1]
    assert rolling_chair_risks(sit) == []
    risks = {r.split(":")[0] for r in rolling_chair_risks(replace(sit, lift=0.2))}
    assert "off the seat" in risks  # half standing
    assert rolling_chair_risks(replace(sit, perch=SEAT_HALF)) == [
        "perched on the seat's edge: the chair can shoot back or tip"]
    feet_up = replace(sit, leg=(60, 120, 90), leg_far=(60, 120, 90))  # both knees lifted
    assert rolling_chair_risks(feet_up) == ["no foot on the floor to hold the chair still"]
    lean = replace(sit, torso=-40, perch=-0.08)  # slumped back into the backrest
    assert "weight into the backrest: the chair reclines or rolls" in rolling_chair_risks(lean)
    reach = FRAMES["seated-side-reach"][0]  # seen from the front, bending sideways
    assert rolling_chair_risks(reach) == []
    assert rolling_chair_risks(replace(reach, lean=70)) == [
        "leaning out past the seat's side: the chair can tip"]


# -- one check per exercise --------------------------------------------------------------------

Check = Callable[[tuple[Pose, ...]], None]
CHECKS: dict[str, Check] = {}


def check(ident: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[ident] = fn
        return fn

    return register


def rise(work: Pose, rest: Pose, name: str) -> float:
    return joints(work)[name][1] - joints(rest)[name][1]


@check("seated-knee-lift-hold")
def _(poses: tuple[Pose, ...]) -> None:
    work, rest = poses
    assert 0.03 <= rise(work, rest, "knee") <= 0.07  # "about 5 cm"
    assert not foot_down(joints(work)) and foot_down(joints(rest))
    assert torso_lean(work) == torso_lean(rest) == 0


@check("seated-march")
def _(poses: tuple[Pose, ...]) -> None:
    a, b = (joints(p) for p in poses)
    assert a["knee"][1] - a["knee_far"][1] > 0.08 and b["knee_far"][1] - b["knee"][1] > 0.08
    assert foot_down(a, "_far") and foot_down(b)


@check("seated-high-knee-hold")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert j["knee"][1] - j["hip"][1] >= 0.1  # higher than the hip
    assert torso_lean(poses[0]) >= 0, "no leaning back"
    for hand in ("hand", "hand_far"):
        assert abs(j[hand][1] - SEAT_H) <= 0.05, "hands hold the seat"


@check("seated-knee-press-up")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert near(j["hand"], j["knee"], 0.06), "hand on top of the same knee"
    assert not foot_down(joints(poses[0]))


@check("standing-knee-raise-hold")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert abs(j["knee"][1] - j["hip"][1]) <= 0.03, "knee at hip height"
    assert foot_down(j, "_far")


@check("standing-slow-march")
def _(poses: tuple[Pose, ...]) -> None:
    a, b = (joints(p) for p in poses)
    assert a["knee"][1] - a["knee_far"][1] > 0.15 and b["knee_far"][1] - b["knee"][1] > 0.15


@check("standing-knee-drive")
def _(poses: tuple[Pose, ...]) -> None:
    top, behind = (joints(p) for p in poses)
    assert abs(top["knee"][1] - top["hip"][1]) <= 0.03, "knee up to hip height"
    assert behind["ankle"][0] < behind["hip"][0] - 0.05, "the foot a short step behind"
    assert foot_down(top, "_far") and foot_down(behind, "_far")


def _knee_up_under(hand: str) -> Check:
    """A standing knee press: the near knee at hip height, `hand` on it, the far foot down."""

    def measure(poses: tuple[Pose, ...]) -> None:
        j = joints(poses[0])
        assert abs(j["knee"][1] - j["hip"][1]) <= 0.03, "knee at hip height"
        assert near(j[hand], j["knee"], 0.06), f"the {hand} on top of the knee"
        assert foot_down(j, "_far")

    return measure


check("standing-knee-press")(_knee_up_under("hand"))  # the same side's hand
check("standing-cross-press")(_knee_up_under("hand_far"))  # the other side's palm


@check("lying-heel-slide-lift")
def _(poses: tuple[Pose, ...]) -> None:
    up, long = (joints(p) for p in poses)
    assert turn(seg(up, "hip", "knee"), 0) <= 10, "the thigh points at the ceiling"
    assert on_floor(long, "knee") and on_floor(long, "ankle"), "the leg long on the floor"
    assert foot_down(up, "_far") and foot_down(long, "_far"), "the other foot flat"
    assert on_floor(up, "hip")


@check("lying-tabletop-hold")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert turn(seg(j, "hip", "knee"), 0) <= 10 and turn(seg(j, "knee", "ankle"), 90) <= 10
    assert on_floor(j, "hip") and foot_down(j, "_far")
    assert foot_down(joints(poses[1])) and foot_down(joints(poses[1]), "_far")


def _only_pelvis(poses: tuple[Pose, ...]) -> None:
    leans = [torso_lean(p) for p in poses]
    assert max(leans) - min(leans) <= 8, "the trunk barely moves"
    assert all("hip" in p.active for p in poses)
    # The pelvis is drawn, so its tilt shows: tipped forward (front down), then tucked.
    tips = [p.pelvis for p in poses]
    assert None not in tips and tips[0] - tips[1] >= 30, tips


check("seated-pelvic-tilt")(_only_pelvis)
check("lying-pelvic-tilt")(_only_pelvis)


@check("lying-heel-press")
def _(poses: tuple[Pose, ...]) -> None:
    press, rest = poses
    assert press.leg == rest.leg and press.leg_far == rest.leg_far, "the heels do not slide"
    assert {"leg", "leg_far", "hip"} <= set(press.active), "thighs and buttocks at work"
    j = joints(press)
    assert foot_down(j) and foot_down(j, "_far") and on_floor(j, "hip")


@check("standing-pelvic-tilt")
def _(poses: tuple[Pose, ...]) -> None:
    _only_pelvis(poses)
    for pose in poses:
        j = joints(pose)
        assert near(j["hand"], j["hip"], 0.06) and near(j["hand_far"], j["hip"], 0.06)


@check("seated-knee-circles")
def _(poses: tuple[Pose, ...]) -> None:
    knees = {tuple(round(c, 2) for c in joints(p)["knee"]) for p in poses}
    assert len(knees) == len(poses) >= 3, "the knee travels round"
    assert all(not foot_down(joints(p)) for p in poses)


def middle(j: Joints, part: str, other: str = "") -> Point:
    """Half way between two joints: by default a joint and its far twin (hips, shoulders)."""
    (ax, ay), (bx, by) = j[part], j[other or part + "_far"]
    return ((ax + bx) / 2, (ay + by) / 2)


# Seen from the front (or from above, lying on the back), x runs across the body: its right
# side (the near one) on the viewer's left, so "to the right" is towards -x.
TO_THE = {"right": -1, "left": 1}


def knees_sway(poses: tuple[Pose, ...]) -> list[Joints]:
    """Seen from the front (or, lying, from above), so the sways show: both knees to the
    right, then both to the left, each well to one side of the line from its hip to its
    foot; the feet wide and still, the chest square. Returns the frames' joints."""
    assert all(p.front for p in poses)
    frames = [joints(p) for p in poses]
    for foot in ("ankle", "ankle_far"):
        assert [f[foot] for f in frames] == [frames[0][foot]] * len(frames), "feet still"
    for j, way in zip(frames, ("right", "left"), strict=True):
        for side in ("", "_far"):
            line = middle(j, "hip" + side, "ankle" + side)[0]
            assert TO_THE[way] * (j["knee" + side][0] - line) >= 0.05, (way, side)
        assert abs(middle(j, "shoulder")[0] - middle(j, "hip")[0]) <= 0.005, "chest square"
        hips = abs(j["hip"][0] - j["hip_far"][0])
        assert abs(j["ankle"][0] - j["ankle_far"][0]) > hips + 0.04, "feet wider than the hips"
    for side in ("", "_far"):
        travel = frames[1]["knee" + side][0] - frames[0]["knee" + side][0]
        assert travel >= 0.12, f"the knee{side} sways a visible way"
    return frames


@check("seated-knee-sways")
def _(poses: tuple[Pose, ...]) -> None:
    for j in knees_sway(poses):
        for side in ("", "_far"):
            assert foot_down(j, side)
            assert to_segment(j["hand" + side], j["hip" + side], j["knee" + side]) <= 0.07


@check("windshield-wipers")
def _(poses: tuple[Pose, ...]) -> None:
    assert all(seen_from_above(p) and "mat" in p.props for p in poses), "lying, from above"
    frames = knees_sway(poses)
    assert frames[0]["shoulder"] == frames[1]["shoulder"], "shoulders stay heavy"
    for j in frames:
        for side, sign in (("", -1), ("_far", 1)):
            hand = j["hand" + side]
            assert hand[1] < j["shoulder" + side][1] - 0.2, "arms down by the sides, not overhead"
            assert sign * (hand[0] - j["hip" + side][0]) >= 0.05, "a little away from the body"
    assert {"leg", "leg_far"} <= set(poses[0].active)


@check("seated-hip-hikes")
def _(poses: tuple[Pose, ...]) -> None:
    # Seen from the front, so the one-sided lift shows: the near hip rises, the far sitting
    # bone stays on the seat, the head stays level over the middle, both feet stay down.
    assert all(p.front for p in poses)
    hiked, level = (joints(p) for p in poses)
    assert 0.02 <= hiked["hip"][1] - level["hip"][1] <= 0.05
    assert hiked["hip_far"] == level["hip_far"]
    assert abs(hiked["head"][1] - level["head"][1]) <= 0.02
    assert foot_down(hiked) and foot_down(hiked, "_far")


@check("leg-swings")
def _(poses: tuple[Pose, ...]) -> None:
    fwd, back = (joints(p) for p in poses)
    assert fwd["knee"][0] > fwd["hip"][0] + 0.05 and back["knee"][0] < back["hip"][0] - 0.03
    assert turn(seg(back, "hip", "knee"), 180) <= 25, "the back swing stays small"
    assert all(foot_down(joints(p), "_far") for p in poses)


@check("seated-glute-squeeze")
def _(poses: tuple[Pose, ...]) -> None:
    assert 0.005 <= rise(*poses, "hip") <= 0.03  # "rise a little"
    assert foot_down(joints(poses[0]))


@check("seated-heel-dig")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert 0.04 <= j["ankle"][0] - j["knee"][0] <= 0.15, "heel a little in front of the knee"
        assert on_floor(j, "ankle", 0.03)
        assert j["toe"][1] > j["ankle"][1], "toes up"


@check("seated-thigh-press")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert {"hip", "leg"} <= set(poses[0].active) and foot_down(j) and foot_down(j, "_far")


@check("seated-hip-hinge")
def _(poses: tuple[Pose, ...]) -> None:
    assert 20 <= torso_lean(poses[0]) <= 45 and flat_back(poses[0])
    assert torso_lean(poses[1]) == 0


@check("standing-hip-extension")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert knee_bend(j) <= 8, "the leg stays straight"
    assert 10 <= turn(seg(j, "hip", "knee"), 180) <= 25, "a hand's width behind"
    assert j["knee"][0] < j["hip"][0]
    assert torso_lean(poses[0]) >= 0, "no arching back"
    assert on_desk(poses[0], j, "hand") and on_desk(poses[0], j, "hand_far")


@check("standing-hip-hinge")
def _(poses: tuple[Pose, ...]) -> None:
    work, rest = (joints(p) for p in poses)
    assert 30 <= torso_lean(poses[0]) <= 60 and flat_back(poses[0])
    assert work["hip"][0] < rest["hip"][0] - 0.03, "hips go back"
    assert 5 <= knee_bend(work) <= 30, "soft knees, not a squat"
    assert abs(work["ankle"][0] - rest["ankle"][0]) < 0.01


@check("desk-squat")
def _(poses: tuple[Pose, ...]) -> None:
    work, rest = (joints(p) for p in poses)
    assert rest["hip"][1] - work["hip"][1] >= 0.1, "hips go down"
    assert work["hip"][0] < work["ankle"][0], "and back"
    assert abs(work["ankle"][0] - rest["ankle"][0]) < 0.01


@check("glute-bridge")
def _(poses: tuple[Pose, ...]) -> None:
    up, down = (joints(p) for p in poses)
    assert gap(up, "hip") >= 0.08 and on_floor(up, "shoulder")
    line = turn(seg(up, "shoulder", "hip"), seg(up, "hip", "knee"))
    assert line <= 20, "knees, hips and shoulders line up"
    assert 0.1 <= down["ankle"][0] - down["hip"][0] <= 0.3, "heels a foot's length away"
    assert foot_down(up) and foot_down(down)


@check("seated-abdominal-hollowing")
def _(poses: tuple[Pose, ...]) -> None:
    assert "torso" in poses[0].active and torso_lean(poses[0]) == 0


@check("seated-lean-back-hold")
def _(poses: tuple[Pose, ...]) -> None:
    assert -20 <= torso_lean(poses[0]) <= -5 and flat_back(poses[0])
    assert torso_lean(poses[1]) == 0


@check("seated-opposite-reach")
def _(poses: tuple[Pose, ...]) -> None:
    for pose, arm, foot in ((poses[0], "", "_far"), (poses[1], "_far", "")):
        j = joints(pose)
        assert turn(seg(j, "shoulder", "hand" + arm), 90) <= 10, "arm forward at shoulder height"
        assert not foot_down(j, foot) and foot_down(j, arm), "the opposite foot lifts"


@check("seated-cross-press")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert near(j["hand_far"], j["knee"], 0.06), "the other side's hand on the knee"
    assert not foot_down(j)


@check("standing-brace")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert near(j["hand"], along_torso(0.35, 0.06)(j), 0.03), "a hand on the belly"
        assert near(j["hand_far"], along_torso(0.3, -0.06)(j), 0.03), "one on the lower back"


@check("desk-plank")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert turn(seg(j, "ankle", "hip"), seg(j, "hip", "shoulder")) <= 5, "one straight slope"
        assert on_desk(pose, j, "hand") and on_desk(pose, j, "hand_far") and foot_down(j)


@check("dead-bug")
def _(poses: tuple[Pose, ...]) -> None:
    work, start = (joints(p) for p in poses)
    assert turn(seg(start, "shoulder", "hand"), 0) <= 10, "arms to the ceiling"
    assert turn(seg(start, "hip", "knee"), 0) <= 10 and turn(seg(start, "knee", "ankle"), 90) <= 10
    assert seg(work, "shoulder", "hand") > 240, "one arm reaches overhead"
    assert knee_bend(work, "_far") <= 15 and work["ankle_far"][0] > work["knee"][0] + 0.2
    assert on_floor(work, "hip")


@check("bird-dog")
def _(poses: tuple[Pose, ...]) -> None:
    work, start = (joints(p) for p in poses)
    assert abs(start["hand"][0] - start["shoulder"][0]) <= 0.03
    assert abs(start["knee"][0] - start["hip"][0]) <= 0.03
    assert turn(seg(work, "shoulder", "hand"), 90) <= 10
    assert abs(work["ankle_far"][1] - work["hip"][1]) <= 0.05, "leg long at hip height"
    assert on_floor(work, "knee") and on_floor(work, "hand_far")
    assert turn(poses[0].torso, 90) <= 15, "back near level"


@check("chin-tucks")
def _(poses: tuple[Pose, ...]) -> None:
    tucked, forward = (joints(p) for p in poses)
    assert poses[0].torso == poses[1].torso, "only the head moves"
    assert forward["head"][0] - tucked["head"][0] >= 0.03


@check("shoulder-blade-squeeze")
def _(poses: tuple[Pose, ...]) -> None:
    work, start = (joints(p) for p in poses)
    assert work["elbow"][0] < work["shoulder"][0] - 0.03, "elbows drawn back"
    assert start["hand"][0] > start["shoulder"][0] + 0.1, "hands in front of the chest"


@check("tall-sitting-reset")
def _(poses: tuple[Pose, ...]) -> None:
    assert torso_lean(poses[0]) == 0 and torso_lean(poses[1]) <= -10
    assert poses[0].perch < 0, "at the back of the seat"


@check("seated-back-extension")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        assert torso_lean(pose) >= -2, "the trunk never tips back from the hips"
        assert pose.neck is None or (pose.neck + 180) % 360 - 180 >= -5, "eyes level"


@check("standing-elbow-pull")
def _(poses: tuple[Pose, ...]) -> None:
    work, start = (joints(p) for p in poses)
    assert work["elbow"][0] < work["shoulder"][0] - 0.03, "elbows drawn back"
    assert start["hand"][0] > start["shoulder"][0] + 0.1, "hands in front of the chest"


@check("standing-chest-opener")
def _(poses: tuple[Pose, ...]) -> None:
    open_, rest = (joints(p) for p in poses)
    assert open_["hand"][0] < rest["hand"][0] - 0.03, "arms drawn back from hanging"
    assert open_["head"][0] < rest["head"][0], "the head lengthens back over the shoulders"


@check("lying-chin-nod")
def _(poses: tuple[Pose, ...]) -> None:
    nod, rest = poses
    assert nod.torso == rest.torso and nod.leg == rest.leg, "only the head moves"
    assert joints(nod)["head"][1] < joints(rest)["head"][1], "the head settles, never lifts"


@check("lying-arm-slides")
def _(poses: tuple[Pose, ...]) -> None:
    over, goal = (joints(p) for p in poses)
    assert over["hand"][0] < over["head"][0], "hands slide past the head"
    assert goal["hand"][0] > over["hand"][0] + 0.1, "back down to the goalpost"
    for j in (over, goal):
        assert gap(j, "hand") <= 0.05, "the arms stay on the floor"


def test_a_raised_knee_never_seems_to_rest_on_the_desk() -> None:
    """Drawn from the side, a thigh at desk height inside the desk's outline looks as if it
    lies on it: a knee raised in front keeps the desk behind the hip."""
    for ident, poses in FRAMES.items():
        for pose in poses:
            if "desk" not in pose.props:
                continue
            j = joints(pose)
            for side in ("", "_far"):
                knee = j["knee" + side]
                raised = knee[1] > j["hip"][1] - 0.1
                inside = pose.desk_x <= knee[0] <= pose.desk_x + DESK_W
                assert not (raised and inside and abs(knee[1] - DESK_H) < 0.1), (ident, side)


@check("wall-angels")
def _(poses: tuple[Pose, ...]) -> None:
    post, up = (joints(p) for p in poses)
    assert abs(post["elbow"][1] - post["shoulder"][1]) <= 0.03, "elbows at shoulder height"
    assert post["hand"][1] - post["elbow"][1] >= 0.1, "forearms up: a goalpost"
    assert up["hand"][1] > up["head"][1], "slides overhead"
    for pose, j in zip(poses, (post, up), strict=True):
        assert 0.07 <= j["ankle"][0] - pose.wall_x <= 0.18, "heels a hand's length out"
        assert j["shoulder"][0] - pose.wall_x <= 0.09 and j["hip"][0] - pose.wall_x <= 0.09


@check("wall-posture-check")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        for part in ("hip", "shoulder", "head"):
            assert j[part][0] - pose.wall_x <= 0.1, f"{part} against the wall"
    j = joints(poses[0])
    assert j["hand"][0] < j["hip"][0] and j["hand"][1] > j["hip"][1], "hand behind the back"


@check("seated-figure-four")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert near(j["ankle"], j["knee_far"], 0.07), "ankle on the other knee"
        assert foot_down(j, "_far")
    assert 15 <= torso_lean(poses[0]) <= 40 and flat_back(poses[0])


@check("seated-hamstring-stretch")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert knee_bend(j) <= 12 and on_floor(j, "ankle", 0.03), "leg long, heel down"
        assert j["toe"][1] > j["ankle"][1], "toes up"
    assert 15 <= torso_lean(poses[0]) <= 40 and flat_back(poses[0])


@check("seated-knee-hug")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert j["knee"][1] - j["hip"][1] >= 0.15
    assert near(j["hand"], j["knee"], 0.09) and near(j["hand_far"], j["knee"], 0.09)
    assert torso_lean(poses[0]) == 0, "sitting tall, not curling down"


@check("standing-side-reach")
@check("seated-side-reach")
def _(poses: tuple[Pose, ...]) -> None:
    # Seen from the front, so the side bend shows: the right arm up and over to the left,
    # then the left arm over to the right, then the start; hips level, feet down.
    assert all(p.front for p in poses) and len(poses) == 3
    for pose in poses:
        j = joints(pose)
        assert j["hip"][1] == j["hip_far"][1], "hips level, both sitting bones heavy"
        assert foot_down(j) and foot_down(j, "_far")
    for pose, hand, way in ((poses[0], "hand", "left"), (poses[1], "hand_far", "right")):
        j = joints(pose)
        sign, pelvis = TO_THE[way], middle(j, "hip")[0]
        assert sign * (middle(j, "shoulder")[0] - pelvis) >= 0.05, "the trunk bends " + way
        assert sign * (j["head"][0] - pelvis) >= 0.07, "the head goes with it"
        assert j[hand][1] > j["head"][1] + HEAD_R, "the reaching hand above the head"
        assert sign * (j[hand][0] - j["head"][0]) >= 0.03, "and over it, " + way
        assert sign * (j["shoulder" if hand == "hand" else "shoulder_far"][0] - pelvis) < 0.05
        assert hand.replace("hand", "arm") in pose.active
    start = joints(poses[2])
    assert abs(middle(start, "shoulder")[0] - middle(start, "hip")[0]) <= 0.005, "upright"
    assert start["hand"][1] < start["shoulder"][1] and start["hand_far"][1] < start["shoulder"][1]


def _lunge(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert j["ankle_far"][0] - j["ankle"][0] >= 0.3, "the right foot a long stride back"
        assert on_floor(j, "toe") and gap(j, "ankle") > 0.02, "back heel raised"
        assert knee_bend(j) <= 10, "back leg straight"
        assert abs(j["knee_far"][0] - j["ankle_far"][0]) <= 0.06, "front knee over the ankle"
        assert foot_down(j, "_far") and abs(torso_lean(pose)) <= 8
    assert knee_bend(joints(poses[0]), "_far") >= 20


check("split-stance-lunge")(_lunge)
check("desk-supported-lunge")(_lunge)


@check("standing-quad-hip-stretch")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert near(j["hand"], j["ankle"], 0.03), "the hand holds the ankle"
    assert abs(j["knee"][0] - j["knee_far"][0]) <= 0.04, "knees side by side"
    assert j["ankle"][1] > j["knee"][1] + 0.15, "heel up behind"
    assert foot_down(j, "_far")


@check("half-kneeling-lunge")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert on_floor(j, "knee") and on_floor(j, "ankle"), "back knee and shin on the mat"
        assert foot_down(j, "_far")
    start = joints(poses[1])
    assert 75 <= knee_bend(start) <= 105 and 70 <= knee_bend(start, "_far") <= 110
    assert joints(poses[0])["hip"][0] > start["hip"][0], "hips ease forward"


@check("supine-hip-flexor-release")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert on_floor(j, "knee") and on_floor(j, "ankle"), "one leg long on the floor"
    assert j["knee_far"][1] > 0.15 and j["knee_far"][0] < j["hip"][0] + 0.1, "knee to chest"
    assert near(j["hand"], j["knee_far"], 0.06)
    assert BUILTIN["supine-hip-flexor-release"].category == "stretch"


def test_a_standing_front_figure_stands_on_feet_under_its_hips() -> None:
    stands = [(ident, p) for ident, poses in FRAMES.items() for p in poses
              if p.front and p.anchor != "seat" and not seen_from_above(p)]
    assert stands, "a standing exercise is drawn from the front"
    for ident, pose in stands:
        j = joints(pose)
        for side in ("", "_far"):
            assert on_floor(j, "ankle" + side, 0.005), (ident, side)
            assert abs(j["ankle" + side][0] - j["hip" + side][0]) <= 0.03, "under the hip"
            leg = math.dist(j["hip" + side], j["knee" + side]) + math.dist(
                j["knee" + side], j["ankle" + side])
            assert leg == pytest.approx(THIGH + SHIN, abs=0.01), "legs their true length"
            bend = turn(seg(j, "hip" + side, "knee" + side), seg(j, "knee" + side, "ankle" + side))
            assert bend <= 10 and turn(seg(j, "hip" + side, "ankle" + side), 180) <= 5, "straight"
        hips = j["hip"][0] - j["hip_far"][0]
        assert abs(hips) == pytest.approx(abs(j["ankle"][0] - j["ankle_far"][0]), abs=0.05)


def test_front_view_arms_keep_their_length() -> None:
    for ident, poses in FRAMES.items():
        for pose in (p for p in poses if p.front):
            j = joints(pose)
            for side in ("", "_far"):
                upper = math.dist(j["shoulder" + side], j["elbow" + side])
                fore = math.dist(j["elbow" + side], j["hand" + side])
                assert upper == pytest.approx(UPPER_ARM, abs=0.005), (ident, side)
                assert fore == pytest.approx(FOREARM, abs=0.005), (ident, side)


@check("standing-thigh-press")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert foot_down(j) and foot_down(j, "_far"), "both feet stay on the floor"
        assert j["knee"][1] < j["hip"][1] - 0.2, "the thigh stays down: the hip straight"
        assert near(j["hand"], along_torso(0.0, 0.045)(j), 0.05), "a hand on the front of the thigh"
        assert on_desk(pose, j, "hand_far")
    assert {"leg", "arm"} <= set(poses[0].active)


@check("supported-standing-march")
def _(poses: tuple[Pose, ...]) -> None:
    for pose, up, down in ((poses[0], "", "_far"), (poses[1], "_far", "")):
        j = joints(pose)
        lift = turn(seg(j, "hip", "knee" + up), 180)
        assert 25 <= lift <= 50, "the thigh about halfway to level, never past it"
        assert not foot_down(j, up) and foot_down(j, down)
        assert on_desk(pose, j, "hand") and on_desk(pose, j, "hand_far"), "both hands on the desk"


@check("standing-hip-glide")
def _(poses: tuple[Pose, ...]) -> None:
    glide, stand = (joints(p) for p in poses)
    assert 0.02 <= glide["hip"][0] - stand["hip"][0] <= 0.06, "the hips glide a few cm forward"
    assert poses[0].pelvis is not None and poses[0].pelvis >= 105, "the tailbone tucked"
    assert torso_lean(poses[0]) >= 0, "no leaning back"
    for pose, j in zip(poses, (glide, stand), strict=True):
        assert foot_down(j) and foot_down(j, "_far")
        assert on_desk(pose, j, "hand") and on_desk(pose, j, "hand_far")


@check("standing-heel-pedals")
def _(poses: tuple[Pose, ...]) -> None:
    for pose, bent, flat in ((poses[0], "", "_far"), (poses[1], "_far", "")):
        j = joints(pose)
        assert on_floor(j, "toe" + bent) and gap(j, "ankle" + bent) >= 0.03, "heel up, toes down"
        assert j["knee" + bent][0] > j["knee" + flat][0] + 0.05, "the knee bends forward"
        assert on_floor(j, "ankle" + flat), "the other foot flat"


@check("desk-long-arm-stretch")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    assert 80 <= torso_lean(poses[0]) <= 95 and flat_back(poses[0]), "trunk level, back flat"
    assert 5 <= knee_bend(j) <= 30, "soft knees"
    assert turn(seg(j, "shoulder", "hand"), seg(j, "hip", "shoulder")) <= 15, "arms long"
    for pose in poses:
        k = joints(pose)
        assert on_desk(pose, k, "hand") and on_desk(pose, k, "hand_far") and foot_down(k)


@check("standing-heel-hamstring-stretch")
def _(poses: tuple[Pose, ...]) -> None:
    for pose in poses:
        j = joints(pose)
        assert knee_bend(j) <= 5 and on_floor(j, "ankle", 0.03), "leg straight, heel down"
        assert j["toe"][1] > j["ankle"][1] + 0.03, "toes up"
        assert j["ankle"][0] - j["ankle_far"][0] >= 0.09, "the heel a small step in front"
        assert 10 <= knee_bend(j, "_far") <= 40 and foot_down(j, "_far"), "the other knee bent"
        assert on_desk(pose, j, "hand_far")
    assert 15 <= torso_lean(poses[0]) <= 40 and flat_back(poses[0])


@check("lying-heel-taps")
def _(poses: tuple[Pose, ...]) -> None:
    for pose, down, up in ((poses[0], "", "_far"), (poses[1], "_far", "")):
        j = joints(pose)
        assert on_floor(j, "toe" + down), "the toes touch the mat"
        assert turn(seg(j, "hip", "knee" + up), 0) <= 10, "the other thigh points up"
        for side in ("", "_far"):
            assert 80 <= knee_bend(j, side) <= 100, "the knees stay bent as they are"
        assert on_floor(j, "hip") and on_floor(j, "shoulder")


@check("lying-knee-circles")
def _(poses: tuple[Pose, ...]) -> None:
    knees = {tuple(round(c, 2) for c in joints(p)["knee"]) for p in poses}
    assert len(knees) == len(poses) >= 3, "the knee travels round"
    for pose in poses:
        j = joints(pose)
        assert turn(seg(j, "hip", "knee"), 0) <= 20, "round a thigh pointing at the ceiling"
        assert foot_down(j, "_far") and on_floor(j, "hip")


@check("lying-double-knee-hug")
def _(poses: tuple[Pose, ...]) -> None:
    j = joints(poses[0])
    for side in ("", "_far"):
        assert j["knee" + side][0] < j["hip"][0], "both knees come towards the chest"
        assert near(j["hand" + side], j["knee" + side], 0.06), "hands hold the legs"
    assert on_floor(j, "hip") and on_floor(j, "shoulder"), "head and shoulders stay down"


@check("all-fours-hip-lift")
def _(poses: tuple[Pose, ...]) -> None:
    lift, start = (joints(p) for p in poses)
    assert abs(lift["knee"][1] - lift["hip"][1]) <= 0.03, "thigh level with the back, no higher"
    assert 80 <= knee_bend(lift) <= 100, "the knee stays at a right angle"
    assert lift["ankle"][1] > lift["knee"][1] + 0.15, "sole towards the ceiling"
    assert on_floor(lift, "knee_far") and on_floor(lift, "hand") and on_floor(lift, "hand_far")
    assert poses[0].torso == poses[1].torso, "the trunk stays still"
    assert on_floor(start, "knee") and on_floor(start, "knee_far")


@check("all-fours-rock-back")
def _(poses: tuple[Pose, ...]) -> None:
    back, start = (joints(p) for p in poses)
    assert back["hip"][0] < start["hip"][0] - 0.1, "the hips rock back towards the heels"
    for hand in ("hand", "hand_far"):
        assert near(back[hand], start[hand], 0.01), "the hands stay where they are"
    for j in (back, start):
        assert on_floor(j, "knee") and on_floor(j, "knee_far")


def test_every_builtin_exercise_has_a_pose_check() -> None:
    assert set(CHECKS) == set(BUILTIN)


@pytest.mark.parametrize("ident", sorted(CHECKS))
def test_pose_matches_the_words(ident: str) -> None:
    CHECKS[ident](FRAMES[ident])

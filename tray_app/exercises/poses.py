"""Side-view stick-figure poses as data, their joint positions, and helpers that place a hand
or a foot on a point (so a hand really rests on the desk, a foot really stays on the floor).

A pose gives absolute segment angles in degrees: 0 points up, 90 points forward (the figure
faces right), 180 down, 270 backwards. Positions are in body units (standing height is about
1), y up, the floor at 0. Standard library only: the tests measure poses without Pillow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

# Segment lengths in body units.
TORSO, NECK, HEAD_R = 0.30, 0.05, 0.065
UPPER_ARM, FOREARM = 0.17, 0.16
THIGH, SHIN, FOOT = 0.24, 0.23, 0.07
ANKLE_H = 0.03  # ankle above the floor when the foot is flat
SEAT_H = 0.23  # chair seat height: a seated shin is vertical with the foot flat
HIP_ON_SEAT = SEAT_H + 0.03
SEAT_HALF = 0.13  # the seat runs from chair_x - SEAT_HALF (backrest) to chair_x + SEAT_HALF
BACKREST_H = 0.32
DESK_H, DESK_W = 0.5, 0.5

Point = tuple[float, float]
RADIUS = {"head": HEAD_R, "hip": 0.04, "shoulder": 0.04, "hand": 0.02, "hand_far": 0.02,
          "knee": 0.025, "knee_far": 0.025, "elbow": 0.02, "elbow_far": 0.02}  # fmt: skip


@dataclass(frozen=True)
class Pose:
    """One key frame. Arms are (upper arm, forearm), legs (thigh, shin, foot) angles.

    `near` limbs face the viewer and are drawn dark; `far` ones are drawn pale behind.
    `anchor` "floor" puts the lowest point on the floor, "seat" puts the hip on the chair,
    `perch` in front of the seat's middle (negative: towards the backrest), raised by `lift`.
    `fix` names the joint kept at horizontal position `x` (so feet stay put between frames);
    `rest`, when given, names the joint that touches the floor instead of the lowest one (so a
    hand or foot placed with `reach` or `plant` cannot lift the body off its real support).
    `short` names segments turned towards the viewer (upper_arm, thigh, shin, with _far),
    drawn at `shorten` of their length.
    `active` names what is working, drawn in the accent colour: arm, arm_far, leg, leg_far,
    torso, head, hip. `wrong` marks a pose shown as the fault to avoid. `props`: chair (at
    `chair_x`), desk (its top at DESK_H from `desk_x` forwards), wall (at `wall_x`), mat (under
    a floor exercise).
    """

    torso: float = 0
    neck: float | None = None
    arm: tuple[float, float] = (180, 175)
    arm_far: tuple[float, float] = (180, 175)
    leg: tuple[float, float, float] = (180, 180, 90)
    leg_far: tuple[float, float, float] = (180, 180, 90)
    anchor: str = "floor"
    fix: str = "hip"
    rest: str = ""
    x: float = 0.0
    lift: float = 0.0
    perch: float = 0.02
    short: tuple[str, ...] = ()
    shorten: float = 0.7  # how long a `short` segment looks, as a share of its length
    active: tuple[str, ...] = ()
    props: tuple[str, ...] = ()
    # The way not to do it (a slump shown to be left): drawn with a red cross.
    wrong: bool = False
    # The pelvis drawn as a bar through the hip at this angle (90: level; less tips it
    # forward, more tucks it), for moves of the pelvis a stick figure cannot otherwise show.
    pelvis: float | None = None
    # Seen from the front instead of the side (`front_joints`), for sideways moves a side
    # view hides; `hike` then raises the near side of the pelvis by that many degrees, the
    # far sitting bone staying on the seat.
    front: bool = False
    hike: float = 0.0
    # Also for front views: `lean` bends the trunk sideways by that many degrees (positive
    # towards the viewer's right, the figure's left), shoulders and head following; `overhead`
    # names the arm ("arm", "arm_far") that reaches up and over towards the bend; `sway` moves
    # both knees sideways by that much (positive to the viewer's right), the feet staying put;
    # `wide` sets each foot that much further out than its hip. With anchor "seat" a front
    # view sits; else it stands, or, when the trunk lies flat (`torso` 270, as on the back),
    # it lies on its back seen from above, its head at the top of the picture.
    lean: float = 0.0
    overhead: str = ""
    sway: float = 0.0
    wide: float = 0.0
    chair_x: float = 0.0
    desk_x: float = 0.2
    wall_x: float = -0.12


def with_(pose: Pose, **changes: object) -> Pose:
    """A copy of `pose` with some fields changed."""
    return replace(pose, **changes)  # type: ignore[arg-type]


def toward(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.sin(a), p[1] + length * math.cos(a))


def angle_of(a: Point, b: Point) -> float:
    """The pose-convention angle of the line from a to b."""
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1])) % 360


def length(pose: Pose, segment: str, full: float) -> float:
    return full * pose.shorten if segment in pose.short else full


# Half the width of the pelvis and of the shoulders, seen from the front.
HIP_HALF, SHOULDER_HALF = 0.07, 0.1
# Lying on the back seen from above, knees bent and feet flat: where the ankles show (room for
# the toes below them), how far the heels are from the hips and the knees from the hips
# (the thigh rising at 40 degrees from the vertical, as in the side view's hook lying).
LYING_ANKLE_Y, LYING_HEEL, LYING_KNEE = FOOT + 0.02, 0.22, THIGH * math.sin(math.radians(40))


def seen_from_above(pose: Pose) -> bool:
    """A front view of a figure lying on its back: the viewer looks down at it."""
    return pose.front and pose.anchor != "seat" and abs((pose.torso + 180) % 360 - 180) > 45


def front_joints(pose: Pose) -> dict[str, Point]:
    """A figure seen from the front: x runs across the body (its right side, the `near` one,
    on the viewer's left), y up. Seated (anchor "seat"), each thigh points at the viewer, so a
    knee shows just below its hip and the shin hangs to a foot flat on the floor; standing,
    the legs run straight down to feet flat under the hips. Lying on the back (seen from
    above, y running up the body), the knees point at the ceiling, so each shows between its
    hip and its foot until `sway` drops both to one side. The pelvis tilts by `hike`, the
    far sitting bone staying on the seat; the trunk rises from above the seat's middle,
    bending sideways at the `waist` by `lean` (its lower part half as much), and the head
    goes most of the way with the chest. A hand rests on its thigh (seated) or hangs by the
    side (standing); the `overhead` arm reaches up and over towards the bend while the other
    hand goes down by the side, to the seat's edge or down the outside of the thigh; lying,
    the arms rest on the mat a little away from the body."""
    seated, lying = pose.anchor == "seat", seen_from_above(pose)
    centre = pose.chair_x if seated else pose.x
    if lying:  # seen from above, y runs up the body: heels a foot's length from the hips
        hip_y = LYING_ANKLE_Y + LYING_HEEL
    else:
        hip_y = HIP_ON_SEAT + pose.lift if seated else ANKLE_H + THIGH + SHIN + pose.lift
    far_hip = (centre + HIP_HALF, hip_y)
    h = math.radians(pose.hike)
    j: dict[str, Point] = {"hip_far": far_hip,
                           "hip": (far_hip[0] - 2 * HIP_HALF * math.cos(h),
                                   far_hip[1] + 2 * HIP_HALF * math.sin(h))}
    # The trunk's root stays over the seat's middle, so a hike bends the waist and leaves the
    # shoulders and head level.
    j["waist"] = toward((centre, hip_y), pose.lean / 2, 0.4 * TORSO)
    top = toward(j["waist"], pose.lean, 0.6 * TORSO)
    j["shoulder"] = toward(top, pose.lean - 90, SHOULDER_HALF)
    j["shoulder_far"] = toward(top, pose.lean + 90, SHOULDER_HALF)
    j["head"] = toward(top, pose.lean * 0.8, NECK + HEAD_R)
    for side, sign in (("", -1), ("_far", 1)):
        hip = j["hip" + side]
        foot_x = hip[0] + sign * (0.01 + pose.wide)
        if seated:  # the knee rolls with the sway; the leading one drops a little
            leading = pose.sway * sign > 0
            j["knee" + side] = (foot_x + pose.sway,
                                hip[1] - 0.03 - abs(pose.sway) * (0.5 if leading else 0.2))
        elif lying:  # the knee points at the ceiling, above its shin, until it sways
            j["knee" + side] = ((hip[0] + foot_x) / 2 + pose.sway, hip[1] - LYING_KNEE)
        else:
            j["knee" + side] = (hip[0] + sign * (0.01 + pose.wide / 2), hip[1] - THIGH)
        if lying:  # a foot flat on the mat, its toes away from the body
            j["ankle" + side] = (foot_x, LYING_ANKLE_Y)
            j["toe" + side] = (foot_x + sign * 0.01, LYING_ANKLE_Y - FOOT)
        else:
            j["ankle" + side] = (foot_x, ANKLE_H)
            j["toe" + side] = (foot_x + sign * 0.035, ANKLE_H - 0.01)
        shoulder = j["shoulder" + side]
        if pose.overhead == "arm" + side:  # up and over, towards the other side
            upper = pose.lean - sign * 15
            j["elbow" + side] = toward(shoulder, upper, UPPER_ARM)
            j["hand" + side] = toward(j["elbow" + side], upper - sign * 25, FOREARM)
            continue
        if pose.overhead:  # down by the side: on the seat's edge, or down the thigh
            hand = ((centre + sign * SEAT_HALF, SEAT_H + 0.03) if seated
                    else (hip[0] + sign * 0.06, hip[1] - 0.1))
        elif lying:  # resting on the mat a little away from the body
            hand = (shoulder[0] + sign * 0.12, shoulder[1] - UPPER_ARM - FOREARM + 0.03)
        elif seated:  # half way down the thigh, riding on it when the knees sway
            hand = ((hip[0] + j["knee" + side][0]) / 2, (hip[1] + j["knee" + side][1]) / 2 + 0.04)
        else:  # hanging by the side
            hand = (shoulder[0] + sign * 0.03, shoulder[1] - UPPER_ARM - FOREARM + 0.01)
        upper, fore = _two_links(shoulder, hand, UPPER_ARM, FOREARM, -sign)
        j["elbow" + side] = toward(shoulder, upper, UPPER_ARM)
        j["hand" + side] = toward(j["elbow" + side], fore, FOREARM)
    return j


def joints(pose: Pose) -> dict[str, Point]:
    """World positions (y up, floor at 0) of every joint of a pose."""
    if pose.front:
        return front_joints(pose)
    j: dict[str, Point] = {"hip": (0.0, 0.0)}
    j["shoulder"] = toward(j["hip"], pose.torso, TORSO)
    neck = pose.torso if pose.neck is None else pose.neck
    j["head"] = toward(j["shoulder"], neck, NECK + HEAD_R)
    for side, (upper, fore) in (("", pose.arm), ("_far", pose.arm_far)):
        upper_len = length(pose, "upper_arm" + side, UPPER_ARM)
        j["elbow" + side] = toward(j["shoulder"], upper, upper_len)
        j["hand" + side] = toward(j["elbow" + side], fore, FOREARM)
    for side, (thigh, shin, foot) in (("", pose.leg), ("_far", pose.leg_far)):
        j["knee" + side] = toward(j["hip"], thigh, length(pose, "thigh" + side, THIGH))
        j["ankle" + side] = toward(j["knee" + side], shin, length(pose, "shin" + side, SHIN))
        j["toe" + side] = toward(j["ankle" + side], foot, FOOT)
    if pose.anchor == "seat":
        dx, dy = pose.chair_x + pose.perch - j["hip"][0], HIP_ON_SEAT + pose.lift
    else:
        if pose.rest:
            lowest = j[pose.rest][1] - RADIUS.get(pose.rest, ANKLE_H)
        else:
            lowest = min(y - RADIUS.get(name, ANKLE_H) for name, (_, y) in j.items())
        dx, dy = pose.x - j[pose.fix][0], pose.lift - lowest
    return {name: (x + dx, y + dy) for name, (x, y) in j.items()}


Target = Point | Callable[[dict[str, Point]], Point]


def _two_links(
    origin: Point, target: Point, a: float, b: float, bend: float
) -> tuple[float, float]:
    """Angles of two segments (lengths a, b) from `origin` that end at `target` (or point at it
    when out of reach). `bend` +1 or -1 chooses on which side the middle joint goes."""
    d = math.dist(origin, target)
    d = min(max(d, abs(a - b) + 1e-9), a + b - 1e-9)
    cos_alpha = (a * a + d * d - b * b) / (2 * a * d)
    alpha = math.degrees(math.acos(max(-1.0, min(1.0, cos_alpha))))
    first = angle_of(origin, target) + bend * alpha
    return first % 360, angle_of(toward(origin, first, a), target)


def _resolve(target: Target, j: dict[str, Point]) -> Point:
    return target(j) if callable(target) else target


def reach(pose: Pose, target: Target, side: str = "", bend: float = 1) -> Pose:
    """`pose` with one arm set so that its hand lands on `target` (a point, or a function of
    the joints). bend=+1 puts the elbow below and behind a forward reach."""
    for _ in range(4):  # the floor anchor may shift once the arm moves
        j = joints(pose)
        upper = length(pose, "upper_arm" + side, UPPER_ARM)
        angles = _two_links(j["shoulder"], _resolve(target, j), upper, FOREARM, bend)
        pose = with_(pose, **{"arm" + side: angles})
    return pose


def plant(pose: Pose, target: Target, side: str = "", bend: float = -1) -> Pose:
    """`pose` with one leg set so that its ankle lands on `target`; the foot keeps its angle.
    bend=-1 puts the knee in front."""
    for _ in range(4):
        j = joints(pose)
        thigh = length(pose, "thigh" + side, THIGH)
        shin = length(pose, "shin" + side, SHIN)
        first, second = _two_links(j["hip"], _resolve(target, j), thigh, shin, bend)
        foot = (pose.leg if not side else pose.leg_far)[2]
        pose = with_(pose, **{"leg" + side: (first, second, foot)})
    return pose


def on_floor(x: float) -> Point:
    """Where an ankle sits when its foot is flat on the floor at `x`."""
    return (x, ANKLE_H)


def on_desk(x: float) -> Point:
    """Where a hand rests on the desk top at `x`."""
    return (x, DESK_H + RADIUS["hand"])


def along_torso(part: float, out: float) -> Callable[[dict[str, Point]], Point]:
    """A point `part` of the way from hip to shoulder, `out` in front of it (behind if < 0)."""

    def point(j: dict[str, Point]) -> Point:
        (hx, hy), (sx, sy) = j["hip"], j["shoulder"]
        tx, ty = sx - hx, sy - hy
        norm = math.hypot(tx, ty) or 1.0
        # The body's front is the torso direction turned a quarter to the right.
        return (hx + part * tx + out * ty / norm, hy + part * ty - out * tx / norm)

    return point


def near_joint(name: str, dx: float = 0.0, dy: float = 0.0) -> Callable[[dict[str, Point]], Point]:
    """A point offset from a joint."""
    return lambda j: (j[name][0] + dx, j[name][1] + dy)

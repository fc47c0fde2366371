"""The monthly re-test: a few minutes of measures a physiotherapist would take, chosen by the
places the user allows, so progress shows as numbers over months.

Offered when `interval_days` have passed since the last one (skippable); each result is one
history row (kind `retest`: the item's id, the side if any, and the value).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tray_app.core.model import Kind, Row
from tray_app.core.progression import DAY_S
from tray_app.core.text import Text

REPS, SECONDS = "reps", "s"
SIDES = ("left", "right")
# How a side is shown (the command line and the history keep "left" and "right").
SIDE_NAMES: dict[str, Text] = {"left": Text("left"), "right": Text("right")}


def side_name(side: str | None) -> Text | str:
    """How a re-test's side is shown: its name, or what the row holds when it is not one."""
    return SIDE_NAMES.get(side or "", side or "")
INTERVAL_DAYS = (7, 365)  # the settings range of [progression] retest_days
DEFAULT_INTERVAL_DAYS = 30
MAX_VALUE = 600  # no result is above this (10 minutes of holding, 600 repetitions)


@dataclass(frozen=True)
class RetestItem:
    id: str
    name: str
    how: str  # what to do, in one or two sentences
    unit: str  # REPS or SECONDS
    needs: frozenset[str]  # places that must all be allowed
    per_side: bool = False


SIT_TO_STAND = RetestItem(
    "sit-to-stand-30s", Text("Sit-to-stand in 30 s"),
    Text("From a steady chair without wheels, arms crossed, stand up fully and sit down as many "
         "times as you can in 30 seconds."), REPS, frozenset({"chair", "standing"}))
KNEE_HOLD = RetestItem(
    "seated-knee-hold", Text("Seated high knee hold"),
    Text("Sit tall, lift one knee above hip height without leaning back, and hold it as long as "
         "you can keep it there (up to 60 s)."), SECONDS, frozenset({"chair"}), per_side=True)
DESK_PLANK = RetestItem(
    "desk-plank-hold", Text("Desk plank hold"),
    Text("Hands on a steady desk, body in one straight line from heels to head; hold as long as "
         "the line holds (up to 120 s)."), SECONDS, frozenset({"standing"}))
SIDE_PLANK = RetestItem(
    "side-plank-hold", Text("Side plank hold (knees bent)"),
    Text("On one forearm with the knees bent, lift the hips into a straight line and hold as long "
         "as they stay up (up to 90 s)."), SECONDS, frozenset({"floor"}), per_side=True)
BRIDGE = RetestItem(
    "single-leg-bridge-reps", Text("Single-leg bridge repetitions"),
    Text("Lying on the back, one foot on the floor and the other knee drawn up, lift and lower "
         "the hips as many times as you can with good form (up to 30)."), REPS,
    frozenset({"floor"}), per_side=True)
HIP_HINGE = RetestItem(
    "hip-hinge-reps-30s", Text("Hip hinges in 30 s"),
    Text("Standing, hands on the hips, hinge forward with a flat back and stand tall again, as "
         "many times as you can in 30 seconds."), REPS, frozenset({"standing"}))

ITEMS = (SIT_TO_STAND, KNEE_HOLD, DESK_PLANK, SIDE_PLANK, BRIDGE, HIP_HINGE)
BY_ID = {i.id: i for i in ITEMS}


def items_for(places: Iterable[str]) -> tuple[RetestItem, ...]:
    """The re-test for the places allowed: sit-to-stand, the knee hold, a plank (desk when
    standing is allowed, else side plank on the floor) and the hips (bridge on the floor, else
    hip hinges standing)."""
    allowed = frozenset(places)

    def fits(item: RetestItem) -> bool:
        return item.needs <= allowed

    chosen = [i for i in (SIT_TO_STAND, KNEE_HOLD) if fits(i)]
    for pair in ((DESK_PLANK, SIDE_PLANK), (BRIDGE, HIP_HINGE)):
        chosen += [i for i in pair if fits(i)][:1]
    return tuple(chosen)


def due(last_wall: float | None, now: float, interval_days: int) -> bool:
    """Whether a re-test is due: never done, or `interval_days` since the last."""
    return last_wall is None or now - last_wall >= interval_days * DAY_S


def check_result(item_id: str, value: float, side: str | None = None) -> str | None:
    """Why a result can't be recorded, or None."""
    item = BY_ID.get(item_id)
    if item is None:
        return Text("unknown re-test {item}; one of: {items}", item=repr(item_id),
                    items=", ".join(BY_ID))
    if item.per_side and side not in SIDES:
        return Text("{item} is measured per side: give left or right", item=item_id)
    if not item.per_side and side is not None:
        return Text("{item} has no sides", item=item_id)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_VALUE:
        return Text("{item}: the result must be a number 0-{most} {unit}, got {value}",
                    item=item_id, most=MAX_VALUE, unit=item.unit, value=repr(value))
    if item.unit == REPS and value != int(value):
        return Text("{item}: repetitions are a whole number, got {value}", item=item_id,
                    value=repr(value))
    return None


def retest_row(wall: float, item_id: str, value: float, side: str | None = None) -> Row:
    """The history row of one result (checked by check_result first)."""
    if problem := check_result(item_id, value, side):
        raise ValueError(problem)
    return Row(Kind.RETEST, wall, 0.0, item_id, side, f"{float(value):g}")


def last_retest(rows: Iterable[Row]) -> float | None:
    """The wall time of the newest re-test result in `rows`, or None."""
    return max((r.wall for r in rows if r.kind == Kind.RETEST), default=None)

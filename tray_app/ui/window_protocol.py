"""The break window's wire format: one JSON request on stdin, JSON lines back on stdout.

Standard library only and no Tk, so the tray process can build requests and read
replies without loading a toolkit. The child is `python -m tray_app.ui.break_window`.

Events the child writes, one JSON object per line:
  {"event": "shown"}                                  once the window is mapped
  {"event": "focused"}                                when it takes keyboard focus
  {"event": "started", "exercise_id": "..."}          each time a routine starts (the id is
                                                      the routine's first exercise)
  {"event": "result", ...}                            exactly once, last; see BreakResult
With SITBREAK_WINDOW_DEBUG=1 (for tests) also:
  {"event": "layout", "widgets": {name: [x, y, w, h]}} button/picture rectangles, root coords
  {"event": "focus", "widget": name}                  a button got the keyboard focus
  {"event": "tick", "exercise": i, "step": j, "clock": "0:05", "progress": 0.4}
                                                      countdown changes; i is the position in
                                                      the routine, j the step in that exercise
  {"event": "exercise", "index": i, "id": "...", "name": "...", "position": "1 of 2",
   "frames": n}                                       an exercise is put on show (as drawn)
Unknown events may be added later; readers should ignore events they do not know.

A routine: the request's first `routine` exercises run back to back as one break, the rest
are single-exercise alternatives for "Another exercise". Without `routine` (or with 1) the
first exercise is the pick and every other one an alternative, as before routines existed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from tray_app.core.exercise import Exercise

ACTIONS = ("done", "snooze", "skip", "closed")
DEBUG_ENV = "SITBREAK_WINDOW_DEBUG"


class ProtocolError(ValueError):
    """A request or reply line that does not follow the protocol."""


@dataclass(frozen=True)
class StepSpec:
    text: str
    seconds: int


@dataclass(frozen=True)
class ExerciseSpec:
    """An exercise as the window shows it: the catalogue record plus its picture frames."""

    id: str
    name: str
    category: str
    where: str
    steps: tuple[StepSpec, ...]
    cue: str = ""
    why: str = ""
    cautions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()  # absolute paths of PNG frames, shown in a loop

    @property
    def seconds(self) -> int:
        """Length of the exercise: all its steps."""
        return sum(s.seconds for s in self.steps)

    @classmethod
    def from_exercise(cls, ex: Exercise, frames: Sequence[str] = ()) -> ExerciseSpec:
        """Build the wire record from a core Exercise and the paths of its rendered frames."""
        return cls(
            id=ex.id,
            name=ex.name,
            category=ex.category,
            where=ex.where,
            steps=tuple(StepSpec(s.text, s.seconds) for s in ex.steps),
            cue=ex.cue,
            why=ex.why,
            cautions=tuple(ex.cautions),
            tags=tuple(ex.tags),
            frames=tuple(str(f) for f in frames),
        )


@dataclass(frozen=True)
class BreakRequest:
    """What the window should offer.

    The first `routine` exercises are run one after another as the break; each exercise after
    them is an alternative that "Another exercise" swaps in on its own.
    """

    exercises: tuple[ExerciseSpec, ...]
    snooze_options: tuple[int, ...] = ()  # remaining snooze lengths in seconds; empty = none
    can_skip: bool = True
    started: bool = False  # True: begin the routine at once ("take a break now")
    safety: str = ""
    title: str = "Time to move"
    focus_wait_max: float = 10.0  # seconds to wait for a pause in typing before taking focus
    routine: int = 1  # how many of the first exercises make up the break, 1..len(exercises)

    def __post_init__(self) -> None:
        if not 1 <= self.routine <= len(self.exercises):
            raise ProtocolError(
                f"request.routine: expected 1 to {len(self.exercises)}, got {self.routine!r}"
            )


@dataclass(frozen=True)
class ExerciseDone:
    """One exercise of the routine that was begun: how long the user actually spent on it."""

    exercise_id: str
    category: str
    seconds: float


@dataclass(frozen=True)
class BreakResult:
    """The single final answer. elapsed_seconds counts from the (last) routine start.

    exercise_id/category name the routine's first exercise (what older readers expect);
    `exercises` lists every exercise of the routine with at least one step started, in order,
    and is empty when the routine never started.
    """

    action: str  # one of ACTIONS
    exercise_id: str
    category: str
    steps_done: int = 0  # across the whole routine
    elapsed_seconds: float = 0.0
    snooze_seconds: int | None = None
    exercises: tuple[ExerciseDone, ...] = ()


# --- encoding -------------------------------------------------------------------------------


def request_to_json(req: BreakRequest) -> str:
    """Serialise a request to the single JSON object the child reads from stdin."""
    return json.dumps(asdict(req))


def result_to_dict(res: BreakResult) -> dict[str, Any]:
    """The result as an event dict, ready to be written as one line."""
    return {"event": "result", **asdict(res)}


def event_line(event: dict[str, Any]) -> str:
    """One event as a newline-terminated JSON line."""
    return json.dumps(event, separators=(",", ":")) + "\n"


# --- decoding -------------------------------------------------------------------------------


def _need(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise ProtocolError(f"{where}: missing {key!r}")
    value = obj[key]
    # bool is an int subclass; a count given as true/false is a mistake, not a number
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ProtocolError(f"{where}.{key}: expected a number, got {value!r}")
    if not isinstance(value, kind):
        raise ProtocolError(f"{where}.{key}: expected {_kind_name(kind)}, got {value!r}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def _strings(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = obj.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ProtocolError(f"{where}.{key}: expected a list of strings, got {values!r}")
    return tuple(values)


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProtocolError(f"{where}.{key}: expected text, got {value!r}")
    return value


def _exercise_from_dict(obj: Any, where: str) -> ExerciseSpec:
    if not isinstance(obj, dict):
        raise ProtocolError(f"{where}: expected an object, got {obj!r}")
    raw_steps = _need(obj, "steps", list, where)
    if not raw_steps:
        raise ProtocolError(f"{where}.steps: needs at least one step")
    steps = []
    for i, raw in enumerate(raw_steps):
        w = f"{where}.steps[{i}]"
        if not isinstance(raw, dict):
            raise ProtocolError(f"{w}: expected an object, got {raw!r}")
        seconds = _need(raw, "seconds", int, w)
        if seconds < 1:
            raise ProtocolError(f"{w}.seconds: must be at least 1, got {seconds}")
        steps.append(StepSpec(_need(raw, "text", str, w), seconds))
    return ExerciseSpec(
        id=_need(obj, "id", str, where),
        name=_need(obj, "name", str, where),
        category=_need(obj, "category", str, where),
        where=_text(obj, "where", where),
        steps=tuple(steps),
        cue=_text(obj, "cue", where),
        why=_text(obj, "why", where),
        cautions=_strings(obj, "cautions", where),
        tags=_strings(obj, "tags", where),
        frames=_strings(obj, "frames", where),
    )


def request_from_dict(obj: Any) -> BreakRequest:
    """Validate a decoded request; raise ProtocolError naming the bad field."""
    if not isinstance(obj, dict):
        raise ProtocolError(f"request: expected an object, got {obj!r}")
    raw_ex = _need(obj, "exercises", list, "request")
    if not raw_ex:
        raise ProtocolError("request.exercises: needs at least one exercise")
    exercises = tuple(_exercise_from_dict(e, f"exercises[{i}]") for i, e in enumerate(raw_ex))
    snoozes = obj.get("snooze_options", [])
    if not isinstance(snoozes, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in snoozes
    ):
        raise ProtocolError(
            f"request.snooze_options: expected a list of positive seconds, got {snoozes!r}"
        )
    routine = obj.get("routine", 1)
    if (
        isinstance(routine, bool) or not isinstance(routine, int)
        or not 1 <= routine <= len(exercises)
    ):
        raise ProtocolError(
            f"request.routine: expected a count from 1 to {len(exercises)}, got {routine!r}"
        )
    wait = obj.get("focus_wait_max", 10.0)
    if isinstance(wait, bool) or not isinstance(wait, int | float) or wait < 0:
        raise ProtocolError(f"request.focus_wait_max: expected seconds >= 0, got {wait!r}")
    return BreakRequest(
        exercises=exercises,
        snooze_options=tuple(snoozes),
        can_skip=bool(obj.get("can_skip", True)),
        started=bool(obj.get("started", False)),
        safety=str(obj.get("safety", "") or ""),
        title=str(obj.get("title", "") or "Time to move"),
        focus_wait_max=float(wait),
        routine=routine,
    )


def request_from_json(text: str) -> BreakRequest:
    """Parse and validate the request text the child read from stdin."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"request is not JSON: {exc}") from exc
    return request_from_dict(obj)


def parse_event(line: str) -> dict[str, Any]:
    """Decode one reply line; raise ProtocolError when it is not a JSON object with "event"."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"reply line is not JSON: {line!r}") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("event"), str):
        raise ProtocolError(f"reply line has no event: {line!r}")
    if obj["event"] == "result" and obj.get("action") not in ACTIONS:
        raise ProtocolError(f"result has an unknown action: {obj.get('action')!r}")
    return obj


def result_exercises(event: dict[str, Any]) -> tuple[ExerciseDone, ...]:
    """The routine's exercises from a result event; () for a result without them (older child).

    Raise ProtocolError when the field is there but malformed.
    """
    raw = event.get("exercises", [])
    if not isinstance(raw, list):
        raise ProtocolError(f"result.exercises: expected a list, got {raw!r}")
    out = []
    for i, item in enumerate(raw):
        where = f"result.exercises[{i}]"
        if not isinstance(item, dict):
            raise ProtocolError(f"{where}: expected an object, got {item!r}")
        seconds = _need(item, "seconds", (int, float), where)
        out.append(ExerciseDone(_need(item, "exercise_id", str, where),
                                _need(item, "category", str, where), float(seconds)))
    return tuple(out)


def snooze_label(seconds: int) -> str:
    """Button text for a snooze length, e.g. "Snooze 5 min" or "Snooze 90 s"."""
    if seconds % 60 == 0:
        return f"Snooze {seconds // 60} min"
    return f"Snooze {seconds} s"


__all__ = [
    "ACTIONS",
    "DEBUG_ENV",
    "BreakRequest",
    "BreakResult",
    "ExerciseDone",
    "ExerciseSpec",
    "ProtocolError",
    "StepSpec",
    "event_line",
    "parse_event",
    "request_from_dict",
    "request_from_json",
    "request_to_json",
    "result_exercises",
    "result_to_dict",
    "snooze_label",
]

"""The break window's wire format: JSON lines both ways; the window is a view of the core.

Standard library only and no Tk, so the tray process can build requests and read replies
without loading a toolkit. The child is `python -m tray_app.ui.windows.break_window`.

The parent writes, one JSON object per line on the child's stdin:
  the request first (BreakRequest: every exercise the break may show, with picture frames),
  then {"view": {...}} (core.session.BreakView) whenever the break changes, the first at once;
  at the break's end {"end": {"title": ..., "lines": [...], "seconds": n}}: the closing
  screen, which closes itself after n seconds (writing {"event": "ended"});
  its "spares" are the spare routines as lists of ids ("Another exercise" swaps one in for
  what is left of "routine", so after a swap "routine" names new ids from them).
The child shows the latest view and only animates its countdown between views; it never
decides that a break started, moved on or ended. It writes, one JSON object per line:
  {"event": "shown"}                                  once the window is mapped
  {"event": "focused"}                                when it takes keyboard focus
  {"event": "intent", "intent": NAME, ...}            the user asked for something: NAME is a
      command of core.commands (start, next, done, another, snooze, skip, close) with the
      exercise_id and step on show, and "seconds" for a snooze
After the "close" intent the child exits 0; exiting any other way on its own is a crash.
With SITBREAK_WINDOW_DEBUG=1 (for tests) also:
  {"event": "layout", "widgets": {name: [x, y, w, h]}} visible buttons and parts, root coords
  {"event": "focus", "widget": name}                  a button got the keyboard focus
  {"event": "view", "index": i, "step": j, "running": b, "buttons": [...], "keys": "..."}
                                                      a view was drawn
  {"event": "tick", "exercise": i, "step": j, "clock": "0:05", "progress": 0.4}
                                                      the countdown on screen changed
  {"event": "exercise", "index": i, "id": "...", "name": "...", "position": "1 of 2",
   "frames": n}                                       an exercise is put on show (as drawn)
Unknown events may be added later; readers should ignore events they do not know.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from tray_app.core.exercise import Exercise, Step
from tray_app.core.session import BreakView
from tray_app.support.i18n import _, duration

INTENTS = ("start", "next", "done", "another", "snooze", "skip", "close", "rate", "level",
           "checkin", "retest")
DEBUG_ENV = "SITBREAK_WINDOW_DEBUG"


class ProtocolError(ValueError):
    """A request, view or reply line that does not follow the protocol."""


@dataclass(frozen=True)
class ExerciseSpec:
    """An exercise as the window shows it: the core's record plus its picture frames."""

    exercise: Exercise
    frames: tuple[str, ...] = ()  # absolute paths of PNG frames, shown in a loop

    @property
    def id(self) -> str:
        return self.exercise.id

    @classmethod
    def from_exercise(cls, ex: Exercise, frames: Sequence[str] = ()) -> ExerciseSpec:
        return cls(ex, tuple(str(f) for f in frames))


@dataclass(frozen=True)
class BreakRequest:
    """What the window may show: every exercise of the routine and of the spare routines
    "Another exercise" may swap in, by id."""

    exercises: tuple[ExerciseSpec, ...]
    safety: str = ""
    title: str = "Time to move"
    focus_wait_max: float = 10.0  # seconds to wait for a pause in typing before taking focus
    # Where the window draws and caches an exercise's pictures when its spec brings no frames.
    # Drawing happens in the window's process, so the app never loads Pillow's drawing code.
    pictures_dir: str = ""
    # The programme (core.progression): exercise id -> the family ready for a harder version
    # (offered with that exercise), and whether the break asks for back pain 0-10.
    offers: dict[str, str] = field(default_factory=dict)
    checkin: bool = False
    retest: tuple[str, ...] = ()  # the re-test's items (core.retest) when one is due

    def by_id(self) -> dict[str, ExerciseSpec]:
        return {spec.id: spec for spec in self.exercises}


# --- encoding -------------------------------------------------------------------------------


def request_to_json(req: BreakRequest) -> str:
    """The request as one line for the child's stdin."""
    return json.dumps(asdict(req), separators=(",", ":")) + "\n"


def view_line(view: BreakView) -> str:
    """A view as one line for the child's stdin."""
    return json.dumps({"view": asdict(view)}, separators=(",", ":")) + "\n"


def event_line(event: dict[str, Any]) -> str:
    """One event as a newline-terminated JSON line."""
    return json.dumps(event, separators=(",", ":")) + "\n"


def intent(name: str, view: BreakView | None, seconds: int | None = None) -> dict[str, Any]:
    """The event the child writes when the user asks for `name` while `view` is on show."""
    event: dict[str, Any] = {"event": "intent", "intent": name}
    if view is not None and view.routine and name in ("next", "done", "another"):
        event["exercise_id"] = view.routine[view.index]
        if name != "another":
            event["step"] = view.step
    if seconds is not None:
        event["seconds"] = seconds
    return event


def rate_intent(rating: str, exercise_id: str) -> dict[str, Any]:
    """The user's rating of an exercise (core.progression.RATINGS), the same command as
    `sitbreak rate`; never part of the break's flow."""
    return {"event": "intent", "intent": "rate", "rating": rating, "exercise_id": exercise_id}


def level_intent(family_id: str, accept: bool) -> dict[str, Any]:
    """The answer to "ready for a harder version?" (the same command as `sitbreak level`)."""
    return {"event": "intent", "intent": "level", "family": family_id,
            "answer": "accept" if accept else "stay"}


def retest_intent(item_id: str, value: float, side: str | None) -> dict[str, Any]:
    """One re-test result (the same command as `sitbreak retest ITEM VALUE`)."""
    event: dict[str, Any] = {"event": "intent", "intent": "retest", "item": item_id,
                             "value": value}
    if side is not None:
        event["side"] = side
    return event


def checkin_intent(pain: int) -> dict[str, Any]:
    """Back pain now, 0-10 (the same command as `sitbreak checkin`)."""
    return {"event": "intent", "intent": "checkin", "pain": pain}


# --- decoding -------------------------------------------------------------------------------


def _need(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in obj:
        raise ProtocolError(f"{where}: missing {key!r}")
    value = obj[key]
    # bool is an int subclass; a count given as true/false is a mistake, not a number
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ProtocolError(f"{where}.{key}: expected a number, got {value!r}")
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise ProtocolError(f"{where}.{key}: expected {names}, got {value!r}")
    return value


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


def _exercise(obj: Any, where: str) -> Exercise:
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
        reps, tempo, hold = (raw.get(k) for k in ("reps", "tempo", "hold"))
        # The counted work times the picture and the rep counter; null when a step has none.
        if reps is not None and (isinstance(reps, bool) or not isinstance(reps, int)):
            raise ProtocolError(f"{w}.reps: expected a whole number or null, got {reps!r}")
        for key, value in (("tempo", tempo), ("hold", hold)):
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, int | float)):
                raise ProtocolError(f"{w}.{key}: expected a number or null, got {value!r}")
        steps.append(Step(_need(raw, "text", str, w), seconds, reps,
                          None if tempo is None else float(tempo),
                          None if hold is None else float(hold)))
    return Exercise(
        id=_need(obj, "id", str, where),
        name=_need(obj, "name", str, where),
        category=_need(obj, "category", str, where),
        where=_text(obj, "where", where),
        steps=tuple(steps),
        cue=_text(obj, "cue", where),
        why=_text(obj, "why", where),
        cautions=_strings(obj, "cautions", where),
        tags=_strings(obj, "tags", where),
    )


def request_from_dict(obj: Any) -> BreakRequest:
    """Validate a decoded request; raise ProtocolError naming the bad field."""
    if not isinstance(obj, dict):
        raise ProtocolError(f"request: expected an object, got {obj!r}")
    raw = _need(obj, "exercises", list, "request")
    if not raw:
        raise ProtocolError("request.exercises: needs at least one exercise")
    specs = []
    for i, item in enumerate(raw):
        where = f"exercises[{i}]"
        if not isinstance(item, dict):
            raise ProtocolError(f"{where}: expected an object, got {item!r}")
        specs.append(ExerciseSpec(_exercise(item.get("exercise"), f"{where}.exercise"),
                                  _strings(item, "frames", where)))
    wait = obj.get("focus_wait_max", 10.0)
    if isinstance(wait, bool) or not isinstance(wait, int | float) or wait < 0:
        raise ProtocolError(f"request.focus_wait_max: expected seconds >= 0, got {wait!r}")
    return BreakRequest(
        exercises=tuple(specs),
        safety=str(obj.get("safety", "") or ""),
        title=str(obj.get("title", "") or "Time to move"),
        focus_wait_max=float(wait),
        pictures_dir=str(obj.get("pictures_dir", "") or ""),
        offers=_offers(obj.get("offers", {})),
        checkin=obj.get("checkin", False) is True,
        retest=_strings(obj, "retest", "request"),
    )


def _offers(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ProtocolError(f"request.offers: expected exercise ids to family ids, got {raw!r}")
    return dict(raw)


def request_from_json(text: str) -> BreakRequest:
    """Parse and validate the request line the child read from stdin."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"request is not JSON: {exc}") from exc
    return request_from_dict(obj)


_TUPLES = ("routine", "allowed", "snooze_options")


def view_from_line(line: str, request: BreakRequest) -> BreakView:
    """A view line from the parent; raise ProtocolError for a malformed one, or one that
    names an exercise the request does not carry."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"view line is not JSON: {line!r}") from exc
    raw = obj.get("view") if isinstance(obj, dict) else None
    if not isinstance(raw, dict):
        raise ProtocolError(f"view line has no view: {line!r}")
    names = {f.name for f in fields(BreakView)}
    if set(raw) != names:
        raise ProtocolError(f"view: expected the fields {sorted(names)}, got {sorted(raw)}")
    values = {k: tuple(v) if k in _TUPLES and isinstance(v, list) else v for k, v in raw.items()}
    spares = raw["spares"]
    if not isinstance(spares, list) or not all(
        isinstance(r, list) and all(isinstance(i, str) for i in r) for r in spares
    ):
        raise ProtocolError(f"view.spares: expected a list of routines (lists of ids), "
                            f"got {spares!r}")
    values["spares"] = tuple(tuple(r) for r in spares)
    view = BreakView(**values)
    known = request.by_id()
    unknown = [i for i in (*view.routine, *(i for r in view.spares for i in r)) if i not in known]
    if unknown:
        raise ProtocolError(f"view names exercises the request lacks: {unknown}")
    if view.routine and not 0 <= view.index < len(view.routine):
        raise ProtocolError(f"view.index: {view.index} is outside the routine")
    if view.routine:
        steps = known[view.routine[view.index]].exercise.steps
        if not 0 <= view.step < len(steps):
            raise ProtocolError(f"view.step: {view.step} is outside {view.routine[view.index]}")
    return view


@dataclass(frozen=True)
class EndScreen:
    """The closing screen (core.ending): a title, a few lines, and how long it stays."""

    title: str
    lines: tuple[str, ...]
    seconds: float


def end_line(title: str, lines: Sequence[str], seconds: float) -> str:
    return json.dumps({"end": {"title": title, "lines": list(lines), "seconds": seconds}}) + "\n"


def end_from_line(line: str) -> EndScreen | None:
    """The closing screen a line carries, or None for a line of another kind."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None
    raw = obj.get("end") if isinstance(obj, dict) else None
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ProtocolError(f"end: expected an object, got {raw!r}")
    seconds = _need(raw, "seconds", (int, float), "end")
    return EndScreen(_text(raw, "title", "end"), _strings(raw, "lines", "end"), float(seconds))


def parse_event(line: str) -> dict[str, Any]:
    """Decode one reply line; raise ProtocolError when it is not a JSON object with "event"."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"reply line is not JSON: {line!r}") from exc
    if not isinstance(obj, dict) or not isinstance(obj.get("event"), str):
        raise ProtocolError(f"reply line has no event: {line!r}")
    if obj["event"] == "intent" and obj.get("intent") not in INTENTS:
        raise ProtocolError(f"intent is unknown: {obj.get('intent')!r}")
    return obj


def snooze_label(seconds: int) -> str:
    """Button text for a snooze length, never rounded, e.g. "Snooze 5 min", "Snooze 1 min 30 s":
    the same words as the notification's action for it."""
    return _("Snooze {duration}").format(duration=duration(seconds, exact=True))

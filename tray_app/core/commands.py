"""The one table from input names to core events, for every input.

Menu ids, notification action keys, break-window intents and control-socket (CLI) commands
all come through `command_event`: "start" (also "break-now", "default"), "next", "done",
"another", "snooze" / "snooze-SECONDS", "skip", "pause" / "pause-SECONDS", "pause-tomorrow",
"resume", "close", and the programme's "rate", "level", "checkin", "retest". What is allowed
at the moment is guards.allowed's business, not this table's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tray_app.core.events import (
    AnotherExercise,
    AnswerLevel,
    CheckInPain,
    Done,
    Event,
    NextStep,
    Pause,
    PauseUntilDayStarts,
    Rate,
    Resume,
    RetestResult,
    Skip,
    Snooze,
    TakeBreakNow,
    WindowClosed,
)
from tray_app.core.state import Command


class BadCommand(ValueError):
    """A name or parameter no input may send; the message says which."""


class UnknownCommand(BadCommand):
    """A command name no input may send."""


def _number(params: dict[str, Any], key: str) -> float | None:
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadCommand(f"{key}: expected a number, got {value!r}")
    return float(value)


def _exercise(params: dict[str, Any]) -> str | None:
    value = params.get("exercise_id")
    if value is not None and not isinstance(value, str):
        raise BadCommand(f"exercise_id: expected text, got {value!r}")
    return value


def _step(params: dict[str, Any]) -> int | None:
    value = params.get("step")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise BadCommand(f"step: expected a whole number, got {value!r}")
    return value


def _pause(params: dict[str, Any]) -> Pause:
    seconds, until = _number(params, "seconds"), _number(params, "until_wall")
    if seconds is not None and until is not None:  # one would be dropped without a word
        raise BadCommand("pause: give seconds or until_wall, not both")
    return Pause(seconds=seconds, until_wall=until)


def _text(params: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = params.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise BadCommand(f"{key}: expected text, got {value!r}")
    return value


def _rate(params: dict[str, Any]) -> Rate:
    return Rate(str(_text(params, "rating")), _exercise(params))


def _answer(params: dict[str, Any]) -> AnswerLevel:
    answer = _text(params, "answer")
    if answer not in ("accept", "stay"):
        raise BadCommand(f"answer: expected accept or stay, got {answer!r}")
    return AnswerLevel(str(_text(params, "family")), answer == "accept")


def _checkin(params: dict[str, Any]) -> CheckInPain:
    pain = params.get("pain")
    if isinstance(pain, bool) or not isinstance(pain, int):
        raise BadCommand(f"pain: expected a whole number 0-10, got {pain!r}")
    return CheckInPain(pain)


def _retest(params: dict[str, Any]) -> RetestResult:
    value = _number(params, "value")
    if value is None:
        raise BadCommand("value: expected a number")
    return RetestResult(str(_text(params, "item")), value, _text(params, "side", False))


_TABLE: dict[str, Callable[[dict[str, Any]], Event]] = {
    Command.START: lambda p: TakeBreakNow(),
    "break-now": lambda p: TakeBreakNow(),
    "default": lambda p: TakeBreakNow(),  # a notification's body was clicked
    Command.NEXT: lambda p: NextStep(_exercise(p), _step(p)),
    Command.DONE: lambda p: Done(_exercise(p), _step(p)),
    Command.ANOTHER: lambda p: AnotherExercise(_exercise(p)),
    Command.SNOOZE: lambda p: Snooze(_number(p, "seconds")),
    Command.SKIP: lambda p: Skip(),
    Command.PAUSE: _pause,
    "pause-tomorrow": lambda p: PauseUntilDayStarts(),
    Command.RESUME: lambda p: Resume(),
    Command.CLOSE: lambda p: WindowClosed(),
    # The programme (core.progression): the window's rating buttons and `sitbreak rate` alike.
    "rate": _rate,
    "level": _answer,
    "checkin": _checkin,
    "retest": _retest,
}

def command_event(name: str, params: dict[str, Any] | None = None) -> Event:
    """The event for command `name`; "snooze-300" and "pause-1800" carry their seconds.

    Raises BadCommand for an unknown name or a malformed parameter.
    """
    params = dict(params or {})
    if name not in _TABLE:
        kind, _, secs = name.partition("-")
        if kind not in (Command.SNOOZE, Command.PAUSE) or not secs.isdigit():
            raise UnknownCommand(f"unknown command {name!r}")
        name, params["seconds"] = kind, int(secs)
    try:
        return _TABLE[name](params)
    except BadCommand:
        raise
    except ValueError as exc:  # an event refused its own values (a negative snooze...)
        raise BadCommand(str(exc)) from exc


def event_for(name: str) -> Event | None:
    """The event for a menu id or notification action, or None when it is not a command."""
    try:
        return command_event(name)
    except BadCommand:
        return None

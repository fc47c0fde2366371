"""What the user may do now: `refusal(state, cmd)` is the one home of the guards.

`allowed(state)` is the one answer to "what may the user do now": step() refuses anything
outside it, and the menu, the notification's actions, the break window's buttons and the CLI's
refusals are all built from it.
"""

from __future__ import annotations

from tray_app.core.duration import Seconds
from tray_app.core.events import (
    AnotherExercise,
    Done,
    Event,
    NextStep,
    Pause,
    PauseUntilDayStarts,
    Resume,
    Skip,
    Snooze,
    TakeBreakNow,
    WindowClosed,
)
from tray_app.core.model import Phase
from tray_app.core.state import Command, Refused, State
from tray_app.core.text import Text

_COMMAND_OF: dict[type, Command] = {
    TakeBreakNow: Command.START,
    NextStep: Command.NEXT,
    Done: Command.DONE,
    AnotherExercise: Command.ANOTHER,
    Snooze: Command.SNOOZE,
    Skip: Command.SKIP,
    Pause: Command.PAUSE,
    PauseUntilDayStarts: Command.PAUSE,
    Resume: Command.RESUME,
    WindowClosed: Command.CLOSE,
}


def command_of(event: Event) -> Command | None:
    """The user command an event carries out, or None for facts (ticks, sleep, settings)."""
    return _COMMAND_OF.get(type(event))


def refusal(state: State, cmd: Command) -> str | None:
    """Why `cmd` is refused in `state`, or None when it is allowed. The one home of the guards."""
    p = state.phase
    strict = state.settings.breaks.strict
    session = state.session
    running = p is Phase.ON_BREAK
    if cmd is Command.START:
        if p is Phase.OFF_HOURS:  # the next tick would end it unrecorded, status saying off
            return Text("it is outside your working hours (schedule.days and schedule.hours); "
                        "breaks are offered again when they start")
        return Text("you are already on a break") if running else None
    if cmd in (Command.NEXT, Command.DONE):
        if not running or session is None:
            return (Text("no break is running; start it first ({command})",
                         command="sitbreak break-now") if p is Phase.BREAK_DUE
                    else Text("no break is running"))
        if strict and cmd is Command.NEXT:
            return Text("strict mode is on (breaks.strict = true): the steps move on by "
                        "themselves")
        left = session.time_left(state.mono)
        if strict and left > 1e-6:
            return Text("strict mode is on (breaks.strict = true): {duration} of the break "
                        "still to go", duration=Seconds(left))
        return None
    if cmd is Command.ANOTHER:
        if session is None or p not in (Phase.BREAK_DUE, Phase.ON_BREAK):
            return Text("no break is on offer")
        return None if session.can_swap() else Text("there is no other exercise to swap in")
    if cmd is Command.SNOOZE:
        if not state.ticked or p in (Phase.PAUSED, Phase.AWAY, Phase.OFF_HOURS):
            return _phase_words(p)
        if not snooze_options(state):
            n = state.settings.snooze.max_per_break
            return Text("no snoozes left for this break ({n} of {n} used); take it or skip it",
                        n=n)
        return None
    if cmd is Command.SKIP:
        upcoming = p is Phase.SITTING and state.heads_up_sent
        if p not in (Phase.BREAK_DUE, Phase.SNOOZED, Phase.ON_BREAK) and not upcoming:
            return Text("no break is due, so there is nothing to skip")
        if strict:
            return Text("strict mode is on (breaks.strict = true): breaks cannot be skipped")
        return None
    if cmd is Command.RESUME:
        return None if p is Phase.PAUSED else Text("sitbreak is not paused")
    if cmd is Command.CLOSE:
        if session is None or state.window_dismissed:
            return Text("no break window is open")
        return None
    return None  # PAUSE: always


def allowed(state: State) -> frozenset[Command]:
    """Every command `step` accepts now."""
    return frozenset(c for c in Command if refusal(state, c) is None)


def _phase_words(p: Phase) -> Text:
    if p is Phase.PAUSED:
        return Text("no break is coming while paused")
    if p is Phase.OFF_HOURS:
        return Text("no break is coming while off hours")
    return Text("no break is coming while away from the desk")


def check_names(state: State, event: Event) -> None:
    """A view that names an exercise or step must name the one on show."""
    ident = getattr(event, "exercise_id", None)
    step_no = getattr(event, "step", None)
    session = state.session
    if session is None or (ident is None and step_no is None):
        return
    ex = session.exercise
    if ident is not None and (ex is None or ident != ex.id):
        if ex is None:
            raise Refused(Text("the break shows no exercise, not {id}", id=repr(ident)))
        raise Refused(Text("the break shows {shown}, not {id}", shown=ex.id, id=repr(ident)))
    if step_no is not None and step_no != session.step:
        raise Refused(Text("step {n} is not the step on show ({shown})", n=step_no,
                           shown=session.step))


def snooze_options(state: State) -> tuple[float, ...]:
    s = state.settings.snooze
    if state.snoozes_used >= s.max_per_break:
        return ()
    return s.options


def snoozes_left(state: State) -> int:
    """How many more times the break on offer may be snoozed."""
    return max(0, state.settings.snooze.max_per_break - state.snoozes_used)

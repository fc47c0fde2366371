"""The sitting state machine: every transition rule lives in this file.

`step(state, event)` returns the new state and the effects for the shell to carry out. It never
reads a clock: time arrives in Tick events, and commands act at the time of the last tick (the
runtime always ticks just before it passes a command in). A refused command raises `Refused` and
leaves the state untouched.

`allowed(state)` is the one answer to "what may the user do now": step() refuses anything
outside it, and the menu, the notification's actions, the break window's buttons and the CLI's
refusals are all built from it. The break itself (exercises, step, time done) is the state's
`session`; every view of it is `break_view(state)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

from tray_app.core import schedule
from tray_app.core.duration import exact, human
from tray_app.core.effects import (
    CloseBreak,
    CloseNotice,
    Effect,
    NoticeKind,
    Notify,
    PlanBreak,
    Record,
    ShowBreak,
    UpdateTray,
    WakeAt,
)
from tray_app.core.events import (
    AnotherExercise,
    BreakPlanned,
    BreakViewFailed,
    Done,
    Event,
    HistoryNotSaved,
    Hold,
    NextStep,
    Pause,
    PauseUntilDayStarts,
    Resume,
    SettingsChanged,
    SettingsRejected,
    Shutdown,
    Skip,
    Snooze,
    Suspending,
    TakeBreakNow,
    Tick,
    WindowClosed,
    Woke,
)
from tray_app.core.model import Kind, Phase, Row, Settings
from tray_app.core.session import BreakView, Session

# A wall-clock jump this much larger than the monotonic step means the machine slept.
SLEEP_GAP_S = 30.0
# Posture cues keep this far from movement breaks, before and after.
POSTURE_QUIET_S = 5 * 60.0
# A suspend that logind announced but that never happened (inhibited, aborted) ends after this.
SUSPEND_ABORT_S = 120.0
# A break held back by a fullscreen window or do-not-disturb looks again this often, so it comes
# as soon as the hold ends.
HOLD_RECHECK_S = 1.0
# Away, the shell looks for input this often; a new stretch starts at most this late.
INPUT_POLL_S = 5.0

COUNTING = (Phase.SITTING, Phase.BREAK_DUE, Phase.SNOOZED)


class Refused(Exception):
    """A command that makes no sense now; the message tells the user why."""


class Command(StrEnum):
    """What a user can ask for, by any input: the names are menu ids, notification action
    keys, window intents and CLI/socket commands (see core.commands)."""

    START = "start"
    NEXT = "next"
    DONE = "done"
    ANOTHER = "another"
    SNOOZE = "snooze"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    CLOSE = "close"


@dataclass(frozen=True)
class State:
    """Everything the machine knows. Times are the last tick's; durations are seconds."""

    settings: Settings
    phase: Phase = Phase.AWAY
    ticked: bool = False  # a first tick has arrived
    mono: float = 0.0
    wall: float = 0.0
    utc_offset_s: int = 0
    idle_s: float = 0.0
    # The current stretch.
    stretch_s: float = 0.0
    idle_counted_s: float = 0.0  # the part of stretch_s that passed after input stopped
    next_break_at: float = 0.0  # stretch_s at which the break falls due
    heads_up_sent: bool = False
    next_posture_at: float = 0.0
    snoozes_used: int = 0
    last_break_end_mono: float | None = None
    # The break on offer or running (BREAK_DUE, ON_BREAK), and how it is shown.
    session: Session | None = None
    window_dismissed: bool = False  # the user closed the window, or it crashed
    notice: NoticeKind | None = None  # the break notification on screen, if any
    notice_actions: tuple[str, ...] = ()  # the choices it offers (command names)
    # Pause.
    paused_since_wall: float | None = None
    paused_until_wall: float | None = None  # None while paused means until resumed
    phase_before_pause: Phase = Phase.SITTING
    # Smart pause and sleep.
    hold_reason: str | None = None
    waiting_since_mono: float | None = None  # a due break held back by hold_reason
    locked_since_mono: float | None = None
    suspended_since_mono: float | None = None  # between PrepareForSleep(true) and waking
    # Daily totals.
    day: int | None = None
    today_sitting_s: float = 0.0
    today_longest_s: float = 0.0


def initial_state(settings: Settings) -> State:
    """A machine that has not seen a tick yet."""
    return State(settings=settings, next_break_at=settings.sitting.break_after)


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


def step(state: State, event: Event) -> tuple[State, list[Effect]]:
    """Apply one event. Returns (new state, effects); raises Refused for a pointless command."""
    fx: list[Effect] = []
    before = state
    cmd = command_of(event)
    if cmd is not None:
        reason = refusal(state, cmd)
        if reason is not None:
            raise Refused(reason)
        _check_names(state, event)
    match event:
        case Tick():
            state = _tick(state, event, fx)
        case TakeBreakNow():
            state = _take_break(state, fx)
        case NextStep():
            state = _next_step(state, fx)
        case Done():
            state = _finish(state, fx)
        case AnotherExercise():
            state = replace(state, session=_session(state).another(state.mono))
        case Snooze(seconds=seconds):
            state = _snooze(state, seconds, fx)
        case Skip():
            state = _skip(state, fx)
        case WindowClosed():
            state = _window_closed(state, fx)
        case BreakPlanned():
            state = _planned(state, event)
        case Pause():
            state = _pause(state, event, fx)
        case PauseUntilDayStarts():
            day_starts = state.settings.schedule.day_starts
            until = state.wall + schedule.seconds_to_day_end(state.wall, state.utc_offset_s,
                                                             day_starts)
            state = _pause(state, Pause(until_wall=until), fx)
        case Resume():
            state = _resume(state, fx)
        case Suspending():
            state = _drop_break(replace(state, suspended_since_mono=state.mono), fx)
        case Shutdown():
            state = _drop_break(state, fx)
            if state.phase is Phase.PAUSED and state.stretch_s > 0:
                fx.append(_record(Kind.STRETCH_ENDED, state.wall, state.stretch_s))
            state = _end_stretch(state, state.wall, fx)
        case Woke():
            state = replace(state, suspended_since_mono=None)
        case BreakViewFailed(reason=reason):
            state = _view_failed(state, reason, fx)
        case SettingsChanged(settings=settings):
            state = _settings_changed(state, settings)
        case HistoryNotSaved(problem=problem):
            fx.append(Notify(NoticeKind.INFO, "sitbreak: history not saved yet", problem))
        case SettingsRejected(problems=problems, file_name=name):
            fx.append(Notify(NoticeKind.INFO, f"sitbreak: {name} has a problem", problems))
        case Hold(reason=reason):
            state = replace(state, hold_reason=reason)
            if reason is None and state.waiting_since_mono is not None:
                state = _check_due(state, fx)
        case _:
            raise TypeError(f"unknown event {event!r}")
    state = _follow_views(before, state, fx)
    if _visible(before) != _visible(state):
        fx.append(UpdateTray())
    if state.ticked:
        fx.append(WakeAt(next_wake(state)))
    if not state.settings.notifications.enabled:
        fx = [e for e in fx if not isinstance(e, Notify)]
    return state, fx


# --- what is allowed ---------------------------------------------------------------------------


def refusal(state: State, cmd: Command) -> str | None:
    """Why `cmd` is refused in `state`, or None when it is allowed. The one home of the guards."""
    p = state.phase
    strict = state.settings.breaks.strict
    session = state.session
    running = p is Phase.ON_BREAK
    if cmd is Command.START:
        return "you are already on a break" if running else None
    if cmd in (Command.NEXT, Command.DONE):
        if not running or session is None:
            return "no break is running" + (
                "; start it first (sitbreak break-now)" if p is Phase.BREAK_DUE else ""
            )
        if strict and cmd is Command.NEXT:
            return "strict mode is on (breaks.strict = true): the steps move on by themselves"
        left = session.time_left(state.mono)
        if strict and left > 1e-6:
            return (f"strict mode is on (breaks.strict = true): {human(left)} of the break "
                    "still to go")
        return None
    if cmd is Command.ANOTHER:
        if session is None or p not in (Phase.BREAK_DUE, Phase.ON_BREAK):
            return "no break is on offer"
        return None if session.can_swap() else "there is no other exercise to swap in"
    if cmd is Command.SNOOZE:
        if not state.ticked or p in (Phase.PAUSED, Phase.AWAY, Phase.OFF_HOURS):
            return f"no break is coming while {_phase_words(p)}"
        if not _snoozes_left(state):
            n = state.settings.snooze.max_per_break
            return f"no snoozes left for this break ({n} of {n} used); take it or skip it"
        return None
    if cmd is Command.SKIP:
        upcoming = p is Phase.SITTING and state.heads_up_sent
        if p not in (Phase.BREAK_DUE, Phase.SNOOZED, Phase.ON_BREAK) and not upcoming:
            return "no break is due, so there is nothing to skip"
        if strict:
            return "strict mode is on (breaks.strict = true): breaks cannot be skipped"
        return None
    if cmd is Command.RESUME:
        return None if p is Phase.PAUSED else "sitbreak is not paused"
    if cmd is Command.CLOSE:
        if session is None or state.window_dismissed:
            return "no break window is open"
        return None
    return None  # PAUSE: always


def allowed(state: State) -> frozenset[Command]:
    """Every command `step` accepts now."""
    return frozenset(c for c in Command if refusal(state, c) is None)


def _phase_words(p: Phase) -> str:
    return {Phase.PAUSED: "paused", Phase.OFF_HOURS: "off hours"}.get(p, "away from the desk")


def _check_names(state: State, event: Event) -> None:
    """A view that names an exercise or step must name the one on show."""
    ident = getattr(event, "exercise_id", None)
    step_no = getattr(event, "step", None)
    session = state.session
    if session is None or (ident is None and step_no is None):
        return
    ex = session.exercise
    if ident is not None and (ex is None or ident != ex.id):
        shown = ex.id if ex is not None else "no exercise"
        raise Refused(f"the break shows {shown}, not {ident!r}")
    if step_no is not None and step_no != session.step:
        raise Refused(f"step {step_no} is not the step on show ({session.step})")


def _session(state: State) -> Session:
    assert state.session is not None  # refusal() has made sure
    return state.session


# --- views -------------------------------------------------------------------------------------


def break_view(state: State) -> BreakView | None:
    """What every view of the break shows, or None when no break window should be up."""
    s = state.session
    if s is None or not s.planned or state.window_dismissed:
        return None
    if state.phase not in (Phase.BREAK_DUE, Phase.ON_BREAK):
        return None
    ends = s.step_ends()
    return BreakView(
        routine=tuple(ex.id for ex in s.routine),
        spares=tuple(tuple(ex.id for ex in r) for r in s.spares),
        index=s.index,
        step=s.step,
        running=s.running,
        strict=state.settings.breaks.strict,
        allowed=tuple(sorted(allowed(state))),
        snooze_options=tuple(round(x) for x in _snoozes_left(state)),
        step_seconds=round(s.step_seconds()),
        step_left_s=round(max(0.0, ends - state.mono), 3) if ends is not None else s.step_seconds(),
        seconds_done=round(s.seconds_done(state.mono), 3),
        planned_seconds=s.planned_seconds,
    )


def _follow_views(before: State, state: State, fx: list[Effect]) -> State:
    """Bring the window and the notification in line with the new state."""
    old, new = break_view(before), break_view(state)
    if new is None and old is not None:
        fx.append(CloseBreak())
    elif new is not None and (old is None or old.key() != new.key()):
        fx.append(ShowBreak(new))
    if state.notice is not None and not _notice_applies(state):
        fx.append(CloseNotice())
        state = replace(state, notice=None, notice_actions=())
    return state


def _notice_applies(state: State) -> bool:
    """A break notification stays only while its moment lasts and every choice it offers
    would still be accepted."""
    if state.notice is NoticeKind.BREAK_DUE and state.phase is not Phase.BREAK_DUE:
        return False
    if state.notice is NoticeKind.HEADS_UP and not (
            state.phase is Phase.SITTING and state.heads_up_sent):
        return False
    ok = allowed(state)
    return all(Command(a.partition("-")[0]) in ok for a in state.notice_actions)


# --- ticks -------------------------------------------------------------------------------------


def _tick(state: State, t: Tick, fx: list[Effect]) -> State:
    if not state.ticked:
        state = replace(
            state,
            ticked=True,
            mono=t.mono,
            wall=t.wall,
            utc_offset_s=t.utc_offset_s,
            day=schedule.day_key(t.wall, t.utc_offset_s, state.settings.schedule.day_starts),
        )
        dt, gap = 0.0, 0.0
    else:
        dt = max(0.0, t.mono - state.mono)
        gap = (t.wall - state.wall) - dt
    locked_since = state.locked_since_mono
    if t.locked and locked_since is None:
        locked_since = state.mono if state.ticked else t.mono
    elif not t.locked:
        locked_since = None
    idle = t.idle_s if t.idle_s is not None else 0.0
    if locked_since is not None:
        idle = max(idle, t.mono - locked_since)
    prev = state
    state = replace(
        state, mono=t.mono, wall=t.wall, utc_offset_s=t.utc_offset_s, idle_s=idle,
        locked_since_mono=locked_since,
    )
    state = _roll_day(state)
    reset = state.settings.sitting.idle_reset
    slept = gap if gap > SLEEP_GAP_S else 0.0

    if state.suspended_since_mono is not None:
        if slept or t.mono - state.suspended_since_mono >= SUSPEND_ABORT_S:
            state = replace(state, suspended_since_mono=None)
        else:
            return state  # about to sleep: count nothing, show nothing
    if slept:
        # Asleep is away: a long sleep ends the stretch; a short one just does not count.
        fx.append(_record(Kind.SLEPT, t.wall - slept, slept))
        if slept >= reset:
            state = _natural_break(state, prev.wall, slept, fx)

    if state.phase is not Phase.PAUSED and not schedule.in_hours(
        state.settings.schedule, t.wall, t.utc_offset_s
    ):
        if state.phase is not Phase.OFF_HOURS:
            state = _end_stretch(_drop_break(state, fx), prev.wall, fx)
            state = replace(state, phase=Phase.OFF_HOURS, waiting_since_mono=None)
        return state
    if state.phase is Phase.OFF_HOURS:
        state = replace(state, phase=Phase.AWAY)

    if state.phase is Phase.PAUSED:
        until = state.paused_until_wall
        if until is not None and t.wall >= until:
            state = _resume(state, fx)
            # The pause covered this tick up to its end: only what came after it may count.
            dt = min(dt, max(0.0, t.wall - until))
        else:
            return state

    if state.phase is Phase.ON_BREAK:
        if state.session is None:
            return replace(state, phase=Phase.SITTING)
        session, finished = state.session.run_to(t.mono)
        state = replace(state, session=session)
        return _finish(state, fx) if finished else state

    if state.phase in COUNTING:
        if idle >= reset or dt >= reset:
            # Input stopped `idle` seconds ago: the stretch ended then, and that gap is a break.
            # A tick gap this long (a stalled process, a sleep the monotonic clock saw) is too.
            stopped = t.wall - idle if idle >= reset else prev.wall
            return _natural_break(state, stopped, t.wall - stopped, fx)
        counted = state.idle_counted_s + min(dt, idle) if idle >= dt else idle
        state = replace(
            state,
            stretch_s=state.stretch_s + dt,
            idle_counted_s=min(counted, state.stretch_s + dt),
            today_sitting_s=state.today_sitting_s + dt,
            today_longest_s=max(state.today_longest_s, state.stretch_s + dt),
        )
        state = _posture(state, fx)
        state = _heads_up(state, fx)
        return _check_due(state, fx)

    # Away: a new stretch starts on the next input.
    if idle < reset:
        state = _start_stretch(state, fx)
    return state


def _roll_day(state: State) -> State:
    day = schedule.day_key(state.wall, state.utc_offset_s, state.settings.schedule.day_starts)
    if day == state.day:
        return state
    return replace(state, day=day, today_sitting_s=0.0, today_longest_s=0.0)


def _start_stretch(state: State, fx: list[Effect]) -> State:
    s = state.settings
    fx.append(_record(Kind.STRETCH_STARTED, state.wall))
    return replace(
        state,
        phase=Phase.SITTING,
        stretch_s=0.0,
        idle_counted_s=0.0,
        next_break_at=s.sitting.break_after,
        heads_up_sent=False,
        next_posture_at=s.posture.every,
        snoozes_used=0,
        waiting_since_mono=None,
    )


def _end_stretch(state: State, wall: float, fx: list[Effect]) -> State:
    """Close the current stretch (if one is running) and record its length."""
    if state.phase not in COUNTING:
        return state
    fx.append(_record(Kind.STRETCH_ENDED, wall, state.stretch_s))
    return replace(state, phase=Phase.AWAY, stretch_s=0.0, idle_counted_s=0.0, snoozes_used=0)


def _natural_break(state: State, stopped_wall: float, length: float, fx: list[Effect]) -> State:
    if state.phase is not Phase.ON_BREAK and state.phase not in COUNTING:
        return _drop_break(state, fx)
    state = _drop_break(state, fx)
    counted = state.idle_counted_s
    state = replace(
        state,
        stretch_s=max(0.0, state.stretch_s - counted),
        today_sitting_s=max(0.0, state.today_sitting_s - counted),
    )
    state = _end_stretch(state, stopped_wall, fx)
    fx.append(_record(Kind.NATURAL_BREAK, stopped_wall, length))
    return replace(state, last_break_end_mono=state.mono, waiting_since_mono=None)


def _posture(state: State, fx: list[Effect]) -> State:
    every = state.settings.posture.every
    if every <= 0 or state.stretch_s < state.next_posture_at:
        return state
    state = replace(state, next_posture_at=state.stretch_s + every)
    near_next = state.next_break_at - state.stretch_s < POSTURE_QUIET_S
    last = state.last_break_end_mono
    near_last = last is not None and state.mono - last < POSTURE_QUIET_S
    if near_next or near_last or state.phase is not Phase.SITTING or state.hold_reason:
        return state
    fx.append(
        Notify(
            NoticeKind.POSTURE,
            "Posture check",
            "Sit tall: feet flat, hips back in the seat, ribs stacked over the pelvis, chin in.",
        )
    )
    fx.append(_record(Kind.POSTURE_NUDGE, state.wall))
    return replace(state, notice=None, notice_actions=())


def _heads_up(state: State, fx: list[Effect]) -> State:
    lead = state.settings.breaks.heads_up
    if lead <= 0 or state.heads_up_sent or state.phase is not Phase.SITTING:
        return state
    if state.stretch_s < state.next_break_at - lead or state.stretch_s >= state.next_break_at:
        return state
    if state.hold_reason:
        return state
    left = round(state.next_break_at - state.stretch_s)
    state = _announce(replace(state, heads_up_sent=True), NoticeKind.HEADS_UP,
                      "Break coming up",
                      f"A movement break is due in {human(left)}. Find a place to stop.", fx)
    fx.append(_record(Kind.HEADS_UP, state.wall))
    return state


def _check_due(state: State, fx: list[Effect]) -> State:
    if state.phase not in (Phase.SITTING, Phase.SNOOZED) or state.stretch_s < state.next_break_at:
        return state
    sp = state.settings.smart_pause
    if state.hold_reason and sp.enabled:
        since = state.waiting_since_mono if state.waiting_since_mono is not None else state.mono
        if state.mono - since < sp.max_delay:
            return replace(state, waiting_since_mono=since)
        # Held too long: drop this break quietly rather than interrupt what is on screen.
        fx.append(_record(Kind.SKIPPED, state.wall, detail=f"held: {state.hold_reason}"))
        return replace(
            state,
            waiting_since_mono=None,
            next_break_at=state.stretch_s + state.settings.sitting.break_after,
            heads_up_sent=False,
            snoozes_used=0,
            phase=Phase.SITTING,
        )
    state = replace(state, phase=Phase.BREAK_DUE, waiting_since_mono=None)
    return _offer(state, fx)


def _offer(state: State, fx: list[Effect]) -> State:
    """Offer the break: plan its exercises (the window opens once they are known) and say so
    in a notification that can be answered."""
    fx.append(_record(Kind.BREAK_OFFERED, state.wall, state.stretch_s))
    state = replace(state, session=_new_session(state, fx), window_dismissed=False)
    return _announce(state, NoticeKind.BREAK_DUE, "Time to move",
                     f"You have been sitting for {human(state.stretch_s)}. "
                     "Stand up for a short exercise break.", fx)


def _new_session(state: State, fx: list[Effect]) -> Session:
    fx.append(PlanBreak())
    return Session(fallback_s=state.settings.breaks.length)


def _announce(state: State, kind: NoticeKind, title: str, body: str, fx: list[Effect]) -> State:
    """A break notification whose buttons are exactly what is allowed now (no Skip in a
    heads-up); _follow_views withdraws it once one of them no longer applies."""
    ok = allowed(state)
    actions = [(Command.START.value, "Start break")] if Command.START in ok else []
    left = _snoozes_left(state)
    if left and Command.SNOOZE in ok:
        actions.append((f"snooze-{round(left[0])}", f"Snooze {exact(left[0])}"))
    if kind is not NoticeKind.HEADS_UP and Command.SKIP in ok:
        actions.append((Command.SKIP.value, "Skip"))
    fx.append(Notify(kind, title, body, tuple(actions)))
    return replace(state, notice=kind, notice_actions=tuple(a for a, _label in actions))


# --- commands ----------------------------------------------------------------------------------


def _take_break(state: State, fx: list[Effect]) -> State:
    if state.phase is Phase.PAUSED:
        state = _resume(state, fx)  # Take a break now while paused ends the pause
    fx.append(_record(Kind.BREAK_STARTED, state.wall, state.stretch_s))
    session = state.session if state.session is not None else _new_session(state, fx)
    return replace(
        state,
        phase=Phase.ON_BREAK,
        session=session.start(state.mono),
        window_dismissed=False,
        waiting_since_mono=None,
    )


def _next_step(state: State, fx: list[Effect]) -> State:
    session, finished = _session(state).next_step(state.mono)
    state = replace(state, session=session)
    return _finish(state, fx) if finished else state


def _planned(state: State, event: BreakPlanned) -> State:
    s = state.session
    if s is None or s.planned:
        return state  # an answer for a break that is already gone or planned
    return replace(state, session=s.with_plan(event.routine, event.spares))


def _record_exercises(state: State, fx: list[Effect]) -> None:
    """One `exercise` row per exercise begun, with the seconds actually done."""
    if state.session is None:
        return
    done = [d for d in state.session.exercises_done(state.mono) if round(d.seconds) > 0]
    for i, d in enumerate(done, 1):
        fx.append(_record(Kind.EXERCISE, state.wall, d.seconds, d.exercise_id, d.category,
                          f"{i}/{len(done)}"))


def _finish(state: State, fx: list[Effect]) -> State:
    """The running break ends by Done (or its time running out): completed or ended early."""
    session = _session(state)
    _record_exercises(state, fx)
    kind = Kind.COMPLETED if session.completes(state.mono) else Kind.ENDED_EARLY
    fx.append(_record(kind, state.wall, session.seconds_done(state.mono)))
    fx.append(_record(Kind.STRETCH_ENDED, state.wall, state.stretch_s))
    state = replace(state, session=None, phase=Phase.AWAY, last_break_end_mono=state.mono)
    # Whoever pressed Done is back at the desk: the next stretch starts now, from zero.
    return _start_stretch(state, fx)


def _snooze(state: State, seconds: float | None, fx: list[Effect]) -> State:
    length = seconds if seconds is not None else _snoozes_left(state)[0]
    fx.append(_record(Kind.SNOOZED, state.wall, length))
    due_now = state.phase in (Phase.BREAK_DUE, Phase.ON_BREAK)
    state = _drop_break(state, fx)
    if due_now:
        next_at, heads_up = state.stretch_s + length, True
    else:  # put off a break that is not due yet: move it later, with its heads-up again
        next_at, heads_up = max(state.next_break_at, state.stretch_s) + length, False
    return replace(
        state,
        phase=Phase.SNOOZED,
        next_break_at=next_at,
        snoozes_used=state.snoozes_used + 1,
        heads_up_sent=heads_up,
    )


def _skip(state: State, fx: list[Effect]) -> State:
    fx.append(_record(Kind.SKIPPED, state.wall, state.stretch_s))
    state = _drop_break(state, fx)
    return replace(
        state,
        phase=Phase.SITTING,
        next_break_at=state.stretch_s + state.settings.sitting.break_after,
        heads_up_sent=False,
        snoozes_used=0,
    )


def _window_closed(state: State, fx: list[Effect]) -> State:
    """Closing the window is the user's choice: as Esc, snooze by the first option; with none
    left the break stays as it is, without a window."""
    fx.append(_record(Kind.WINDOW_CLOSED, state.wall))
    if refusal(state, Command.SNOOZE) is None:
        return _snooze(state, None, fx)
    return replace(state, window_dismissed=True)


def _pause(state: State, event: Pause, fx: list[Effect]) -> State:
    until = event.until_wall
    if event.seconds is not None:
        until = state.wall + event.seconds
    if until is not None and until <= state.wall:
        raise Refused("that time has already passed")
    fx.append(_record(Kind.PAUSED, state.wall, (until - state.wall) if until else 0.0))
    before = state.phase if state.phase is not Phase.PAUSED else state.phase_before_pause
    state = _drop_break(state, fx)
    if before in (Phase.ON_BREAK, Phase.BREAK_DUE):
        before = Phase.SITTING
    return replace(
        state,
        phase=Phase.PAUSED,
        paused_since_wall=state.paused_since_wall if state.phase is Phase.PAUSED else state.wall,
        paused_until_wall=until,
        phase_before_pause=before,
        waiting_since_mono=None,
    )


def _resume(state: State, fx: list[Effect]) -> State:
    since = state.paused_since_wall if state.paused_since_wall is not None else state.wall
    fx.append(_record(Kind.RESUMED, state.wall, state.wall - since))
    back = state.phase_before_pause
    if back is Phase.BREAK_DUE:
        back = Phase.SITTING  # the next tick offers it again
    state = replace(
        state, phase=back, paused_since_wall=None, paused_until_wall=None
    )
    return _check_due(state, fx) if back in COUNTING else state


def _view_failed(state: State, reason: str, fx: list[Effect]) -> State:
    fx.append(_record(Kind.WINDOW_FAILED, state.wall, detail=reason or None))
    # The window is gone: the break stays; Start (or break-now) opens a new window.
    state = replace(state, window_dismissed=True)
    if state.phase is Phase.BREAK_DUE:
        state = _announce(state, NoticeKind.BREAK_DUE, "Time to move",
                          "The break window closed unexpectedly, but the break is still due: "
                          "start it here or stand up for a minute.", fx)
    return state


def _settings_changed(state: State, settings: Settings) -> State:
    old = state.settings
    state = replace(state, settings=settings)
    if state.phase in (Phase.SITTING, Phase.BREAK_DUE) and (
        old.sitting.break_after != settings.sitting.break_after
    ):
        state = replace(state, next_break_at=settings.sitting.break_after)
    if old.posture.every != settings.posture.every and settings.posture.every > 0:
        every = settings.posture.every
        state = replace(state, next_posture_at=(state.stretch_s // every + 1) * every)
    if old.schedule.day_starts != settings.schedule.day_starts and state.ticked:
        day = schedule.day_key(state.wall, state.utc_offset_s, settings.schedule.day_starts)
        state = replace(state, day=day)
    return state


def _drop_break(state: State, fx: list[Effect]) -> State:
    """End the break on offer or running without a Done (snooze, skip, pause, sleep...).

    The seconds already done still count as exercise; the views follow in _follow_views.
    """
    if state.session is not None:
        _record_exercises(state, fx)
        state = replace(state, session=None, window_dismissed=False)
    if state.phase in (Phase.BREAK_DUE, Phase.ON_BREAK):
        state = replace(state, phase=Phase.SITTING)
    return state


def _record(kind: Kind, wall: float, duration: float = 0.0, exercise_id: str | None = None,
            category: str | None = None, detail: str | None = None) -> Record:
    """A history row; durations in whole seconds (the history and its exports show them so)."""
    return Record(Row(kind, wall, float(round(duration)), exercise_id, category, detail))


def _snoozes_left(state: State) -> tuple[float, ...]:
    s = state.settings.snooze
    if state.snoozes_used >= s.max_per_break:
        return ()
    return s.options


# --- time --------------------------------------------------------------------------------------


def next_wake(state: State) -> float:
    """When the shell should tick next: the next deadline, or sooner to look at input and idle.

    So the shell wakes when something can change instead of polling: away, it looks for input
    every INPUT_POLL_S; while a stretch runs, when idle could first reach idle_reset (and at
    least twice per idle_reset, so a gap between ticks never reads as a break) and when a
    minute the tray shows turns over.
    """
    now = state.mono
    looks = [next_deadline(state)]
    if state.phase is Phase.AWAY and state.ticked:
        looks.append(now + INPUT_POLL_S)
    if state.phase in COUNTING:
        reset = state.settings.sitting.idle_reset
        looks.append(now + min(reset - state.idle_s, reset / 2))
        looks.append(now + _to_next_minute(state.stretch_s))
        looks.append(now + _to_next_minute(state.stretch_s - state.next_break_at))
    if state.phase is Phase.ON_BREAK and state.session is not None:
        looks.append(now + _to_next_minute(-state.session.time_left(now)))
    future = [t for t in looks if t > now]
    return min(future) if future else now


def _to_next_minute(seconds: float) -> float:
    """Seconds until `seconds` (growing) next crosses a whole minute."""
    return 60.0 - seconds % 60.0


def next_deadline(state: State) -> float:
    """The monotonic time at which the next thing can happen; never earlier than the last tick."""
    now = state.mono
    s = state.settings
    times: list[float] = []
    if state.phase in (Phase.SITTING, Phase.SNOOZED):
        if state.waiting_since_mono is not None:
            times.append(state.waiting_since_mono + s.smart_pause.max_delay)
            times.append(now + HOLD_RECHECK_S)
        else:
            times.append(now + state.next_break_at - state.stretch_s)
        if s.breaks.heads_up > 0 and not state.heads_up_sent:
            times.append(now + state.next_break_at - s.breaks.heads_up - state.stretch_s)
        if s.posture.every > 0:
            times.append(now + state.next_posture_at - state.stretch_s)
    if state.phase is Phase.ON_BREAK and state.session is not None:
        ends = state.session.step_ends()
        if ends is not None:
            times.append(ends)
    if state.phase is Phase.PAUSED and state.paused_until_wall is not None:
        times.append(now + state.paused_until_wall - state.wall)
    change = schedule.seconds_to_next_change(s.schedule, state.wall, state.utc_offset_s)
    if change is not None:
        times.append(now + change)
    times.append(now + schedule.seconds_to_day_end(state.wall, state.utc_offset_s,
                                                   s.schedule.day_starts))
    future = [t for t in times if t > now]
    return min(future) if future else now


def holds_matter(state: State, within_s: float) -> bool:
    """Whether asking the hold probes (fullscreen, do-not-disturb) can change anything now.

    Only when a break is held back, a hold is on, or something is due within `within_s`.
    """
    if not state.settings.smart_pause.enabled:
        return state.hold_reason is not None  # only to release a hold left from before
    if not state.ticked or state.waiting_since_mono is not None or state.hold_reason:
        return True
    return next_deadline(state) - state.mono <= within_s


def _visible(state: State) -> tuple[object, ...]:
    """What the tray shows; a change here asks for a redraw. Minutes, so at most one a minute."""
    left = state.session.time_left(state.mono) if state.session is not None else 0.0
    return (
        state.phase,
        int(state.stretch_s // 60),
        math.ceil((state.next_break_at - state.stretch_s) / 60 - 1e-9),
        math.ceil(left / 60 - 1e-9),
        state.snoozes_used,
        state.hold_reason,
        state.paused_until_wall,
        state.waiting_since_mono is not None,
    )




def open_stretch(state: State) -> tuple[float, float] | None:
    """(wall, seconds) of the stretch still running, as its end would be recorded now."""
    running = state.phase in COUNTING or state.phase is Phase.PAUSED
    return (state.wall, state.stretch_s) if running and state.stretch_s > 0 else None

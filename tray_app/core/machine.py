"""The sitting state machine: every transition rule lives in this file.

`step(state, event)` returns the new state and the effects for the shell to carry out. It never
reads a clock: time arrives in Tick events, and commands act at the time of the last tick (the
runtime always ticks just before it passes a command in). A refused command raises `Refused` and
leaves the state untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tray_app.core import schedule
from tray_app.core.effects import (
    CloseBreak,
    Effect,
    Notify,
    OpenBreak,
    Record,
    UpdateTray,
    WakeAt,
)
from tray_app.core.events import (
    BreakViewFailed,
    Done,
    Event,
    Hold,
    Pause,
    Resume,
    Resumed,
    SettingsChanged,
    SettingsRejected,
    Shutdown,
    Skip,
    Snooze,
    Suspending,
    TakeBreakNow,
    Tick,
)
from tray_app.core.model import Kind, Phase, Settings
from tray_app.core.ports import Row

# A wall-clock jump this much larger than the monotonic step means the machine slept.
SLEEP_GAP_S = 30.0
# Posture cues keep this far from movement breaks, before and after.
POSTURE_QUIET_S = 5 * 60.0
# A suspend that logind announced but that never happened (inhibited, aborted) ends after this.
SUSPEND_ABORT_S = 120.0
# A break nobody closes ends by itself this long after its planned length.
BREAK_GRACE_S = 2 * 60.0
# A break held back by a fullscreen window or do-not-disturb looks again this often, so it comes
# as soon as the hold ends.
HOLD_RECHECK_S = 1.0

COUNTING = (Phase.SITTING, Phase.BREAK_DUE, Phase.SNOOZED)


class Refused(Exception):
    """A command that makes no sense now; the message tells the user why."""


@dataclass(frozen=True)
class State:
    """Everything the machine knows. Times are the last tick's; durations are seconds."""

    settings: Settings
    phase: Phase = Phase.AWAY
    started: bool = False  # a first tick has arrived
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
    # Prompt and break.
    prompt_open: bool = False
    break_started_mono: float | None = None
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


def step(state: State, event: Event) -> tuple[State, list[Effect]]:
    """Apply one event. Returns (new state, effects); raises Refused for a pointless command."""
    fx: list[Effect] = []
    before = state
    match event:
        case Tick():
            state = _tick(state, event, fx)
        case TakeBreakNow():
            state = _take_break(state, fx)
        case Snooze(seconds=seconds):
            state = _snooze(state, seconds, fx)
        case Skip():
            state = _skip(state, fx)
        case Done():
            state = _done(state, event, fx)
        case Pause():
            state = _pause(state, event, fx)
        case Resume():
            if state.phase is not Phase.PAUSED:
                raise Refused("sitbreak is not paused")
            state = _resume(state, fx)
        case Suspending():
            state = _close_prompt(replace(state, suspended_since_mono=state.mono), fx)
        case Shutdown():
            state = _close_prompt(state, fx)
            if state.phase is Phase.PAUSED and state.stretch_s > 0:
                fx.append(Record(Row(Kind.STRETCH_ENDED, state.wall, state.stretch_s)))
            state = _end_stretch(state, state.wall, fx)
        case Resumed():
            state = replace(state, suspended_since_mono=None)
        case BreakViewFailed(reason=reason):
            state = _view_failed(state, reason, fx)
        case SettingsChanged(settings=settings):
            state = _settings_changed(state, settings)
        case SettingsRejected(problems=problems, file_name=name):
            fx.append(Notify("info", f"sitbreak: {name} has a problem", problems))
        case Hold(reason=reason):
            state = replace(state, hold_reason=reason)
            if reason is None and state.waiting_since_mono is not None:
                state = _check_due(state, fx)
        case _:
            raise TypeError(f"unknown event {event!r}")
    if _visible(before) != _visible(state):
        fx.append(UpdateTray())
    if state.started:
        fx.append(WakeAt(next_wake(state)))
    if not state.settings.notifications.enabled:
        fx = [e for e in fx if not isinstance(e, Notify)]
    return state, fx


# --- ticks -------------------------------------------------------------------------------------


def _tick(state: State, t: Tick, fx: list[Effect]) -> State:
    if not state.started:
        state = replace(
            state,
            started=True,
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
        locked_since = state.mono if state.started else t.mono
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
        fx.append(Record(Row(Kind.SLEPT, t.wall - slept, slept)))
        if slept >= reset:
            state = _natural_break(state, prev.wall, slept, fx)

    if state.phase is not Phase.PAUSED and not schedule.in_hours(
        state.settings.schedule, t.wall, t.utc_offset_s
    ):
        if state.phase is not Phase.OFF_HOURS:
            state = _end_stretch(_close_prompt(state, fx), prev.wall, fx)
            state = replace(state, phase=Phase.OFF_HOURS, waiting_since_mono=None)
        return state
    if state.phase is Phase.OFF_HOURS:
        state = replace(state, phase=Phase.AWAY)

    if state.phase is Phase.PAUSED:
        until = state.paused_until_wall
        if until is not None and t.wall >= until:
            state = _resume(state, fx)
        else:
            return state

    if state.phase is Phase.ON_BREAK:
        started = state.break_started_mono or t.mono
        if t.mono - started >= state.settings.breaks.length + BREAK_GRACE_S:
            state = _done(state, Done(), fx)
        return state

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
    fx.append(Record(Row(Kind.STRETCH_STARTED, state.wall)))
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
    fx.append(Record(Row(Kind.STRETCH_ENDED, wall, state.stretch_s)))
    return replace(state, phase=Phase.AWAY, stretch_s=0.0, idle_counted_s=0.0, snoozes_used=0)


def _natural_break(state: State, stopped_wall: float, length: float, fx: list[Effect]) -> State:
    if state.phase not in COUNTING:
        return _close_prompt(state, fx)
    counted = state.idle_counted_s
    state = replace(
        state,
        stretch_s=max(0.0, state.stretch_s - counted),
        today_sitting_s=max(0.0, state.today_sitting_s - counted),
    )
    state = _end_stretch(_close_prompt(state, fx), stopped_wall, fx)
    fx.append(Record(Row(Kind.NATURAL_BREAK, stopped_wall, length)))
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
            "posture",
            "Posture check",
            "Sit tall: feet flat, hips back in the seat, ribs stacked over the pelvis, chin in.",
        )
    )
    fx.append(Record(Row(Kind.POSTURE_NUDGE, state.wall)))
    return state


def _heads_up(state: State, fx: list[Effect]) -> State:
    lead = state.settings.breaks.heads_up
    if lead <= 0 or state.heads_up_sent or state.phase is not Phase.SITTING:
        return state
    if state.stretch_s < state.next_break_at - lead or state.stretch_s >= state.next_break_at:
        return state
    if state.hold_reason:
        return state
    left = round(state.next_break_at - state.stretch_s)
    fx.append(
        Notify(
            "heads_up",
            "Break coming up",
            f"A movement break is due in {_human(left)}. Find a place to stop.",
            _prompt_actions(state, include_skip=False),
        )
    )
    fx.append(Record(Row(Kind.HEADS_UP, state.wall)))
    return replace(state, heads_up_sent=True)


def _check_due(state: State, fx: list[Effect]) -> State:
    if state.phase not in (Phase.SITTING, Phase.SNOOZED) or state.stretch_s < state.next_break_at:
        return state
    sp = state.settings.smart_pause
    if state.hold_reason and sp.enabled:
        since = state.waiting_since_mono if state.waiting_since_mono is not None else state.mono
        if state.mono - since < sp.max_delay:
            return replace(state, waiting_since_mono=since)
        # Held too long: drop this break quietly rather than interrupt what is on screen.
        fx.append(Record(Row(Kind.SKIPPED, state.wall, detail=f"held: {state.hold_reason}")))
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
    """Open the prompt (once) and say so in a notification that can be answered."""
    fx.append(Record(Row(Kind.BREAK_OFFERED, state.wall, state.stretch_s)))
    fx.append(
        Notify(
            "break_due",
            "Time to move",
            f"You have been sitting for {_human(state.stretch_s)}. "
            "Stand up for a short exercise break.",
            _prompt_actions(state, include_skip=True),
        )
    )
    if not state.prompt_open:
        fx.append(OpenBreak(False, _snoozes_left(state), _can_skip(state)))
    return replace(state, prompt_open=True)


def _prompt_actions(state: State, include_skip: bool) -> tuple[tuple[str, str], ...]:
    actions = [("start", "Start break")]
    left = _snoozes_left(state)
    if left:
        actions.append((f"snooze-{round(left[0])}", f"Snooze {_human(left[0])}"))
    if include_skip and _can_skip(state):
        actions.append(("skip", "Skip"))
    return tuple(actions)


# --- commands ----------------------------------------------------------------------------------


def _take_break(state: State, fx: list[Effect]) -> State:
    if state.phase is Phase.ON_BREAK:
        raise Refused("you are already on a break")
    if state.phase is Phase.PAUSED:
        raise Refused("sitbreak is paused; resume it first")
    fx.append(Record(Row(Kind.STARTED, state.wall, state.stretch_s)))
    # Reuse an open prompt (the window's own Start); otherwise open one already started.
    if not state.prompt_open:
        fx.append(OpenBreak(True, _snoozes_left(state), _can_skip(state)))
    return replace(
        state,
        phase=Phase.ON_BREAK,
        prompt_open=True,
        break_started_mono=state.mono,
        waiting_since_mono=None,
    )


def _snooze(state: State, seconds: float | None, fx: list[Effect]) -> State:
    upcoming = state.phase is Phase.SITTING and state.heads_up_sent
    if state.phase not in (Phase.BREAK_DUE, Phase.ON_BREAK) and not upcoming:
        raise Refused("no break is due, so there is nothing to snooze")
    left = _snoozes_left(state)
    if not left:
        n = state.settings.snooze.max_per_break
        raise Refused(f"no snoozes left for this break ({n} of {n} used); take it or skip it")
    length = seconds if seconds is not None else left[0]
    fx.append(Record(Row(Kind.SNOOZED, state.wall, length)))
    state = _close_prompt(state, fx)
    return replace(
        state,
        phase=Phase.SNOOZED,
        next_break_at=state.stretch_s + length,
        snoozes_used=state.snoozes_used + 1,
        heads_up_sent=True,
        break_started_mono=None,
    )


def _skip(state: State, fx: list[Effect]) -> State:
    upcoming = state.phase is Phase.SITTING and state.heads_up_sent
    if state.phase not in (Phase.BREAK_DUE, Phase.SNOOZED, Phase.ON_BREAK) and not upcoming:
        raise Refused("no break is due, so there is nothing to skip")
    if not _can_skip(state):
        raise Refused("strict mode is on (breaks.strict = true): breaks cannot be skipped")
    fx.append(Record(Row(Kind.SKIPPED, state.wall, state.stretch_s)))
    state = _close_prompt(state, fx)
    return replace(
        state,
        phase=Phase.SITTING,
        next_break_at=state.stretch_s + state.settings.sitting.break_after,
        heads_up_sent=False,
        snoozes_used=0,
        break_started_mono=None,
    )


def _done(state: State, event: Done, fx: list[Effect]) -> State:
    if state.phase not in (Phase.ON_BREAK, Phase.BREAK_DUE):
        raise Refused("no break is in progress")
    started = state.break_started_mono
    took = event.seconds
    if took is None:
        took = state.mono - started if started is not None else 0.0
    if event.exercises:
        n = len(event.exercises)
        for i, (ident, category, seconds) in enumerate(event.exercises, 1):
            part = f"routine {i}/{n}" if n > 1 else None
            fx.append(Record(Row(Kind.COMPLETED, state.wall, seconds, ident, category, part)))
    else:
        fx.append(
            Record(Row(Kind.COMPLETED, state.wall, took, event.exercise_id, event.category))
        )
    fx.append(Record(Row(Kind.STRETCH_ENDED, state.wall, state.stretch_s)))
    state = _close_prompt(state, fx)
    state = replace(
        state, phase=Phase.AWAY, break_started_mono=None, last_break_end_mono=state.mono
    )
    # Whoever pressed Done is back at the desk: the next stretch starts now, from zero.
    return _start_stretch(state, fx)


def _pause(state: State, event: Pause, fx: list[Effect]) -> State:
    until = event.until_wall
    if event.seconds is not None:
        until = state.wall + event.seconds
    if until is not None and until <= state.wall:
        raise Refused("that time has already passed")
    fx.append(Record(Row(Kind.PAUSED, state.wall, (until - state.wall) if until else 0.0)))
    state = _close_prompt(state, fx)
    before = state.phase if state.phase is not Phase.PAUSED else state.phase_before_pause
    if before is Phase.ON_BREAK:
        before = Phase.SITTING
    return replace(
        state,
        phase=Phase.PAUSED,
        paused_since_wall=state.paused_since_wall if state.phase is Phase.PAUSED else state.wall,
        paused_until_wall=until,
        phase_before_pause=before,
        break_started_mono=None,
        waiting_since_mono=None,
    )


def _resume(state: State, fx: list[Effect]) -> State:
    since = state.paused_since_wall if state.paused_since_wall is not None else state.wall
    fx.append(Record(Row(Kind.RESUMED, state.wall, state.wall - since)))
    back = state.phase_before_pause
    if back is Phase.BREAK_DUE:
        back = Phase.SITTING  # the next tick offers it again
    state = replace(
        state, phase=back, paused_since_wall=None, paused_until_wall=None
    )
    return _check_due(state, fx) if back in COUNTING else state


def _view_failed(state: State, reason: str, fx: list[Effect]) -> State:
    fx.append(Record(Row(Kind.WINDOW_FAILED, state.wall, detail=reason or None)))
    # The window is gone: a later Start or break-now must be free to open a new one.
    state = replace(state, prompt_open=False)
    if state.phase is Phase.BREAK_DUE:
        fx.append(
            Notify(
                "break_due",
                "Time to move",
                "The break window is gone, but the break is still due: stand up for a minute.",
                _prompt_actions(state, include_skip=True),
            )
        )
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
    if old.schedule.day_starts != settings.schedule.day_starts and state.started:
        day = schedule.day_key(state.wall, state.utc_offset_s, settings.schedule.day_starts)
        state = replace(state, day=day)
    return state


def _close_prompt(state: State, fx: list[Effect]) -> State:
    if state.prompt_open:
        fx.append(CloseBreak())
        state = replace(state, prompt_open=False)
    if state.phase is Phase.BREAK_DUE:
        state = replace(state, phase=Phase.SITTING)
    return state


def _snoozes_left(state: State) -> tuple[float, ...]:
    s = state.settings.snooze
    if state.snoozes_used >= s.max_per_break:
        return ()
    return s.options


def _can_skip(state: State) -> bool:
    return not state.settings.breaks.strict


# --- time --------------------------------------------------------------------------------------


def next_wake(state: State) -> float:
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
    if state.phase is Phase.ON_BREAK and state.break_started_mono is not None:
        times.append(state.break_started_mono + s.breaks.length + BREAK_GRACE_S)
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
    if not state.started or state.waiting_since_mono is not None or state.hold_reason:
        return True
    return next_wake(state) - state.mono <= within_s


def _visible(state: State) -> tuple[object, ...]:
    """What the tray shows; a change here asks for a redraw. Minutes, so at most one a minute."""
    return (
        state.phase,
        int(state.stretch_s // 60),
        state.snoozes_used,
        state.hold_reason,
        state.paused_until_wall,
        state.waiting_since_mono is not None,
    )


def _human(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    h, m = divmod(minutes, 60)
    return f"{h} h {m} min" if m else f"{h} h"


human_duration = _human


def open_stretch(state: State) -> tuple[float, float] | None:
    """(wall, seconds) of the stretch still running, as its end would be recorded now."""
    running = state.phase in COUNTING or state.phase is Phase.PAUSED
    return (state.wall, state.stretch_s) if running and state.stretch_s > 0 else None

"""The sitting state machine: every transition rule lives in this file.

`step(state, event)` returns the new state and the effects for the shell to carry out. It never
reads a clock: time arrives in Tick events, and commands act at the time of the last tick (the
runtime always ticks just before it passes a command in). A refused command raises `Refused`
(see `guards`) and leaves the state untouched. The break itself (exercises, step, time done) is
the state's `session`; every view of it is `views.break_view(state)`.
"""

from __future__ import annotations

from dataclasses import replace

from tray_app.core import schedule
from tray_app.core.duration import ExactSeconds, Seconds
from tray_app.core.effects import (
    BreakEnded,
    Effect,
    NoticeKind,
    Notify,
    PlanBreak,
    Record,
    UpdateTray,
    WakeAt,
)
from tray_app.core.ending import end_lines, end_title
from tray_app.core.events import (
    AnotherExercise,
    AnswerLevel,
    BreakPlanned,
    BreakViewFailed,
    CheckInPain,
    Done,
    Event,
    HistoryNotSaved,
    Hold,
    NextStep,
    Pause,
    PauseUntilDayStarts,
    Rate,
    Recalled,
    Resume,
    RetestResult,
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
from tray_app.core.guards import allowed, check_names, command_of, refusal, snooze_options
from tray_app.core.limits import check_pause_end
from tray_app.core.model import Kind, Phase, Row, Settings
from tray_app.core.progression import (
    HURT,
    advice_for,
    answer_row,
    checkin_row,
    rating_row,
    remember,
)
from tray_app.core.retest import retest_row
from tray_app.core.session import Session
from tray_app.core.state import COUNTING, Command, Refused, State
from tray_app.core.stats import fold
from tray_app.core.text import Text
from tray_app.core.timing import next_wake
from tray_app.core.views import follow_views, tray_view

# A wall-clock jump this much larger than the monotonic step means the machine slept.
SLEEP_GAP_S = 30.0
# Posture cues keep this far from movement breaks, before and after.
POSTURE_QUIET_S = 5 * 60.0
# A suspend that logind announced but that never happened (inhibited, aborted) ends after this.
SUSPEND_ABORT_S = 120.0


def step(state: State, event: Event) -> tuple[State, list[Effect]]:
    """Apply one event. Returns (new state, effects); raises Refused for a pointless command."""
    fx: list[Effect] = []
    before = state
    cmd = command_of(event)
    if cmd is not None:
        reason = refusal(state, cmd)
        if reason is not None:
            raise Refused(reason)
        check_names(state, event)
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
            until = schedule.next_day_start(state.wall, state.utc_offset_s,
                                            state.settings.schedule.day_starts)
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
            fx.append(Notify(NoticeKind.INFO, Text("sitbreak: history not saved yet"), problem))
        case SettingsRejected(problems=problems, file_name=name):
            fx.append(Notify(NoticeKind.INFO, Text("sitbreak: {name} has a problem", name=name),
                             problems))
        case Recalled():
            state = _recalled(state, event, fx)
        case Hold(reason=reason):
            state = replace(state, hold_reason=reason)
            if reason is None and state.waiting_since_mono is not None:
                state = _check_due(state, fx)
        case Rate() | AnswerLevel() | CheckInPain() | RetestResult():
            state = _programme(state, event, fx)
        case _:
            raise TypeError(f"unknown event {event!r}")
    state = _tally(state, fx)
    state = follow_views(before, state, fx)
    if tray_view(before) != tray_view(state):
        fx.append(UpdateTray())
    if state.ticked:
        fx.append(WakeAt(next_wake(state)))
    if not state.settings.notifications.enabled:
        fx = [e for e in fx if not isinstance(e, Notify)]
    return state, fx


def _session(state: State) -> Session:
    assert state.session is not None  # refusal() has made sure
    return state.session


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
    today = state.today.next_day() if state.day is not None else state.today
    return replace(state, day=day, today_sitting_s=0.0, today_longest_s=0.0, today=today)


def _day_of(state: State, wall: float) -> int:
    return schedule.day_key(wall, state.utc_offset_s, state.settings.schedule.day_starts)


def _tally(state: State, fx: list[Effect]) -> State:
    """Every row recorded today counts in today's numbers (core.today)."""
    rows = [e.row for e in fx if isinstance(e, Record)]
    if rows:
        state = _remember(state, rows)
    if not rows or state.day is None:
        return state
    today = state.today.add(r for r in rows if _day_of(state, r.wall) == state.day)
    return state if today is state.today else replace(state, today=today)


def _recalled(state: State, event: Recalled, fx: list[Effect]) -> State:
    """The history's rows from before this start: today's numbers go on from them, and a
    pause the last run left running (a `paused` row with no `resumed` after it) goes on."""
    if state.day is None:
        return state
    state = _remember(state, event.rows)
    todays = [r for r in event.rows if _day_of(state, r.wall) == state.day]
    day = fold(todays)
    state = replace(
        state,
        today_sitting_s=state.today_sitting_s + day.sitting_seconds,
        today_longest_s=max(state.today_longest_s, day.longest_stretch_seconds),
        today=replace(state.today.add(todays), streak_before=event.streak_before),
    )
    last = next((r for r in reversed(event.rows) if r.kind in (Kind.PAUSED, Kind.RESUMED)), None)
    if last is None or last.kind != Kind.PAUSED or state.phase is Phase.PAUSED:
        return state
    until = last.wall + last.duration_s if last.duration_s > 0 else None
    if until is not None and until <= state.wall:
        return state
    return _enter_pause(state, last.wall, until, fx)


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
        offered=False,
        waiting_since_mono=None,
    )


def _end_stretch(state: State, wall: float, fx: list[Effect]) -> State:
    """Close the current stretch (if one is running) and record its length."""
    if state.phase not in COUNTING:
        return state
    fx.append(_record(Kind.STRETCH_ENDED, wall, state.stretch_s))
    return replace(state, phase=Phase.AWAY, stretch_s=0.0, idle_counted_s=0.0, snoozes_used=0,
                   offered=False)


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
            Text("Posture check"),
            Text("Sit tall: feet flat, hips back in the seat, ribs stacked over the pelvis, "
                 "chin in."),
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
                      Text("Break coming up"),
                      Text("A movement break is due in {duration}. Find a place to stop.",
                           duration=Seconds(left)), fx)
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
        return _next_break_full_interval_away(replace(state, waiting_since_mono=None))
    state = replace(state, phase=Phase.BREAK_DUE, waiting_since_mono=None)
    return _offer(state, fx)


def _offer(state: State, fx: list[Effect]) -> State:
    """Offer the break: plan its exercises (the window opens once they are known) and say so
    in a notification that can be answered."""
    # A break counts as offered once: offered again after a snooze or a pause is a re-offer.
    kind = Kind.BREAK_REOFFERED if state.offered else Kind.BREAK_OFFERED
    fx.append(_record(kind, state.wall, state.stretch_s))
    state = replace(state, session=_new_session(state, fx), window_dismissed=False, offered=True)
    return _announce(state, NoticeKind.BREAK_DUE, Text("Time to move"),
                     Text("You have been sitting for {duration}. Stand up for a short exercise "
                          "break.", duration=Seconds(state.stretch_s)), fx)


def _new_session(state: State, fx: list[Effect]) -> Session:
    fx.append(PlanBreak())
    return Session(fallback_s=state.settings.breaks.length)


def _announce(state: State, kind: NoticeKind, title: str, body: str, fx: list[Effect]) -> State:
    """A break notification whose buttons are exactly what is allowed now (no Skip in a
    heads-up); follow_views withdraws it once one of them no longer applies."""
    ok = allowed(state)
    actions = [(Command.START.value, Text("Start break"))] if Command.START in ok else []
    left = snooze_options(state)
    if left and Command.SNOOZE in ok:
        actions.append((f"snooze-{round(left[0])}", Text("Snooze {duration}",
                                                          duration=ExactSeconds(left[0]))))
    if kind is not NoticeKind.HEADS_UP and Command.SKIP in ok:
        actions.append((Command.SKIP.value, Text("Skip")))
    fx.append(Notify(kind, title, body, tuple(actions)))
    return replace(state, notice=kind, notice_actions=tuple(a for a, _label in actions))


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
                          f"{i}/{len(done)} {d.where}".rstrip()))  # "1/2 standing"


def _finish(state: State, fx: list[Effect]) -> State:
    """The running break ends by Done (or its time running out): completed or ended early."""
    session = _session(state)
    first = len(fx)
    _record_exercises(state, fx)
    completed = session.completes(state.mono)
    kind = Kind.COMPLETED if completed else Kind.ENDED_EARLY
    fx.append(_record(kind, state.wall, session.seconds_done(state.mono)))
    rows = [e.row for e in fx[first:] if isinstance(e, Record)]
    today = state.today.add(r for r in rows if _day_of(state, r.wall) == state.day)
    done = [d for d in session.exercises_done(state.mono) if round(d.seconds) > 0]
    fx.append(BreakEnded(end_title(completed), end_lines(state, session, done, today)))
    fx.append(_record(Kind.STRETCH_ENDED, state.wall, state.stretch_s))
    state = replace(state, session=None, phase=Phase.AWAY, last_break_end_mono=state.mono)
    # Whoever pressed Done is back at the desk: the next stretch starts now, from zero.
    return _start_stretch(state, fx)


def _snooze(state: State, seconds: float | None, fx: list[Effect]) -> State:
    length = seconds if seconds is not None else snooze_options(state)[0]
    due_now = state.phase in (Phase.BREAK_DUE, Phase.ON_BREAK)
    used = 1
    if due_now:
        next_at, heads_up = state.stretch_s + length, True
    elif state.phase is Phase.SNOOZED:
        # Snoozed already: "remind me in N" from now, not N more. Only a later reminder uses
        # a snooze; bringing the break sooner is free (still a snooze the user gave: a row).
        next_at, heads_up = state.stretch_s + length, True
        used = 1 if next_at > state.next_break_at else 0
    else:  # put off a break that is not due yet: move it later, with its heads-up again
        next_at, heads_up = max(state.next_break_at, state.stretch_s) + length, False
    fx.append(_record(Kind.SNOOZED, state.wall, length))
    state = _drop_break(state, fx)
    return replace(
        state,
        phase=Phase.SNOOZED,
        next_break_at=next_at,
        snoozes_used=state.snoozes_used + used,
        heads_up_sent=heads_up,
    )


def _skip(state: State, fx: list[Effect]) -> State:
    fx.append(_record(Kind.SKIPPED, state.wall, state.stretch_s))
    return _next_break_full_interval_away(_drop_break(state, fx))


def _next_break_full_interval_away(state: State) -> State:
    """What a skipped break resets (by the user, or dropped after a hold lasted too long): the
    stretch goes on, and the next break is a whole interval away with its own heads-up and
    snoozes."""
    return replace(
        state,
        phase=Phase.SITTING,
        next_break_at=state.stretch_s + state.settings.sitting.break_after,
        heads_up_sent=False,
        snoozes_used=0,
        offered=False,
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
        raise Refused(Text("that time has already passed"))
    if until is not None:
        check_pause_end(until, state.wall)
    fx.append(_record(Kind.PAUSED, state.wall, (until - state.wall) if until else 0.0))
    return _enter_pause(state, state.wall, until, fx)


def _enter_pause(state: State, since: float, until: float | None, fx: list[Effect]) -> State:
    before = state.phase if state.phase is not Phase.PAUSED else state.phase_before_pause
    state = _drop_break(state, fx)
    if before in (Phase.ON_BREAK, Phase.BREAK_DUE):
        before = Phase.SITTING
    return replace(
        state,
        phase=Phase.PAUSED,
        paused_since_wall=state.paused_since_wall if state.phase is Phase.PAUSED else since,
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
    moved = settings.sitting.break_after - old.sitting.break_after
    # The interval counts on while sitting, and through a pause taken while sitting (resuming
    # must not bring the old interval back). A snooze is a time the user chose: it stays.
    counting = state.phase in (Phase.SITTING, Phase.BREAK_DUE) or (
        state.phase is Phase.PAUSED and state.phase_before_pause is Phase.SITTING
    )
    if moved and counting:
        # Shift by the change, so an interval restarted by a skip keeps its start.
        next_at = state.next_break_at + moved
        lead = settings.breaks.heads_up
        state = replace(state, next_break_at=next_at,
                        heads_up_sent=state.heads_up_sent and state.stretch_s >= next_at - lead)
    if old.posture.every != settings.posture.every and settings.posture.every > 0:
        every = settings.posture.every
        state = replace(state, next_posture_at=(state.stretch_s // every + 1) * every)
    if old.schedule.day_starts != settings.schedule.day_starts and state.ticked:
        day = schedule.day_key(state.wall, state.utc_offset_s, settings.schedule.day_starts)
        state = replace(state, day=day)
    return state


def _drop_break(state: State, fx: list[Effect]) -> State:
    """End the break on offer or running without a Done (snooze, skip, pause, sleep...).

    The seconds already done still count as exercise; the views follow in follow_views.
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


def _remember(state: State, rows: tuple[Row, ...] | list[Row]) -> State:
    last, hurts = remember(state.last_exercise_id, state.hurt_walls, rows, state.wall)
    if (last, hurts) == (state.last_exercise_id, state.hurt_walls):
        return state
    return replace(state, last_exercise_id=last, hurt_walls=hurts)


def _programme(state: State, event: Rate | AnswerLevel | CheckInPain | RetestResult,
               fx: list[Effect]) -> State:
    """The programme's inputs (core.progression) become history rows; the levels are worked
    out from those rows when a break is planned. Allowed at any time: rating is never part of
    a break's flow."""
    wall = state.wall
    match event:
        case Rate(rating=rating, exercise_id=ident):
            ident = ident or state.last_exercise_id
            if ident is None:
                raise Refused(Text("no exercise done yet to rate; name one: {command}",
                                   command="sitbreak rate RATING EXERCISE_ID"))
            fx.append(Record(rating_row(wall, ident, rating)))
            if rating == HURT:
                advice = advice_for((*state.hurt_walls, wall), wall)
                fx.append(Notify(NoticeKind.INFO, Text("sitbreak: noted, that move hurt"),
                                 advice or Text("{exercise} is out of your breaks for two weeks, "
                                                "and its family goes one level down: an easier "
                                                "version comes next time.", exercise=ident)))
        case AnswerLevel(family_id=family, accept=accept):
            fx.append(Record(answer_row(wall, family, accept)))
        case CheckInPain(pain=pain):
            fx.append(Record(checkin_row(wall, pain)))
        case RetestResult(item_id=item, value=value, side=side):
            fx.append(Record(retest_row(wall, item, value, side)))
    return state

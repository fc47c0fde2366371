"""What the views show, as pure functions of the state: the break window's view, the tray's
picture (phase and ring step) and when it must be redrawn, and the stretch still open.
"""

from __future__ import annotations

import math
from dataclasses import replace

from tray_app.core.effects import CloseBreak, CloseNotice, Effect, NoticeKind, ShowBreak
from tray_app.core.guards import allowed, snooze_options
from tray_app.core.model import Phase
from tray_app.core.session import BreakView
from tray_app.core.state import COUNTING, Command, State

# The tray's ring fills in this many steps (a 16 px ring cannot show finer ones); the tray's
# pictures are drawn for each step, and the core asks for a redraw whenever the step changes.
RING_STEPS = 24


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
        snooze_options=tuple(round(x) for x in snooze_options(state)),
        step_seconds=round(s.step_seconds()),
        step_left_s=round(max(0.0, ends - state.mono), 3) if ends is not None else s.step_seconds(),
        seconds_done=round(s.seconds_done(state.mono), 3),
        planned_seconds=s.planned_seconds,
    )


def follow_views(before: State, state: State, fx: list[Effect]) -> State:
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


def _ring_fill(state: State) -> tuple[float, float] | None:
    """(done, whole) that the ring shows filling as time passes: the stretch toward its break,
    or the running break's time; None when nothing fills it."""
    if state.phase in (Phase.SITTING, Phase.SNOOZED) and state.next_break_at > 0:
        return state.stretch_s, state.next_break_at
    s = state.session
    if state.phase is Phase.ON_BREAK and s is not None and s.planned_seconds > 0:
        return s.elapsed(state.mono), s.planned_seconds
    return None


def ring_progress(state: State) -> float:
    """How far the tray ring is filled (0..1)."""
    fill = _ring_fill(state)
    if fill is not None:
        return min(1.0, fill[0] / fill[1])
    on_break = state.phase is Phase.ON_BREAK and state.session is not None  # of no planned time
    return 1.0 if state.phase is Phase.BREAK_DUE or on_break else 0.0


def ring_step_of(progress: float) -> int:
    """The step (0..RING_STEPS) that `progress` (0..1, clamped; NaN counts as 0) shows."""
    if not progress > 0:  # also catches NaN
        return 0
    return min(RING_STEPS, math.floor(progress * RING_STEPS + 0.5))


def ring_step(state: State) -> int:
    """The ring step the tray shows for `state`."""
    return ring_step_of(ring_progress(state))


def seconds_to_next_ring_step(state: State) -> float | None:
    """Seconds until the ring's step next changes as time passes, or None if it cannot."""
    fill = _ring_fill(state)
    step = ring_step(state)
    paused_break = state.session is not None and not state.session.running
    if fill is None or step >= RING_STEPS or (state.phase is Phase.ON_BREAK and paused_break):
        return None
    done, whole = fill
    return max(0.0, whole * (step + 0.5) / RING_STEPS - done)


def tray_view(state: State) -> tuple[object, ...]:
    """What the tray shows (picture and text); a change here asks for a redraw."""
    left = state.session.time_left(state.mono) if state.session is not None else 0.0
    return (
        state.phase,
        ring_step(state),
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

"""When the shell should wake the machine: the next deadline, and the looks in between.

So the shell wakes when something can change instead of polling.
"""

from __future__ import annotations

from tray_app.core import schedule
from tray_app.core.model import Phase
from tray_app.core.state import COUNTING, State
from tray_app.core.views import seconds_to_next_ring_step

# A break held back by a fullscreen window or do-not-disturb looks again this often, so it comes
# as soon as the hold ends.
HOLD_RECHECK_S = 1.0
# Away, the shell looks for input this often; a new stretch starts at most this late.
INPUT_POLL_S = 5.0
# A ring wake lands this far past the step's edge, so float rounding cannot leave it short.
RING_MARGIN_S = 0.001


def next_wake(state: State) -> float:
    """When the shell should tick next: the next deadline, or sooner to look at input and idle.

    So the shell wakes when something can change instead of polling: away, it looks for input
    every INPUT_POLL_S; while a stretch runs, when idle could first reach idle_reset (and at
    least twice per idle_reset, so a gap between ticks never reads as a break) and when a
    minute or ring step the tray shows turns over.
    """
    now = state.mono
    looks = [next_deadline(state)]
    if state.phase is Phase.AWAY and state.ticked:
        looks.append(now + INPUT_POLL_S)
    if state.phase in COUNTING:
        reset = state.settings.sitting.idle_reset
        looks.append(now + min(reset - state.idle_s, reset / 2))
        looks.append(now + to_next_minute(state.stretch_s))
        looks.append(now + to_next_minute(state.stretch_s - state.next_break_at))
    if state.phase is Phase.ON_BREAK and state.session is not None:
        looks.append(now + to_next_minute(-state.session.time_left(now)))
    ring = seconds_to_next_ring_step(state)
    if ring is not None:
        looks.append(now + ring + RING_MARGIN_S)
    future = [t for t in looks if t > now]
    return min(future) if future else now


def to_next_minute(seconds: float) -> float:
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

"""What `sitbreak status` reports and the tray's status line: pure functions of the state."""

from __future__ import annotations

import math
from typing import Any

from tray_app.core import schedule
from tray_app.core.duration import duration_text
from tray_app.core.guards import snoozes_left
from tray_app.core.model import Phase
from tray_app.core.state import State
from tray_app.core.text import Text

STATUS_FIELDS = (
    "state",
    "sitting_seconds",
    "next_break_in_seconds",
    "snoozes_left",
    "paused_until",
    "idle_source",
    "today_sitting_seconds",
    "break",
)


def minutes_text(seconds: float, round_up: bool = False) -> Text:
    """A duration in whole minutes ("under 1 min", "12 min", "1 h 5 min"): the tray shows
    this, so its text does not go stale between updates the way seconds would."""
    minutes = math.ceil(seconds / 60 - 1e-9) if round_up else int(seconds // 60)
    if minutes < 1:
        return Text("under 1 min")
    return duration_text(minutes * 60)


def break_dict(state: State) -> dict[str, Any] | None:
    """The `break` field of `status --json`: the session as the core holds it, or None."""
    s = state.session
    if s is None:
        return None
    started = None
    if s.running_since is not None:
        started = iso_local(state.wall - (state.mono - s.running_since), state.utc_offset_s)
    return {
        "routine": [ex.id for ex in s.routine],
        "index": s.index,
        "step": s.step,
        "started": started,
        "seconds_done": round(s.seconds_done(state.mono)),
        "planned_seconds": round(s.planned_seconds),
    }


def clock_text(wall: float, utc_offset_s: int) -> str:
    """Local HH:MM for a wall time."""
    local = int(wall + utc_offset_s) % 86400
    return f"{local // 3600:02d}:{local % 3600 // 60:02d}"


# Day and month names as `%a` and `%b` give them in the C locale, marked for translation.
_WEEKDAYS = (Text("Mon"), Text("Tue"), Text("Wed"), Text("Thu"), Text("Fri"), Text("Sat"),
             Text("Sun"))
_MONTHS = (Text("Jan"), Text("Feb"), Text("Mar"), Text("Apr"), Text("May"), Text("Jun"),
           Text("Jul"), Text("Aug"), Text("Sep"), Text("Oct"), Text("Nov"), Text("Dec"))


def when_text(wall: float, now_wall: float, utc_offset_s: int) -> str:
    """HH:MM for a time later today, "tomorrow HH:MM", else "Sun 13 Dec HH:MM": a pause of a
    week or until an hour that has passed today showed a bare time, read as today's."""
    days = (int(wall + utc_offset_s) // 86400) - (int(now_wall + utc_offset_s) // 86400)
    hhmm = clock_text(wall, utc_offset_s)
    if days <= 0:
        return hhmm
    if days == 1:
        return Text("tomorrow {time}", time=hhmm)
    import datetime as dt

    local = dt.datetime.fromtimestamp(wall, dt.timezone(dt.timedelta(seconds=utc_offset_s)))
    # Translators: a day within the next week, e.g. "Sun 13 Dec 20:26" (abbreviated names).
    return Text("{weekday} {day} {month} {time}", weekday=_WEEKDAYS[local.weekday()],
                day=local.day, month=_MONTHS[local.month - 1], time=hhmm)


def iso_local(wall: float, utc_offset_s: int) -> str:
    """ISO 8601 local time with its offset, computed without the time zone database."""
    import datetime as dt

    tz = dt.timezone(dt.timedelta(seconds=utc_offset_s))
    return dt.datetime.fromtimestamp(wall, tz).isoformat(timespec="seconds")


def next_break_in(state: State) -> float | None:
    if state.phase in (Phase.SITTING, Phase.SNOOZED):
        return max(0.0, state.next_break_at - state.stretch_s)
    if state.phase is Phase.BREAK_DUE:
        return 0.0
    return None


def status_dict(state: State, idle_source: str, extra: dict[str, Any] | None = None) -> dict:
    """The `status --json` object. The fields in STATUS_FIELDS are a contract; more may follow."""
    nb = next_break_in(state)
    until = state.paused_until_wall if state.phase is Phase.PAUSED else None
    out: dict[str, Any] = {
        "state": str(state.phase),
        "sitting_seconds": round(state.stretch_s, 1),
        "next_break_in_seconds": None if nb is None else round(nb, 1),
        "snoozes_left": snoozes_left(state),
        "paused_until": None if until is None else iso_local(until, state.utc_offset_s),
        "idle_source": idle_source,
        "today_sitting_seconds": round(state.today_sitting_s, 1),
        "break": break_dict(state),
        "today_longest_stretch_seconds": round(state.today_longest_s, 1),
        # Today's breaks and minutes, and the run of days with every break taken (core.today):
        # from the history at start, so they survive a restart like the seconds above.
        "today_breaks_offered": state.today.offered,
        "today_breaks_taken": state.today.taken,
        "today_exercise_minutes": {k: round(m, 1) for k, m in state.today.minutes_by_category},
        "streak_days": state.today.streak,
        "idle_seconds": round(state.idle_s, 1),
        "waiting_for": state.hold_reason if state.waiting_since_mono is not None else None,
        "held_by": state.hold_reason,
        "strict": state.settings.breaks.strict,
        "suspended": state.suspended_since_mono is not None,
        "line": status_line(state),
    }
    if extra:
        out.update(extra)
    return out


def status_line(state: State) -> str:
    """One human line, e.g. 'Sitting 32 min · break in 18 min'; also the tray title and tooltip.

    In whole minutes, so the tray, which redraws on each new minute, never shows stale seconds.
    """
    p = state.phase
    sitting = minutes_text(state.stretch_s)
    nb = next_break_in(state)
    if p is Phase.SITTING:
        if state.waiting_since_mono is not None:
            return Text("Sitting {sitting} · break waiting ({reason})", sitting=sitting,
                        reason=Text(str(state.hold_reason)))
        return Text("Sitting {sitting} · break in {left}", sitting=sitting,
                    left=minutes_text(nb or 0, round_up=True))
    if p is Phase.SNOOZED:
        return Text("Snoozed · break in {left}", left=minutes_text(nb or 0, round_up=True))
    if p is Phase.BREAK_DUE:
        return Text("Break due · sitting {sitting}", sitting=sitting)
    if p is Phase.ON_BREAK:
        s = state.session
        if s is not None:
            left = minutes_text(s.time_left(state.mono), round_up=True)
            return Text("On a break · {left} to go", left=left)
        return Text("On a break")
    if p is Phase.PAUSED:
        if state.paused_until_wall is None:
            return Text("Paused until you resume")
        return Text("Paused until {when}",
                    when=when_text(state.paused_until_wall, state.wall, state.utc_offset_s))
    if p is Phase.OFF_HOURS:
        change = schedule.seconds_to_next_change(
            state.settings.schedule, state.wall, state.utc_offset_s
        )
        if change is None:
            return Text("Off hours")
        back = when_text(state.wall + change, state.wall, state.utc_offset_s)
        return Text("Off hours · back at {when}", when=back)
    return Text("Away · stretch reset")

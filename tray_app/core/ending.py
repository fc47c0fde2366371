"""What the end of a break says: what was done, today's minutes by kind, the next break and the
run of days with every break taken. The break window shows it on its closing screen; where no
window shows the break, it comes as a notification (shell.runtime)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tray_app.core.duration import exact, human
from tray_app.core.session import ExerciseDone, Session
from tray_app.core.state import State
from tray_app.core.status import clock_text
from tray_app.core.today import Today

# How long the closing screen stays before it closes itself.
END_SCREEN_S = 12


def end_title(completed: bool) -> str:
    return "Break done, well done" if completed else "Break over"


def end_lines(state: State, session: Session, done: Sequence[ExerciseDone],
              today: Today) -> tuple[str, ...]:
    """The closing screen's lines, as of the break's end (the state before the next stretch)."""
    names = {ex.id: ex.name for ex in _exercises(session)}
    seconds = sum(d.seconds for d in done)
    did = ", ".join(dict.fromkeys(
        names.get(d.exercise_id, d.exercise_id.replace("-", " ")) for d in done))
    lines = [f"You did {did} ({exact(round(seconds))})." if did
             else f"You moved for {exact(round(max(seconds, session.seconds_done(state.mono))))}."]
    minutes = [f"{exact(round(m * 60))} {cat}" for cat, m in today.minutes_by_category
               if round(m * 60) > 0]
    if minutes:
        lines.append("Today: " + ", ".join(minutes) + ".")
    after = state.settings.sitting.break_after
    lines.append(f"Next break in {human(after)}, at about "
                 f"{clock_text(state.wall + after, state.utc_offset_s)}.")
    streak = today.streak
    if streak:
        lines.append(f"{streak} day{'s' if streak != 1 else ''} in a row with every break taken.")
    return tuple(lines)


def _exercises(session: Session) -> Iterable:
    yield from session.routine
    for routine in session.spares:
        yield from routine

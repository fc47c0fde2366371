"""What the end of a break says: what was done, today's minutes by kind, the next break and the
run of days with every break taken. The break window shows it on its closing screen; where no
window shows the break, it comes as a notification (shell.runtime)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tray_app.core.duration import ExactSeconds, Seconds
from tray_app.core.exercise import category_name
from tray_app.core.session import ExerciseDone, Session
from tray_app.core.state import State
from tray_app.core.status import clock_text
from tray_app.core.text import Joined, Plural, Text
from tray_app.core.today import Today

# How long the closing screen stays before it closes itself.
END_SCREEN_S = 12


def end_title(completed: bool) -> str:
    return Text("Break done, well done") if completed else Text("Break over")


def streak_line(days: int) -> Text:
    """The run of days with every break taken (the closing screen, the tray's summary)."""
    return Plural("{n} day in a row with every break taken.",
                  "{n} days in a row with every break taken.", days)


def end_lines(state: State, session: Session, done: Sequence[ExerciseDone],
              today: Today) -> tuple[str, ...]:
    """The closing screen's lines, as of the break's end (the state before the next stretch)."""
    names = {ex.id: Text(ex.name) for ex in _exercises(session)}  # translated where shown
    seconds = sum(d.seconds for d in done)
    did = Joined(tuple(dict.fromkeys(
        names.get(d.exercise_id, d.exercise_id.replace("-", " ")) for d in done)))
    moved = ExactSeconds(round(max(seconds, session.seconds_done(state.mono))))
    lines = [Text("You did {exercises} ({duration}).", exercises=did,
                  duration=ExactSeconds(round(seconds))) if did
             else Text("You moved for {duration}.", duration=moved)]
    minutes = [Text("{duration} {category}", duration=ExactSeconds(round(m * 60)),
                    category=category_name(cat))
               for cat, m in today.minutes_by_category if round(m * 60) > 0]
    if minutes:
        lines.append(Text("Today: {minutes}.", minutes=Joined(minutes)))
    after = state.settings.sitting.break_after
    lines.append(Text("Next break in {duration}, at about {time}.", duration=Seconds(after),
                      time=clock_text(state.wall + after, state.utc_offset_s)))
    if today.streak:
        lines.append(streak_line(today.streak))
    return tuple(lines)


def _exercises(session: Session) -> Iterable:
    yield from session.routine
    for routine in session.spares:
        yield from routine

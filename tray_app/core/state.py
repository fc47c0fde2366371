"""The sitting machine's state record, the commands a user can give, and the refusal they get.

Plain data: `State` holds everything the machine knows; the rules that move it live in
`machine`, what is allowed in `guards`, what is shown in `views`, when to wake in `timing`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tray_app.core.effects import NoticeKind
from tray_app.core.model import Phase, Settings
from tray_app.core.session import Session
from tray_app.core.today import Today

# The phases in which a sitting stretch is being counted.
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
    offered: bool = False  # the coming break has been offered once (later offers are re-offers)
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
    # Breaks and minutes today (see core.today), going on from the history's.
    today: Today = field(default_factory=Today)
    # The programme (core.progression): what `sitbreak rate` rates by default, and the
    # "this hurt" ratings of the last week (two of them advise seeing a clinician).
    last_exercise_id: str | None = None
    hurt_walls: tuple[float, ...] = ()


def initial_state(settings: Settings) -> State:
    """A machine that has not seen a tick yet."""
    return State(settings=settings, next_break_at=settings.sitting.break_after)

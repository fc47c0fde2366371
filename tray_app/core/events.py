"""Events the core reacts to. Frozen and validated on creation, so bad ones never reach step()."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tray_app.core.exercise import Exercise
from tray_app.core.limits import MAX_WALL, PAUSE_S, SNOOZE_S, check_seconds
from tray_app.core.model import Row, Settings
from tray_app.core.progression import CheckIn, Rated
from tray_app.core.retest import check_result


@dataclass(frozen=True)
class Tick:
    """A heartbeat or wake-up: the only event that carries time.

    `mono` is time.monotonic() (stops during suspend on Linux and macOS), `wall` is time.time(),
    `utc_offset_s` the local zone's offset at `wall`. `idle_s` is seconds since the last input
    (None when unknown); `locked` is True while the screen is locked.
    """

    mono: float
    wall: float
    idle_s: float | None = 0.0
    utc_offset_s: int = 0
    locked: bool = False

    def __post_init__(self) -> None:
        if self.idle_s is not None and not (math.isfinite(self.idle_s) and self.idle_s >= 0):
            raise ValueError(f"idle_s must be finite and not negative, got {self.idle_s}")


@dataclass(frozen=True)
class TakeBreakNow:
    """Start the break: the one offered, or a new one (Start, the menu, `sitbreak break-now`).

    While paused it ends the pause first.
    """


@dataclass(frozen=True)
class Snooze:
    """Put the due (or upcoming) break off; `seconds=None` means the first snooze option."""

    seconds: float | None = None

    def __post_init__(self) -> None:
        check_seconds("snooze", self.seconds, SNOOZE_S)


@dataclass(frozen=True)
class Skip:
    """Let this break go; the next one is a full interval away."""


@dataclass(frozen=True)
class Done:
    """End the running break now: *completed* after 80% of its time, else *ended early*.

    A view may name the exercise (and step) it shows; one the session does not have is refused.
    """

    exercise_id: str | None = None
    step: int | None = None


@dataclass(frozen=True)
class NextStep:
    """Move the running break on one step (Next, or Finish on its last step)."""

    exercise_id: str | None = None
    step: int | None = None


@dataclass(frozen=True)
class AnotherExercise:
    """Swap what is left of the routine (the exercise on show and those after it) for a
    spare routine of about the time left; what was done is kept."""

    exercise_id: str | None = None


@dataclass(frozen=True)
class WindowClosed:
    """The user closed the break window: like Esc, it snoozes with the first option if any."""


@dataclass(frozen=True)
class BreakPlanned:
    """The shell's answer to PlanBreak: the exercises for the break on offer, and spare
    routines for "Another exercise" (each may follow a part of `routine`: see picker)."""

    routine: tuple[Exercise, ...]
    spares: tuple[tuple[Exercise, ...], ...] = ()


@dataclass(frozen=True)
class Pause:
    """Stop counting for `seconds`, until wall time `until_wall`, or (both None) until resumed."""

    seconds: float | None = None
    until_wall: float | None = None

    def __post_init__(self) -> None:
        check_seconds("pause", self.seconds, PAUSE_S)
        wall = self.until_wall
        if wall is not None and not (math.isfinite(wall) and 0 < wall <= MAX_WALL):
            raise ValueError(f"pause until must be a time before the year 2100, got {wall}")


@dataclass(frozen=True)
class PauseUntilDayStarts:
    """Pause until the next day begins (the settings' schedule.day_starts), as the core reckons."""


@dataclass(frozen=True)
class Resume:
    """End a pause (the user's command; compare Woke, the machine waking)."""


@dataclass(frozen=True)
class Suspending:
    """The machine is about to sleep (logind PrepareForSleep(true))."""


@dataclass(frozen=True)
class Woke:
    """The machine woke up (logind PrepareForSleep(false))."""



@dataclass(frozen=True)
class Shutdown:
    """sitbreak is quitting: close the running stretch so history has its length."""


@dataclass(frozen=True)
class BreakViewFailed:
    """The break window crashed or was killed; the prompt falls back to a notification."""

    reason: str = ""


@dataclass(frozen=True)
class SettingsChanged:
    settings: Settings


@dataclass(frozen=True)
class SettingsRejected:
    """The settings file changed but has problems; the last good settings stay in force."""

    problems: str
    file_name: str = "settings.toml"


@dataclass(frozen=True)
class HistoryNotSaved:
    """The history file cannot take rows for now (they wait in memory); `problem` says why."""

    problem: str


@dataclass(frozen=True)
class Recalled:
    """What the history held at start (rows of the last core.today.RECALL_S, oldest first):
    today's numbers go on from them, and a pause the last run left running goes on.
    `streak_before` is the run of days before today with every break taken."""

    rows: tuple[Row, ...]
    streak_before: int = 0


@dataclass(frozen=True)
class Rate:
    """A rating of an exercise (core.progression.RATINGS); None rates the last one done."""

    rating: str
    exercise_id: str | None = None

    def __post_init__(self) -> None:
        Rated(0.0, "", self.rating)  # raises ValueError naming the ratings


@dataclass(frozen=True)
class AnswerLevel:
    """The answer to "ready for a harder version?" of family `family_id`."""

    family_id: str
    accept: bool


@dataclass(frozen=True)
class CheckInPain:
    """Back pain now, 0-10 (the optional check-in)."""

    pain: int

    def __post_init__(self) -> None:
        CheckIn(0.0, self.pain)  # raises ValueError naming the range


@dataclass(frozen=True)
class RetestResult:
    """One re-test measure (core.retest): the item, its value and the side if it has one."""

    item_id: str
    value: float
    side: str | None = None

    def __post_init__(self) -> None:
        if problem := check_result(self.item_id, self.value, self.side):
            raise ValueError(problem)


@dataclass(frozen=True)
class Hold:
    """Smart pause: a fullscreen window, do-not-disturb or lock asks to hold prompts (or not)."""

    reason: str | None  # None releases the hold


Event = (
    Tick
    | TakeBreakNow
    | Snooze
    | Skip
    | Done
    | NextStep
    | AnotherExercise
    | WindowClosed
    | BreakPlanned
    | Pause
    | PauseUntilDayStarts
    | Resume
    | Suspending
    | Woke
    | Shutdown
    | BreakViewFailed
    | SettingsChanged
    | SettingsRejected
    | HistoryNotSaved
    | Recalled
    | Hold
    | Rate
    | AnswerLevel
    | CheckInPain
    | RetestResult
)

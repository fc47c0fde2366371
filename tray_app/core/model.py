"""Settings and phases: the plain data the state machine works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Phase(StrEnum):
    """What sitbreak thinks the user is doing; the values are the `status --json` contract."""

    SITTING = "sitting"
    AWAY = "away"
    BREAK_DUE = "break_due"
    ON_BREAK = "on_break"
    SNOOZED = "snoozed"
    PAUSED = "paused"
    OFF_HOURS = "off_hours"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class SittingSettings:
    idle_reset: float = 5 * 60
    break_after: float = 50 * 60


@dataclass(frozen=True)
class BreakSettings:
    heads_up: float = 60
    strict: bool = False
    length: float = 2 * 60


@dataclass(frozen=True)
class PostureSettings:
    every: float = 20 * 60


@dataclass(frozen=True)
class SnoozeSettings:
    options: tuple[float, ...] = (5 * 60, 10 * 60, 20 * 60)
    max_per_break: int = 3


@dataclass(frozen=True)
class ScheduleSettings:
    # Weekday numbers, Monday = 0, as datetime.weekday() gives them.
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    # Half-open ranges in minutes after midnight; (0, 1440) is all day.
    hours: tuple[tuple[int, int], ...] = ((0, 24 * 60),)
    day_starts: int = 4 * 60


@dataclass(frozen=True)
class SmartPauseSettings:
    enabled: bool = True
    max_delay: float = 30 * 60


@dataclass(frozen=True)
class ExerciseSettings:
    places: tuple[str, ...] = ("chair", "standing")
    exclude: tuple[str, ...] = ()
    extra: str = ""
    # The first-run health questions were answered or skipped (core.screening).
    screened: bool = False


@dataclass(frozen=True)
class HistorySettings:
    keep_days: int = 365


@dataclass(frozen=True)
class NotificationSettings:
    enabled: bool = True


@dataclass(frozen=True)
class GeneralSettings:
    language: str = ""  # "" follows the desktop's locale; else a catalogue's name, or "en"


@dataclass(frozen=True)
class SoundSettings:
    enabled: bool = True
    volume: int = 70  # percent of the player's full volume


@dataclass(frozen=True)
class MeetingSettings:
    """What counts as a meeting that holds a due break (with smart_pause on)."""

    camera: bool = True
    microphone: bool = True
    screen_sharing: bool = True
    camera_devices: str = "/dev/video*"  # a glob pattern: tests point it at a plain file


@dataclass(frozen=True)
class ProgrammeSettings:
    """The programme (core.progression, core.retest)."""

    progression: bool = True  # levels per family, ratings, "this hurt" rests an exercise
    checkins: bool = False  # ask for back pain 0-10 at some breaks
    checkin_times: tuple[str, ...] = ("first", "last")  # which breaks of the day ask
    retest_days: int = 30  # how often the re-test is offered


@dataclass(frozen=True)
class Settings:
    """Validated settings, durations in seconds. Defaults match the shipped settings.toml."""

    sitting: SittingSettings = field(default_factory=SittingSettings)
    breaks: BreakSettings = field(default_factory=BreakSettings)
    posture: PostureSettings = field(default_factory=PostureSettings)
    snooze: SnoozeSettings = field(default_factory=SnoozeSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    smart_pause: SmartPauseSettings = field(default_factory=SmartPauseSettings)
    exercises: ExerciseSettings = field(default_factory=ExerciseSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    sound: SoundSettings = field(default_factory=SoundSettings)
    meetings: MeetingSettings = field(default_factory=MeetingSettings)
    programme: ProgrammeSettings = field(default_factory=ProgrammeSettings)
    general: GeneralSettings = field(default_factory=GeneralSettings)


class Kind(StrEnum):
    """Kinds of history rows; the values are stored in the history file and exported.

    A break's life in rows: `break_offered` (it fell due; `break_reoffered` each time it falls
    due again after a snooze or a pause), `started` (the user began it),
    one `exercise` row per exercise with the seconds actually spent on it, then exactly one
    ending: `completed` (Done after at least 80% of the planned time), `ended_early` (Done
    sooner), `snoozed`, `skipped`, or nothing (a pause or sleep ended it).
    """

    STRETCH_STARTED = "stretch_started"
    STRETCH_ENDED = "stretch_ended"
    NATURAL_BREAK = "natural_break"
    HEADS_UP = "heads_up"
    BREAK_OFFERED = "break_offered"
    # The same break offered again after a snooze or a pause: counted once, as offered above.
    BREAK_REOFFERED = "break_reoffered"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"
    BREAK_STARTED = "started"
    STARTED = "started"  # older name of BREAK_STARTED
    EXERCISE = "exercise"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"
    POSTURE_NUDGE = "posture_nudge"
    PAUSED = "paused"
    RESUMED = "resumed"
    SLEPT = "slept"
    WINDOW_CLOSED = "window_closed"
    WINDOW_FAILED = "window_failed"
    # The programme (core.progression): a rating of an exercise (detail: easy, fine, too-hard,
    # hurt), an answer to "ready for a harder version?" (category: the family; detail: accept
    # or stay), a back-pain check-in (detail: 0-10) and a re-test result (exercise_id: the
    # item; category: the side or none; detail: the value).
    RATING = "rating"
    LEVEL = "level"
    CHECKIN = "checkin"
    RETEST = "retest"


@dataclass(frozen=True)
class Row:
    """One history row."""

    kind: str  # a Kind value
    wall: float  # seconds since the epoch, UTC
    duration_s: float = 0.0
    exercise_id: str | None = None
    category: str | None = None
    detail: str | None = None

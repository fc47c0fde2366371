"""Effects the core asks the shell to carry out: plain data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tray_app.core.model import Row
from tray_app.core.session import BreakView


class NoticeKind(StrEnum):
    """What a notification is about; a break notice is withdrawn once its choices lapse."""

    HEADS_UP = "heads_up"
    BREAK_DUE = "break_due"
    POSTURE = "posture"
    INFO = "info"


@dataclass(frozen=True)
class Notify:
    """A desktop notification, replacing sitbreak's previous one."""

    kind: NoticeKind
    title: str
    body: str
    actions: tuple[tuple[str, str], ...] = ()  # (command name, label)


@dataclass(frozen=True)
class CloseNotice:
    """Withdraw sitbreak's notification: its choices no longer apply."""


@dataclass(frozen=True)
class PlanBreak:
    """Choose the exercises for the break on offer and answer with a BreakPlanned event."""


@dataclass(frozen=True)
class ShowBreak:
    """Show the break (open the window, or update the open one) as `view` says."""

    view: BreakView


@dataclass(frozen=True)
class CloseBreak:
    """Close the break window (or console prompt)."""


@dataclass(frozen=True)
class BreakEnded:
    """The break is over (Done, or its time ran out): the window turns into a closing screen
    with these lines and closes itself; where no window shows the break, a notification says
    them instead. Comes before the CloseBreak of the same step."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class UpdateTray:
    """The status line or icon changed."""


@dataclass(frozen=True)
class Record:
    row: Row


@dataclass(frozen=True)
class WakeAt:
    """Call step() again with a Tick no later than this monotonic time."""

    mono: float


Effect = (Notify | CloseNotice | PlanBreak | ShowBreak | CloseBreak | BreakEnded | UpdateTray
          | Record | WakeAt)

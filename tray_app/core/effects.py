"""Effects the core asks the shell to carry out: plain data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass

from tray_app.core.ports import Row


@dataclass(frozen=True)
class Notify:
    """A desktop notification. `kind` is heads_up, break_due, posture, info."""

    kind: str
    title: str
    body: str
    actions: tuple[tuple[str, str], ...] = ()  # (action id, label)


@dataclass(frozen=True)
class OpenBreak:
    """Show the break prompt (window or console). `started` skips the 'ready?' step."""

    started: bool
    snooze_options: tuple[float, ...]
    can_skip: bool


@dataclass(frozen=True)
class CloseBreak:
    """Withdraw the break prompt and any notification about it."""


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


Effect = Notify | OpenBreak | CloseBreak | UpdateTray | Record | WakeAt

"""What a focus attempt found, shared by the compositor adapters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Focus:
    """The outcome: `focused` True/False as the desktop reports it, None when it cannot tell.

    `visible` False means the window is on screen behind something (a fullscreen window), None
    unknown. `detail` is a line for the log and status.
    """

    focused: bool | None
    detail: str
    visible: bool | None = None


class Focuser(Protocol):
    """Asks the desktop to focus the window of a process and checks that it did."""

    name: str  # "sway", "hyprland", "x11", "none"

    def focus(self, pid: int) -> Focus:
        """Focus the window of process `pid` (never raises)."""
        ...


class NoFocuser:
    """A desktop with no way to focus another client's window and no way to check."""

    name = "none"

    def __init__(self, why: str) -> None:
        self.why = why

    def focus(self, pid: int) -> Focus:
        return Focus(None, self.why)

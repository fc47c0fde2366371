"""Exercise records as plain data; the catalogue file is loaded into these by tray_app.exercises."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("psoas-strength", "psoas-mobility", "hip-extensors", "core", "posture", "stretch")
PLACES = ("chair", "standing", "floor")


@dataclass(frozen=True)
class Step:
    text: str
    seconds: int


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    category: str
    where: str
    steps: tuple[Step, ...]
    cue: str
    why: str
    cautions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def seconds(self) -> int:
        """Total duration: the sum of the steps, so the two can never disagree."""
        return sum(s.seconds for s in self.steps)

"""One shape for every complaint about a user's file (settings, exercises, history)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """A single thing wrong in a user's file, phrased so the user can fix it."""

    file: str
    key: str
    message: str
    value: str | None = None
    allowed: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        if self.value is not None:
            text += f" (got {self.value})"
        if self.allowed:
            text += f"; {self.allowed}"
        return text


class ProblemsError(Exception):
    """Raised with every problem found at once, so the user fixes them in one go."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    """Render problems one per line, in the order they were found."""
    return "\n".join(str(p) for p in problems)

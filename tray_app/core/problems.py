"""One shape for every complaint about a user's file (settings, exercises, history)."""

from __future__ import annotations

from dataclasses import dataclass

from tray_app.core.text import Joined, Text

# Two keys a rule ties together, as a Problem's `key` says them: "a and b" (see `settings_keys`).
_AND = " and "


def pair_key(a: str, b: str) -> str:
    """The `key` of a problem about a rule between keys `a` and `b`."""
    return f"{a}{_AND}{b}"


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
        return str(self.text())

    def settings_keys(self) -> list[str]:
        """The settings keys the problem is about: one, or both of a rule's (`pair_key`)."""
        return self.key.split(_AND) if self.key else []

    def text(self) -> Text:
        """The problem as a core Text (English here; the edge translates its words)."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        keys = self.settings_keys()
        key = Text("{a} and {b}", a=keys[0], b=keys[1]) if len(keys) == 2 else self.key
        text = (Text("{where}: {key}: {message}", where=where, key=key, message=self.message)
                if self.key else Text("{where}: {message}", where=where, message=self.message))
        if self.value is not None:
            text = Text("{problem} (got {value})", problem=text, value=self.value)
        if self.allowed:
            text = Text("{problem}; {allowed}", problem=text, allowed=self.allowed)
        return text


class ProblemsError(Exception):
    """Raised with every problem found at once, so the user fixes them in one go."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(format_problems(self.problems))

    def text(self) -> Joined:
        """Every problem, a line each, as core Texts (`str(self)` is the English)."""
        return Joined([p.text() for p in self.problems], sep="\n")


def format_problems(problems: list[Problem]) -> str:
    """Render problems one per line, in the order they were found."""
    return "\n".join(str(p) for p in problems)

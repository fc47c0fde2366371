"""Whether an idle source still sees input, said once whenever that changes.

A source that stops answering (the X server or the session bus went away) leaves the core
counting wall time as sitting. That must never happen silently: `sees_input` turns False, so
`status` says so, and `on_change` tells the user in one line, and again when it is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class InputVisibility:
    def __init__(self, what: str) -> None:
        self.what = what  # e.g. "the X display :0", names the source in the message
        self.sees_input = True
        self.on_change: Callable[[str], None] = log.warning

    def note(self, answer: T | None) -> T | None:
        """Pass a query's answer through, noticing when answers stop or come back."""
        seen = answer is not None
        if seen != self.sees_input:
            self.sees_input = seen
            self.on_change(
                f"{self.what} answers again: sitting time follows your input again" if seen
                else f"{self.what} stopped answering: counting wall time as sitting until it "
                "is back (`sitbreak status` says so meanwhile)")
        return answer

"""The idle source of last resort: it cannot see input, so all wall time counts as sitting."""

from __future__ import annotations


class FallbackIdleSource:
    """Always reports 0 s idle, so the timer treats every minute as a sitting minute."""

    name = "fallback"
    sees_input = False
    connection = None
    visibility = None

    def idle_seconds(self) -> float | None:
        """Zero: without an input source we assume the user is there."""
        return 0.0

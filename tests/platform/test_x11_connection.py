"""X11Connection: one shared X connection (fake displays; the real one is in *_desktop.py)."""

from __future__ import annotations

from typing import Any

from tray_app.platform.x11.connection import X11Connection


class QueueingDisplay:
    """A display whose replies leave `queued` events waiting in its queue."""

    def __init__(self, queued: int) -> None:
        self.queued = queued
        self.closed = False

    def pending_events(self) -> int:
        return self.queued

    def close(self) -> None:
        self.closed = True


def test_a_reply_that_brought_events_in_is_told_to_the_events_reader() -> None:
    told: list[int] = []
    shared = X11Connection(":9", display=QueueingDisplay(queued=1))
    assert shared.run(lambda d: "reply", None, "query") == "reply"  # no reader yet: fine
    shared.on_events(lambda: told.append(1))
    assert shared.run(lambda d: "reply", None, "query") == "reply"
    assert told == [1]


def test_no_events_queued_tells_nobody() -> None:
    told: list[int] = []
    shared = X11Connection(":9", display=QueueingDisplay(queued=0))
    shared.on_events(lambda: told.append(1))
    shared.run(lambda d: None, None, "query")
    assert told == []


def test_a_closed_connection_is_not_reopened_by_a_late_caller() -> None:
    opened: list[Any] = []

    def opener(name: str) -> QueueingDisplay:
        opened.append(name)
        return QueueingDisplay(0)

    first = QueueingDisplay(0)
    shared = X11Connection(":9", opener, display=first)
    shared.close()
    assert first.closed
    assert shared.run(lambda d: "reply", "default", "query") == "default"
    assert opened == []

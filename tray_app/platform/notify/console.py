"""Notifications as lines on a text stream, for console mode (next to desktop ones)."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TextIO

from tray_app.ports import Action

log = logging.getLogger(__name__)


def format_line(title: str, body: str, actions: Sequence[Action] = ()) -> str:
    """`[sitbreak] Title: body (actions: A, B)` on one line."""
    text = " ".join(body.split())  # one line, even when the body has line breaks
    line = f"[sitbreak] {title}: {text}" if text else f"[sitbreak] {title}"
    if actions:
        line += " (actions: " + ", ".join(a.label for a in actions) + ")"
    return line


class ConsoleNotifier:
    """A `Notifier` printing one line per notification; clicks do not exist here."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        """`stream` defaults to the standard output at the time of each call."""
        self.stream = stream
        self._lock = threading.Lock()  # whole lines, even when threads print at once

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        """Print the notification as one line."""
        try:
            stream = self.stream or sys.stdout
            with self._lock:
                stream.write(format_line(title, body, actions) + "\n")
                stream.flush()
        except Exception:
            log.exception("could not print a notification")

    def close(self) -> None:
        """A printed line cannot be withdrawn."""

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        """Accepted for the protocol; console lines have nothing to click."""

    def stop(self) -> None:
        """Nothing to let go of."""

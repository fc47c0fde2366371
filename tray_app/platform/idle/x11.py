"""Idle time from the X server's MIT-SCREEN-SAVER extension (python-xlib)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from tray_app.platform.idle.health import InputVisibility
from tray_app.platform.x11.connection import X11Connection, open_display

log = logging.getLogger(__name__)

EXTENSION = "MIT-SCREEN-SAVER"


class X11IdleSource:
    """Milliseconds since the last X input event, read from the screensaver extension."""

    name = "x11-screensaver"

    def __init__(
        self,
        display_name: str,
        opener: Callable[[str], Any] = open_display,
        display: Any = None,
    ) -> None:
        self.display_name = display_name
        self._conn = X11Connection(display_name, opener, display)
        self.visibility = InputVisibility(f"the X display {display_name}")

    @property
    def connection(self) -> X11Connection:
        """The X connection, for another probe of this display to share."""
        return self._conn

    @property
    def sees_input(self) -> bool:
        """False while the X server does not answer (then wall time counts as sitting)."""
        return self.visibility.sees_input

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard/mouse event, or None if the X server is unreachable."""

        def query(disp: Any) -> float | None:
            return int(disp.screen().root.screensaver_query_info().idle) / 1000.0

        return self.visibility.note(self._conn.run(query, None, "X11 idle query"))

    def close(self) -> None:
        """Close the X connection."""
        self._conn.close()


def probe(display_name: str) -> tuple[X11IdleSource | None, str]:
    """A working source for `display_name`, or None and why not. Never raises."""
    try:
        disp = open_display(display_name)
    except Exception as exc:
        return None, f"cannot open X display {display_name} ({exc})"
    try:
        if not disp.has_extension(EXTENSION):
            disp.close()
            return None, f"the X server has no {EXTENSION} extension"
        disp.screen().root.screensaver_query_info()
    except Exception as exc:
        with contextlib.suppress(Exception):
            disp.close()
        return None, f"{EXTENSION} query failed ({exc})"
    return X11IdleSource(display_name, display=disp), f"X11 {EXTENSION} on {display_name}"

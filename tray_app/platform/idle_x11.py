"""Idle time from the X server's MIT-SCREEN-SAVER extension (python-xlib)."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

EXTENSION = "MIT-SCREEN-SAVER"


def _open_display(name: str) -> Any:
    from Xlib import display  # lazy: python-xlib is only a dependency on Linux

    return display.Display(name)


class X11IdleSource:
    """Milliseconds since the last X input event, read from the screensaver extension.

    Keeps one Display connection and reopens it once after any error (X server restarted,
    connection closed).
    """

    name = "x11-screensaver"
    sees_input = True

    def __init__(
        self,
        display_name: str,
        opener: Callable[[str], Any] = _open_display,
        display: Any = None,
    ) -> None:
        self.display_name = display_name
        self._opener = opener
        self._display: Any = display  # an already open connection (from probe), or None
        self._lock = threading.Lock()

    def _query_ms(self) -> int:
        if self._display is None:
            self._display = self._opener(self.display_name)
        root = self._display.screen().root
        return int(root.screensaver_query_info().idle)

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard/mouse event, or None if the X server is unreachable."""
        with self._lock:
            for _attempt in range(2):  # second try on a fresh connection
                try:
                    return self._query_ms() / 1000.0
                except Exception as exc:
                    log.debug("X11 idle query on %s failed: %s", self.display_name, exc)
                    self._close()
            return None

    def _close(self) -> None:
        if self._display is not None:
            # Already broken; we only want to forget it.
            with contextlib.suppress(Exception):
                self._display.close()
            self._display = None

    def close(self) -> None:
        """Close the X connection."""
        with self._lock:
            self._close()


def probe(display_name: str) -> tuple[X11IdleSource | None, str]:
    """A working source for `display_name`, or None and why not. Never raises."""
    try:
        disp = _open_display(display_name)
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

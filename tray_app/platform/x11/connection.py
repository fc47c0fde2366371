"""One python-xlib connection shared by a probe's calls, reopened once after an error."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


def open_display(name: str) -> Any:
    """A python-xlib connection to `name` that keeps no keyboard map.

    python-xlib reads the server's whole keyboard map when it connects and keeps it both ways
    (~0.3 MiB a connection, all day); sitbreak's connections never turn keys into symbols."""
    global _KEYLESS
    if _KEYLESS is None:
        from Xlib import display  # lazy: python-xlib is only a dependency on Linux

        class KeylessDisplay(display.Display):  # type: ignore[misc]
            def _update_keymap(self, first_keycode: int, count: int) -> None:
                pass  # python-xlib's own, called at connect: its map stays empty

        _KEYLESS = KeylessDisplay
    return _KEYLESS(name)


_KEYLESS: Any = None  # the class above, made at the first connection


def _request_error(exc: Exception) -> bool:
    """An X protocol error (BadWindow, BadAtom...) about one request, not the connection."""
    try:
        from Xlib.error import XError
    except ImportError:
        return False
    return isinstance(exc, XError)


class X11Connection:
    """Serialises calls on one X connection; a failed call is retried on a fresh one.

    An X server restart or a window closing mid-read must never reach the caller, so `run`
    answers `default` when the retry fails too.
    """

    def __init__(
        self,
        display_name: str,
        opener: Callable[[str], Any] = open_display,
        display: Any = None,
    ) -> None:
        self.display_name = display_name
        self._opener = opener
        self._display: Any = display  # an already open connection (from a probe), or None
        self._lock = threading.Lock()
        self._event_listener: Callable[[], None] | None = None
        self._closed = False

    def on_events(self, listener: Callable[[], None]) -> None:
        """Call `listener` when a call leaves X events queued, for the thread that reads them.

        A reply can bring events in with it; they then wait in python-xlib's queue, and a
        thread that waits for the socket to become readable would not hear of them.
        """
        self._event_listener = listener

    def run(self, query: Callable[[Any], T], default: T, what: str) -> T:
        with self._lock:
            if self._closed:  # closed for good: a late caller must not open a new one
                return default
            for _attempt in range(2):
                try:
                    if self._display is None:
                        self._display = self._opener(self.display_name)
                    result = query(self._display)
                    self._tell_of_events()
                    return result
                except Exception as exc:
                    log.debug("%s on %s failed: %s", what, self.display_name, exc)
                    if _request_error(exc):
                        # The server refused one request (a window that closed meanwhile):
                        # the connection is fine, and asking again would only fail again.
                        return default
                    self._forget()
            return default

    def _tell_of_events(self) -> None:
        if self._event_listener is not None and self._display is not None:
            with contextlib.suppress(Exception):  # a broken connection shows in the next call
                if self._display.pending_events():
                    self._event_listener()

    def _forget(self) -> None:
        if self._display is not None:
            with contextlib.suppress(Exception):  # already broken; we only drop it
                self._display.close()
            self._display = None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._forget()

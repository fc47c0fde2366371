"""Is the focused X11 window fullscreen? Reads the EWMH hints the window manager keeps."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

log = logging.getLogger(__name__)


class X11FullscreenProbe:
    """Checks `_NET_ACTIVE_WINDOW` on the root and its `_NET_WM_STATE` for FULLSCREEN.

    Needs an EWMH window manager (GNOME, KDE, Xfce, openbox...); without one there is no
    active window hint and the answer is always False.
    """

    def __init__(self, display_name: str, display: Any = None) -> None:
        self.display_name = display_name
        self._display: Any = display
        self._lock = threading.Lock()
        self._atoms: dict[str, int] = {}

    def _open(self) -> Any:
        if self._display is None:
            from Xlib import display  # lazy: python-xlib is only installed on Linux

            self._display = display.Display(self.display_name)
            self._atoms = {}
        return self._display

    def _atom(self, name: str) -> int:
        if name not in self._atoms:
            self._atoms[name] = self._display.intern_atom(name)
        return self._atoms[name]

    def _check(self) -> bool:
        from Xlib import X

        disp = self._open()
        root = disp.screen().root
        active = root.get_full_property(self._atom("_NET_ACTIVE_WINDOW"), X.AnyPropertyType)
        if active is None or not len(active.value) or not active.value[0]:
            return False
        window = disp.create_resource_object("window", int(active.value[0]))
        state = window.get_full_property(self._atom("_NET_WM_STATE"), X.AnyPropertyType)
        if state is None:
            return False
        return self._atom("_NET_WM_STATE_FULLSCREEN") in [int(a) for a in state.value]

    def is_fullscreen_focused(self) -> bool:
        """True when the focused window is fullscreen; False on any doubt. Never raises."""
        with self._lock:
            for _attempt in range(2):  # one retry on a fresh connection
                try:
                    return self._check()
                except Exception as exc:
                    # A window closing between the two reads gives BadWindow: not fatal.
                    log.debug("fullscreen check on %s failed: %s", self.display_name, exc)
                    self._close()
            return False

    def _close(self) -> None:
        if self._display is not None:
            with contextlib.suppress(Exception):
                self._display.close()
            self._display = None

    def close(self) -> None:
        """Close the X connection."""
        with self._lock:
            self._close()


def probe(display_name: str) -> X11FullscreenProbe | None:
    """A probe if the X display opens. Never raises."""
    try:
        from Xlib import display

        disp = display.Display(display_name)
    except Exception as exc:
        log.info("no fullscreen detection: cannot open X display %s (%s)", display_name, exc)
        return None
    return X11FullscreenProbe(display_name, display=disp)

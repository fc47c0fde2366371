"""Is the focused X11 window fullscreen? Reads the EWMH hints the window manager keeps."""

from __future__ import annotations

import logging
from typing import Any

from tray_app.platform.x11.connection import X11Connection, open_display

log = logging.getLogger(__name__)


class X11FullscreenProbe:
    """Checks `_NET_ACTIVE_WINDOW` on the root and its `_NET_WM_STATE` for FULLSCREEN.

    Needs an EWMH window manager (GNOME, KDE, Xfce, openbox...); without one there is no
    active window hint and the answer is always False.
    """

    def __init__(
        self, display_name: str, display: Any = None, connection: X11Connection | None = None
    ) -> None:
        """`connection`: share one already made for this display (the idle source's)."""
        self.display_name = display_name
        self._atoms: dict[str, int] = {}
        self._atoms_of: Any = None  # the connection the atoms were interned on
        self._conn = connection or X11Connection(display_name, display=display)
        # Whether the last look found a focused X11 window (None: not looked yet). Under
        # XWayland, False means a native Wayland window (or the shell) has focus.
        self.x_focus: bool | None = None
        self.why = "the focused X11 window's fullscreen state (EWMH)"  # for `status`

    def _atom(self, disp: Any, name: str) -> int:
        if disp is not self._atoms_of:  # a new or reopened connection: atoms may differ
            self._atoms.clear()
            self._atoms_of = disp
        if name not in self._atoms:
            self._atoms[name] = disp.intern_atom(name)
        return self._atoms[name]

    def _check(self, disp: Any) -> bool:
        from Xlib import X

        root = disp.screen().root
        active = root.get_full_property(self._atom(disp, "_NET_ACTIVE_WINDOW"), X.AnyPropertyType)
        self.x_focus = active is not None and len(active.value) > 0 and bool(active.value[0])
        if not self.x_focus:
            return False
        window = disp.create_resource_object("window", int(active.value[0]))
        state = window.get_full_property(self._atom(disp, "_NET_WM_STATE"), X.AnyPropertyType)
        if state is None:
            return False
        return self._atom(disp, "_NET_WM_STATE_FULLSCREEN") in [int(a) for a in state.value]

    def is_fullscreen_focused(self) -> bool:
        """True when the focused window is fullscreen; False on any doubt. Never raises."""
        # A window closing between the two reads gives BadWindow: not fatal, just "no".
        return self._conn.run(self._check, False, "fullscreen check")

    def close(self) -> None:
        """Close the X connection."""
        self._conn.close()


def probe(
    display_name: str, connection: X11Connection | None = None
) -> X11FullscreenProbe | None:
    """A probe if the X display opens. Never raises.

    With `connection` (the idle source's, to the same display) the probe asks over it: every
    python-xlib connection holds ~0.4 MiB of request classes and replies, and both are asked
    from the runtime's owner thread, one after the other (X11Connection serialises them).
    """
    if connection is not None:
        return X11FullscreenProbe(display_name, connection=connection)
    try:
        disp = open_display(display_name)
    except Exception as exc:
        log.info("no fullscreen detection: cannot open X display %s (%s)", display_name, exc)
        return None
    return X11FullscreenProbe(display_name, display=disp)

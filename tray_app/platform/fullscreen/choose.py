"""Choose a fullscreen probe: `detect(env) -> FullscreenProbe | None`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Any, Protocol

from tray_app.platform.session.kind import is_wayland, x11_display

log = logging.getLogger(__name__)


class FullscreenProbe(Protocol):
    """Tells whether the window the user is looking at fills the screen."""

    def is_fullscreen_focused(self) -> bool:
        """True when a fullscreen window has focus; never raises."""
        ...


def detect(
    env: Mapping[str, str] = os.environ, platform: str = sys.platform, x11: Any = None
) -> FullscreenProbe | None:
    """A probe for this desktop, or None where we cannot tell (Wayland, macOS). Never raises.

    `x11`: an X11Connection to this display to share (the idle source's), or None.
    """
    try:
        if platform == "win32":
            from tray_app.platform.fullscreen.windows import WindowsFullscreenProbe

            return WindowsFullscreenProbe()
        if platform == "darwin":
            return None
        display = x11_display(env)
        if display is None:
            return _wayland(env) if is_wayland(env) else None
        from tray_app.platform.fullscreen import x11 as fullscreen_x11

        return fullscreen_x11.probe(display, x11)
    except Exception:
        log.exception("fullscreen detection failed")
        return None


def _wayland(env: Mapping[str, str]) -> FullscreenProbe | None:
    """wlroots compositors' foreign-toplevel protocol; None where the compositor hides it."""
    from tray_app.platform.fullscreen import wlr

    found, why = wlr.probe(env)
    log.info("fullscreen on Wayland: %s", why)
    return found


def explain(found: FullscreenProbe | None, env: Mapping[str, str] = os.environ) -> str:
    """For `status`: how fullscreen windows are seen, or that they cannot be."""
    if found is not None:
        return str(getattr(found, "why", "watched"))
    if is_wayland(env):
        desktop = env.get("XDG_CURRENT_DESKTOP") or "this Wayland desktop"
        return (f"cannot tell on {desktop} (its compositor shows no other app's windows): a due "
                "break shows only its notification, no window, until you act on it")
    return "cannot tell on this desktop"

"""Choose what holds a break for fullscreen work: `detect_holds(env) -> Holds`.

`detect(env)` is the fullscreen-window probe alone; `explain` says for `status` what is seen.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from tray_app.platform.session.kind import is_wayland, x11_display
from tray_app.support.i18n import N_

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
            return _wayland(env, x11) if is_wayland(env) else None
        from tray_app.platform.fullscreen import x11 as fullscreen_x11

        return fullscreen_x11.probe(display, x11)
    except Exception:
        log.exception("fullscreen detection failed")
        return None


def _wayland(env: Mapping[str, str], x11: Any = None) -> FullscreenProbe | None:
    """wlroots compositors' foreign-toplevel protocol; on KDE a KWin script; where the
    compositor hides its windows (GNOME), the focused XWayland window; None without XWayland
    either."""
    from tray_app.platform.fullscreen import wlr

    found, why = wlr.probe(env)
    if found is None and "kde" in env.get("XDG_CURRENT_DESKTOP", "").lower().split(":"):
        from tray_app.platform.fullscreen import kwin

        found, why = kwin.probe(env)  # KWin hides its windows, but runs a script of ours
    log.info("fullscreen on Wayland: %s", why)
    return found if found is not None else _xwayland(env, x11)


def _xwayland(env: Mapping[str, str], x11: Any = None) -> FullscreenProbe | None:
    """XWayland's EWMH hints: its window manager (Mutter, KWin) marks the focused X11 window
    and clears the mark when a native Wayland window has focus. The connection opens at the
    first question (only when a break is near), so an on-demand XWayland is not started early.
    """
    name = env.get("DISPLAY", "").strip()
    if not name:
        return None
    from tray_app.platform.fullscreen.x11 import X11FullscreenProbe
    from tray_app.platform.x11.connection import X11Connection

    found = X11FullscreenProbe(name, connection=x11 or X11Connection(name))
    found.why = ("the focused XWayland window (X11 apps); not whether a native Wayland window "
                 "is fullscreen")
    return found


def explain(found: FullscreenProbe | None, env: Mapping[str, str] = os.environ) -> str:
    """For `status`: how fullscreen windows are seen, or that they cannot be."""
    if found is not None:
        from tray_app.platform.fullscreen.x11 import X11FullscreenProbe

        why = str(getattr(found, "why", "watched"))
        if isinstance(found, X11FullscreenProbe) and found.x_focus is False and is_wayland(env):
            # XWayland's last look found no X11 window focused: a native Wayland window (or
            # the desktop) has it, and whether that is fullscreen cannot be seen.
            why += " (no X11 window has focus now)"
        return why
    if is_wayland(env):
        desktop = env.get("XDG_CURRENT_DESKTOP") or "this Wayland desktop"
        return (f"cannot tell on {desktop} (its compositor shows no other app's windows): a due "
                "break shows only its notification, no window, until you act on it")
    return "cannot tell on this desktop"


# Hold reasons, as `status` shows them in `held_by`.
FULLSCREEN = N_("fullscreen window")
INHIBITED = N_("video or presentation (idle inhibited)")


@dataclass
class Holds:
    """Hold probes by the reason they give (`held_by`), and what they see, for `status`."""

    probes: dict[str, Callable[[], bool]] = field(default_factory=dict)
    sees: Callable[[], str] = lambda: "cannot tell on this desktop"
    # A Wayland session where no window can be seen: a break must not pop a window up unasked.
    blind: bool = False


def detect_holds(
    env: Mapping[str, str] = os.environ, platform: str = sys.platform, x11: Any = None
) -> Holds:
    """Every hold for fullscreen work here: the focused window's fullscreen state, and where
    gnome-session runs (GNOME, also Cinnamon, MATE, Budgie) an app that inhibits idle: a video
    player, a browser playing a video, a presentation (what Safe Eyes asks on GNOME Wayland,
    where other apps' windows are hidden). Never raises."""
    holds = Holds()
    window = detect(env, platform, x11)
    holds.blind = window is None and platform.startswith("linux") and is_wayland(env)
    if window is not None:
        holds.probes[FULLSCREEN] = window.is_fullscreen_focused
    inhibit = None
    if platform.startswith("linux"):
        from tray_app.platform.fullscreen import gnome

        inhibit = gnome.probe(env)
    if inhibit is not None:
        holds.probes[INHIBITED] = inhibit.is_inhibited

    def sees() -> str:
        if inhibit is None:
            return explain(window, env)
        text = "apps that inhibit idle through gnome-session (videos, presentations)"
        return f"{text}; {explain(window, env)}" if window is not None else text

    holds.sees = sees
    return holds

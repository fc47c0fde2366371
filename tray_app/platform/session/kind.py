"""What kind of graphical session the environment describes (shared by idle and fullscreen)."""

from __future__ import annotations

from collections.abc import Mapping


def is_wayland(env: Mapping[str, str]) -> bool:
    """True for a Wayland session, where X11 queries only see XWayland clients."""
    session_type = env.get("XDG_SESSION_TYPE", "").strip().lower()
    if session_type:
        return session_type == "wayland"
    return bool(env.get("WAYLAND_DISPLAY", "").strip())


def x11_display(env: Mapping[str, str]) -> str | None:
    """The X display to query, or None when there is none or it is only XWayland."""
    name = env.get("DISPLAY", "").strip()
    if not name or is_wayland(env):
        return None
    return name

"""What kind of graphical session the environment describes (shared by idle and fullscreen),
and the sound servers it reaches (shared by sound and meetings)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

SYSTEM_PULSE = (Path("/run/pulse/native"), Path("/var/run/pulse/native"))


def is_wayland(env: Mapping[str, str]) -> bool:
    """True for a Wayland session, where X11 queries only see XWayland clients.

    XDG_SESSION_TYPE decides when it says wayland or x11; otherwise (unset, or "tty": sway or
    Hyprland started from a text console keep the console's type) WAYLAND_DISPLAY does."""
    session_type = env.get("XDG_SESSION_TYPE", "").strip().lower()
    if session_type in ("wayland", "x11"):
        return session_type == "wayland"
    return bool(env.get("WAYLAND_DISPLAY", "").strip())


def x11_display(env: Mapping[str, str]) -> str | None:
    """The X display to query, or None when there is none or it is only XWayland."""
    name = env.get("DISPLAY", "").strip()
    if not name or is_wayland(env):
        return None
    return name


def pipewire_socket(env: Mapping[str, str]) -> Path | None:
    """PipeWire's socket, if there is one (PIPEWIRE_REMOTE or $XDG_RUNTIME_DIR/pipewire-0)."""
    name = env.get("PIPEWIRE_REMOTE") or "pipewire-0"
    runtime = env.get("PIPEWIRE_RUNTIME_DIR") or env.get("XDG_RUNTIME_DIR")
    path = Path(name) if name.startswith("/") else Path(runtime or "/nonexistent") / name
    return path if path.exists() else None


def pulse_server(env: Mapping[str, str]) -> str | None:
    """Where a PulseAudio client would connect (PULSE_SERVER, the user's or system socket);
    pipewire-pulse serves the same socket."""
    if env.get("PULSE_SERVER"):
        return env["PULSE_SERVER"]
    runtime = env.get("PULSE_RUNTIME_PATH") or (
        f"{env['XDG_RUNTIME_DIR']}/pulse" if env.get("XDG_RUNTIME_DIR") else None)
    candidates = ([Path(runtime) / "native"] if runtime else []) + list(SYSTEM_PULSE)
    return next((str(p) for p in candidates if p.exists()), None)

"""Pick how to give the break window the keyboard on this desktop.

sway ($SWAYSOCK) and Hyprland focus a window by its process id; on X11 (i3 included) the
window takes the focus itself and the server says who has it; other Wayland desktops (GNOME,
KDE) offer a client no way to focus another's window or to check: the window then says on
screen how to reach it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from tray_app.platform.focus.common import Focuser, NoFocuser
from tray_app.platform.session.kind import is_wayland, x11_display


def detect(env: Mapping[str, str] | None = None) -> Focuser:
    """The focuser for the desktop `env` (default os.environ) describes."""
    env = os.environ if env is None else env
    path = env.get("SWAYSOCK", "").strip()  # i3 has no pid criterion: X11 does it there
    if path and os.path.exists(path):
        from tray_app.platform.focus.sway import SwayFocuser

        return SwayFocuser(path)
    if env.get("HYPRLAND_INSTANCE_SIGNATURE"):
        from tray_app.platform.focus.hyprland import HyprlandFocuser, socket_path

        found = socket_path(env)
        if found is not None:
            return HyprlandFocuser(found)
    display = x11_display(env)
    if display:
        from tray_app.platform.focus.x11 import X11Focuser

        return X11Focuser(display)
    if is_wayland(env):
        desktop = env.get("XDG_CURRENT_DESKTOP", "") or "this Wayland desktop"
        return NoFocuser(f"{desktop} gives no program a way to focus the break window or to "
                         "check that it has the keyboard")
    return NoFocuser("no display to focus the break window on")

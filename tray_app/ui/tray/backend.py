"""Pick pystray's backend by probing, because `import pystray` raises instead of falling back.

pystray raises on import when PyGObject is present but a typelib is missing, or when there is no
X display. So this module asks the same questions without importing pystray, then sets
PYSTRAY_BACKEND so the later import loads exactly the backend that was found to work.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

ENV_OVERRIDE = "SITBREAK_TRAY_BACKEND"
BACKENDS = ("appindicator", "gtk", "xorg", "win32", "darwin", "dummy")

# What a Debian/Ubuntu user installs for the full tray (menus); other systems have equivalents.
FULL_TRAY_HINT = (
    "for the full tray with a menu install PyGObject with the Gtk 3 and AyatanaAppIndicator "
    "typelibs (Debian/Ubuntu: apt-get install gir1.2-gtk-3.0 gir1.2-ayatanaappindicator3-0.1 "
    "libgirepository1.0-dev libcairo2-dev pkg-config, then pip install 'PyGObject<3.51')"
)
GNOME_HINT = "on GNOME also enable the AppIndicator extension (gnome-shell-extension-appindicator)"


def _probe_gtk() -> str | None:
    """None if Gtk 3 imports and opens the display, else why not."""
    try:
        import gi

        gi.require_version("Gtk", "3.0")
        from gi.repository import GLib, Gtk
    except (ImportError, ValueError) as exc:
        return f"Gtk 3 for Python is missing ({exc})"
    # Before Gtk starts: GTK names windows (WM_CLASS) after the program, else "main.py".
    if GLib.get_prgname() in (None, "", "main.py", "__main__.py"):
        GLib.set_prgname("sitbreak")
        GLib.set_application_name("sitbreak")
    try:
        ok = Gtk.init_check()[0]
    except Exception as exc:  # older PyGObject raises instead of returning False
        return f"Gtk could not open the display ({exc})"
    return None if ok else "Gtk could not open the display"


def _probe_appindicator() -> str | None:
    """None if an AppIndicator typelib loads (pystray tries both names), else why not."""
    import gi

    errors = []
    for name in ("AyatanaAppIndicator3", "AppIndicator3"):
        try:
            gi.require_version(name, "0.1")
            __import__(f"gi.repository.{name}")
            return None
        except (ImportError, ValueError) as exc:
            errors.append(str(exc))
    return "AppIndicator typelib missing (" + "; ".join(errors) + ")"


def _probe_indicator_host() -> str | None:
    """None if a StatusNotifierItem host (a watcher on the session bus) will show an indicator.

    Without one, AppIndicator falls back to an XEmbed icon that has no tooltip; Gtk's own status
    icon shows the same icon and menu with a tooltip, so it is the better choice there.
    """
    try:
        from gi.repository import Gio, GLib

        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        reply = bus.call_sync(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "NameHasOwner", GLib.Variant("(s)", ("org.kde.StatusNotifierWatcher",)),
            GLib.VariantType.new("(b)"), Gio.DBusCallFlags.NONE, 2000, None,
        )
    except Exception as exc:
        return f"no session bus to find an indicator host on ({exc})"
    if reply.unpack()[0]:
        return None
    return "no StatusNotifierItem host on the session bus"


def _probe_xorg(display: str) -> str | None:
    """None if python-xlib connects to `display`, else why not."""
    try:
        import Xlib.display
        import Xlib.error
    except ImportError as exc:
        return f"python-xlib is missing ({exc})"
    try:
        Xlib.display.Display(display).close()
    except Exception as exc:  # DisplayNameError, DisplayConnectionError, OSError
        return f"cannot connect to X display {display!r} ({exc})"
    return None


def _is_gnome(env: Mapping[str, str]) -> bool:
    desktop = env.get("XDG_CURRENT_DESKTOP", "") + ":" + env.get("DESKTOP_SESSION", "")
    return "gnome" in desktop.lower()


Probes = dict[str, Callable[..., str | None]]


def choose_backend(
    env: Mapping[str, str], platform: str = sys.platform, probes: Probes | None = None
) -> tuple[str | None, str]:
    """The pystray backend to use and why, or (None, a reason that says what to install).

    On success PYSTRAY_BACKEND is set in os.environ, so `import pystray` afterwards is safe.
    SITBREAK_TRAY_BACKEND in `env` forces a backend (it is still probed on Linux).
    Gtk probes use this process's environment (Gtk reads DISPLAY from there).
    """
    p: Probes = {"gtk": _probe_gtk, "appindicator": _probe_appindicator, "xorg": _probe_xorg,
                 "host": _probe_indicator_host}
    p.update(probes or {})
    forced = (env.get(ENV_OVERRIDE) or "").strip().lower() or None
    if forced is not None and forced not in BACKENDS:
        return None, f"{ENV_OVERRIDE}={forced!r} is not one of {', '.join(BACKENDS)}"
    name, why = _choose(env, platform, forced, p)
    if name is not None:
        os.environ["PYSTRAY_BACKEND"] = name
    return name, why


def _choose(
    env: Mapping[str, str], platform: str, forced: str | None, p: Probes
) -> tuple[str | None, str]:
    if forced == "dummy":
        return "dummy", f"forced by {ENV_OVERRIDE} (no visible icon)"
    if forced in ("win32", "darwin"):
        return forced, f"forced by {ENV_OVERRIDE}"
    if platform.startswith("win"):
        return "win32", "Windows notification area"
    if platform == "darwin":
        return "darwin", "macOS menu bar"
    display = env.get("DISPLAY", "")
    if not display:
        if env.get("WAYLAND_DISPLAY"):
            return None, (
                "a Wayland session without XWayland (no DISPLAY): the tray needs X11 or XWayland; "
                + FULL_TRAY_HINT
            )
        return None, "no DISPLAY: there is no graphical session to show a tray in"
    if forced == "xorg":
        # Skip the Gtk probe: loading Gtk costs some 80 MiB that the xorg tray never uses.
        err = p["xorg"](display)
        return ("xorg", f"forced by {ENV_OVERRIDE}") if err is None else (None, err)

    gtk_err = p["gtk"]()
    if gtk_err is None:
        ind_err = p["appindicator"]()
        if forced == "gtk" or (forced is None and ind_err is not None):
            why = f"forced by {ENV_OVERRIDE}" if forced else (
                f"Gtk 3 status icon; {ind_err}: install gir1.2-ayatanaappindicator3-0.1 "
                "for the AppIndicator tray")
            return "gtk", why
        host_err = p["host"]() if ind_err is None and forced is None else None
        if host_err is not None:
            return "gtk", (f"Gtk 3 status icon, which has a tooltip: {host_err}, so AppIndicator "
                           "would fall back to an icon without one")
        if ind_err is None:
            why = "AppIndicator with Gtk 3"
            if _is_gnome(env):
                why += f"; {GNOME_HINT}"
            return "appindicator", why
        return None, f"{ENV_OVERRIDE}=appindicator but {ind_err}"
    if forced in ("gtk", "appindicator"):
        return None, f"{ENV_OVERRIDE}={forced} but {gtk_err}; {FULL_TRAY_HINT}"
    xorg_err = p["xorg"](display)
    if xorg_err is None:
        return "xorg", f"plain X11 tray without a menu ({gtk_err}); {FULL_TRAY_HINT}"
    return None, f"{gtk_err}; {xorg_err}; {FULL_TRAY_HINT}"

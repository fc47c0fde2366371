"""Pick the tray backend by probing, because `import pystray` raises instead of falling back.

Where a StatusNotifierWatcher owns its name on the session bus (KDE Plasma, GNOME with the
AppIndicator extension, XFCE, Cinnamon, waybar, Budgie) the tray is sitbreak's own
StatusNotifierItem (tray_app.ui.tray.sni, jeepney only), with or without DISPLAY; on Wayland it
is chosen even before a panel's watcher appears. Otherwise X11: Gtk's status icon if PyGObject
is there, else pystray's plain XEmbed icon.

pystray raises on import when PyGObject is present but a typelib is missing, or when there is no
X display. So this module asks the same questions without importing pystray, then sets
PYSTRAY_BACKEND so the later import loads exactly the backend that was found to work.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

ENV_OVERRIDE = "SITBREAK_TRAY_BACKEND"
BACKENDS = ("sni", "appindicator", "gtk", "xorg", "win32", "darwin", "dummy")
# pystray has no module for the SNI tray: its package loads the dummy backend (nothing), and
# the icon itself is tray_app.ui.tray.sni.item.Icon.
PYSTRAY_MODULE = {"sni": "dummy"}
NO_BUS = "no session D-Bus"
NO_WATCHER = "no StatusNotifierWatcher (a panel with a tray) on the session bus"
SNI_WHY = "StatusNotifierItem over D-Bus (no GTK needed)"

# What a Debian/Ubuntu user installs for the full tray (menus); other systems have equivalents.
FULL_TRAY_HINT = (
    "for the full tray with a menu install PyGObject with the Gtk 3 and AyatanaAppIndicator "
    "typelibs (Debian/Ubuntu: apt-get install gir1.2-gtk-3.0 gir1.2-ayatanaappindicator3-0.1 "
    "libgirepository1.0-dev libcairo2-dev pkg-config, then pip install 'PyGObject<3.51')"
)
# Without a StatusNotifierWatcher: what gives the full tray with a menu.
TRAY_HINT = (
    "for the full tray with a menu run a panel with a StatusNotifierItem tray (KDE Plasma, "
    "XFCE's status notifier plugin, waybar; on GNOME the AppIndicator extension), or "
    + FULL_TRAY_HINT.removeprefix("for the full tray with a menu ")
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


def _probe_xorg(display: str, opener: Callable[[str], Any] | None = None) -> str | None:
    """None if python-xlib connects to `display` (through `opener`), else why not."""
    try:
        import Xlib.display
        import Xlib.error
    except ImportError as exc:
        return f"python-xlib is missing ({exc})"
    try:
        (opener or Xlib.display.Display)(display).close()
    except Exception as exc:  # DisplayNameError, DisplayConnectionError, OSError
        return f"cannot connect to X display {display!r} ({exc})"
    return None


def xorg_probe(opener: Callable[[str], Any]) -> Callable[[str], str | None]:
    """The "xorg" probe, connecting through `opener` (the shell's reads no keyboard map: ~0.3
    MiB that python-xlib allocates at every connect and that the idle app kept as holes)."""
    return lambda display: _probe_xorg(display, opener)


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
    The "watcher" probe (platform.tray.host.sni_watcher, given by the shell: the ui layer
    opens no bus) answers True if a StatusNotifierWatcher owns its name, False if the bus
    answers without one, or why the session bus cannot be asked.
    Gtk probes use this process's environment (Gtk reads DISPLAY from there).
    """
    p: Probes = {"gtk": _probe_gtk, "appindicator": _probe_appindicator, "xorg": _probe_xorg,
                 "watcher": lambda _env: f"{NO_BUS} (not asked)"}
    p.update(probes or {})
    forced = (env.get(ENV_OVERRIDE) or "").strip().lower() or None
    if forced is not None and forced not in BACKENDS:
        return None, f"{ENV_OVERRIDE}={forced!r} is not one of {', '.join(BACKENDS)}"
    name, why = _choose(env, platform, forced, p)
    if name is not None:
        os.environ["PYSTRAY_BACKEND"] = pystray_module(name)
    return name, why


def pystray_module(backend: str) -> str:
    """The PYSTRAY_BACKEND value that makes `import pystray` safe for `backend`."""
    return PYSTRAY_MODULE.get(backend, backend)


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
    watcher = p["watcher"](env) if forced in (None, "sni") else True
    watcher_err = None if watcher is True else NO_WATCHER if watcher is False else (
        f"{NO_BUS} ({watcher})")
    if forced == "sni":
        if watcher_err is None:
            return "sni", f"forced by {ENV_OVERRIDE}"
        if watcher_err == NO_WATCHER:
            return "sni", f"forced by {ENV_OVERRIDE}; {watcher_err} yet: it docks when one starts"
        return None, f"{ENV_OVERRIDE}=sni but {watcher_err}"
    if forced is None and watcher_err is None:
        return "sni", SNI_WHY
    display = env.get("DISPLAY", "")
    wayland = bool(env.get("WAYLAND_DISPLAY"))
    if forced is None and wayland and watcher_err == NO_WATCHER:
        # No XEmbed tray exists on Wayland: wait for a panel's watcher rather than dock nowhere.
        return "sni", (f"{SNI_WHY}; {NO_WATCHER} yet: the icon docks when a panel with a "
                       "tray starts (waybar's tray module, KDE, GNOME's AppIndicator extension)")
    if not display:
        if wayland:
            return None, (f"a Wayland session without a session D-Bus for the tray "
                          f"({watcher_err}) and without XWayland (no DISPLAY)")
        return None, (f"no DISPLAY and {watcher_err}: there is no graphical session to show a "
                      "tray in")
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
        if forced is None:  # no watcher: AppIndicator would fall back to an icon without a tooltip
            return "gtk", f"Gtk 3 status icon, which has a tooltip: {watcher_err}"
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
        return "xorg", f"plain X11 tray without a menu ({gtk_err}, {watcher_err}); {TRAY_HINT}"
    return None, f"{gtk_err}; {xorg_err}; {watcher_err}; {TRAY_HINT}"

"""Choose the best idle source for this machine: `detect(env) -> (source, reason)`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

from tray_app.platform.idle.fallback import FallbackIdleSource
from tray_app.platform.session.kind import is_wayland, x11_display
from tray_app.ports import IdleSource

log = logging.getLogger(__name__)

FALLBACK_SUFFIX = "counting wall time"


def detect(
    env: Mapping[str, str] = os.environ, platform: str = sys.platform
) -> tuple[IdleSource, str]:
    """The best working idle source and a one-line reason for the status line. Never raises.

    Windows and macOS use their OS call. Elsewhere: on X11 the MIT-SCREEN-SAVER extension;
    on Wayland outside GNOME the compositor's idle protocol (ext-idle-notify-v1 or
    org_kde_kwin_idle), then swayidle; then GNOME Mutter and the freedesktop ScreenSaver on
    the session bus; if nothing answers, the fallback that counts wall time as sitting.
    """
    try:
        if platform == "win32":
            from tray_app.platform.idle import windows as idle_windows

            found, why = idle_windows.probe()
            return _or_fallback(found, [why])
        if platform == "darwin":
            from tray_app.platform.idle import macos as idle_macos

            found, why = idle_macos.probe()
            return _or_fallback(found, [why])
        return _detect_unix(env)
    except Exception as exc:  # a probe bug must never stop the app from starting
        log.exception("idle source detection failed")
        return _or_fallback(None, [f"detection failed: {exc}"])


def _detect_unix(env: Mapping[str, str]) -> tuple[IdleSource, str]:
    misses: list[str] = []
    display = x11_display(env)
    if display is not None:
        from tray_app.platform.idle import x11 as idle_x11

        x11, why = idle_x11.probe(display)
        if x11 is not None:
            return x11, why
        misses.append(f"X11: {why}")
    elif is_wayland(env):
        misses.append("X11: skipped in a Wayland session")
        if not _is_gnome(env):  # GNOME: Mutter's IdleMonitor below (no Wayland idle protocol)
            from tray_app.platform.idle import wayland as idle_wayland

            for probe in (idle_wayland.probe, idle_wayland.probe_swayidle):
                found, why = probe(env)
                if found is not None:
                    return found, why
                misses.append(why)
    else:
        misses.append("X11: no DISPLAY")

    from tray_app.platform.dbus.client import session_bus_address
    from tray_app.platform.idle import dbus as idle_dbus

    if session_bus_address(env) is None:
        misses.append("D-Bus: no session bus for GNOME/KDE idle services")
        return _or_fallback(None, misses)
    for service in (idle_dbus.GNOME_MUTTER, idle_dbus.FREEDESKTOP_SCREENSAVER):
        found, why = idle_dbus.probe(service, env)
        if found is not None:
            return found, why
        misses.append(why)
    return _or_fallback(None, misses)


def _is_gnome(env: Mapping[str, str]) -> bool:
    return "gnome" in env.get("XDG_CURRENT_DESKTOP", "").lower().split(":")


def _or_fallback(found: IdleSource | None, misses: list[str]) -> tuple[IdleSource, str]:
    if found is not None:
        return found, misses[-1]
    reason = f"no idle source found ({'; '.join(misses)}): {FALLBACK_SUFFIX}"
    log.info(reason)
    return FallbackIdleSource(), reason

"""Is the desktop's do-not-disturb switched on? Notification-service flags and GNOME's setting.

Checked here with dunst 1.9.0: its org.freedesktop.Notifications interface has no `Inhibited`
property (KDE Plasma's has); `dunstctl set-paused true` shows up as the `paused` property of
`org.dunstproject.cmd0` on the same object. So we ask `Inhibited` first, then dunst's `paused`.

Wayland notifiers (checked with mako 1.7.1 and swaync 0.7.3): mako's do-not-disturb is a mode
the user names in its config (`makoctl mode -a do-not-disturb`), read with `ListModes` on
/fr/emersion/Mako (mako before 1.7: `GetMode`, one mode); swaync answers `GetDnd` on its own
bus name, which it owns beside org.freedesktop.Notifications.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

log = logging.getLogger(__name__)

NOTIFICATIONS_BUS_NAME = "org.freedesktop.Notifications"
NOTIFICATIONS_PATH = "/org/freedesktop/Notifications"
# (interface, property, what it means when true), asked in this order.
PAUSE_FLAGS = (
    ("org.freedesktop.Notifications", "Inhibited", "the notification service is inhibited"),
    ("org.dunstproject.cmd0", "paused", "dunst is paused"),
)
MAKO = ("/fr/emersion/Mako", "fr.emersion.Mako")  # (path, interface) on the name above
MAKO_DND_MODES = frozenset({"do-not-disturb", "dnd", "donotdisturb"})  # names people use
SWAYNC = ("org.erikreider.swaync.cc", "/org/erikreider/swaync/cc", "org.erikreider.swaync.cc")
GSETTINGS_KEY = ("org.gnome.desktop.notifications", "show-banners")
CACHE_S = 5.0  # the runtime may ask every tick; a subprocess per tick would be wasteful


class DndProbe:
    """`is_on()` is True when the user asked the desktop to hold back notifications.

    Results are cached for `cache_s` seconds. Never raises: anything unreadable counts as off.
    """

    def __init__(
        self,
        env: Mapping[str, str] = os.environ,
        cache_s: float = CACHE_S,
        clock: Callable[[], float] = time.monotonic,
        gsettings: str | None = None,
    ) -> None:
        self._env = dict(env)
        self._cache_s = cache_s
        self._clock = clock
        self._client: Any = None
        try:
            from tray_app.platform.dbus.client import ReconnectingClient, session_bus_address
        except ImportError:  # jeepney is a Linux-only dependency; Windows/macOS skip D-Bus
            pass
        else:
            self._client = ReconnectingClient(session_bus_address(env))
        self._gsettings = gsettings or shutil.which("gsettings", path=env.get("PATH"))
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._on = False
        self.reason = "not checked yet"  # why the last answer was what it was, for `status`

    def is_on(self) -> bool:
        """True while do-not-disturb is on (cached for a few seconds). Never raises."""
        with self._lock:
            now = self._clock()
            if self._checked_at is not None and now - self._checked_at < self._cache_s:
                return self._on
            try:
                self._on, self.reason = self._check()
            except Exception as exc:  # belt and braces: a probe must not break the runtime
                log.debug("do-not-disturb check failed: %s", exc)
                self._on, self.reason = False, f"check failed ({exc})"
            self._checked_at = now
            return self._on

    def _check(self) -> tuple[bool, str]:
        service = self._notification_service_paused()
        if service is not None:
            return True, service
        if self._gnome_banners_off():
            return True, "GNOME notification banners are off"
        return False, "off"

    def _notification_service_paused(self) -> str | None:
        if self._client is None:
            return None
        from jeepney import DBusAddress

        for interface, prop, label in PAUSE_FLAGS:
            target = DBusAddress(NOTIFICATIONS_PATH, NOTIFICATIONS_BUS_NAME, interface)
            try:
                if bool(self._client.prop(target, prop)):
                    return label
            except Exception as exc:
                # Unknown property, no service, or no bus: try the next way of asking.
                log.debug("reading %s.%s failed: %s", interface, prop, exc)
        mode = self._mako_mode()
        if mode is not None:
            return f"mako is in its {mode} mode"
        if self._ask(DBusAddress(SWAYNC[1], SWAYNC[0], SWAYNC[2]), "GetDnd") is True:
            return "swaync's do-not-disturb is on"
        return None

    def _mako_mode(self) -> str | None:
        """The do-not-disturb mode mako is in, if it is."""
        from jeepney import DBusAddress

        target = DBusAddress(MAKO[0], NOTIFICATIONS_BUS_NAME, MAKO[1])
        modes = self._ask(target, "ListModes")
        if modes is None:
            old = self._ask(target, "GetMode")
            modes = [old] if isinstance(old, str) else []
        return next((m for m in modes if m.lower() in MAKO_DND_MODES), None)

    def _ask(self, target: Any, member: str) -> Any:
        """The one value a method answers, or None when it cannot (no such service/method)."""
        try:
            (value,) = self._client.method(target, member)
        except Exception as exc:
            log.debug("%s.%s failed: %s", target.interface, member, exc)
            return None
        return value

    def _gnome_banners_off(self) -> bool:
        if self._gsettings is None:
            return False
        try:
            out = subprocess.run(
                [self._gsettings, "get", *GSETTINGS_KEY],
                env=self._env,
                capture_output=True,
                text=True,
                timeout=2,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            log.debug("gsettings failed: %s", exc)
            return False
        if out.returncode != 0:
            if "No such schema" in out.stderr or "No such key" in out.stderr:
                self._gsettings = None  # not a GNOME-schema system: stop asking
            return False
        return out.stdout.strip() == "false"

    def close(self) -> None:
        """Close the bus connection."""
        if self._client is not None:
            self._client.close()

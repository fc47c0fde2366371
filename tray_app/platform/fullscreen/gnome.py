"""GNOME on Wayland: is an app asking the session not to go idle (a video, a presentation)?

What GNOME 43 lets an app without an extension see (checked on a real GNOME Shell 43.9):
- gnome-session's `org.gnome.SessionManager` `InhibitedActions`: bit 8 ("idle") is set while a
  video player, a browser playing a video or a presentation holds an inhibitor (what Safe Eyes
  asks too). `GetInhibitors` and each inhibitor's `GetAppId`/`GetReason` name who.
- XWayland's EWMH hints (fullscreen.x11): Mutter sets `_NET_ACTIVE_WINDOW` to the focused X11
  window, and to None when a native Wayland window has focus.
- Nothing else: `org.gnome.Shell.Introspect.GetWindows` answers only its allow-list (the
  desktop portals), `org.gnome.Shell.Eval` only in unsafe mode, and Mutter's D-Bus interfaces
  (DisplayConfig, IdleMonitor, RemoteDesktop, ScreenCast) say nothing about windows. So a native
  Wayland window in fullscreen, with no inhibitor, cannot be seen from outside the Shell.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

BUS_NAME = "org.gnome.SessionManager"
PATH = "/org/gnome/SessionManager"
INHIBIT_IDLE = 8  # GsmInhibitorFlag: 1 logout, 2 switch user, 4 suspend, 8 idle, 16 automount


class SessionInhibitProbe:
    """True while some app inhibits idle through gnome-session. Never raises."""

    def __init__(self, client: Any) -> None:
        """`client`: a platform.dbus.client.ReconnectingClient on the session bus."""
        self._client = client
        self._was_on = False

    def _target(self, path: str = PATH, interface: str = BUS_NAME) -> Any:
        from jeepney import DBusAddress

        return DBusAddress(path, BUS_NAME, interface)

    def is_inhibited(self) -> bool:
        try:
            on = bool(int(self._client.prop(self._target(), "InhibitedActions")) & INHIBIT_IDLE)
        except Exception as exc:  # gnome-session gone or restarting: no hold, never a stuck one
            log.debug("reading gnome-session's inhibited actions failed: %s", exc)
            on = False
        if on and not self._was_on:
            log.info("an app inhibits idle, so breaks wait: %s", self.who())
        self._was_on = on
        return on

    def who(self) -> str:
        """The apps inhibiting idle and why, e.g. "org.gnome.Totem (Playing a video)"."""
        try:
            (paths,) = self._client.method(self._target(), "GetInhibitors")
            names = []
            iface = f"{BUS_NAME}.Inhibitor"
            for path in paths:
                (flags,) = self._client.method(self._target(path, iface), "GetFlags")
                if not int(flags) & INHIBIT_IDLE:
                    continue
                (app,) = self._client.method(self._target(path, iface), "GetAppId")
                (reason,) = self._client.method(self._target(path, iface), "GetReason")
                names.append(f"{app or 'an app'} ({reason})" if reason else app or "an app")
            return ", ".join(names) or "unknown"
        except Exception as exc:
            return f"unknown ({exc})"

    def close(self) -> None:
        self._client.close()


def probe(env: Mapping[str, str]) -> SessionInhibitProbe | None:
    """A probe when gnome-session owns its name on the session bus, else None. Never raises."""
    try:
        from jeepney import DBusAddress

        from tray_app.platform.dbus.client import ReconnectingClient, session_bus_address
    except ImportError:  # jeepney is a Linux-only dependency
        return None
    address = session_bus_address(env)
    if address is None:
        return None
    client = ReconnectingClient(address)
    bus = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")
    try:
        (owned,) = client.method(bus, "NameHasOwner", "s", (BUS_NAME,))
    except Exception as exc:
        log.debug("cannot ask the session bus for gnome-session: %s", exc)
        owned = False
    if not owned:
        client.close()
        return None
    return SessionInhibitProbe(client)

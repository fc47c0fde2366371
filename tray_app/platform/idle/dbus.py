"""Idle time from desktop services on the session bus: GNOME Mutter and org.freedesktop.ScreenSaver.

Units, as checked in the services' sources: Mutter's `GetIdletime` returns milliseconds (uint64);
KDE's `org.freedesktop.ScreenSaver.GetSessionIdleTime` returns KIdleTime's value, which is also
milliseconds despite the name (Safe Eyes divides it by 1000 too). KDE answers it only on X11; on
Wayland it replies with an error, so the probe rejects it there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from jeepney import DBusAddress

from tray_app.platform.dbus.client import ReconnectingClient, session_bus_address
from tray_app.platform.idle.health import InputVisibility

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IdleService:
    """Where one desktop idle service lives and how to ask it."""

    source_name: str  # IdleSource.name
    label: str  # for the detect() reason line
    bus_name: str
    paths: tuple[str, ...]  # tried in order at probe time
    interface: str
    member: str
    ms_per_unit: float  # the reply times this = milliseconds


GNOME_MUTTER = IdleService(
    source_name="gnome-mutter",
    label="GNOME Mutter IdleMonitor",
    bus_name="org.gnome.Mutter.IdleMonitor",
    paths=("/org/gnome/Mutter/IdleMonitor/Core",),
    interface="org.gnome.Mutter.IdleMonitor",
    member="GetIdletime",
    ms_per_unit=1.0,
)

FREEDESKTOP_SCREENSAVER = IdleService(
    source_name="freedesktop-screensaver",
    label="freedesktop ScreenSaver",
    bus_name="org.freedesktop.ScreenSaver",
    paths=("/org/freedesktop/ScreenSaver", "/ScreenSaver"),
    interface="org.freedesktop.ScreenSaver",
    member="GetSessionIdleTime",
    ms_per_unit=1.0,
)


class DBusIdleSource:
    """Asks one D-Bus idle service on every call, over one reused connection."""

    connection = None  # no X connection to share

    def __init__(self, service: IdleService, client: ReconnectingClient, path: str) -> None:
        self.name = service.source_name
        self.service = service
        self.path = path
        self._client = client
        self._target = DBusAddress(path, bus_name=service.bus_name, interface=service.interface)
        self.visibility = InputVisibility(service.label)

    @property
    def sees_input(self) -> bool:
        """False while the service does not answer (then wall time counts as sitting)."""
        return self.visibility.sees_input

    def _ask(self) -> float:
        (value,) = self._client.method(self._target, self.service.member)
        return float(value) * self.service.ms_per_unit / 1000.0

    def idle_seconds(self) -> float | None:
        """Seconds since last input, or None when the service does not answer right now."""
        try:
            return self.visibility.note(self._ask())
        except Exception as exc:
            log.debug("%s idle query failed: %s", self.name, exc)
            return self.visibility.note(None)

    def close(self) -> None:
        """Close the bus connection."""
        self._client.close()


def probe(
    service: IdleService, env: Mapping[str, str], client: ReconnectingClient | None = None
) -> tuple[DBusIdleSource | None, str]:
    """A source that answered once, or None and why not. Never raises."""
    if client is None:
        address = session_bus_address(env)
        if address is None:
            return None, "no D-Bus session bus"
        client = ReconnectingClient(address)
    errors: list[str] = []
    for path in service.paths:
        source = DBusIdleSource(service, client, path)
        try:
            source._ask()
        except Exception as exc:
            errors.append(_short(exc))
            continue
        return source, f"{service.label} over D-Bus"
    client.close()
    return None, f"{service.label} not available ({'; '.join(errors)})"


def _short(exc: Exception) -> str:
    name = getattr(exc, "name", None)  # DBusErrorResponse carries the D-Bus error name
    text = str(name or exc) or type(exc).__name__
    return text.removeprefix("org.freedesktop.DBus.Error.")

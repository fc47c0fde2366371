"""Where the D-Bus buses are, from an explicit environment mapping (no D-Bus library needed).

Tests and the CLI point a probe at a private bus by passing their own mapping instead of
touching os.environ.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_SYSTEM_BUS = "unix:path=/var/run/dbus/system_bus_socket"


def session_bus_address(env: Mapping[str, str]) -> str | None:
    """The session bus address from `env`, or the usual per-user socket, or None."""
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime_dir = env.get("XDG_RUNTIME_DIR", "").strip()
    if runtime_dir and os.path.exists(os.path.join(runtime_dir, "bus")):
        return f"unix:path={os.path.join(runtime_dir, 'bus')}"
    return None


def system_bus_address(env: Mapping[str, str]) -> str:
    """The system bus address: DBUS_SYSTEM_BUS_ADDRESS if set, else the standard socket."""
    return env.get("DBUS_SYSTEM_BUS_ADDRESS", "").strip() or DEFAULT_SYSTEM_BUS

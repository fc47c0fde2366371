"""Small jeepney helpers shared by the D-Bus based probes (idle, do-not-disturb, session).

Addresses come from an explicit environment mapping so tests (and the CLI) can point a probe at
a private bus without touching os.environ.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, Properties, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import Message, MessageFlag
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

# The bus addresses live in a module that needs no jeepney; here for the probes' convenience.
from tray_app.platform.dbus.address import (  # noqa: F401 - re-exported for the probes
    session_bus_address,
    system_bus_address,
)

CALL_TIMEOUT_S = 1.0  # a desktop service that takes longer than this is treated as absent


def connect(address: str) -> DBusConnection:
    """Open a blocking connection; raises OSError/RuntimeError/TimeoutError when unreachable."""
    return open_dbus_connection(address, auth_timeout=CALL_TIMEOUT_S)


def call(conn: DBusConnection, msg: Message, timeout: float = CALL_TIMEOUT_S) -> tuple[Any, ...]:
    """Send a method call and return the reply body; raises DBusErrorResponse on an error reply.

    Never lets the bus start a service for us: a probe must not launch a desktop daemon.
    """
    msg.header.flags |= MessageFlag.no_auto_start
    return tuple(unwrap_msg(conn.send_and_get_reply(msg, timeout=timeout)))


def get_property(
    conn: DBusConnection, address: DBusAddress, name: str, timeout: float = CALL_TIMEOUT_S
) -> Any:
    """Read one property through org.freedesktop.DBus.Properties.Get (unwrapping the variant)."""
    (variant,) = call(conn, Properties(address).get(name), timeout)
    _signature, value = variant
    return value


class ReconnectingClient:
    """One lazily opened connection that is dropped on any error and reopened on the next call.

    Thread-safe: probes may be asked from the owner thread and the CLI at once.
    """

    def __init__(self, address: str | None) -> None:
        self.address = address
        self._conn: DBusConnection | None = None
        self._lock = threading.Lock()

    def method(self, target: DBusAddress, member: str, signature: str | None = None,
               body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """Call `member` on `target`; raises on any failure (after dropping the connection)."""
        return self._run(lambda conn: call(conn, new_method_call(target, member, signature, body)))

    def prop(self, target: DBusAddress, name: str) -> Any:
        """Read property `name` of `target`'s interface; raises on any failure."""
        return self._run(lambda conn: get_property(conn, target, name))

    def _run(self, action: Callable[[DBusConnection], Any]) -> Any:
        if self.address is None:
            raise ConnectionError("no D-Bus session bus address")
        with self._lock:
            if self._conn is None:
                self._conn = connect(self.address)
            try:
                return action(self._conn)
            except Exception as exc:
                # An error reply leaves the connection usable; anything else may not.
                if not isinstance(exc, DBusErrorResponse):
                    self._drop()
                raise

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        """Close the connection if one is open."""
        with self._lock:
            self._drop()

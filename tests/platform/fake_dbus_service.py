"""A tiny D-Bus service written with jeepney, standing in for logind, Mutter or KDE in tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    MessageType,
    message_bus,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import Message

# (interface, member) -> handler(message) -> (signature, body)
Handler = Callable[[Message], tuple[str | None, tuple[Any, ...]]]


class FakeService:
    """Owns `bus_name` on `address` and answers method calls from a background thread."""

    def __init__(self, address: str, bus_name: str, handlers: dict[tuple[str, str], Handler]):
        self.address = address
        self.bus_name = bus_name
        self.handlers = handlers
        self.calls: list[tuple[str, str, str]] = []  # (path, interface, member) as received
        self._conn: DBusConnection | None = None
        self._send_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FakeService:
        self._conn = open_dbus_connection(self.address)
        reply = self._conn.send_and_get_reply(message_bus.RequestName(self.bus_name), timeout=5)
        assert reply.body == (1,), f"could not own {self.bus_name}: {reply.body}"
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(5)
        assert self._conn is not None
        self._conn.close()

    def emit(self, path: str, interface: str, member: str, signature: str | None = None,
             body: tuple[Any, ...] = ()) -> None:
        """Send a signal from the connection that owns the name, like the real service."""
        assert self._conn is not None
        with self._send_lock:
            self._conn.send(new_signal(DBusAddress(path, interface=interface), member,
                                       signature, body))

    def _serve(self) -> None:
        assert self._conn is not None
        while not self._stop.is_set():
            try:
                msg = self._conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            except OSError:
                return
            if msg.header.message_type != MessageType.method_call:
                continue
            fields = msg.header.fields
            key = (fields.get(HeaderFields.interface, ""), fields[HeaderFields.member])
            self.calls.append((fields[HeaderFields.path], *key))
            handler = self.handlers.get(key)
            if handler is None:
                reply = new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s",
                                  (f"no {key[0]}.{key[1]} here",))
            else:
                try:
                    signature, body = handler(msg)
                    reply = new_method_return(msg, signature, body)
                except LookupError as exc:
                    reply = new_error(msg, "org.freedesktop.DBus.Error.Failed", "s", (str(exc),))
            with self._send_lock:
                self._conn.send(reply)

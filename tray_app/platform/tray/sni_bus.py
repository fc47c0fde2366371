"""The SNI tray's session-bus connection: it serves objects, one thread receives, any sends.

The tray item (tray_app.ui.tray.sni.item) answers the calls; this is its I/O, given to it by
TrayHealth.follow (the ui layer opens no connections of its own).

jeepney's blocking connection has no object server, so this is a small one. `serve` runs the
receive loop (on pystray's main thread) and blocks in select() without a timeout: an idle
tray wakes only when the bus has something for it. Replies to our own calls come back
through the same loop (`call` takes a callback), so no second reader ever competes for the
socket. Sending is serialised by a lock, so the tray's worker can emit signals meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, MessageType, new_error, new_signal
from jeepney.bus_messages import message_bus
from jeepney.low_level import Message, MessageFlag

from tray_app.platform.dbus.client import call as sync_call
from tray_app.platform.dbus.client import connect

log = logging.getLogger(__name__)

# A method call's answer: the reply to send (None: none), then what to run once it is sent.
Handled = tuple[Message | None, Callable[[], None] | None]
FAILED = "org.freedesktop.DBus.Error.Failed"


class ObjectBus:
    """Our end of the session bus for the tray: name, matches, calls, signals, the loop."""

    def __init__(self, address: str) -> None:
        self.conn = connect(address)
        self.unique_name: str = self.conn.unique_name or ""
        self._lock = threading.Lock()
        self._pending: dict[int, Callable[[Message], None]] = {}
        self._stop = False
        self._wake_r, self._wake_w = os.pipe()

    # --- before serve() starts: plain blocking calls (nobody else reads yet) ---------------

    def request_name(self, name: str) -> None:
        """Own `name` (raises if the bus refuses: another sitbreak in this session has it)."""
        (result,) = sync_call(self.conn, message_bus.RequestName(name, 4))  # 4: do not queue
        if result not in (1, 4):  # primary owner, or already the owner
            raise RuntimeError(f"the session bus name {name} is taken")

    def add_match(self, rule: MatchRule) -> None:
        sync_call(self.conn, message_bus.AddMatch(rule))

    # --- from any thread --------------------------------------------------------------------

    def send(self, msg: Message) -> None:
        """Send a reply or a signal; a closed connection is left to serve() to report."""
        with self._lock, contextlib.suppress(OSError):
            self.conn.send(msg)

    def call(self, msg: Message, on_reply: Callable[[Message], None]) -> None:
        """Send a method call; `on_reply(reply or error)` runs on the serving thread."""
        msg.header.flags |= MessageFlag.no_auto_start  # never start a desktop service
        with self._lock:
            serial = next(self.conn.outgoing_serial)
            self._pending[serial] = on_reply
            with contextlib.suppress(OSError):
                self.conn.send(msg, serial=serial)

    def signal(self, path: str, interface: str, member: str, signature: str | None = None,
               body: tuple[Any, ...] = ()) -> None:
        self.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    def stop(self) -> None:
        """Make serve() return (from any thread)."""
        self._stop = True
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    # --- the loop ---------------------------------------------------------------------------

    def serve(self, on_call: Callable[[Message], Handled],
              on_signal: Callable[[Message], None]) -> str | None:
        """Answer calls and pass signals on until stop(); returns why it ended by itself
        (the bus closed), or None after stop()."""
        sock = self.conn.sock
        while not self._stop:
            try:
                ready, _, _ = select.select([sock, self._wake_r], [], [])
            except (OSError, ValueError) as exc:
                return f"the session D-Bus connection failed ({exc})"
            if self._wake_r in ready:
                os.read(self._wake_r, 64)
                continue
            try:
                msg = self.conn.receive(timeout=0)
                while True:
                    self._dispatch(msg, on_call, on_signal)
                    msg = self.conn.receive(timeout=0)  # the rest of what was read
            except TimeoutError:
                continue
            except (OSError, ValueError) as exc:  # ConnectionResetError: the bus went away
                return f"the session D-Bus went away ({exc})"
        return None

    def _dispatch(self, msg: Message, on_call: Callable[[Message], Handled],
                  on_signal: Callable[[Message], None]) -> None:
        kind = msg.header.message_type
        if kind == MessageType.method_call:
            try:
                reply, after = on_call(msg)
            except Exception as exc:
                log.exception("answering %s failed", msg.header.fields.get(HeaderFields.member))
                reply, after = new_error(msg, FAILED, "s", (str(exc),)), None
            if reply is not None and not msg.header.flags & MessageFlag.no_reply_expected:
                self.send(reply)
            if after is not None:
                try:
                    after()
                except Exception:
                    log.exception("a tray action failed")
        elif kind in (MessageType.method_return, MessageType.error):
            serial = msg.header.fields.get(HeaderFields.reply_serial, -1)
            with self._lock:
                waiting = self._pending.pop(serial, None)
            if waiting is not None:
                try:
                    waiting(msg)
                except Exception:
                    log.exception("handling a D-Bus reply failed")
        elif kind == MessageType.signal:
            try:
                on_signal(msg)
            except Exception:
                log.exception("handling a D-Bus signal failed")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

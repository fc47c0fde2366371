"""Sleep, wake, lock and unlock on Linux, from logind (system bus) and screensavers (session bus).

`SessionWatcher(on_event).start()` calls `on_event` from a daemon thread with one of
"suspend", "resume", "lock", "unlock". A bus that is missing is logged and skipped.

jeepney filters received messages against the header as sent, where the sender is a unique
name (":1.5"), never "org.freedesktop.login1". So each subscription's full rule (with sender)
goes to the bus in AddMatch, and the local match uses the same rule without the sender.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
from jeepney.io.blocking import DBusConnection
from jeepney.low_level import Message

from tray_app.platform.dbus.client import (
    call,
    connect,
    get_property,
    session_bus_address,
    system_bus_address,
)

log = logging.getLogger(__name__)

SUSPEND, RESUME, LOCK, UNLOCK = "suspend", "resume", "lock", "unlock"

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = DBusAddress(LOGIN1_PATH, bus_name=LOGIN1, interface=f"{LOGIN1}.Manager")
AUTO_SESSION_PATH = f"{LOGIN1_PATH}/session/auto"
SCREENSAVERS = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")
RECONNECT_S = 5.0  # pause before re-subscribing after a bus went away mid-run
# How long stop() waits for a listener; it is a daemon thread, so one that missed the shutdown
# (caught mid-connect) cannot keep the process alive.
JOIN_S = 2.0


@dataclass(frozen=True)
class Subscription:
    """One signal we listen to and how its first argument becomes an event."""

    sender: str
    interface: str
    member: str
    path: str | None
    if_true: str
    if_false: str

    def bus_rule(self) -> MatchRule:
        """The rule sent to the bus in AddMatch (sender included, so routing is exact)."""
        return MatchRule(
            type="signal",
            sender=self.sender,
            interface=self.interface,
            member=self.member,
            path=self.path,
        )

    def local_rule(self) -> MatchRule:
        """The rule checked on our side: no sender, see the module docstring."""
        return MatchRule(type="signal", interface=self.interface, member=self.member,
                         path=self.path)

    def event_for(self, msg: Message) -> str | None:
        """The event this signal means, or None if its body is not a boolean."""
        if self.if_true == self.if_false:  # an argument-less signal such as Lock
            return self.if_true
        if not msg.body or not isinstance(msg.body[0], bool):
            return None
        return self.if_true if msg.body[0] else self.if_false


def escape_path_label(label: str) -> str:
    """systemd's bus_label_escape: how logind turns a session id into an object path element."""
    out = []
    for i, ch in enumerate(label):
        if ch.isascii() and (ch.isalpha() or (ch.isdigit() and i > 0)):
            out.append(ch)
        else:
            out.extend(f"_{b:02x}" for b in ch.encode())
    return "".join(out) or "_"


def find_session_path(conn: DBusConnection, pid: int, env: Mapping[str, str]) -> str | None:
    """Our logind session's object path: by PID, then XDG_SESSION_ID, then the 'auto' session.

    Lock/Unlock are emitted on the real path (/session/_32), never on /session/auto, so the
    'auto' object is only used to read the session Id.
    """
    attempts: list[Callable[[], str]] = [
        lambda: call(conn, new_method_call(LOGIN1_MANAGER, "GetSessionByPID", "u", (pid,)))[0]
    ]
    session_id = env.get("XDG_SESSION_ID", "").strip()
    if session_id:
        attempts.append(
            lambda: call(conn, new_method_call(LOGIN1_MANAGER, "GetSession", "s", (session_id,)))[0]
        )
    auto = DBusAddress(AUTO_SESSION_PATH, bus_name=LOGIN1, interface=f"{LOGIN1}.Session")
    attempts.append(
        lambda: f"{LOGIN1_PATH}/session/{escape_path_label(get_property(conn, auto, 'Id'))}"
    )
    for attempt in attempts:
        try:
            return str(attempt())
        except Exception as exc:
            log.debug("logind session lookup failed: %s", exc)
    return None


def system_subscriptions(
    conn: DBusConnection, pid: int, env: Mapping[str, str]
) -> list[Subscription]:
    """logind: PrepareForSleep on the manager, Lock/Unlock on our session if we find it."""
    subs = [
        Subscription(LOGIN1, f"{LOGIN1}.Manager", "PrepareForSleep", LOGIN1_PATH, SUSPEND, RESUME)
    ]
    path = find_session_path(conn, pid, env)
    if path is None:
        log.info("logind session not found: lock/unlock come only from the screensaver")
    else:
        for member, event in (("Lock", LOCK), ("Unlock", UNLOCK)):
            # Lock and Unlock carry no arguments: both branches give the same event.
            subs.append(Subscription(LOGIN1, f"{LOGIN1}.Session", member, path, event, event))
    return subs


def session_subscriptions(
    _conn: DBusConnection, _pid: int, _env: Mapping[str, str]
) -> list[Subscription]:
    """Screensavers: ActiveChanged(b) from freedesktop (KDE, Xfce...) and GNOME."""
    return [Subscription(name, name, "ActiveChanged", None, LOCK, UNLOCK) for name in SCREENSAVERS]


Setup = Callable[[DBusConnection, int, Mapping[str, str]], list[Subscription]]


class SessionWatcher:
    """Reports sleep/wake and lock/unlock through `on_event(name)` from a daemon thread.

    Repeated lock (or unlock) reports from different sources are merged: the callback sees
    "lock" once until an "unlock" arrives. Never raises from start() or stop().
    """

    def __init__(
        self,
        on_event: Callable[[str], None],
        env: Mapping[str, str] = os.environ,
        pid: int | None = None,
    ) -> None:
        self._on_event = on_event
        self._env = dict(env)
        self._pid = os.getpid() if pid is None else pid
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: dict[str, DBusConnection] = {}
        self._ready: dict[str, threading.Event] = {}
        self._emit_lock = threading.Lock()
        self._locked: bool | None = None
        self.listening: dict[str, list[str]] = {}  # bus -> "interface.member" we subscribed to

    def start(self) -> None:
        """Subscribe on both buses in background threads."""
        buses: list[tuple[str, str | None, Setup]] = [
            ("system", system_bus_address(self._env), system_subscriptions),
            ("session", session_bus_address(self._env), session_subscriptions),
        ]
        self._stop.clear()
        for label, address, setup in buses:
            ready = self._ready[label] = threading.Event()
            thread = threading.Thread(
                target=self._run, args=(label, address, setup, ready),
                name=f"sitbreak-session-{label}", daemon=True,
            )
            self._threads.append(thread)
            thread.start()

    def wait_ready(self, timeout: float) -> bool:
        """True once every bus has subscribed or given up (tests wait on this before emitting)."""
        return all(event.wait(timeout) for event in self._ready.values())

    def stop(self) -> None:
        """Stop listening and close both connections."""
        self._stop.set()
        for conn in list(self._conns.values()):
            # Wakes a thread blocked in recv: it waits without a timeout, so idle costs nothing.
            with contextlib.suppress(OSError):
                conn.sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=JOIN_S)
        self._threads.clear()

    def _run(self, label: str, address: str | None, setup: Setup, ready: threading.Event) -> None:
        while not self._stop.is_set():
            try:
                self._listen(label, address, setup, ready)
            except Exception as exc:
                if self._stop.is_set():
                    return  # stop() shut the socket down under us
                if label not in self.listening:
                    log.info("no %s bus events (%s): carrying on without them", label, exc)
                    ready.set()
                    return
                log.warning("%s bus connection lost (%s): retrying", label, exc)
            finally:
                self._close(label)
            self._stop.wait(RECONNECT_S)

    def _listen(self, label: str, address: str | None, setup: Setup,
                ready: threading.Event) -> None:
        if address is None:
            raise ConnectionError(f"no {label} bus address")
        conn = self._conns[label] = connect(address)
        # Catch every signal from the start so none is lost between AddMatch and the loop.
        with conn.filter(MatchRule(type="signal"), queue=deque(maxlen=256)) as queue:
            subs = setup(conn, self._pid, self._env)
            for sub in subs:
                call(conn, message_bus.AddMatch(sub.bus_rule()))
            self.listening[label] = [f"{s.interface}.{s.member}" for s in subs]
            ready.set()
            local = [(sub.local_rule(), sub) for sub in subs]
            while not self._stop.is_set():
                msg = conn.recv_until_filtered(queue)
                for rule, sub in local:
                    if rule.matches(msg):
                        event = sub.event_for(msg)
                        if event is not None:
                            self._emit(event)

    def _emit(self, event: str) -> None:
        with self._emit_lock:
            if event in (LOCK, UNLOCK):
                locked = event == LOCK
                if self._locked == locked:
                    return  # the same change already reported by another source
                self._locked = locked
        try:
            self._on_event(event)
        except Exception:
            log.exception("session event handler failed on %r", event)

    def _close(self, label: str) -> None:
        conn: Any = self._conns.pop(label, None)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()

"""SessionWatcher against a stand-in logind on a private 'system' bus and screensavers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from jeepney import DBusAddress, new_method_call, new_signal
from jeepney.io.blocking import open_dbus_connection
from jeepney.low_level import Message

from tests.desktop import Bus, dbus_session, wait_for
from tests.platform.fake_dbus_service import FakeService
from tray_app.platform.session.linux import SessionWatcher

pytestmark = pytest.mark.desktop

LOGIN1 = "org.freedesktop.login1"
MANAGER = f"{LOGIN1}.Manager"
SESSION = f"{LOGIN1}.Session"
OUR_SESSION = "/org/freedesktop/login1/session/_32"  # logind's path for session id "2"
OTHER_SESSION = "/org/freedesktop/login1/session/_33"


class Recorder:
    """Collects the watcher's events from its threads."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, event: str) -> None:
        with self._lock:
            self.events.append(event)

    def wait(self, expected: list[str]) -> None:
        wait_for(lambda: self.events == expected, timeout=10, what=f"events {expected}")


@pytest.fixture
def system_bus() -> Iterator[Bus]:
    with dbus_session() as bus:  # a private daemon standing in for the system bus
        yield bus


def _logind(bus: Bus, by_pid: bool = True) -> FakeService:
    def get_session_by_pid(_msg: Message) -> tuple[str, tuple[str]]:
        if not by_pid:
            raise LookupError("PID does not belong to any known session")
        return "o", (OUR_SESSION,)

    def get_property(msg: Message) -> tuple[str, tuple[tuple[str, str]]]:
        if tuple(msg.body) != (SESSION, "Id"):
            raise LookupError("unknown property")
        return "v", (("s", "2"),)

    return FakeService(bus.address, LOGIN1, {
        (MANAGER, "GetSessionByPID"): get_session_by_pid,
        ("org.freedesktop.DBus.Properties", "Get"): get_property,
    })


def _watcher(system_bus: Bus, session_bus: Bus, record: Recorder) -> SessionWatcher:
    env = {"DBUS_SYSTEM_BUS_ADDRESS": system_bus.address,
           "DBUS_SESSION_BUS_ADDRESS": session_bus.address}
    watcher = SessionWatcher(record, env=env)
    watcher.start()
    assert watcher.wait_ready(10), "the watcher did not subscribe in time"
    return watcher


def test_sleep_and_lock_from_logind(system_bus: Bus, session_bus: Bus) -> None:
    record = Recorder()
    with _logind(system_bus) as logind:
        watcher = _watcher(system_bus, session_bus, record)
        try:
            assert f"{SESSION}.Lock" in watcher.listening["system"]
            logind.emit("/org/freedesktop/login1", MANAGER, "PrepareForSleep", "b", (True,))
            record.wait(["suspend"])
            logind.emit("/org/freedesktop/login1", MANAGER, "PrepareForSleep", "b", (False,))
            record.wait(["suspend", "resume"])
            logind.emit(OTHER_SESSION, SESSION, "Lock")  # someone else's session: ignored
            logind.emit(OUR_SESSION, SESSION, "Lock")
            record.wait(["suspend", "resume", "lock"])
            logind.emit(OUR_SESSION, SESSION, "Unlock")
            record.wait(["suspend", "resume", "lock", "unlock"])
        finally:
            watcher.stop()


def test_signals_from_an_impostor_are_not_routed(system_bus: Bus, session_bus: Bus) -> None:
    # A client that does not own org.freedesktop.login1 sends the same signal: the bus must not
    # deliver it, because AddMatch carried the sender.
    record = Recorder()
    with _logind(system_bus) as logind:
        watcher = _watcher(system_bus, session_bus, record)
        try:
            impostor = open_dbus_connection(system_bus.address)
            impostor.send(new_signal(DBusAddress("/org/freedesktop/login1", interface=MANAGER),
                                     "PrepareForSleep", "b", (True,)))
            # Round-trip through the bus so the impostor's signal has been routed by now.
            impostor.send_and_get_reply(new_method_call(
                DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                            interface="org.freedesktop.DBus.Peer"), "Ping"), timeout=5)
            impostor.close()
            logind.emit(OUR_SESSION, SESSION, "Lock")
            record.wait(["lock"])  # the impostor's "suspend" never arrived
        finally:
            watcher.stop()


def test_session_found_through_the_auto_session(system_bus: Bus, session_bus: Bus) -> None:
    record = Recorder()
    with _logind(system_bus, by_pid=False) as logind:
        watcher = _watcher(system_bus, session_bus, record)
        try:
            logind.emit(OUR_SESSION, SESSION, "Lock")
            record.wait(["lock"])
        finally:
            watcher.stop()


def test_screensavers_on_the_session_bus_and_duplicates_merged(
    system_bus: Bus, session_bus: Bus
) -> None:
    record = Recorder()
    with ExitStack() as stack:
        logind = stack.enter_context(_logind(system_bus))
        kde = stack.enter_context(FakeService(session_bus.address,
                                              "org.freedesktop.ScreenSaver", {}))
        gnome = stack.enter_context(FakeService(session_bus.address, "org.gnome.ScreenSaver", {}))
        watcher = _watcher(system_bus, session_bus, record)
        try:
            saver = "org.freedesktop.ScreenSaver"
            kde.emit("/ScreenSaver", saver, "ActiveChanged", "b", (True,))
            record.wait(["lock"])
            # KDE announces on its second path too, and logind reports the same lock. Each
            # sender's messages stay in order, so the suspend after logind's Lock proves that
            # Lock was seen (and merged) before we look.
            kde.emit("/org/freedesktop/ScreenSaver", saver, "ActiveChanged", "b", (True,))
            logind.emit(OUR_SESSION, SESSION, "Lock")
            logind.emit("/org/freedesktop/login1", MANAGER, "PrepareForSleep", "b", (True,))
            record.wait(["lock", "suspend"])
            kde.emit("/ScreenSaver", saver, "ActiveChanged", "b", (False,))
            record.wait(["lock", "suspend", "unlock"])
            gnome.emit("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", "b",
                       (True,))
            record.wait(["lock", "suspend", "unlock", "lock"])
        finally:
            watcher.stop()


def test_missing_buses_are_not_fatal(tmp_path: Path) -> None:
    record = Recorder()
    env = {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/no-such-socket",
           "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/none-either"}
    watcher = SessionWatcher(record, env=env)
    watcher.start()
    assert watcher.wait_ready(10)
    assert watcher.listening == {}
    watcher.stop()
    assert record.events == []


def test_stop_is_prompt(system_bus: Bus, session_bus: Bus) -> None:
    with _logind(system_bus):
        watcher = _watcher(system_bus, session_bus, Recorder())
        started = time.monotonic()
        watcher.stop()
        assert time.monotonic() - started < 1.0  # shutdown() wakes the listeners at once

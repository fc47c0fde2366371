"""The Wayland idle source's arithmetic and the wire format, without a compositor."""

from __future__ import annotations

import socket

from tray_app.platform.idle.wayland import STEP_S, EventIdleSource
from tray_app.platform.wayland import wire


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_idle_counts_from_the_last_input_not_from_the_event() -> None:
    clock = Clock()
    source = EventIdleSource("wayland-kde-idle", "test", clock=clock)
    assert source.idle_seconds() == 0.0  # under STEP_S since the last input: we cannot tell
    source.idled()  # input stopped STEP_S ago
    clock.now += 10
    assert source.idle_seconds() == 10 + STEP_S
    source.resumed()
    assert source.idle_seconds() == 0.0 and source.sees_input


def test_a_lost_connection_is_said_once_and_never_counted_as_sitting() -> None:
    told: list[str] = []
    source = EventIdleSource("wayland-ext-idle-notify", "the compositor", clock=Clock())
    source.visibility.on_change = told.append
    source.lost("the compositor closed the connection")
    assert source.idle_seconds() is None and source.idle_seconds() is None
    assert not source.sees_input and len(told) == 1 and "the compositor" in told[0]


def test_socket_path_follows_the_environment() -> None:
    assert wire.socket_path({}) is None
    assert wire.socket_path({"WAYLAND_DISPLAY": "wayland-1"}) is None  # no runtime dir
    assert wire.socket_path({"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/r"}) \
        == "/r/wayland-1"
    assert wire.socket_path({"WAYLAND_DISPLAY": "/s/w"}) == "/s/w"


def test_messages_round_trip_through_the_wire() -> None:
    ours, theirs = socket.socketpair()
    conn = wire.Connection(ours)  # sends get_registry
    data = theirs.recv(100)
    assert data == wire.uint(1) + wire.uint((12 << 16) | 1) + wire.uint(2)
    # The compositor announces a global, then a seat's toplevel states as an array.
    body = wire.uint(7) + wire.string("wl_seat") + wire.uint(8)
    theirs.sendall(wire.uint(2) + wire.uint(((8 + len(body)) << 16) | 0) + body)
    assert conn.dispatch(1.0)
    assert conn.globals == {"wl_seat": (7, 8)}
    states = wire.uint(8) + wire.uint(2) + wire.uint(3)
    assert wire.Reader(states).uints() == [2, 3]
    assert wire.Reader(wire.string("héllo")).string() == "héllo"
    assert wire.Reader(wire.fixed(-1.5)).int32() == -384
    # An error event ends the connection with the compositor's message.
    err = wire.uint(5) + wire.uint(1) + wire.string("invalid arguments")
    theirs.sendall(wire.uint(1) + wire.uint(((8 + len(err)) << 16) | 0) + err)
    try:
        conn.dispatch(1.0)
    except wire.WaylandError as exc:
        assert "invalid arguments" in str(exc) and "object 5" in str(exc)
    else:
        raise AssertionError("a protocol error must end the connection")
    conn.close()
    theirs.close()

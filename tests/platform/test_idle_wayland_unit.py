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


def _requests(data: bytes) -> list[tuple[int, int, bytes]]:
    out = []
    while data:
        oid, word = wire.Reader(data).uint(), wire.Reader(data[4:]).uint()
        size = word >> 16
        out.append((oid, word & 0xFFFF, data[8:size]))
        data = data[size:]
    return out


def test_version_2_asks_for_input_only_idle() -> None:
    """ext-idle-notify v2's get_input_idle_notification: a video's idle inhibitor is not input
    (no compositor here offers v2, so the requests are read off the wire)."""
    from tray_app.platform.idle import wayland as idle_wayland
    from tray_app.platform.wayland.client import WaylandClient

    ours, theirs = socket.socketpair()
    conn = wire.Connection(ours)
    conn.globals = {"wl_seat": (1, 8), "ext_idle_notifier_v1": (2, 2), "org_kde_kwin_idle": (3, 1)}
    client = WaylandClient(conn)
    client.start = lambda: None  # no reader thread: the test reads the socket itself
    source, why = idle_wayland._watch(client)
    assert source is not None and "input only" in why
    sent = _requests(theirs.recv(4096))
    binds = [r for r in sent if r[0] == conn.registry]
    assert [wire.Reader(b[2][4:]).string() for b in binds] == ["wl_seat", "ext_idle_notifier_v1"]
    notifier_id = wire.Reader(binds[1][2][-4:]).uint()
    (_oid, opcode, args), = [r for r in sent if r[0] == notifier_id]
    assert opcode == 2  # get_input_idle_notification(id, timeout, seat)
    assert wire.Reader(args[4:]).uint() == idle_wayland.STEP_S * 1000
    conn.close()
    theirs.close()


def test_a_compositor_started_from_a_text_console_is_a_wayland_session() -> None:
    """sway started from a TTY keeps logind's XDG_SESSION_TYPE=tty (and sets DISPLAY for
    XWayland): that is still Wayland, whose XWayland has no idle extension to ask."""
    from tray_app.platform.session.kind import is_wayland, x11_display

    sway_from_tty = {"XDG_SESSION_TYPE": "tty", "WAYLAND_DISPLAY": "wayland-1", "DISPLAY": ":0"}
    assert is_wayland(sway_from_tty) and x11_display(sway_from_tty) is None
    assert not is_wayland({"XDG_SESSION_TYPE": "tty"})
    startx_from_tty = {"XDG_SESSION_TYPE": "tty", "DISPLAY": ":0"}
    assert x11_display(startx_from_tty) == ":0"

"""The tray-host watch on a shared X connection, against a real X server and trayer."""

from __future__ import annotations

import threading

import pytest

from tests.desktop import Display, background, require, tray_manager_ready, wait_for
from tray_app.platform.tray.host import TrayHostWatch
from tray_app.platform.x11.connection import X11Connection

pytestmark = pytest.mark.desktop


def trayer(display: Display):
    return background([require("trayer"), "--edge", "top", "--widthtype", "pixel", "--width",
                       "100", "--height", "24"], display.env())


def test_the_watch_follows_a_host_while_another_thread_uses_the_connection(
    display: Display,
) -> None:
    """The idle probe's round trips on the same connection read our events off the socket;
    the watch must still hear of them."""
    shared = X11Connection(display.name)
    seen: list[bool] = []
    lost: list[str] = []
    watch = TrayHostWatch(display.name, seen.append, lost.append, env=display.env(),
                          connection=shared)
    stop = threading.Event()

    def idle_probe() -> None:
        while not stop.wait(0.002):
            shared.run(lambda d: d.get_input_focus(), None, "round trip")

    prober = threading.Thread(target=idle_probe)
    watch.start()
    prober.start()
    try:
        assert seen == [False]
        for _ in range(2):
            with trayer(display):
                wait_for(lambda: seen[-1] is True, timeout=10, what="the host to be seen")
            wait_for(lambda: seen[-1] is False, timeout=10, what="the host to be gone")
    finally:
        stop.set()
        prober.join()
        watch.stop()
    assert seen == [False, True, False, True, False] and lost == []
    # Stopped, it leaves the shared connection as it found it: no events queue up unread.
    with trayer(display):
        wait_for(lambda: shared.run(lambda d: d.get_selection_owner(
            d.intern_atom("_NET_SYSTEM_TRAY_S0")).id != 0, False, "owner"), what="trayer")
    assert shared.run(lambda d: d.pending_events(), None, "pending") == 0
    shared.close()


def test_the_watch_reports_the_x_server_going_away(display: Display) -> None:
    shared = X11Connection(display.name)
    lost: list[str] = []
    watch = TrayHostWatch(display.name, lambda _docked: None, lost.append, env=display.env(),
                          connection=shared)
    watch.start()
    display.proc.kill()
    wait_for(lambda: lost, timeout=10, what="the loss to be reported")
    assert lost == [f"the X display {display.name} went away"]
    watch.stop()


def test_events_another_callers_reply_read_in_are_not_missed(display: Display) -> None:
    """The watch thread is busy when a host goes; the idle probe's next round trip reads the
    DestroyNotify off the socket into python-xlib's queue. The socket is then empty, so the
    watch must be told, or it waits for the next event, which may never come."""
    shared = X11Connection(display.name)
    seen: list[bool] = []
    busy, carry_on = threading.Event(), threading.Event()

    def on_docked(docked: bool) -> None:
        seen.append(docked)
        if docked:  # from the watch thread: hold it there while the host goes away
            busy.set()
            carry_on.wait(10)

    watch = TrayHostWatch(display.name, on_docked, lambda _why: None, env=display.env(),
                          connection=shared)
    watch.start()
    try:
        with trayer(display):
            assert busy.wait(10)
        wait_for(lambda: not tray_manager_ready(display), what="trayer's selection to go")
        shared.run(lambda d: d.get_input_focus(), None, "the idle probe's round trip")
        carry_on.set()
        wait_for(lambda: seen[-1] is False, timeout=5, what="the host's going to be seen")
    finally:
        carry_on.set()
        watch.stop()
        shared.close()

"""Fullscreen detection under Xvfb with openbox as the EWMH window manager."""

from __future__ import annotations

import shutil

import pytest
from Xlib import X, Xatom, protocol
from Xlib import display as xdisplay

from tests.desktop import Display, background, require, wait_for
from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.platform.fullscreen.x11 import X11FullscreenProbe
from tray_app.platform.idle import x11 as idle_x11

pytestmark = pytest.mark.desktop



ADD, REMOVE = 1, 0  # _NET_WM_STATE client message actions


def _active_window(conn: xdisplay.Display) -> int:
    prop = conn.screen().root.get_full_property(
        conn.intern_atom("_NET_ACTIVE_WINDOW"), X.AnyPropertyType
    )
    return int(prop.value[0]) if prop is not None and len(prop.value) else 0


def _focused(display: Display, conn: xdisplay.Display, name: str) -> int:
    """The new window `name` once it is the active one. openbox focuses a new window itself;
    under CI's load it once did not within 30 s, so after a few seconds the test asks for it
    the way a pager would (xdotool windowactivate: _NET_ACTIVE_WINDOW)."""
    import contextlib

    with contextlib.suppress(pytest.fail.Exception):
        return wait_for(lambda: _active_window(conn), timeout=3, what=f"{name} to get focus")
    ids = wait_for(lambda: display.run("xdotool", "search", "--classname", name,
                                       check=False).split(), what=f"{name} to be mapped")
    display.run("xdotool", "windowactivate", ids[-1], check=False)
    return wait_for(lambda: _active_window(conn), what=f"{name} to get focus")


def _set_fullscreen(conn: xdisplay.Display, window: int, action: int) -> None:
    """Ask the window manager (as a pager would, EWMH-style) to change the fullscreen state."""
    root = conn.screen().root
    event = protocol.event.ClientMessage(
        window=conn.create_resource_object("window", window),
        client_type=conn.intern_atom("_NET_WM_STATE"),
        data=(32, [action, conn.intern_atom("_NET_WM_STATE_FULLSCREEN"), 0, 2, 0]),
    )
    root.send_event(event, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
    conn.flush()


@pytest.mark.parametrize("shared", [False, True], ids=["own-connection", "idle-connection"])
def test_fullscreen_focused_window_flips_the_probe(display: Display, shared: bool) -> None:
    """Shared: the app asks over the idle source's X connection (issue 15: one connection
    less); idle queries in between must not disturb it."""
    require("openbox")
    require("xprop")
    if shutil.which("xmessage") is None:
        pytest.fail("xmessage is not installed: run `apt-get install x11-utils`")
    env = display.env(XDG_SESSION_TYPE="x11")
    idle_source = idle_x11.probe(display.name)[0] if shared else None
    x11 = idle_source.connection if idle_source is not None else None
    probe = fullscreen.detect(env, platform="linux", x11=x11)
    assert isinstance(probe, X11FullscreenProbe)
    if idle_source is not None:
        assert probe._conn is idle_source.connection  # no connection of its own
        real_check = probe.is_fullscreen_focused

        def check_between_idle_queries() -> bool:
            assert idle_source.idle_seconds() is not None
            answer = real_check()
            assert idle_source.idle_seconds() is not None
            return answer

        probe.is_fullscreen_focused = check_between_idle_queries  # type: ignore[method-assign]
    conn = xdisplay.Display(display.name)
    with background(["openbox", "--sm-disable"], display.env()):
        # openbox announces itself on the root window once it manages the screen.
        wait_for(lambda: display.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False)
                 .count("window id"), what="openbox to start")
        assert not probe.is_fullscreen_focused()
        with background(["xmessage", "-name", "sitbreak-test", "sitting too long?"],
                        display.env()):
            window = _focused(display, conn, "sitbreak-test")
            assert not probe.is_fullscreen_focused()
            _set_fullscreen(conn, window, ADD)
            wait_for(probe.is_fullscreen_focused, what="the probe to see fullscreen")
            _set_fullscreen(conn, window, REMOVE)
            wait_for(lambda: not probe.is_fullscreen_focused(), what="fullscreen to end")
            _set_fullscreen(conn, window, ADD)
            wait_for(probe.is_fullscreen_focused, what="fullscreen again")
        # The fullscreen window closed: focus goes elsewhere (or nowhere) without errors.
        wait_for(lambda: not probe.is_fullscreen_focused(), what="the window to close")
    conn.close()


def test_a_stale_active_window_is_no_and_keeps_the_connection(display: Display) -> None:
    """Found in the desktop soak: after the break window closed, openbox left
    _NET_ACTIVE_WINDOW naming it, so every tick's check got BadWindow, which dropped and
    reopened the shared X connection twice a tick (~0.35 MiB of replies each), and the
    app's memory grew by ~0.8 MiB a minute. An error about one window says nothing about
    the connection: the answer is "not fullscreen" and the connection stays."""
    opened: list[str] = []

    def opener(name: str) -> xdisplay.Display:
        opened.append(name)
        return xdisplay.Display(name)

    conn = xdisplay.Display(display.name)
    gone = conn.screen().root.create_window(0, 0, 10, 10, 0, X.CopyFromParent)
    gone.destroy()
    conn.screen().root.change_property(conn.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW,
                                       32, [gone.id])
    conn.sync()
    assert _active_window(conn) == gone.id
    source = idle_x11.X11IdleSource(display.name, opener=opener)
    probe = fullscreen.detect(display.env(XDG_SESSION_TYPE="x11"), platform="linux",
                              x11=source.connection)
    assert isinstance(probe, X11FullscreenProbe)
    for _ in range(5):
        assert source.idle_seconds() is not None
        assert probe.is_fullscreen_focused() is False
    assert opened == [display.name]  # opened once, never dropped

"""sitbreak's GNOME adapters against a real headless GNOME Shell 43 (tests/gnome.py).

Fullscreen work: the focused XWayland window's state, gnome-session's idle inhibitors, and
what sitbreak cannot see (a native Wayland window). Notifications: the heads-up shows as a
banner, and a click on the break's banner is one answer.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.desktop import require, wait_for
from tests.gnome import BANNER, BANNER_TEXT, HEIGHT, WIDTH, Gnome, changed
from tray_app.platform.dnd.probe import DndProbe
from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.platform.notify.freedesktop import FreedesktopNotifier
from tray_app.ports import Action

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

SNOOZE_BUTTON = (760, 138)  # the expanded banner's second button (of two), 1280x800
START = Action("start", "Start break")
SNOOZE = Action("snooze-300", "Snooze 5 min")


def test_fullscreen_xwayland_window_and_inhibitor_hold_and_wayland_is_named_blind(
    gnome: Gnome, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XAUTHORITY", gnome.env["XAUTHORITY"])  # python-xlib reads it here
    holds = fullscreen.detect_holds(gnome.env, platform="linux")
    assert set(holds.probes) == {fullscreen.FULLSCREEN, fullscreen.INHIBITED}
    window, inhibited = holds.probes[fullscreen.FULLSCREEN], holds.probes[fullscreen.INHIBITED]

    gnome.start([require("xterm"), "-title", "work", "-e", "sleep", "600"])
    wid = gnome.wait_x_window("work")
    wait_for(lambda: gnome.x_state(wid)[0] == wid, timeout=10, what="the xterm to get focus")
    assert not window()
    gnome.set_x_fullscreen(wid)
    wait_for(lambda: "_NET_WM_STATE_FULLSCREEN" in gnome.x_state(wid)[1], timeout=10,
             what="Mutter to make the xterm fullscreen")
    assert window()
    assert "gnome-session" in holds.sees() and "native Wayland" in holds.sees()

    # A native Wayland window takes focus: Mutter clears _NET_ACTIVE_WINDOW, so XWayland says
    # nothing, and status says sitbreak cannot see into it.
    gnome.start([require("foot"), "-a", "wlwin", "sleep", "600"])
    wait_for(lambda: gnome.x_state(wid)[0] in (0, None), timeout=15,
             what="the foot window to take focus")
    assert not window()
    assert "no X11 window has focus now" in holds.sees()

    assert not inhibited()
    player = gnome.inhibit("org.gnome.Totem", "Playing a video")
    assert inhibited()
    player.terminate()
    wait_for(lambda: not inhibited(), timeout=10, what="the inhibitor to go with its app")


def test_do_not_disturb_is_gnome_banners_off(gnome: Gnome) -> None:
    """GNOME's do-not-disturb switch is `show-banners` false (platform.dnd reads it)."""
    dnd = DndProbe(gnome.env, cache_s=0)
    try:
        assert not dnd.is_on()
        subprocess.run([require("gsettings"), "set", "org.gnome.desktop.notifications",
                        "show-banners", "false"], env=gnome.env, check=True, timeout=20)
        assert dnd.is_on() and "GNOME" in dnd.reason
    finally:
        dnd.close()


def test_heads_up_shows_a_banner_and_a_click_on_the_break_is_one_answer(
    gnome: Gnome, tmp_path: Path
) -> None:
    clicked: list[str] = []
    notifier = FreedesktopNotifier("", bus_address=gnome.env["DBUS_SESSION_BUS_ADDRESS"])
    notifier.set_action_handler(clicked.append)
    try:
        empty = gnome.region(tmp_path / "empty.png", BANNER)
        notifier.notify("heads_up", "Break in 1 minute", "Finish what you are doing", [SNOOZE])
        assert notifier.flush()
        # A low-urgency notification would only add a dot to the message list: no banner.
        wait_for(lambda: changed(empty, gnome.region(tmp_path / "h.png", BANNER)) > 0.3,
                 timeout=10, what="the heads-up's banner")

        notifier.notify("break_due", "Time for a break", "Stand up and stretch", [START, SNOOZE])
        assert notifier.flush()
        time.sleep(1.0)  # the banner updates in place
        # The pointer onto the banner's text (not a button): a plain click, "default".
        gnome.input.click(*BANNER_TEXT)
        wait_for(lambda: clicked, timeout=10, what="the click's answer")
        time.sleep(1.5)  # the duplicate copies arrive within milliseconds; give them time
        assert clicked == ["start"]

        # A button: the pointer on the banner expands it; its second button is the snooze.
        gnome.input.move_to(WIDTH - 1, HEIGHT - 1)
        notifier.notify("break_due", "Time for a break", "Stand up and stretch", [START, SNOOZE])
        assert notifier.flush()
        time.sleep(1.0)
        gnome.input.move_to(*BANNER_TEXT)
        time.sleep(1.0)  # it expands and shows its buttons
        gnome.input.click(*SNOOZE_BUTTON)
        wait_for(lambda: len(clicked) > 1, timeout=10, what="the button's answer")
        time.sleep(1.5)
        assert clicked == ["start", "snooze-300"]
    finally:
        notifier.stop()

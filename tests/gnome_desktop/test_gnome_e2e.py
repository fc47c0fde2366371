"""The real sitbreak on a real headless GNOME Shell 43 (issue 28): the tray docks through the
AppIndicator extension, idle comes from Mutter and resets on injected input, a fullscreen
XWayland window and an app inhibiting idle hold the break, and a click on the break's banner is
one answer (GNOME sent it twice and the app logged three refusals)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.desktop import require, wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.gnome import BANNER, BANNER_TEXT, Gnome, changed
from tray_app.platform.fullscreen.choose import FULLSCREEN, INHIBITED

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]

APP_ENV = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY",
           "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP")


def sandbox(gnome: Gnome, root: Path) -> Sandbox:
    """sitbreak's own XDG folders, in the GNOME session (its bus, displays and desktop name)."""
    return Sandbox(root, extra_env={k: gnome.env[k] for k in APP_ENV})


def app_log(box: Sandbox) -> str:
    path = box.root / "state" / "sitbreak" / "log" / "sitbreak.log"
    return box.output() + (path.read_text() if path.exists() else "")


TOP_BAR = (1040, 4, 1150, 28)  # left of the system menu: where the extension adds icons


def test_tray_idle_and_fullscreen_work_hold_the_break(gnome: Gnome, tmp_path: Path) -> None:
    box = sandbox(gnome, tmp_path / "app")
    cfg = quick_settings(tmp_path / "s.toml", break_after="25s")
    before = set(gnome.sni_items())
    bar = gnome.region(tmp_path / "before.png", TOP_BAR)
    proc = box.start("--config", str(cfg))
    try:
        box.wait_running(proc)
        st = box.status()
        assert st["idle_source"] == "gnome-mutter", st
        # The tray: the SNI backend (no GTK) is the default where the extension's watcher runs;
        # its item is registered there and drawn in the top bar.
        assert st["tray"].startswith("StatusNotifierItem"), st["tray"]
        wait_for(lambda: set(gnome.sni_items()) - before, timeout=20,
                 what="sitbreak's item in the AppIndicator extension")
        wait_for(lambda: box.status()["tray_docked"], timeout=10, what="status to say docked")
        drawn = changed(bar, gnome.region(tmp_path / "after.png", TOP_BAR)) > 0.02
        deadline = time.monotonic() + 20
        while not drawn and time.monotonic() < deadline:
            time.sleep(0.5)
            drawn = changed(bar, gnome.region(tmp_path / "after.png", TOP_BAR)) > 0.02
        assert drawn, ("the extension registered the item but drew no icon: items "
                       f"{gnome.sni_items()}, shell log:\n"
                       f"{gnome.shell_log('(?i)indicator|statusnotifier|JS ERROR')[-3000:]}\n"
                       f"app log:\n{app_log(box)[-3000:]}")

        # A fullscreen XWayland window with focus, well before the break is due (it hides the
        # top bar, so after the icon's check).
        gnome.start([require("xterm"), "-title", "slides", "-e", "sleep", "600"])
        wid = gnome.wait_x_window("slides")
        wait_for(lambda: gnome.x_state(wid)[0] == wid, timeout=10, what="the xterm's focus")
        gnome.set_x_fullscreen(wid)
        wait_for(lambda: "_NET_WM_STATE_FULLSCREEN" in gnome.x_state(wid)[1], timeout=10,
                 what="the fullscreen xterm")
        st = box.status()
        assert st["state"] == "sitting" and st["waiting_for"] is None, (
            f"the break came before the test was ready (a very busy machine?): {st}")
        # Idle from Mutter: grows without input, drops on a pointer move through RemoteDesktop.
        wait_for(lambda: box.status()["idle_seconds"] >= 1.5, timeout=20, what="idle to grow")
        gnome.input.move(-40, -30)
        wait_for(lambda: box.status()["idle_seconds"] < 1.0, timeout=10,
                 what="idle to reset on the injected pointer motion")
        wait_for(lambda: box.status()["idle_seconds"] >= 1.5, timeout=20, what="idle to grow")
        gnome.input.key()  # left Shift: types nothing
        wait_for(lambda: box.status()["idle_seconds"] < 1.0, timeout=10,
                 what="idle to reset on the injected key")

        # ...holds the break when it comes due.
        held = wait_for(lambda: (s := box.status())["waiting_for"] and s, timeout=30,
                        what="the due break to be held")
        assert held["waiting_for"] == held["held_by"] == FULLSCREEN, held
        assert held["state"] == "sitting", held
        assert "XWayland" in held["fullscreen"] and "gnome-session" in held["fullscreen"]

        # A video player's inhibitor holds it as well, once the window is no longer fullscreen.
        player = gnome.inhibit("org.gnome.Totem", "Playing a video")
        gnome.set_x_fullscreen(wid, on=False)
        wait_for(lambda: box.status()["held_by"] == INHIBITED, timeout=10,
                 what="the inhibitor to hold the break")
        assert box.status()["state"] == "sitting"
        player.terminate()
        box.wait_state("break_due", timeout=15)
        assert "an app inhibits idle" in app_log(box)
        assert "org.gnome.Totem (Playing a video)" in app_log(box)
    finally:
        assert stop(proc) == 0


def test_a_click_on_the_break_banner_is_one_answer(gnome: Gnome, tmp_path: Path) -> None:
    box = sandbox(gnome, tmp_path / "app")
    cfg = quick_settings(tmp_path / "s.toml", break_after="6s")
    # No break window: the banner is the prompt, and nothing covers it.
    proc = box.start("--no-window", "--config", str(cfg))
    try:
        box.wait_running(proc)
        assert box.status()["notifications"].startswith("freedesktop")
        empty = gnome.region(tmp_path / "empty.png", BANNER)
        box.wait_state("break_due", timeout=20)
        wait_for(lambda: changed(empty, gnome.region(tmp_path / "b.png", BANNER)) > 0.3,
                 timeout=15, what="the break's banner")
        time.sleep(0.5)  # it has slid in
        gnome.input.click(*BANNER_TEXT)  # its text, not a button: a plain click ("default")
        box.wait_state("on_break", timeout=10)
        time.sleep(2.0)  # the duplicate signals arrive within milliseconds
        log = app_log(box)
        assert "refused" not in log, log
        assert box.status()["state"] == "on_break"
    finally:
        assert stop(proc) == 0


def test_the_appindicator_tray_docks_too(gnome: Gnome, tmp_path: Path) -> None:
    """The GTK route ([gtk] extra, forced here) registers its item with the extension too."""
    box = sandbox(gnome, tmp_path / "app")
    box.extra_env["SITBREAK_TRAY_BACKEND"] = "appindicator"
    cfg = quick_settings(tmp_path / "s.toml", break_after="10m")
    before = set(gnome.sni_items())
    proc = box.start("--config", str(cfg))
    try:
        box.wait_running(proc)
        assert "appindicator" in box.status()["tray"].lower(), box.status()["tray"]
        wait_for(lambda: set(gnome.sni_items()) - before, timeout=20,
                 what="the AppIndicator item in the extension")
        wait_for(lambda: box.status()["tray_docked"], timeout=10, what="status to say docked")
    finally:
        assert stop(proc) == 0

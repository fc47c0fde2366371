"""The running app on a real KWin 5.27 (Wayland): idle from ext-idle-notify, a fullscreen native
window held by the KWin script; and on a compositor where nothing can be seen, a due break
comes as a notification alone until the user starts it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.e2e.test_console_e2e import kinds
from tests.kwin import KWin
from tests.wayland import held_app

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]


def test_kde_idle_source_and_a_fullscreen_window_hold(tmp_path: Path, kwin: KWin) -> None:
    film = kwin.start_window("film", fullscreen=True)
    with held_app(tmp_path, kwin.app_env(), "fullscreen window") as (box, held):
        assert "KWin script" in held["fullscreen"]
        assert held["idle_source"] == "wayland-ext-idle-notify" and held["idle_sees_input"]
        film.terminate()
        box.wait_state("break_due", timeout=15)


def test_where_nothing_can_be_seen_the_window_waits_for_the_user(
    tmp_path: Path, kwin: KWin
) -> None:
    # Not KDE as far as sitbreak knows, no wlroots toplevels, no XWayland: it cannot see.
    env = dict(kwin.app_env(), XDG_CURRENT_DESKTOP="unknown-compositor")
    box = Sandbox(tmp_path / "app", extra_env=env)
    cfg = quick_settings(tmp_path / "s.toml", break_after="3s")
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        st = box.wait_state("break_due", timeout=20)
        assert "only its notification" in st["fullscreen"], st["fullscreen"]
        assert st["held_by"] is None
        wait_for(lambda: box.status()["break"] is not None, timeout=10, what="the break planned")
        assert "window_failed" not in kinds(box.history)  # no window was tried
        assert box.cli("break-now").returncode == 0  # the user acts: now the window opens
        box.wait_state("on_break", timeout=10)
        # No X display to open it on here, so its start fails: proof it was tried only now.
        wait_for(lambda: "window_failed" in kinds(box.history), timeout=20,
                 what="the window's start after the user's answer")
    finally:
        assert stop(proc) == 0, box.output()

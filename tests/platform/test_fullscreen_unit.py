"""Fullscreen probes without a desktop: the Windows state mapping and detect() rules."""

from __future__ import annotations

from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.platform.fullscreen.windows import WindowsFullscreenProbe


def test_windows_quiet_states_mean_fullscreen() -> None:
    # QUNS_NOT_PRESENT=1, BUSY=2, D3D=3, PRESENTATION=4, ACCEPTS=5, QUIET_TIME=6, APP=7
    answers = {state: WindowsFullscreenProbe(lambda s=state: s).is_fullscreen_focused()
               for state in range(1, 8)}
    assert answers == {1: False, 2: True, 3: True, 4: True, 5: False, 6: False, 7: False}


def test_windows_failed_query_means_not_fullscreen() -> None:
    assert not WindowsFullscreenProbe(lambda: None).is_fullscreen_focused()

    def broken() -> int:
        raise OSError("no shell32")

    assert not WindowsFullscreenProbe(broken).is_fullscreen_focused()


def test_detect_rules() -> None:
    assert isinstance(fullscreen.detect({}, platform="win32"), WindowsFullscreenProbe)
    assert fullscreen.detect({"DISPLAY": ":0"}, platform="darwin") is None
    assert fullscreen.detect({}, platform="linux") is None
    assert fullscreen.detect({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}) is None
    # A display that does not exist: no probe, no exception.
    assert fullscreen.detect({"DISPLAY": ":399", "XDG_SESSION_TYPE": "x11"}) is None

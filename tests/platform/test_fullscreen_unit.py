"""Fullscreen probes without a desktop: the Windows state mapping and detect() rules."""

from __future__ import annotations

from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.platform.fullscreen.gnome import INHIBIT_IDLE, SessionInhibitProbe
from tray_app.platform.fullscreen.windows import WindowsFullscreenProbe
from tray_app.platform.fullscreen.x11 import X11FullscreenProbe


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
    # Wayland without a wlroots compositor (GNOME, KDE): the focused XWayland window, asked
    # over a connection that opens at the first question, not now.
    xwayland = fullscreen.detect({"DISPLAY": ":399", "XDG_SESSION_TYPE": "wayland"})
    assert isinstance(xwayland, X11FullscreenProbe)
    assert not xwayland.is_fullscreen_focused()  # no such display: no, and no exception
    assert "not whether a native Wayland window" in fullscreen.explain(
        xwayland, {"XDG_SESSION_TYPE": "wayland"})
    # A display that does not exist: no probe, no exception.
    assert fullscreen.detect({"DISPLAY": ":399", "XDG_SESSION_TYPE": "x11"}) is None


class FakeSessionManager:
    """Answers like gnome-session's ReconnectingClient calls (InhibitedActions, inhibitors)."""

    def __init__(self) -> None:
        self.actions = 0
        self.inhibitors = {"/org/gnome/SessionManager/Inhibitor1": ("org.gnome.Totem", "Playing",
                                                                     INHIBIT_IDLE),
                           "/org/gnome/SessionManager/Inhibitor2": ("nautilus", "Copying", 4)}

    def prop(self, target, name):
        if self.actions < 0:
            raise ConnectionError("gnome-session went away")
        return self.actions

    def method(self, target, member, signature=None, body=()):
        if member == "GetInhibitors":
            return (list(self.inhibitors),)
        app, reason, flags = self.inhibitors[target.object_path]
        return ({"GetAppId": app, "GetReason": reason, "GetFlags": flags}[member],)

    def close(self) -> None:
        pass


def test_session_inhibitors_hold_only_for_idle_and_name_who() -> None:
    manager = FakeSessionManager()
    probe = SessionInhibitProbe(manager)
    assert not probe.is_inhibited()
    manager.actions = 4  # suspend only (a file copy): not a reason to hold a break
    assert not probe.is_inhibited()
    manager.actions = 4 | INHIBIT_IDLE
    assert probe.is_inhibited()
    assert probe.who() == "org.gnome.Totem (Playing)"
    manager.actions = -1  # unreadable: no hold rather than one that never ends
    assert not probe.is_inhibited()


def test_holds_without_gnome_session_or_display() -> None:
    holds = fullscreen.detect_holds({}, platform="linux")
    assert holds.probes == {}
    assert "cannot tell" in holds.sees()
    windows = fullscreen.detect_holds({}, platform="win32")
    assert list(windows.probes) == [fullscreen.FULLSCREEN]

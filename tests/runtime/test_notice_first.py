"""Where no window can be seen (a Wayland compositor without a protocol for it), a due break is
offered by its notification alone; the window opens when the user acts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tray_app.core.model import Phase
from tray_app.platform.fullscreen import choose as fullscreen
from tray_app.shell.notice_first import NotificationFirstPrompt


@dataclass
class FakeState:
    phase: Phase


class Window:
    """Stands in for the Tk window prompt (the thing under test is the wrapper)."""

    def __init__(self, console: Any = None) -> None:
        self.shown: list[Any] = []
        self.closed = 0
        self.console = console

    def plan(self, state: Any) -> str:
        return "plan"

    def show(self, view: Any, state: Any) -> None:
        self.shown.append(view)

    def present(self) -> bool:
        return bool(self.shown)

    def close(self) -> None:
        self.closed += 1


def test_a_due_break_opens_no_window_until_the_user_starts_it() -> None:
    window = Window()
    prompt = NotificationFirstPrompt(window)
    assert prompt.plan(FakeState(Phase.BREAK_DUE)) == "plan"
    prompt.show("due", FakeState(Phase.BREAK_DUE))
    assert window.shown == []
    prompt.show("started", FakeState(Phase.ON_BREAK))  # Start break, from anywhere
    assert window.shown == ["started"]
    prompt.close()
    prompt.show("due again", FakeState(Phase.BREAK_DUE))  # after a snooze: again withheld
    assert window.shown == ["started"] and window.closed == 1


def test_launching_sitbreak_again_is_asking_for_the_window() -> None:
    window = Window()
    prompt = NotificationFirstPrompt(window)
    prompt.show("due", FakeState(Phase.BREAK_DUE))
    assert prompt.present() is True and window.shown == ["due"]
    prompt.show("snooze options changed", FakeState(Phase.BREAK_DUE))  # kept in step now
    assert window.shown == ["due", "snooze options changed"]


def test_holds_are_blind_only_on_wayland_without_a_window_probe() -> None:
    wayland = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "/nonexistent/wayland-9",
               "XDG_CURRENT_DESKTOP": "river"}
    holds = fullscreen.detect_holds(wayland, platform="linux")
    assert holds.blind and "only its notification" in holds.sees()
    assert not fullscreen.detect_holds({}, platform="linux").blind  # no session: nothing pops
    assert not fullscreen.detect_holds(wayland, platform="darwin").blind


def test_the_console_still_prints_a_withheld_break() -> None:
    console = Window()
    prompt = NotificationFirstPrompt(Window(console=console))
    prompt.show("due", FakeState(Phase.BREAK_DUE))
    assert console.shown == ["due"] and prompt.window.shown == []

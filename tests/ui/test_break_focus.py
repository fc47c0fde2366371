"""Where the desktop does not give the break window the keyboard, the window says how to reach
it (issue 22, item 4), and the launcher reports the truth in its "focused" event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.desktop import Display
from tests.ui.test_break_window import OFFERED, Window, make_request, screen, window_ids  # noqa: F401
from tray_app.platform.focus.common import Focus
from tray_app.ui.windows.break_window import NO_KEYBOARD_LINE

pytestmark = pytest.mark.desktop


class Refusing:
    name = "test"

    def __init__(self) -> None:
        self.pids: list[int] = []

    def focus(self, pid: int) -> Focus:
        self.pids.append(pid)
        return Focus(False, "the compositor kept the keyboard elsewhere")


@pytest.fixture
def refused(screen: Display) -> Iterator[tuple[Window, Refusing]]:  # noqa: F811
    win = Window(screen)
    focuser = Refusing()
    win.client._focuser = focuser
    yield win, focuser
    win.close()


def test_without_the_keyboard_the_window_says_to_click_it(
        refused: tuple[Window, Refusing]) -> None:
    win, focuser = refused
    win.open(make_request())
    win.next("layout")
    focused = win.next("focused")
    assert focused["keyboard"] is False and focused["via"] == "test"
    assert "kept the keyboard elsewhere" in focused["detail"]
    assert focuser.pids == [win.client.pid]
    drawn = win.show(OFFERED)
    assert drawn["keys"] == NO_KEYBOARD_LINE
    win.click("keys")  # a click gives it the keyboard: the keys come back
    drawn = win.show(OFFERED)
    assert "Enter or Space" in drawn["keys"], drawn

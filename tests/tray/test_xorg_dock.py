"""When the xorg icon asks the tray host to dock it again (fake clock, fake X connection)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tray_app.ui.tray.xorg_dock import XorgDock

T = TypeVar("T")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Icon:
    def __init__(self) -> None:
        self.shows = 0
        self._window = object()

    def _show(self) -> None:
        self.shows += 1


class X11:
    """Answers the dock check with `docked` instead of asking a server."""

    def __init__(self) -> None:
        self.docked = False
        self.asked = 0

    def run(self, query: Callable[[Any], T], default: T, what: str) -> T:
        self.asked += 1
        return self.docked  # type: ignore[return-value]


def dock(gaps: tuple[float, ...] = (0.5, 1.0, 2.0)) -> tuple[XorgDock, Icon, X11, Clock]:
    icon, x11, clock = Icon(), X11(), Clock()
    return XorgDock(icon, x11, clock, gaps), icon, x11, clock


def test_nothing_is_planned_before_the_icon_is_shown() -> None:
    d, icon, _, _ = dock()
    d.host_changed()
    assert d.timeout() is None
    d.check_if_due()
    assert icon.shows == 0


def test_asks_again_with_growing_gaps_until_docked() -> None:
    d, icon, x11, clock = dock()
    d.shown()
    assert d.timeout() == 0.5
    clock.now += 0.4
    d.check_if_due()
    assert icon.shows == 0  # not due yet
    clock.now += 0.1
    d.check_if_due()
    assert icon.shows == 1 and d.timeout() == 1.0
    clock.now += 1.0
    d.check_if_due()
    assert icon.shows == 2 and d.timeout() == 2.0
    x11.docked = True
    clock.now += 2.0
    d.check_if_due()
    assert icon.shows == 2  # in the tray: no request
    assert d.timeout() is None  # and no more checks, so the worker sleeps until woken


def test_gives_up_after_the_last_gap_until_a_host_appears() -> None:
    d, icon, _, clock = dock(gaps=(0.5, 1.0))
    d.shown()
    for _ in range(5):
        clock.now += 10
        d.check_if_due()
    assert icon.shows == 2 and d.timeout() is None
    d.host_changed()  # a panel started
    assert d.timeout() == 0.0
    d.check_if_due()
    assert icon.shows == 3 and d.timeout() == 1.0  # and the gaps start over


def test_without_a_connection_it_cannot_look_so_it_asks() -> None:
    icon, clock = Icon(), Clock()
    d = XorgDock(icon, None, clock, (0.5,))
    d.shown()
    clock.now += 1
    d.check_if_due()
    assert icon.shows == 1 and d.timeout() is None

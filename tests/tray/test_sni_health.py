"""TrayHealth with the SNI icon: docking comes from the icon, the bus's end ends the process."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import pytest

from tray_app.platform.tray.health import NO_SNI_HOST_LINE, TrayHealth, no_host_line


class Runtime:
    def __init__(self) -> None:
        self.adapters = SimpleNamespace(details={})
        self.ticks = 0
        self.stopped = False

    def post_tick(self) -> None:
        self.ticks += 1

    def wait(self, _timeout: float | None = None) -> bool:
        return self.stopped

    def stop(self) -> None:
        self.stopped = True


def health(said: list[str], exits: list[int]) -> tuple[TrayHealth, Runtime]:
    rt = Runtime()
    return TrayHealth(rt, "sni", said.append, exit_process=exits.append), rt


def test_the_icon_reports_docking_and_gets_its_connection() -> None:
    said: list[str] = []
    h, rt = health(said, [])
    icon: Any = SimpleNamespace(on_docked=None, open_bus=None)
    h.follow(icon)
    assert callable(icon.open_bus)  # opened by the platform layer, not by ui/
    hosts: list[bool] = []
    h.on_host = lambda: hosts.append(True)
    icon.on_docked(True)
    assert rt.adapters.details["tray_docked"] is True and hosts == [True]
    rt.adapters.details["tray_problem"] = "x"
    icon.on_docked(False)
    assert rt.adapters.details["tray_docked"] is False
    icon.on_docked(True)
    assert "tray_problem" not in rt.adapters.details  # status stops saying there is no icon


def test_no_host_line_names_the_sni_panels_and_status_keeps_it() -> None:
    said: list[str] = []
    h, rt = health(said, [])
    rt.adapters.details["tray_docked"] = False
    h._no_host_yet()
    assert said == [no_host_line(True, "sni")]
    assert "waybar" in said[0] and NO_SNI_HOST_LINE.format(window="") != said[0]
    assert rt.adapters.details["tray_problem"] == said[0]


def test_the_bus_ending_ends_the_process_with_the_icons_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging, "shutdown", lambda: None)  # pytest's handlers stay open
    said: list[str] = []
    exits: list[int] = []
    h, rt = health(said, exits)
    icon: Any = SimpleNamespace(on_docked=None, open_bus=None,
                                lost="the session D-Bus went away (reset)")
    h.follow(icon)
    h.check_display()
    assert rt.stopped and exits == [0]
    assert said == ["the session D-Bus went away (reset): stopping; the sitting stretch so far "
                    "is recorded"]

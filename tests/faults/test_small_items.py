"""Issue 26 item 13, the smaller ones within reach: `pause --until ''` paused indefinitely, and
a pause message with both `seconds` and `until_wall` silently dropped one."""

from __future__ import annotations

import argparse

import pytest

from tray_app.cli.commands import UsageError, pause
from tray_app.core.commands import BadCommand, command_event


def test_pause_until_an_empty_time_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="bad time ''"):
        pause(argparse.Namespace(until="", duration=None))


def test_pause_with_both_seconds_and_until_is_refused() -> None:
    with pytest.raises(BadCommand, match="not both"):
        command_event("pause", {"seconds": 600, "until_wall": 1_780_000_000.0})
    assert command_event("pause", {"seconds": 600}).seconds == 600  # type: ignore[attr-defined]


def test_a_pause_beyond_today_shows_its_day() -> None:
    """`pause 168h` and `pause --until` an hour already past today showed a bare time."""
    from tray_app.core.status import when_text

    now = 1_780_000_000.0  # Thu 28 May 2026 20:26 UTC
    assert when_text(now + 3600, now, 0) == "21:26"
    assert when_text(now + 12 * 3600, now, 0) == "tomorrow 08:26"
    assert when_text(now + 168 * 3600, now, 0) == "Thu 4 Jun 20:26"
    assert when_text(now + 2 * 3600, now, 7200) == "tomorrow 00:26"  # past local midnight


def test_break_now_outside_working_hours_is_refused_saying_why() -> None:
    """It replied "On a break" while status said off hours, and left a `started` row that
    never ended."""
    from tests.fakes import Sim
    from tray_app.core.events import TakeBreakNow
    from tray_app.core.model import Phase, ScheduleSettings, Settings
    from tray_app.core.state import Refused

    sim = Sim(settings=Settings(schedule=ScheduleSettings(days=(0, 1, 2, 3, 4),
                                                          hours=((9 * 60, 17 * 60),))))
    assert sim.state.phase is Phase.OFF_HOURS  # Monday 08:00
    with pytest.raises(Refused, match="outside your working hours"):
        sim.send(TakeBreakNow())
    assert sim.state.phase is Phase.OFF_HOURS and sim.state.session is None

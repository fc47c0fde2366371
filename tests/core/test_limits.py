"""The longest pause and snooze: the command line, the control socket and the core agree."""

from __future__ import annotations

import pytest

from tests.fakes import Sim
from tray_app.cli.commands import _duration
from tray_app.core.commands import BadCommand, command_event
from tray_app.core.limits import PAUSE_S, SNOOZE_S
from tray_app.core.machine import step
from tray_app.core.model import Phase, Settings, SittingSettings
from tray_app.core.state import State
from tray_app.support.exit_codes import UsageError


def _due() -> State:
    """A break is due: both a pause and a snooze make sense."""
    sim = Sim(Settings(sitting=SittingSettings(break_after=600.0)))
    sim.run(600.0)
    assert sim.state.phase is Phase.BREAK_DUE
    return sim.state


def _cli_accepts(seconds: int, limits: tuple[float, float]) -> bool:
    try:
        _duration(f"{seconds}s", limits)
    except UsageError:
        return False
    return True


def _socket_accepts(cmd: str, params: dict[str, float]) -> bool:
    """What the control channel does with a request: build the event, then step the core."""
    try:
        step(_due(), command_event(cmd, params))
    except (BadCommand, ValueError):
        return False
    return True


@pytest.mark.parametrize(("cmd", "limits"), [("pause", PAUSE_S), ("snooze", SNOOZE_S)])
def test_the_cli_and_the_socket_accept_exactly_the_same_range(
        cmd: str, limits: tuple[float, float]) -> None:
    low, high = int(limits[0]), int(limits[1])
    for seconds, ok in ((0, False), (low, True), (high, True), (high + 1, False)):
        assert _cli_accepts(seconds, limits) is ok, (cmd, seconds)
        assert _socket_accepts(cmd, {"seconds": seconds}) is ok, (cmd, seconds)


def test_a_pause_until_a_wall_time_has_the_same_longest_pause() -> None:
    wall = _due().wall
    assert _socket_accepts("pause", {"until_wall": wall + PAUSE_S[1]})
    assert not _socket_accepts("pause", {"until_wall": wall + PAUSE_S[1] + 60})


def test_an_eight_day_pause_is_refused_everywhere_and_seven_days_taken() -> None:
    """The way it was found: `pause 8d` refused by the CLI, accepted over the socket."""
    with pytest.raises(UsageError, match="from 1s to 7d"):
        _duration("8d", PAUSE_S)
    assert not _socket_accepts("pause", {"seconds": 8 * 86400})
    assert _duration("7d", PAUSE_S) == 7 * 86400 == _duration("6 days 24h", PAUSE_S)
    assert _socket_accepts("pause", {"seconds": 7 * 86400})

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

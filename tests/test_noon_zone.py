"""The zone the suite runs in (tests/conftest.py): local noon, whatever the hour."""

from __future__ import annotations

import os
import time

import pytest

from tests.desktop import noon_zone

DAY_START = 1_780_012_800  # 2026-05-29 00:00 UTC


@pytest.mark.parametrize("minute", range(0, 24 * 60, 7))
def test_every_hour_of_the_day_becomes_about_noon(minute: int) -> None:
    now = DAY_START + minute * 60 + 17
    saved = os.environ["TZ"]
    os.environ["TZ"] = noon_zone(now)
    time.tzset()
    try:
        local = time.localtime(now)
    finally:
        os.environ["TZ"] = saved
        time.tzset()
    assert abs(local.tm_hour * 60 + local.tm_min - 12 * 60) <= 8, (minute, noon_zone(now))


def test_the_suite_runs_near_noon() -> None:
    if not os.environ.get("SITBREAK_TEST_TZ"):
        assert 11 <= time.localtime().tm_hour <= 12, time.strftime("%H:%M %z")

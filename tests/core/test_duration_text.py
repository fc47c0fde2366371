"""The one home for showing durations: each style, and that the written form reads back."""

from __future__ import annotations

from tray_app.core.duration import countdown, exact, human, parse_duration, short, table


def test_human_rounds_for_reading() -> None:
    assert [human(s) for s in (45, 60, 89, 90, 3600, 3900, 5400)] == [
        "45 s", "1 min", "1 min", "2 min", "1 h", "1 h 5 min", "1 h 30 min"]


def test_exact_never_rounds_past_the_second() -> None:
    assert [exact(s) for s in (0, 45, 60, 85, 5405)] == [
        "0 s", "45 s", "1 min", "1 min 25 s", "1 h 30 min 5 s"]


def test_countdown_rounds_up_to_whole_seconds() -> None:
    assert [countdown(s) for s in (0, 0.2, 59.5, 60, 61)] == ["0:00", "0:01", "1:00", "1:00",
                                                               "1:01"]


def test_the_written_form_reads_back() -> None:
    for seconds in (1, 59, 90, 3000, 3661, 86400):
        assert parse_duration(short(seconds)) == seconds


def test_table_keeps_columns_even() -> None:
    assert [table(s) for s in (0, 2700, 11100)] == ["0m", "45m", "3h 05m"]

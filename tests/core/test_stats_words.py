"""The statistics words, each defined by exactly one kind of history row (core.stats)."""

from __future__ import annotations

from tray_app.core.model import Kind, Row
from tray_app.core.stats import fold


def test_each_word_counts_its_own_rows() -> None:
    rows = [
        Row(Kind.BREAK_OFFERED, 1.0),
        Row(Kind.BREAK_STARTED, 2.0),
        Row(Kind.EXERCISE, 3.0, 90.0, "bird-dog", "core"),
        Row(Kind.EXERCISE, 3.0, 30.0, "bridge", "hip-extensors"),
        Row(Kind.COMPLETED, 3.0, 120.0),
        Row(Kind.BREAK_OFFERED, 4.0),
        Row(Kind.BREAK_STARTED, 5.0),
        Row(Kind.EXERCISE, 6.0, 20.0, "bird-dog", "core"),
        Row(Kind.SNOOZED, 6.0, 300.0),  # started, then snoozed: not taken
        Row(Kind.BREAK_STARTED, 7.0),
        Row(Kind.EXERCISE, 8.0, 4.0, "bridge", "hip-extensors"),
        Row(Kind.ENDED_EARLY, 8.0, 4.0),
        Row(Kind.SKIPPED, 9.0),
        Row(Kind.NATURAL_BREAK, 10.0, 600.0),
    ]
    day = fold(rows)
    assert (day.breaks_offered, day.breaks_started, day.breaks_taken) == (2, 3, 2)
    assert (day.completed, day.ended_early, day.snoozed, day.skipped) == (1, 1, 1, 1)
    assert day.natural_breaks == 1
    assert day.exercise_minutes_by_category == {"core": 110 / 60, "hip-extensors": 34 / 60}


def test_rows_from_before_exercise_rows_still_count_once_per_break() -> None:
    rows = [
        Row(Kind.COMPLETED, 1.0, 60.0, "a", "core", "routine 1/2"),
        Row(Kind.COMPLETED, 1.0, 60.0, "b", "posture", "routine 2/2"),
    ]
    day = fold(rows)
    assert (day.completed, day.breaks_taken) == (1, 1)
    assert day.exercise_minutes_by_category == {"core": 1.0, "posture": 1.0}


def test_json_numbers_are_whole_seconds() -> None:
    day = fold([Row(Kind.STRETCH_ENDED, 1.0, 393.00540686600004)])
    assert day.as_dict()["sitting_seconds"] == 393


def test_every_word_is_defined_for_the_window_and_in_the_readme() -> None:
    from pathlib import Path

    from tray_app.core.stats import WORDS
    from tray_app.ui.windows.stats_window import definitions

    words = ("breaks_offered", "breaks_started", "breaks_taken", "completed", "ended_early",
             "snoozed", "skipped", "natural_breaks")
    assert set(words) <= set(WORDS)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    shown = definitions()
    for word in words:
        assert f"| `{word}` |" in readme, word
        assert WORDS[word] in shown

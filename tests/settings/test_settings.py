"""Settings parsing, validation messages, and comment-keeping write-back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tray_app.core.model import Settings
from tray_app.core.problems import ProblemsError
from tray_app.settings import (
    DEFAULT_FILE,
    ensure_user_file,
    format_duration,
    load_settings,
    parse_duration,
    parse_settings,
    write_setting,
)


def test_shipped_file_is_the_documented_default() -> None:
    assert load_settings(DEFAULT_FILE) == Settings()


def test_every_shipped_key_is_commented() -> None:
    lines = DEFAULT_FILE.read_text().splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[i - 1].startswith("#"), f"key without a comment above it: {line}"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("50m", 3000), ("90s", 90), ("1h30m", 5400), ("1h", 3600), ("2m30s", 150), (50, 3000),
     ("50", 3000), (0.5, 30), ("0", 0), ("45 min", 2700)],
)
def test_durations(text, seconds) -> None:
    assert parse_duration(text) == seconds


def test_format_duration_round_trips() -> None:
    for s in (30, 90, 3000, 5400, 3661):
        assert parse_duration(format_duration(s)) == s


BAD = [
    # (file text, key named, words the fix must contain)
    ("[sitting\nbreak_after = 5", "line 1", "not valid TOML"),
    ('[sitting]\nbreak_after = "5x"', "sitting.break_after", "1h30m"),
    ('[sitting]\nbreak_after = "-5m"', "sitting.break_after", "negative"),
    ('[sitting]\nbreak_after = "0m"', "sitting.break_after", "more than zero"),
    ('[sitting]\nidle_reset = true', "sitting.idle_reset", "duration"),
    ('[sitting]\nbreak_afte = "50m"', "sitting.break_afte", "did you mean 'break_after'"),
    ('[sittin]\nbreak_after = "50m"', "sittin", "did you mean 'sitting'"),
    ('[breaks]\nstrict = "yes"', "breaks.strict", "true or false"),
    ('[breaks]\nheads_up = "2h"', "breaks.heads_up", "shorter than"),
    ('[snooze]\noptions = "5m, 10m"', "snooze.options", "1h30m"),
    ("[snooze]\nmax_per_break = -1", "snooze.max_per_break", "from 0 to 100"),
    ("[snooze]\nmax_per_break = 2.5", "snooze.max_per_break", "whole number"),
    ('[snooze]\noptions = []\nmax_per_break = 2', "snooze.options", "max_per_break = 0"),
    ('[schedule]\ndays = ["monday", "funday"]', "schedule.days", '"mon"'),
    ('[schedule]\nhours = ["9-17"]', "schedule.hours", "09:00-17:30"),
    ('[schedule]\nday_starts = "25:00"', "schedule.day_starts", "between"),
    ('[schedule]\ndays = []', "schedule.days", "must not be empty"),
    ('[exercises]\nplaces = ["desk"]', "exercises.places", '"chair"'),
    ("[history]\nkeep_days = 0", "history.keep_days", "from 1 to"),
    ('[smart_pause]\nmax_delay = "soon"', "smart_pause.max_delay", "duration"),
    ("sitting = 5", "sitting", "[sitting]"),
]


@pytest.mark.parametrize(("text", "key", "fix"), BAD)
def test_bad_files_name_the_key_and_the_fix(tmp_path: Path, text: str, key: str, fix: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text)
    with pytest.raises(ProblemsError) as err:
        load_settings(path)
    message = str(err.value)
    assert str(path) in message
    assert key in message
    assert fix in message


def test_all_problems_are_reported_at_once_with_lines(tmp_path: Path) -> None:
    text = '[sitting]\nbreak_after = "x"\nidle_reset = -3\n\n[breaks]\nstric = true\n'
    with pytest.raises(ProblemsError) as err:
        parse_settings(text, "s.toml")
    problems = err.value.problems
    assert {p.key for p in problems} == {"sitting.break_after", "sitting.idle_reset",
                                        "breaks.stric"}
    assert {p.line for p in problems} == {2, 3, 6}
    assert 's.toml:2: sitting.break_after: bad value (got "x")' in str(err.value)


def test_missing_file_is_a_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_first_run_copies_the_default(tmp_path: Path) -> None:
    target = tmp_path / "cfg" / "sitbreak" / "settings.toml"
    assert ensure_user_file(target)
    assert target.read_text() == DEFAULT_FILE.read_text()
    target.write_text("# mine\n")
    assert not ensure_user_file(target)
    assert target.read_text() == "# mine\n"


def test_write_setting_keeps_comments_and_order(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    ensure_user_file(path)
    before = path.read_text()
    write_setting(path, "sitting.break_after", "40m")
    after = path.read_text()
    assert load_settings(path).sitting.break_after == 2400
    assert after.replace('break_after = "40m"', 'break_after = "50m"') == before


def test_write_setting_refuses_a_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "oops"\n')
    with pytest.raises(ProblemsError):
        write_setting(path, "posture.every", "0m")
    assert path.read_text() == '[sitting]\nbreak_after = "oops"\n'


def test_write_setting_refuses_an_invalid_value(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    ensure_user_file(path)
    before = path.read_text()
    with pytest.raises(ProblemsError):
        write_setting(path, "sitting.break_after", "-1m")
    assert path.read_text() == before

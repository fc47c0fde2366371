"""Issue 13: every mistake named at once, with file, line, key, value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.test_runtime import faked, fast
from tray_app.cli import commands, main
from tray_app.core.problems import ProblemsError
from tray_app.settings.full import check_all

FIVE = """\
# my settings
[sitting]
break_after = "5s"
idle_reset = "soon"

[breaks]
strict = "yes"

[schedule]
days = ["monkey"]

[snooze]
max_per_break = -2
"""


def test_five_mistakes_are_all_reported_with_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "five.toml"
    path.write_text(FIVE)
    assert main(["check-settings", str(path)]) == 2
    out = capsys.readouterr().err.splitlines()
    assert len(out) == 5, out
    expected = [
        (3, "sitting.break_after and breaks.heads_up"),  # 5 s leaves no room for the 1 min heads-up
        (4, "sitting.idle_reset"),
        (7, "breaks.strict"),
        (10, "schedule.days"),
        (13, "snooze.max_per_break"),
    ]
    for line, key in expected:
        assert any(o.startswith(f"{path}:{line}: {key}") for o in out), (line, key, out)


def test_a_rule_between_two_keys_names_both_with_both_lines() -> None:
    text = '[sitting]\nbreak_after = "5s"\n\n[breaks]\nheads_up = "1m"\n'
    problems = check_all(text, "s.toml").problems
    assert len(problems) == 1
    message = str(problems[0])
    assert message.startswith("s.toml:2: sitting.break_after and breaks.heads_up")
    assert 'break_after = "5s" on line 2' in message
    assert 'heads_up = "1m" on line 5' in message


def test_a_rule_with_a_key_the_user_never_wrote_says_it_is_the_default() -> None:
    problems = check_all('[sitting]\nbreak_after = "5s"\n', "s.toml").problems
    message = str(problems[0])
    assert message.startswith("s.toml:2: sitting.break_after")
    assert 'breaks.heads_up is "1m" (the default: it is not in the file)' in message


def test_cross_key_rules_are_reported_beside_other_mistakes() -> None:
    text = '[sitting]\nbreak_after = "5s"\nidle_reset = "x"\n'
    keys = {p.key for p in check_all(text, "s.toml").problems}
    assert keys == {"sitting.break_after and breaks.heads_up", "sitting.idle_reset"}


def test_exclusions_that_match_nothing_are_reported_with_a_suggestion() -> None:
    text = '[exercises]\nexclude = ["dead-bugg", "kneeling", "zzzz"]\n'
    problems = check_all(text, "s.toml").problems
    assert [p.value for p in problems] == ['"dead-bugg"', '"zzzz"']
    assert "did you mean 'dead-bug'" in str(problems[0])
    assert all(p.line == 2 and p.key == "exercises.exclude" for p in problems)
    assert "sitbreak exercises --all" in str(problems[1])


def test_check_settings_of_a_missing_file_says_it_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-settings", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err
    assert "nope.toml: does not exist" in err
    assert "--config" not in err


def test_the_broken_settings_notification_names_the_file_in_use(tmp_path: Path) -> None:
    path = tmp_path / "fast.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n')
    _rt, ad, timer = faked(fast(3000.0), path)
    path.write_text('[sitting]\nbreak_after = "forty"\n')
    timer.advance(5.0)  # the next heartbeat reads the file
    assert ad.notifier.shown == [("info", "sitbreak: fast.toml has a problem")]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "seconds"),
    [(["snooze", "1", "min"], 60), (["snooze", "1 min"], 60), (["snooze", "90s"], 90),
     (["pause", "2", "h", "30", "min"], 9000), (["pause", "1h30m"], 5400),
     (["snooze", "1 min 25 s"], 85), (["pause", "10", "minutes"], 600)],
)
def test_the_cli_accepts_the_durations_its_messages_show(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], seconds: float
) -> None:
    sent: list[dict] = []
    monkeypatch.setattr(commands, "_send", lambda req: (sent.append(req), (0, {}))[1])
    assert main(argv) == 0
    assert sent == [{"cmd": argv[0], "seconds": seconds}]


def test_problems_are_raised_not_printed_for_the_library() -> None:
    from tray_app.settings import parse_settings

    with pytest.raises(ProblemsError):
        parse_settings(FIVE, "five.toml")


def test_the_settings_window_of_a_missing_file_says_so_before_any_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert main(["settings", "--config", str(tmp_path / "gone.toml")]) == 2
    assert "gone.toml: does not exist" in capfd.readouterr().err

"""Issue 25 bug 11: every command's page has a description and every option a help text, and
a negative duration gets the duration message, not argparse's "unrecognized arguments"."""

from __future__ import annotations

import argparse

import pytest

from tray_app.cli import build_parser, main
from tray_app.support.exit_codes import EXIT_USAGE


def _pages(parser: argparse.ArgumentParser, name: str = "sitbreak"
           ) -> list[tuple[str, argparse.ArgumentParser]]:
    out = [(name, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                out += _pages(sub, f"{name} {sub_name}")
    return out


def test_every_page_has_a_description_and_every_option_a_help_text() -> None:
    missing = []
    for name, page in _pages(build_parser()):
        if not page.description:
            missing.append(f"{name}: no description")
        for action in page._actions:
            if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
                continue
            if not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert missing == [], missing


@pytest.mark.parametrize("argv", [["pause", "-1m"], ["snooze", "-5m"], ["pause", "-5", "m"]])
def test_a_negative_duration_gets_the_duration_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "must not be negative" in err and "unrecognized" not in err


def test_an_unknown_option_is_still_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["pause", "--bogus"])
    assert exit_.value.code == EXIT_USAGE
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


@pytest.mark.parametrize("days", ["x", "0", "-3"])
def test_stats_days_is_explained_in_the_apps_words(
    days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["stats", "--days", days])
    assert exit_.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "is not a number of days; give a whole number, 1 or more" in err
    assert "invalid int value" not in err

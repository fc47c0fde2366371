"""Usage mistakes end with exit code 2 and say what is wrong (no SystemExit tricks)."""

from __future__ import annotations

import pytest

from tray_app.cli import main
from tray_app.support.exit_codes import EXIT_USAGE


def test_usage_errors_exit_2_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pause", "30m", "--until", "10:00"]) == EXIT_USAGE
    assert "not both" in capsys.readouterr().err
    assert main(["snooze", "forever"]) == EXIT_USAGE
    assert "bad duration 'forever'" in capsys.readouterr().err
    assert main(["pause", "--until", "25:99"]) == EXIT_USAGE
    assert "bad time '25:99'" in capsys.readouterr().err

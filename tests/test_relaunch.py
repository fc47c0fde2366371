"""cli.relaunch: which command `run` starts afresh with, and what it hands over."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tray_app.cli import relaunch
from tray_app.shell.run_options import RunOptions


def test_a_script_with_a_hash_bang_is_started_again_by_its_own_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "sitbreak"
    script.write_text("#!/usr/bin/python3\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script), "run"])
    monkeypatch.setattr(sys, "orig_argv", ["/usr/bin/python3", str(script), "run"])
    assert relaunch.same_command() == (str(script), [str(script), "run"])


def test_otherwise_the_interpreter_runs_the_same_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/src/tray_app/__main__.py", "run", "--console"])
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-X", "dev", "-m", "tray_app", "run",
                                           "--console"])
    assert relaunch.same_command() == (
        sys.executable, [sys.executable, "-X", "dev", "-m", "tray_app", "run", "--console"])


def test_the_options_come_back_once_and_only_for_the_same_arguments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed = {"argv": ["run", "--console"], "options": {
        "config": "/home/me/s.toml", "verbose": True, "console": True, "no_window": False}}
    monkeypatch.setattr(sys, "argv", ["sitbreak", "run", "--console"])
    monkeypatch.setenv(relaunch.ENV, json.dumps(handed))
    assert relaunch.resumed() == RunOptions(Path("/home/me/s.toml"), True, True, False)
    assert relaunch.resumed() is None  # taken out of the environment
    monkeypatch.setenv(relaunch.ENV, json.dumps(handed))
    monkeypatch.setattr(sys, "argv", ["sitbreak", "status"])
    assert relaunch.resumed() is None
    monkeypatch.setenv(relaunch.ENV, "{not json")
    assert relaunch.resumed() is None

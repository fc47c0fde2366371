"""`sitbreak exercises --check` and the settings window say what a setting cannot offer
(core.picker.coverage), from one formatter (exercises.format.coverage_lines)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop import Display
from tray_app.cli import main
from tray_app.support.resources import default_settings_file

ROOT = Path(__file__).resolve().parents[2]


def settings_with(tmp_path: Path, places: str, length: str) -> Path:
    text = default_settings_file().read_text()
    text = text.replace('places = ["chair", "standing"]', f"places = {places}")
    text = text.replace('length = "2m"', f'length = "{length}"')
    path = tmp_path / "settings.toml"
    path.write_text(text)
    return path


def test_check_says_all_is_offered_by_default(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    assert main(["exercises", "--check", "--config",
                 str(settings_with(tmp_path, '["chair", "standing"]', "2m"))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Every category can be offered at breaks of 2 min")
    assert "every break gets you up" in out


def test_check_names_what_a_thin_setting_lacks_and_the_fix(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:  # fmt: skip
    assert main(["exercises", "--check", "--config",
                 str(settings_with(tmp_path, '["chair", "standing"]', "30s"))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("What these settings cannot offer:")
    assert "no psoas-strength exercise fits a 30 s break" in out
    assert "[breaks] length" in out and "standing up and walking" in out


@pytest.mark.desktop
@pytest.mark.e2e
def test_the_settings_window_shows_the_same_words(display: Display, tmp_path: Path) -> None:
    path = settings_with(tmp_path, '["floor"]', "90s")
    runtime = tmp_path / "run"  # the window's one-per-user lock: this test's own
    runtime.mkdir(mode=0o700)
    env = display.env(NO_AT_BRIDGE="1", XDG_RUNTIME_DIR=str(runtime),
                      XDG_CACHE_HOME=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "settings", "--json",
                             "--config", str(path)], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        checked = None
        for line in proc.stdout:
            event = json.loads(line)
            if event.get("event") == "checked":
                checked = event
                break
        assert checked is not None, proc.stderr.read() if proc.stderr else ""
        from tray_app.exercises.format import coverage_lines
        from tray_app.exercises.loader import read_builtin
        from tray_app.settings import load_settings

        assert checked["coverage"] == coverage_lines(read_builtin(), load_settings(path))
        assert any("no stretch fits" in c for c in checked["coverage"])
    finally:
        proc.terminate()
        proc.wait(10)

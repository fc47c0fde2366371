"""Issue 27: `--help` speaks the settings file's `[general] language` too (docs/translations.md):
the file `--config` names, else the user's own; the real sitbreak run as a process, on an
English (C) locale with nothing else asking for a language."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox

# A C locale; conftest's SITBREAK_LANGUAGE=en and any inherited setting emptied.
PLAIN = {"LANG": "C", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "SITBREAK_LANGUAGE": "",
         "SITBREAK_LANGUAGE_SETTING": ""}


def _settings(path: Path, language: str | None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    general = "" if language is None else f'[general]\nlanguage = "{language}"\n'
    path.write_text(general + "[breaks]\nlength = \"5m\"\n")
    return path


@pytest.mark.e2e
def test_help_follows_the_language_of_the_file_config_names(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, PLAIN)
    german = _settings(tmp_path / "de.toml", "de")
    done = box.cli("--config", str(german), "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Aufruf: sitbreak"), done.stdout
    assert "jetzt eine Pause beginnen" in done.stdout
    # --config=PATH and after the command name: argparse takes both.
    done = box.cli("pause", f"--config={german}", "--help")
    assert done.stdout.startswith("Aufruf: sitbreak pause"), done.stdout
    english = box.cli("--config", str(_settings(tmp_path / "en.toml", None)), "--help")
    assert english.stdout.startswith("usage: sitbreak"), english.stdout
    assert "start a break now" in english.stdout


@pytest.mark.e2e
def test_help_follows_the_users_own_file(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, PLAIN)
    assert box.cli("--help").stdout.startswith("usage: sitbreak")  # no file yet: the locale
    _settings(tmp_path / "config" / "sitbreak" / "settings.toml", "fr")
    done = box.cli("--help")
    assert done.stdout.startswith("utilisation : sitbreak"), done.stdout
    assert "commencer une pause maintenant" in done.stdout
    # SITBREAK_LANGUAGE still wins over the file.
    polish = Sandbox(tmp_path, {**PLAIN, "SITBREAK_LANGUAGE": "pl"}).cli("--help")
    assert polish.stdout.startswith("użycie: sitbreak"), polish.stdout


@pytest.mark.e2e
def test_a_broken_file_leaves_the_help_in_the_locales_language(tmp_path: Path) -> None:
    box = Sandbox(tmp_path, PLAIN)
    broken = tmp_path / "broken.toml"
    broken.write_text('[general]\nlanguage = "de\n')
    done = box.cli("--config", str(broken), "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: sitbreak"), done.stdout
    assert done.stderr == ""
    # The command that reads the file says what is wrong with it.
    check = box.cli("--config", str(broken), "check-settings")
    assert check.returncode != 0 and "broken.toml" in check.stderr, check.stderr

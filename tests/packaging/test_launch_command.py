"""The command written into autostart and the launcher is the one running now, and exists."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tray_app.platform.autostart.choose import NoLaunchCommand, default_command, default_icon


def test_started_as_the_sitbreak_script_gives_that_script(tmp_path: Path) -> None:
    script = tmp_path / "bin" / "sitbreak"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    assert default_command("linux", argv0=str(script)) == [str(script), "run"]


def test_a_relative_script_path_becomes_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sitbreak").write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    assert default_command("linux", argv0="./sitbreak") == [str(tmp_path / "sitbreak"), "run"]


def test_otherwise_this_python_with_dash_m(tmp_path: Path) -> None:
    """`python main.py` or `python -m tray_app`: this interpreter, which imports sitbreak from
    any folder (the test venv has it installed in editable mode)."""
    for argv0 in (str(Path(sys.executable).parents[2] / "main.py"), "-m",
                  str(tmp_path / "sitbreak")):  # a script name that is not there
        assert default_command("linux", argv0=argv0) == [sys.executable, "-m", "tray_app", "run"]


def test_a_python_that_cannot_import_sitbreak_from_elsewhere_is_refused(tmp_path: Path) -> None:
    isolated = tmp_path / "python3"  # -I -S: no site-packages, no current folder
    isolated.write_text(f'#!/bin/sh\nexec "{sys.executable}" -I -S "$@"\n')
    isolated.chmod(0o755)
    with pytest.raises(NoLaunchCommand, match="cannot start this sitbreak from another folder"):
        default_command("linux", argv0="main.py", python=str(isolated))


def test_a_missing_python_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NoLaunchCommand, match="cannot find the Python running sitbreak"):
        default_command("linux", argv0="main.py", python=str(tmp_path / "gone" / "python3"))


def test_the_icon_is_the_packaged_png(tmp_path: Path) -> None:
    # No icon theme has sitbreak here (see test_desktop_entry for the themed name).
    icon = Path(default_icon({"XDG_DATA_HOME": str(tmp_path), "XDG_DATA_DIRS": str(tmp_path)}))
    assert icon.is_absolute() and icon.is_file()
    assert icon.parts[-3:] == ("data", "icons", "sitbreak-256.png")
    assert os.access(icon, os.R_OK)

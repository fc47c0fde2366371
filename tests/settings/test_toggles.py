"""Issue 13: tray toggles keep the user's own values; Break every shows the exact value;
Open settings file never fails silently."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.tray.test_tray_unit import controller, patched_icon, sitting  # noqa: F401
from tray_app.core.menu import build_menu, find_action
from tray_app.core.model import Settings, SittingSettings
from tray_app.settings import DEFAULT_FILE, load_settings
from tray_app.ui.tray.open_settings import open_settings_file


def _user_file(tmp_path: Path, every: str) -> Path:
    path = tmp_path / "settings.toml"
    shutil.copyfile(DEFAULT_FILE, path)
    path.write_text(path.read_text().replace('every = "20m"', f'every = "{every}"'))
    return path


@pytest.mark.usefixtures("patched_icon")
def test_posture_off_and_on_keeps_the_users_interval(tmp_path: Path) -> None:
    path = _user_file(tmp_path, "1m")
    before = path.read_text()
    c, rt = controller(sitting(0, load_settings(path)), path=path)
    c.handle("toggle-posture")
    off = load_settings(path)
    assert off.posture.every == 0
    assert 'every = "1m"' in path.read_text()
    rt.state = sitting(0, off)
    assert find_action(build_menu(rt.state, {}, None), "toggle-posture").checked is False  # type: ignore[union-attr]
    c.handle("toggle-posture")
    assert load_settings(path).posture.every == 60
    assert path.read_text() == before  # back to exactly the user's file


@pytest.mark.usefixtures("patched_icon")
def test_posture_on_after_an_interval_of_zero_gives_the_default(tmp_path: Path) -> None:
    path = _user_file(tmp_path, "0m")
    c, _rt = controller(sitting(0, load_settings(path)), path=path)
    c.handle("toggle-posture")
    assert load_settings(path).posture.every == 20 * 60


def test_break_every_shows_the_exact_current_value() -> None:
    state = sitting(0, Settings(sitting=SittingSettings(break_after=90)))
    item = find_action(build_menu(state, {}, None), "break-every-90")
    assert item is not None and item.text == "1 min 30 s" and item.checked


@pytest.mark.usefixtures("patched_icon")
def test_choosing_the_current_break_every_keeps_the_users_spelling(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('# mine\n[sitting]\nbreak_after = "90s"   # short, for a demo\n')
    before = path.read_text()
    c, _rt = controller(sitting(0, load_settings(path)), path=path)
    c.handle("break-every-90")
    assert path.read_text() == before
    c.handle("break-every-2400")
    assert path.read_text() == '# mine\n[sitting]\nbreak_after = "40m"   # short, for a demo\n'


# --- Open settings file: desktop handler, editor in a terminal, window, path ------------------

def _script(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    # Only our stand-ins: no real opener or terminal of this machine is found.
    return {"PATH": str(bin_dir), "HOME": str(tmp_path), **extra}


def _open(tmp_path: Path, env: dict[str, str], window: bool = False
          ) -> tuple[str, list[tuple[str, str]]]:
    notes: list[tuple[str, str]] = []
    how = open_settings_file(tmp_path / "s.toml", lambda: window,
                             lambda t, b: notes.append((t, b)), env, settle_s=2.0)
    return how, notes


def test_a_registered_handler_opens_it(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _script(tmp_path / "bin", "xdg-open", f'echo "$1" > {tmp_path}/opened')
    assert _open(tmp_path, env) == ("desktop", [])
    assert (tmp_path / "opened").read_text().strip() == str(tmp_path / "s.toml")


def test_no_handler_falls_back_to_the_editor_in_a_terminal(tmp_path: Path) -> None:
    env = _env(tmp_path, EDITOR="myedit --flag")
    _script(tmp_path / "bin", "xdg-open", "exit 4")  # what xdg-open does with no handler
    _script(tmp_path / "bin", "xterm", f'echo "$@" > {tmp_path}/term')
    assert _open(tmp_path, env) == ("editor", [])
    assert (tmp_path / "term").read_text().split() == ["-e", "myedit", "--flag",
                                                       str(tmp_path / "s.toml")]


def test_no_handler_and_no_editor_opens_the_settings_window(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _script(tmp_path / "bin", "xdg-open", "exit 4")
    _script(tmp_path / "bin", "xterm", "exit 0")
    assert _open(tmp_path, env, window=True) == ("window", [])


def test_when_nothing_works_the_path_is_shown(tmp_path: Path) -> None:
    env = _env(tmp_path, VISUAL="vi")
    _script(tmp_path / "bin", "xdg-open", "exit 4")
    how, notes = _open(tmp_path, env, window=False)
    assert how == "path"
    (_title, body), = notes
    assert str(tmp_path / "s.toml") in body


@pytest.mark.usefixtures("patched_icon")
def test_the_tray_item_falls_back_to_the_window_off_the_tray_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in _env(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    _script(tmp_path / "bin", "xdg-open", "exit 4")
    opened: list[str] = []
    c, _rt = controller(sitting(0), path=tmp_path / "s.toml",
                        open_settings_window=lambda: opened.append("window") or True)
    c.handle("open-settings")  # returns at once; the fallbacks run on their own thread
    wait_for(lambda: opened, timeout=10, what="the settings window")

"""The settings window on a real X server, driven by the keyboard with xdotool (issue 13).

The window reports what it shows as JSON lines (`sitbreak settings --json`): which field has
the keyboard, the message beside each field and whether Save can be pressed. The file on disk
and the running app's `status` are the proof that a save worked.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.desktop import (
    Display,
    background,
    lines_of,
    require,
    tray_manager_ready,
    wait_for,
    xvfb,
)
from tests.tray.test_tray_desktop import docked_icon, private_desktop
from tray_app.settings import DEFAULT_FILE
from tray_app.settings.schema import SCHEMA
from tray_app.shell.control_channel import send_command
from tray_app.ui.windows.settings_form import GROUPS

pytestmark = [pytest.mark.desktop, pytest.mark.e2e]  # each runs sitbreak itself

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")


def user_file(path: Path) -> Path:
    """The default file as a user keeps it: an added comment and spacing of their own."""
    text = DEFAULT_FILE.read_text().replace(
        '[sitting]\n', '[sitting]\n# I get up at the tea break anyway.\n', 1
    ).replace('idle_reset = "5m"', 'idle_reset   =   "5m"   # my spacing')
    path.write_text(text)
    return path


@dataclass
class Desk:
    display: Display
    env: dict[str, str]
    tmp: Path
    settings: Path

    def window(self, *args: str) -> tuple[subprocess.Popen[str], queue.Queue[str | None]]:
        proc = subprocess.Popen([sys.executable, MAIN, "settings", "--json", "--config",
                                 str(self.settings), *args], env=self.env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return proc, lines_of(proc)

    def key(self, *keys: str) -> None:
        self.display.run("xdotool", "key", "--delay", "40", *keys)

    def type(self, text: str) -> None:
        self.display.run("xdotool", "type", "--delay", "60", text)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    require("xdotool")
    env_dirs = {}
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        env_dirs[f"XDG_{name}_HOME"] = str(folder)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    with xvfb() as d:
        env = d.env(XDG_RUNTIME_DIR=str(runtime), NO_AT_BRIDGE="1", **env_dirs)
        yield Desk(d, env, tmp_path, user_file(tmp_path / "s.toml"))


def next_event(lines: queue.Queue[str | None], event: str, timeout: float = 30,
               where: Any = None) -> dict[str, Any]:
    """The next JSON line with this event (and matching `where`), skipping the others."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"no {event!r} event within {timeout} s")
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            continue
        if line is None:
            pytest.fail(f"the window ended before a {event!r} event")
        msg = json.loads(line)
        if msg.get("event") == event and (where is None or where(msg)):
            return msg


def focused(lines: queue.Queue[str | None], key: str) -> None:
    next_event(lines, "focus", where=lambda m: m["key"] == key)


@contextlib.contextmanager
def running_app(desk: Desk) -> Iterator[Path]:
    """`sitbreak run --console` on the same file; yields its control folder."""
    with background([sys.executable, MAIN, "run", "--console", "--no-window", "--config",
                     str(desk.settings)], desk.env, cwd=ROOT):
        folder = Path(desk.env["XDG_RUNTIME_DIR"]) / "sitbreak"
        wait_for(lambda: _status(folder), timeout=30, what="the app's control channel")
        yield folder


def _status(folder: Path) -> dict[str, Any] | None:
    try:
        return send_command(folder, {"cmd": "status"})["status"]
    except Exception:
        return None


def test_change_break_after_by_keyboard_only_from_the_cli(desk: Desk) -> None:
    before = desk.settings.read_text()
    with running_app(desk) as folder:
        first = wait_for(lambda: (_status(folder) or {}).get("next_break_in_seconds"),
                         timeout=30, what="the first tick")
        assert first > 2900
        proc, lines = desk.window()
        next_event(lines, "shown")
        focused(lines, "sitting.idle_reset")  # the first field has the keyboard
        desk.key("Tab")
        focused(lines, "sitting.break_after")
        desk.type("40m")  # Tab selected the old text, so typing replaces it
        next_event(lines, "checked", where=lambda m: m["save_enabled"]
                   and m["changes"] == {"sitting.break_after": "40m"})
        desk.key("Return")
        next_event(lines, "saved")
        saved_at = time.monotonic()
        wait_for(lambda: (_status(folder) or {}).get("next_break_in_seconds", 9999) <= 2400,
                 timeout=1.0, interval=0.05, what="status to show the 40 min interval")
        assert time.monotonic() - saved_at <= 1.0
        assert proc.wait(10) == 0
    after = desk.settings.read_text()
    assert after == before.replace('break_after = "50m"', 'break_after = "40m"')


def test_a_bad_value_is_named_beside_the_field_and_save_is_disabled(desk: Desk) -> None:
    before = desk.settings.read_bytes()
    proc, lines = desk.window()
    focused(lines, "sitting.idle_reset")
    desk.key("Tab")
    focused(lines, "sitting.break_after")
    desk.type("soon")
    checked = next_event(lines, "checked", where=lambda m: "sitting.break_after" in m["problems"]
                         and '"soon"' in m["problems"]["sitting.break_after"])
    assert checked["save_enabled"] is False
    # The same words as check-settings uses for this value.
    assert "use a duration from 1s to 24h" in checked["problems"]["sitting.break_after"]
    desk.key("Return")  # Save is disabled: nothing is written
    time.sleep(0.5)
    assert desk.settings.read_bytes() == before
    desk.key("Escape")  # Cancel
    next_event(lines, "closed")
    assert proc.wait(10) == 0
    assert desk.settings.read_bytes() == before


def test_cancel_changes_nothing(desk: Desk) -> None:
    before = desk.settings.read_bytes()
    proc, lines = desk.window()
    focused(lines, "sitting.idle_reset")
    desk.type("7m")  # the first field's text is selected: typing replaces it
    next_event(lines, "checked", where=lambda m: m["save_enabled"]
               and m["changes"] == {"sitting.idle_reset": "7m"})
    desk.key("Escape")
    next_event(lines, "closed")
    assert proc.wait(10) == 0
    assert desk.settings.read_bytes() == before


def test_restore_defaults_resets_one_group(desk: Desk) -> None:
    text = desk.settings.read_text()
    desk.settings.write_text(text.replace('break_after = "50m"', 'break_after = "1h"')
                             .replace('length = "2m"', 'length = "3m"'))
    proc, lines = desk.window()
    focused(lines, "sitting.idle_reset")
    desk.key("Tab", "Tab", "space")  # past both fields to "Restore defaults: Sitting"
    checked = next_event(lines, "checked", where=lambda m: m["changes"])
    # Sitting is back to the default file's values; Breaks keeps the user's 3m.
    assert checked["changes"] == {"sitting.break_after": "50m"}
    desk.key("Escape")
    next_event(lines, "closed")
    assert proc.wait(10) == 0


@pytest.mark.slow
def test_tab_reaches_every_field_in_the_files_order(desk: Desk) -> None:
    proc, lines = desk.window()
    focused(lines, "sitting.idle_reset")
    desk.key(*["Tab"] * 70)
    seen = ["sitting.idle_reset"]
    with contextlib.suppress(BaseException):
        while True:
            msg = next_event(lines, "focus", timeout=3)
            if msg["key"] != seen[-1]:
                seen.append(msg["key"])
    expected = [f"{s}.{k}" for s, _t in GROUPS for k in SCHEMA[s]]
    assert seen[: len(expected)] == expected
    desk.key("Escape")
    proc.wait(10)


def test_a_second_request_raises_the_open_window(desk: Desk) -> None:
    proc, lines = desk.window()
    next_event(lines, "shown")
    second, second_lines = desk.window()
    next_event(second_lines, "raised")
    assert second.wait(10) == 0
    assert proc.poll() is None  # the first one is still open
    desk.key("Escape")
    assert proc.wait(10) == 0


def test_save_after_the_file_changed_on_disk_offers_to_reload(desk: Desk) -> None:
    proc, lines = desk.window()
    focused(lines, "sitting.idle_reset")
    desk.type("7m")  # the first field's text is selected: typing replaces it
    next_event(lines, "checked", where=lambda m: m["save_enabled"]
               and m["changes"] == {"sitting.idle_reset": "7m"})
    theirs = desk.settings.read_text().replace('break_after = "50m"', 'break_after = "45m"')
    desk.settings.write_text(theirs)
    desk.key("Return")
    dialog = wait_for(lambda: desk.display.run("xdotool", "search", "--name",
                                               "^The settings file changed", check=False).split(),
                      timeout=15, what="the changed-on-disk question")
    desk.display.run("xdotool", "windowfocus", "--sync", dialog[0], "key", "Return")  # reload
    next_event(lines, "checked")
    assert desk.settings.read_text() == theirs  # never overwritten
    desk.key("Escape")
    next_event(lines, "closed")
    assert proc.wait(10) == 0
    assert desk.settings.read_text() == theirs


@pytest.mark.slow
def test_the_tray_item_opens_the_window_and_a_save_applies(tmp_path: Path) -> None:
    trayer = require("trayer")
    with private_desktop(tmp_path, "gtk") as (d, env, settings):
        user_file(settings)
        before = settings.read_text()
        folder = Path(env["XDG_RUNTIME_DIR"]) / "sitbreak"
        with background([trayer, "--edge", "top", "--align", "right", "--widthtype", "pixel",
                         "--width", "100", "--height", "24"], env):
            wait_for(lambda: tray_manager_ready(d), what="trayer to own the tray selection")
            with background([sys.executable, MAIN, "run", "--no-window", "--config",
                             str(settings)], env, cwd=ROOT):
                x, y, w, h = wait_for(lambda: _docked(d), timeout=30, what="the icon")
                wait_for(lambda: _status(folder), timeout=30, what="the control channel")
                _open_menu(d, x + w // 2, y + h // 2)
                # From the bottom: Quit, About, Statistics, Open settings file, Settings…
                d.run("xdotool", "key", "--delay", "80", "Up", "Up", "Up", "Up", "Up", "Return")
                win = wait_for(lambda: d.run("xdotool", "search", "--name",
                                             "^sitbreak settings", check=False).split(),
                               timeout=30, what="the settings window")
                wait_for(lambda: d.run("xdotool", "getwindowfocus", check=False).strip()
                         == win[0], timeout=10, what="the window to have the keyboard")
                time.sleep(0.5)  # the first field takes the keyboard once the window shows
                d.run("xdotool", "key", "--delay", "60", "Tab", "4", "0", "m", "Return")
                wait_for(lambda: settings.read_text() != before, timeout=10, what="the save")
                saved_at = time.monotonic()
                wait_for(lambda: (_status(folder) or {}).get("next_break_in_seconds",
                                                             9999) <= 2400,
                         timeout=1.0, interval=0.05, what="status to show the new interval")
                assert time.monotonic() - saved_at <= 1.0
                assert send_command(folder, {"cmd": "quit"})["ok"]
    assert settings.read_text() == before.replace('break_after = "50m"', 'break_after = "40m"')


def _open_menu(d: Display, x: int, y: int) -> None:
    """Right-click the icon and wait for its menu to show. A fixed second of waiting was not
    enough under CI's load: the keys meant for the menu went nowhere."""
    def shown() -> set[str]:
        return set(d.run("xdotool", "search", "--onlyvisible", "--classname", "sitbreak",
                         check=False).split())

    before = shown()
    d.run("xdotool", "mousemove", str(x), str(y))
    for _attempt in range(3):
        d.run("xdotool", "click", "3")
        with contextlib.suppress(pytest.fail.Exception):
            wait_for(lambda: shown() - before, timeout=10, what="the tray menu")
            time.sleep(0.3)  # it takes the keyboard as it maps
            return
    pytest.fail("the tray menu did not open after three right clicks")


def _docked(d: Display) -> tuple[int, int, int, int] | None:
    # xwininfo fails when a window goes away while it walks the tree: just look again.
    try:
        return docked_icon(d)
    except subprocess.CalledProcessError:
        return None

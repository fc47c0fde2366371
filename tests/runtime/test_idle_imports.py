"""Issue 15: the idle app imports only what it runs; the rest waits for its first use.

Resident memory is measured by bench/ (it varies with the machine); what an idle process has
imported does not, so this is the check that fails when a start-up path pulls a heavy module
back in. Each process runs the real `sitbreak run` until `status` answers.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop import Display, background, require, tray_manager_ready, wait_for
from tests.e2e.sitbreak_proc import Sandbox

RUNNER = Path(__file__).with_name("idle_modules.py")

# Drawing loads FreeType, HarfBuzz and FriBidi (~1.4 MiB), and reading a PNG loads Pillow's
# PNG plugin with decimal and fractions: the tray cuts its pictures out of raw packaged sheets.
DRAWING = {"PIL.ImageDraw", "PIL.ImageFont", "PIL._imagingft", "PIL.PngImagePlugin", "decimal"}
# Without dbus-python notifications go through notify-send, which needs nothing from plyer;
# with it (Debian's python3-dbus), plyer does the work and is rightly loaded.
NOTIFY = {"plyer"} if importlib.util.find_spec("dbus") is None else set()
# Rare paths: rows kept in a side file, a damaged history file, opening settings.toml.
RARE = {"tray_app.history.csv_io", "tray_app.history.salvage", "shlex",
        "tray_app.ui.tray.open_settings"}
# `run` starts afresh once parsed (tray_app.cli.relaunch): the parser never stays. gettext too,
# in English: a translated app loads it with its catalogue (about 0.3 MiB, docs/translations.md),
# so these runs speak English whatever the machine's locale.
PARSER = {"argparse", "gettext", "tray_app.cli.commands"}
# The break window's client and protocol load at the first break.
WINDOW = {"tray_app.ui.launch.break_window", "tray_app.ui.windows.protocol"}
# Replaced by a few lines of ours (the log's rotation, the XDG folders): ~0.55 MiB of code.
LIGHTER = {"logging.handlers", "platformdirs"}
# Near a break: the programme's rows (when a break is planned); the meeting readers this
# desktop lacks (no PipeWire or PulseAudio in the sandbox); the sound theme and WAV scaling.
NEAR_A_BREAK = {"tray_app.history.programme", "tray_app.platform.meetings.pipewire",
                "tray_app.platform.meetings.pulse", "tray_app.platform.meetings.streams",
                "tray_app.platform.sound.theme", "tray_app.platform.sound.wave"}
# The tray menu's start at login (and its file watch): pystray's xorg icon has no menu.
MENU = {"tray_app.platform.autostart.choose", "tray_app.platform.autostart.desktops",
        "tray_app.platform.autostart.systemd", "tray_app.platform.autostart.desktop_entry"}


def idle_state(sandbox: Sandbox, *args: str, after_break: bool = False) -> dict:
    out = sandbox.root / "modules.json"
    run = subprocess.run(
        [sys.executable, str(RUNNER), "run", *args],
        env={**sandbox.env, "IDLE_OUT": str(out), "IDLE_AFTER_BREAK": "1" if after_break else "0",
             "SITBREAK_LANGUAGE": "en"},
        capture_output=True, text=True, timeout=90, check=False, cwd=sandbox.root,
    )
    assert run.returncode == 0 and out.exists(), run.stderr
    return json.loads(out.read_text())


@pytest.mark.e2e
def test_the_console_app_idles_without_the_deferred_modules(tmp_path: Path) -> None:
    state = idle_state(Sandbox(tmp_path), "--console")
    loaded = set(state["modules"])
    assert "tray_app.shell.runtime" in loaded  # it did run
    assert not (DRAWING | NOTIFY | RARE | LIGHTER | NEAR_A_BREAK | MENU) & loaded
    # The command line's parser is done with once `run` has its options: it starts afresh.
    assert state["started_afresh"] is True
    assert not PARSER & loaded
    assert_no_tls(state)


def assert_no_tls(state: dict) -> None:
    """asyncio (imported by APScheduler) would load ssl, and with it OpenSSL (~4 MiB resident),
    in a process that never uses the network."""
    assert "ssl" not in state["modules"]
    assert not [lib for lib in state["libraries"] if lib.startswith(("libssl", "libcrypto"))]


@pytest.mark.e2e
@pytest.mark.desktop
def test_the_xorg_tray_idles_without_the_deferred_modules(
    tmp_path: Path, display: Display
) -> None:
    sandbox = Sandbox(tmp_path, {"DISPLAY": display.name, "SITBREAK_TRAY_BACKEND": "xorg"})
    trayer = require("trayer")
    with background([trayer, "--edge", "top", "--widthtype", "pixel", "--width", "100",
                     "--height", "24"], display.env()):
        wait_for(lambda: tray_manager_ready(display), what="trayer to own the tray")
        state = idle_state(sandbox)
    loaded = set(state["modules"])
    assert "pystray._xorg" in loaded  # the icon was shown
    console_only = {"tray_app.platform.notify.console"}
    assert not (DRAWING | NOTIFY | WINDOW | RARE | PARSER | LIGHTER | NEAR_A_BREAK | MENU
                | console_only) & loaded
    assert state["started_afresh"] is True
    assert_no_tls(state)


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.desktop
def test_after_a_break_the_tray_process_still_has_not_drawn(
    tmp_path: Path, display: Display
) -> None:
    """The break window draws the exercise pictures in its own process, so the ~5 MiB that
    drawing costs is given back when the window closes instead of staying with the app."""
    sandbox = Sandbox(tmp_path, {"DISPLAY": display.name, "SITBREAK_TRAY_BACKEND": "xorg"})
    trayer = require("trayer")
    with background([trayer, "--edge", "top", "--widthtype", "pixel", "--width", "100",
                     "--height", "24"], display.env()):
        wait_for(lambda: tray_manager_ready(display), what="trayer to own the tray")
        state = idle_state(sandbox, after_break=True)
    loaded = set(state["modules"])
    assert "tray_app.ui.launch.break_window" in loaded  # the window was opened
    assert_no_tls(state)
    assert not (DRAWING | {"tray_app.exercises.pictures"}) & loaded
    pictures = sandbox.root / "cache" / "sitbreak" / "pictures"
    assert any(pictures.glob("*.png"))  # and the window drew them

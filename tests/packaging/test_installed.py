"""The installed sitbreak (wheel in a fresh venv, or the .deb) works from any folder.

scripts/check-wheel and scripts/check-deb set SITBREAK_COMMAND and run these from `/`.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from tests.desktop import (
    background,
    dbus_session,
    dunst,
    dunst_config,
    require,
    tray_manager_ready,
    wait_for,
    xvfb,
)
from tests.e2e.sitbreak_proc import Sandbox, sitbreak_command, workdir
from tests.packaging.installed import (
    COMMAND,
    installed_file,
    interpreter,
    needs_installed,
    run,
)
from tests.tray.test_tray_desktop import docked_icon
from tray_app import __version__
from tray_app.platform.autostart.desktop_entry import read_main_group

REPO = Path(__file__).resolve().parents[2]
# The Debian package's menu entry: where it exists, install-desktop refuses and the autostart
# entry names the themed icon.
SYSTEM_LAUNCHER = Path("/usr/share/applications/sitbreak.desktop")

pytestmark = [needs_installed, pytest.mark.e2e]  # the installed sitbreak, run as users run it


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def test_the_command_is_the_installed_one_not_this_checkout() -> None:
    assert sitbreak_command() == [COMMAND]
    package = installed_file()
    assert REPO not in package.parents, f"{COMMAND} runs the checkout ({package})"


def test_version(box: Sandbox) -> None:
    out = run(box, "--version")
    assert out.returncode == 0 and out.stdout.strip() == f"sitbreak {__version__}"


def test_first_run_writes_settings_then_console_catalogue_and_stats(box: Sandbox) -> None:
    user_file = box.root / "config" / "sitbreak" / "settings.toml"
    before = run(box, "check-settings")
    assert before.returncode == 0, before.stderr
    assert "not made yet" in before.stdout and not user_file.exists()

    proc = box.start("--console")  # no --config: the first run copies the defaults
    try:
        box.wait_running(proc)
        assert "wrote the default settings to" in box.output()
        assert user_file.read_bytes() == (REPO / "settings.toml").read_bytes()
        st = box.status()
        assert st["state"] == "sitting"
    finally:
        run(box, "quit")
        assert proc.wait(30) == 0, box.output()
    assert run(box, "check-settings").stdout.strip() == f"{user_file}: OK"

    listed = run(box, "exercises", "--all", "--json")
    assert listed.returncode == 0, listed.stderr
    ids = [e["id"] for e in json.loads(listed.stdout)]
    assert len(ids) >= 10 and len(set(ids)) == len(ids)
    assert run(box, "exercises", "show", ids[0]).returncode == 0

    stats = run(box, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)
    chart = box.root / "week.png"
    drawn = run(box, "stats", "--chart", str(chart))
    assert drawn.returncode == 0, drawn.stderr
    with Image.open(chart) as img:
        assert img.format == "PNG" and img.width > 100


def _exec_and_icon(path: Path) -> tuple[list[str], str]:
    fields = read_main_group(path)
    return shlex.split(fields["Exec"]), fields.get("Icon", "")


def _validate(path: Path) -> None:
    out = subprocess.run([require("desktop-file-validate"), str(path)],
                         capture_output=True, text=True, timeout=10)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


def test_autostart_and_launcher_name_a_command_and_icon_that_exist(box: Sandbox) -> None:
    enabled = run(box, "autostart", "enable")
    assert enabled.returncode == 0 and enabled.stdout.startswith("enabled: "), enabled.stderr
    entry = box.root / "config" / "autostart" / "sitbreak.desktop"
    _validate(entry)
    command, icon = _exec_and_icon(entry)
    assert command == [COMMAND, "run"]  # the script that is running now, by absolute path
    if SYSTEM_LAUNCHER.is_file():  # the .deb: its hicolor icons are in the theme
        assert icon == "sitbreak"
    else:
        assert Path(icon) == installed_file("data", "icons", "sitbreak-256.png")
        assert Path(icon).is_file()
    assert "enabled" in run(box, "autostart", "status").stdout

    if SYSTEM_LAUNCHER.is_file():
        # A user copy would hide the package's entry and outlive it: refused, nothing written.
        refused = run(box, "install-desktop")
        assert refused.returncode == 1 and "already in the application menu" in refused.stderr
        assert not (box.root / "data" / "applications" / "sitbreak.desktop").exists()
        assert run(box, "autostart", "disable").stdout.startswith("disabled: removed ")
        return
    wrote = run(box, "install-desktop")
    assert wrote.returncode == 0, wrote.stderr
    launcher = box.root / "data" / "applications" / "sitbreak.desktop"
    _validate(launcher)
    command, icon = _exec_and_icon(launcher)
    assert command == [COMMAND, "run"]
    hicolor = box.root / "data" / "icons" / "hicolor"
    for size in (16, 48, 256, 512):
        with Image.open(hicolor / f"{size}x{size}" / "apps" / f"{icon}.png") as img:
            assert img.size == (size, size)

    assert run(box, "autostart", "disable").stdout.startswith("disabled: removed ")
    assert not entry.exists()
    removed = run(box, "uninstall-desktop").stdout
    assert f"removed {launcher}" in removed and not launcher.exists()
    assert not list(hicolor.rglob("sitbreak.png"))


def test_started_as_python_dash_m_the_entry_runs_that_python(box: Sandbox) -> None:
    if "sys.path.insert" in Path(COMMAND).read_text():
        pytest.skip("a private module folder (the .deb): `python3 -m tray_app` is not a way in")
    python = interpreter()
    out = subprocess.run([python, "-m", "tray_app", "autostart", "enable"], env=box.env,
                         cwd=workdir(box.root), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    command, _ = _exec_and_icon(box.root / "config" / "autostart" / "sitbreak.desktop")
    assert command == [python, "-m", "tray_app", "run"] and Path(python).is_file()
    started = subprocess.run([*command[:-1], "--version"], env=box.env, cwd="/",
                             capture_output=True, text=True, timeout=60)
    assert started.stdout.strip() == f"sitbreak {__version__}", started.stderr


@contextmanager
def damaged(path: Path, content: bytes | None) -> Iterator[None]:
    """Replace (or, with None, remove) one installed data file for the length of a block."""
    backup = path.with_name(path.name + ".test-backup")
    path.rename(backup)
    try:
        if content is not None:
            path.write_bytes(content)
        yield
    finally:
        path.unlink(missing_ok=True)
        backup.rename(path)


def test_missing_or_damaged_data_files_are_named_and_exit_1(box: Sandbox) -> None:
    user_file = box.root / "config" / "sitbreak" / "settings.toml"
    defaults = installed_file("data", "default_settings.toml")
    for content in (None, b"[sitting\nbreak_after = ", b'[sitting]\nbreak_after = "soon"\n'):
        with damaged(defaults, content):
            out = run(box, "run", "--console")
        assert out.returncode == 1, out.stdout + out.stderr
        assert str(defaults) in out.stderr and "reinstall sitbreak" in out.stderr
        assert not user_file.exists()  # never a broken settings file

    catalogue = installed_file("exercises", "catalogue.toml")
    for content in (None, b"[[exercise]]\nid = 'half'\n"):
        with damaged(catalogue, content):
            out = run(box, "exercises")
        assert out.returncode == 1 and str(catalogue) in out.stderr, out.stderr

    icon = installed_file("data", "icons", "sitbreak-48.png")
    if not SYSTEM_LAUNCHER.is_file():  # the .deb refuses install-desktop before reading icons
        with damaged(icon, None):
            out = run(box, "install-desktop")
        assert out.returncode == 1 and f"{icon} is missing" in out.stderr, out.stderr


@pytest.mark.desktop
def test_tray_docks_and_answers_status(box: Sandbox) -> None:
    """`sitbreak run` on Xvfb with trayer: the icon docks with the backend the install
    provides ($SITBREAK_EXPECT_TRAY is part of status's `tray` reason)."""
    trayer = require("trayer")
    require("xwininfo")
    expected = os.environ.get("SITBREAK_EXPECT_TRAY", "")
    with xvfb() as d, dbus_session() as bus, dunst(d, bus, dunst_config(box.root)):
        box.extra_env.update(DISPLAY=d.name, DBUS_SESSION_BUS_ADDRESS=bus.address,
                             NO_AT_BRIDGE="1")
        with background([trayer, "--edge", "top", "--widthtype", "pixel", "--width", "100",
                         "--height", "24", "--SetDockType", "true"], box.env):
            wait_for(lambda: tray_manager_ready(d), what="trayer to own the tray selection")
            proc = box.start("--no-window")
            try:
                box.wait_running(proc)
                wait_for(lambda: docked_icon(d), timeout=30, what="the icon docked in trayer")
                st = box.status()
                assert st["state"] == "sitting"
                assert expected in st["tray"], st["tray"]
                wait_for(lambda: box.status().get("tray_docked"), timeout=10,
                         what="status --json to say the tray docked")
            finally:
                run(box, "quit")
                assert proc.wait(30) == 0, box.output()

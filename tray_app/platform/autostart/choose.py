"""Start sitbreak at login: `sitbreak autostart enable|disable|status`.

One backend per system: on Linux an XDG autostart entry or, where the desktop does not read
those (sway, Hyprland ...), a systemd user unit bound to graphical-session.target
(desktops.LinuxAutostart picks); the HKCU Run key (Windows); a LaunchAgent (macOS). Each
removes only what sitbreak made.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import tray_app
from tray_app.support import resources
from tray_app.support.i18n import _

SCRIPT_NAMES = ("sitbreak", "sitbreak.exe")


class NoLaunchCommand(Exception):
    """No command that starts sitbreak could be found; the text says why and what to do."""


class Autostart(Protocol):
    """Login start-up for one system; methods return a message for people."""

    name: str  # "xdg", "systemd-user", "windows-run-key", "launch-agent"

    @property
    def location(self) -> str:
        """Where the entry lives (a path or registry value), for messages and status."""
        ...

    def enable(self, command: list[str]) -> str:
        """Start `command` at login; enabling twice changes nothing."""
        ...

    def disable(self) -> str:
        """Stop starting at login, removing only an entry sitbreak made."""
        ...

    def is_enabled(self) -> bool:
        """Whether something at `location` starts sitbreak at login."""
        ...

    def status(self) -> str:
        """One line: enabled or not, and where."""
        ...

    def watch_paths(self) -> list[Path]:
        """Files whose change may change is_enabled() (watched by the tray); [] for none."""
        ...


def default_icon(env: Mapping[str, str] | None = None) -> str:
    """The icon theme's name `sitbreak` where a theme has it (the .deb's hicolor icons, or
    `install-desktop`'s), which survives the install moving; else the packaged 256 px icon as
    an absolute path (checked to exist)."""
    from tray_app.platform.autostart.desktop_entry import APP_ID, themed_icon

    if themed_icon(env):
        return APP_ID
    return str(resources.app_icon(256))


def _imports_sitbreak_anywhere(python: str) -> bool:
    """Whether `python`, started in / with no PYTHONPATH, finds this copy of tray_app."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    try:
        out = subprocess.run(
            [python, "-c", "import tray_app, sys; sys.stdout.write(tray_app.__file__)"],
            cwd=os.path.abspath(os.sep), env=env, capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    here = Path(tray_app.__file__).resolve().parent
    return out.returncode == 0 and Path(out.stdout).resolve().parent == here


def default_command(
    platform: str = sys.platform, argv0: str | None = None, python: str | None = None
) -> list[str]:
    """The command that is running now, for a login entry or a launcher, checked to exist.

    Started as the installed `sitbreak` script: that script, by absolute path. Otherwise the
    current interpreter with `-m tray_app` (pythonw on Windows: no console), provided it
    imports this sitbreak from any folder. Raises NoLaunchCommand when neither works.
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    script = Path(os.path.abspath(argv0)) if argv0 else None
    if script and script.name.lower() in SCRIPT_NAMES and script.is_file():
        return [str(script), "run"]
    python = python or sys.executable
    if not python or not Path(python).is_file():
        raise NoLaunchCommand(_(
            "cannot find the Python running sitbreak ({python}); start sitbreak with its "
            "installed {command} command and try again").format(
                python=python or _("unknown"), command="`sitbreak`"))
    if not _imports_sitbreak_anywhere(python):
        raise NoLaunchCommand(_(
            "{python} cannot start this sitbreak from another folder (it is not installed for "
            "that Python); install it ({pip} or {pipx}) and use its {command} command").format(
                python=python, pip="`pip install .`", pipx="pipx", command="`sitbreak`"))
    if platform.startswith("win"):
        pythonw = Path(python).with_name("pythonw.exe")
        if pythonw.is_file():
            python = str(pythonw)
    return [python, "-m", "tray_app", "run"]


def detect(
    platform: str = sys.platform,
    env: Mapping[str, str] | None = None,
    icon: str | None = None,
) -> Autostart:
    """The autostart backend for `platform` (paths from `env`, default os.environ)."""
    if platform.startswith("win"):
        from tray_app.platform.autostart.windows import WindowsAutostart

        return WindowsAutostart()
    if platform == "darwin":
        from tray_app.platform.autostart.macos import MacAutostart

        env = os.environ if env is None else env
        return MacAutostart(Path(env.get("HOME") or Path.home()))
    from tray_app.platform.autostart.desktops import LinuxAutostart

    return LinuxAutostart(env=env, icon=icon if icon is not None else default_icon(env))

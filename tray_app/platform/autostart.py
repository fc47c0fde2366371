"""Start sitbreak at login: `sitbreak autostart enable|disable|status`.

One backend per system: an XDG autostart entry (Linux and other freedesktop systems), the
HKCU Run key (Windows), a LaunchAgent (macOS). Each removes only what sitbreak made.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

REPO_ROOT = Path(__file__).resolve().parents[2]


class Autostart(Protocol):
    """Login start-up for one system; methods return a message for people."""

    name: str  # "xdg", "windows-run-key", "launch-agent"

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


def default_icon() -> str:
    """The 256 px app icon of this checkout as an absolute path, else the theme name."""
    png = REPO_ROOT / "icons" / "sitbreak-256.png"
    return str(png) if png.is_file() else "sitbreak"


def default_command(platform: str = sys.platform) -> list[str]:
    """How to start sitbreak from a login entry or a launcher: the installed `sitbreak run` if
    on PATH, else this Python running the checkout's main.py (pythonw on Windows: no console)."""
    script = shutil.which("sitbreak")
    if script:
        return [os.path.abspath(script), "run"]
    python = sys.executable
    if platform.startswith("win"):
        pythonw = Path(python).with_name("pythonw.exe")
        if pythonw.exists():
            python = str(pythonw)
    return [python, str(REPO_ROOT / "main.py"), "run"]


def detect(
    platform: str = sys.platform,
    env: Mapping[str, str] | None = None,
    icon: str | None = None,
) -> Autostart:
    """The autostart backend for `platform` (paths from `env`, default os.environ)."""
    if platform.startswith("win"):
        from tray_app.platform.autostart_windows import WindowsAutostart

        return WindowsAutostart()
    if platform == "darwin":
        from tray_app.platform.autostart_macos import MacAutostart

        env = os.environ if env is None else env
        return MacAutostart(Path(env.get("HOME") or Path.home()))
    from tray_app.platform.autostart_linux import XdgAutostart

    return XdgAutostart(env=env, icon=icon if icon is not None else default_icon())

"""A systemd user unit started with the graphical session, for desktops that do not read XDG
autostart (sway, Hyprland, river, i3 ...): $XDG_CONFIG_HOME/systemd/user/sitbreak.service,
enabled by a link in graphical-session.target.wants (what `systemctl --user enable` makes).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from tray_app.platform.autostart.desktop_entry import (
    APP_ID,
    COMMENT,
    state_text,
    write_atomic,
    xdg_dir,
)
from tray_app.support.i18n import _

log = logging.getLogger(__name__)

UNIT = f"{APP_ID}.service"
TARGET = "graphical-session.target"
# systemd ignores sections whose names start with X-: the mark of a unit sitbreak wrote.
MARK = "[X-Sitbreak]\nManaged=true\n"
_BARE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")

Runner = Callable[..., subprocess.CompletedProcess]


def quote_exec(arg: str) -> str:
    """One ExecStart= argument: `%` and `$` doubled (no specifiers, no variables), quoted when
    it holds anything else than plain path characters."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if _BARE.match(arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unit_text(command: list[str]) -> str:
    """The unit sitbreak writes to start `command` with the graphical session."""
    return (
        "[Unit]\n"  # i18n: not shown (the unit file)
        f"Description={APP_ID}: {COMMENT.lower()}\n"
        # Started with the desktop, stopped with it (at logout, before the display goes).
        f"PartOf={TARGET}\n"
        f"After={TARGET}\n"
        "\n[Service]\n"
        f"ExecStart={' '.join(quote_exec(a) for a in command)}\n"
        # No Restart=: a second sitbreak exits 1 when one already runs, which must not loop.
        "\n[Install]\n"
        f"WantedBy={TARGET}\n"
        "\n" + MARK
    )


class SystemdUserUnit:
    """The user unit plus its wants link; touches only a unit carrying the X-Sitbreak mark."""

    name = "systemd-user"

    def __init__(self, env: Mapping[str, str] | None = None,
                 systemctl: str | None = None, run: Runner = subprocess.run) -> None:
        """`env` supplies XDG_CONFIG_HOME/HOME/XDG_RUNTIME_DIR; `systemctl` its path (default:
        found on PATH); `run` runs it (tests pass a recorder)."""
        self.env = os.environ if env is None else env
        unit_dir = xdg_dir(self.env, "XDG_CONFIG_HOME", ".config") / "systemd" / "user"
        self.path = unit_dir / UNIT
        self.link = unit_dir / f"{TARGET}.wants" / UNIT
        self.systemctl = systemctl if systemctl is not None else shutil.which("systemctl")
        self.run = run

    @property
    def location(self) -> str:
        """The unit file's path."""
        return str(self.path)

    def watch_paths(self) -> list[Path]:
        """Files whose change may change is_enabled()."""
        return [self.path, self.link]

    def manager_running(self) -> bool:
        """A systemd user manager runs for this session (its private socket exists)."""
        runtime = self.env.get("XDG_RUNTIME_DIR", "")
        return bool(self.systemctl and runtime
                    and (Path(runtime) / "systemd" / "private").exists())

    def _systemctl(self, *args: str) -> subprocess.CompletedProcess | None:
        if not self.manager_running():
            return None
        try:
            return self.run([self.systemctl, "--user", *args], capture_output=True, text=True,
                            timeout=30, env=dict(self.env))
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.info("systemctl --user %s failed: %s", " ".join(args), exc)
            return None

    def ours(self) -> bool:
        try:
            return MARK in self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False

    def _linked(self) -> bool:
        return self.link.is_symlink() or self.link.exists()

    def enable(self, command: list[str]) -> str:
        """Write the unit and enable it (systemctl when a user manager runs, else the link)."""
        if self.path.exists() and not self.ours():
            return _("left alone: {path} was not made by sitbreak; edit it yourself or remove it "
                     "and enable again").format(path=self.path)
        text = unit_text(command)
        changed = False
        try:
            changed = self.path.read_text(encoding="utf-8") != text
        except OSError:
            changed = True
        if changed:
            write_atomic(self.path, text)
        if not changed and self._linked():
            return _("already enabled: {path}").format(path=self.path)
        # Translators: {link} is the file that enables the unit (a link systemd reads)
        enabled = _("enabled: a systemd user unit starts sitbreak with {target} ({path}, enabled "
                    "by the link {link})")
        if self._systemctl("daemon-reload") is not None:
            done = self._systemctl("enable", UNIT)
            if done is not None and done.returncode == 0 and self._linked():
                # Translators: {command} is "systemctl --user enable"; {link} the file it made
                enabled = _("enabled: a systemd user unit starts sitbreak with {target} ({path}, "
                            "enabled with {command} {link})")
        if not self._linked():
            self.link.parent.mkdir(parents=True, exist_ok=True)
            self.link.symlink_to(self.path)
        return enabled.format(target=TARGET, path=self.path, link=self.link,
                              command="systemctl --user enable")

    def disable(self) -> str:
        """Disable and remove the unit if sitbreak made it."""
        if not self.path.exists() and not self._linked():
            return _("already disabled: there is no {path}").format(path=self.path)
        if self.path.exists() and not self.ours():
            return _("left alone: {path} was not made by sitbreak; disable it yourself "
                     "({command})").format(path=self.path,
                                           command=f"systemctl --user disable {UNIT}")
        self._systemctl("disable", UNIT)
        if self.link.is_symlink() and (not self.link.exists()
                                       or self.link.resolve() == self.path.resolve()):
            self.link.unlink()
        self.path.unlink(missing_ok=True)
        self._systemctl("daemon-reload")
        return _("disabled: removed {path}").format(path=self.path)

    def is_enabled(self) -> bool:
        """The unit exists and graphical-session.target wants it."""
        return self.path.exists() and self._linked()

    def session_starts_target(self) -> bool | None:
        """Whether this session has reached graphical-session.target (None: cannot tell)."""
        done = self._systemctl("is-active", TARGET)
        return None if done is None else done.stdout.strip() == "active"

    def status(self) -> str:
        """Enabled or not, and where."""
        return state_text(self.path, self.is_enabled(), self.ours())

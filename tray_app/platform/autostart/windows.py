"""Windows: the `sitbreak` value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run."""

from __future__ import annotations

import subprocess
from typing import Any

from tray_app.support.i18n import _

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE = "sitbreak"


class WindowsAutostart:
    """Login start-up through the per-user Run key; touches only the `sitbreak` value."""

    name = "windows-run-key"

    def __init__(self, registry: Any = None) -> None:
        """`registry`: the `winreg` module, or a stand-in with the same functions (tests)."""
        if registry is None:
            import winreg  # only exists on Windows, hence imported here

            registry = winreg
        self.reg = registry

    @property
    def location(self) -> str:
        """The registry value, written the way regedit shows it."""
        return f"HKCU\\{RUN_KEY}\\{VALUE}"  # i18n: not shown (a registry path)

    def watch_paths(self) -> list[Any]:
        """Nothing to watch: the registry value is read when the menu is rebuilt."""
        return []

    def _open(self, write: bool) -> Any:
        access = self.reg.KEY_READ | (self.reg.KEY_SET_VALUE if write else 0)
        if write:
            return self.reg.CreateKeyEx(self.reg.HKEY_CURRENT_USER, RUN_KEY, 0, access)
        return self.reg.OpenKey(self.reg.HKEY_CURRENT_USER, RUN_KEY, 0, access)

    def current(self) -> str | None:
        """The command line stored now, or None."""
        try:
            key = self._open(write=False)
        except OSError:
            return None
        try:
            value, _kind = self.reg.QueryValueEx(key, VALUE)
            return str(value)
        except OSError:  # FileNotFoundError when the value is absent
            return None
        finally:
            self.reg.CloseKey(key)

    def enable(self, command: list[str]) -> str:
        """Store `command` as one command line (Windows quoting)."""
        line = subprocess.list2cmdline(command)
        if self.current() == line:
            return _("already enabled: {path}").format(path=self.location)
        key = self._open(write=True)
        try:
            self.reg.SetValueEx(key, VALUE, 0, self.reg.REG_SZ, line)
        finally:
            self.reg.CloseKey(key)
        return _("enabled: sitbreak will start at login ({path})").format(path=self.location)

    def disable(self) -> str:
        """Delete the `sitbreak` value; other programs' values stay."""
        if self.current() is None:
            return _("already disabled: there is no {path}").format(path=self.location)
        key = self._open(write=True)
        try:
            self.reg.DeleteValue(key, VALUE)
        finally:
            self.reg.CloseKey(key)
        return _("disabled: removed {path}").format(path=self.location)

    def is_enabled(self) -> bool:
        """Whether the value exists."""
        return self.current() is not None

    def status(self) -> str:
        """Enabled or not, and the stored command line."""
        line = self.current()
        if line is None:
            return _("disabled (no {path})").format(path=self.location)
        return _("enabled ({path} = {command})").format(path=self.location, command=line)

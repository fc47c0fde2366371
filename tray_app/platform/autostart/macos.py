"""macOS: a LaunchAgent, ~/Library/LaunchAgents/org.sitbreak.agent.plist."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

from tray_app.platform.autostart.desktop_entry import state_text, write_atomic
from tray_app.support.i18n import _

LABEL = "org.sitbreak.agent"


class MacAutostart:
    """A per-user LaunchAgent that runs sitbreak once at login."""

    name = "launch-agent"

    def __init__(self, home: Path) -> None:
        """`home`: the user's home folder (a temporary one in tests)."""
        self.path = Path(home) / "Library" / "LaunchAgents" / f"{LABEL}.plist"

    @property
    def location(self) -> str:
        """The plist's path."""
        return str(self.path)

    def watch_paths(self) -> list[Path]:
        """Files whose change may change is_enabled()."""
        return [self.path]

    def content(self, command: list[str]) -> bytes:
        """The plist sitbreak writes for `command`."""
        return plistlib.dumps({
            "Label": LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            # Interactive: a UI app; launchd should not throttle it like a background daemon.
            "ProcessType": "Interactive",
        })

    def _read(self) -> dict[str, Any] | None:
        try:
            data = plistlib.loads(self.path.read_bytes())
        except (OSError, plistlib.InvalidFileException, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _ours(self) -> bool:
        data = self._read()
        return data is not None and data.get("Label") == LABEL

    def enable(self, command: list[str]) -> str:
        """Write the agent (takes effect at the next login)."""
        if self.path.exists() and not self._ours():
            return _("left alone: {path} was not made by sitbreak; remove it and enable again"
                     ).format(path=self.path)
        data = self.content(command)
        if self.path.exists() and self.path.read_bytes() == data:
            return _("already enabled: {path}").format(path=self.path)
        write_atomic(self.path, data)
        return _("enabled: sitbreak will start at login ({path})").format(path=self.path)

    def disable(self) -> str:
        """Remove the agent if its label is sitbreak's."""
        if not self.path.exists():
            return _("already disabled: there is no {path}").format(path=self.path)
        if not self._ours():
            return _("left alone: {path} was not made by sitbreak; remove it yourself").format(
                path=self.path)
        self.path.unlink()
        return _("disabled: removed {path}").format(path=self.path)

    def is_enabled(self) -> bool:
        """Our agent exists and is not marked Disabled."""
        data = self._read()
        return data is not None and data.get("Label") == LABEL and not data.get("Disabled")

    def status(self) -> str:
        """Enabled or not, and where."""
        return state_text(self.path, self.is_enabled())

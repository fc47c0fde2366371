"""macOS: a LaunchAgent, ~/Library/LaunchAgents/org.sitbreak.agent.plist."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

from tray_app.platform.autostart.desktop_entry import write_atomic

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
            return f"left alone: {self.path} was not made by sitbreak; remove it and enable again"
        data = self.content(command)
        if self.path.exists() and self.path.read_bytes() == data:
            return f"already enabled: {self.path}"
        write_atomic(self.path, data)
        return f"enabled: sitbreak will start at login ({self.path})"

    def disable(self) -> str:
        """Remove the agent if its label is sitbreak's."""
        if not self.path.exists():
            return f"already disabled: there is no {self.path}"
        if not self._ours():
            return f"left alone: {self.path} was not made by sitbreak; remove it yourself"
        self.path.unlink()
        return f"disabled: removed {self.path}"

    def is_enabled(self) -> bool:
        """Our agent exists and is not marked Disabled."""
        data = self._read()
        return data is not None and data.get("Label") == LABEL and not data.get("Disabled")

    def status(self) -> str:
        """Enabled or not, and where."""
        word = "enabled" if self.is_enabled() else "disabled"
        return f"{word} ({self.path})" if self.path.exists() else f"disabled (no {self.path})"

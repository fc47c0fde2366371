"""XDG autostart: $XDG_CONFIG_HOME/autostart/sitbreak.desktop (GNOME, KDE, Xfce, LXQt ...)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from tray_app.platform.autostart.desktop_entry import (
    APP_ID,
    COMMENT,
    MANAGED_KEY,
    escape_value,
    exec_value,
    is_managed,
    localized,
    read_main_group,
    render,
    state_text,
    write_atomic,
    xdg_dir,
)
from tray_app.support.i18n import _


class XdgAutostart:
    """An autostart desktop entry carrying `X-Sitbreak-Managed=true`."""

    name = "xdg"

    def __init__(self, env: Mapping[str, str] | None = None, icon: str = APP_ID) -> None:
        """`env` supplies XDG_CONFIG_HOME/HOME; `icon` is an absolute PNG path or a name."""
        self.path: Path = xdg_dir(env, "XDG_CONFIG_HOME", ".config") / "autostart" / (
            f"{APP_ID}.desktop"
        )
        self.icon = icon

    @property
    def location(self) -> str:
        """The autostart file's path."""
        return str(self.path)

    def watch_paths(self) -> list[Path]:
        """Files whose change may change is_enabled()."""
        return [self.path]

    def content(self, command: list[str]) -> str:
        """The file sitbreak writes for `command`."""
        return render({
            "Type": "Application",
            "Name": APP_ID,
            **localized("Comment", COMMENT),
            "Exec": exec_value(command),
            "Icon": escape_value(self.icon),
            "Terminal": "false",
            "Categories": "Utility;",
            "X-GNOME-Autostart-enabled": "true",
            MANAGED_KEY: "true",
        })

    def enable(self, command: list[str]) -> str:
        """Write the entry; leave a file the user made alone."""
        if self.path.exists() and not is_managed(self.path):
            left = _("left alone: {path} was not made by sitbreak and starts sitbreak; edit it "
                     "yourself or remove it and enable again") if self.is_enabled() else _(
                "left alone: {path} was not made by sitbreak and is switched off; edit it "
                "yourself or remove it and enable again")
            return left.format(path=self.path)
        text = self.content(command)
        try:
            if self.path.read_text(encoding="utf-8") == text:
                return _("already enabled: {path}").format(path=self.path)
        except OSError:
            pass
        write_atomic(self.path, text)
        return _("enabled: sitbreak will start at login ({path})").format(path=self.path)

    def disable(self) -> str:
        """Remove the entry if sitbreak made it."""
        if not self.path.exists():
            return _("already disabled: there is no {path}").format(path=self.path)
        if not is_managed(self.path):
            return _("left alone: {path} was not made by sitbreak (no {mark}); remove it "
                     "yourself to stop it starting at login").format(
                path=self.path, mark=f"{MANAGED_KEY}=true")
        self.path.unlink()
        return _("disabled: removed {path}").format(path=self.path)

    def is_enabled(self) -> bool:
        """The file exists and is not hidden or switched off (as desktops toggle it)."""
        fields = read_main_group(self.path)
        if not fields:
            return False
        return (fields.get("Hidden", "false").lower() != "true"
                and fields.get("X-GNOME-Autostart-enabled", "true").lower() != "false")

    def status(self) -> str:
        """Enabled or not, where, and whether sitbreak made the file."""
        return state_text(self.path, self.is_enabled(), is_managed(self.path))

"""Which login start-up fits the Linux desktop: XDG autostart where the desktop reads it, a
systemd user unit bound to graphical-session.target where it does not (sway, Hyprland ...).

`LinuxAutostart` holds both; `enable` uses the fitting one (and removes sitbreak's other one, so
sitbreak is never started twice), `disable` removes whichever sitbreak made, `is_enabled` is
true when either starts it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tray_app.platform.autostart.desktop_entry import is_managed
from tray_app.platform.autostart.linux import XdgAutostart
from tray_app.platform.autostart.systemd import SystemdUserUnit
from tray_app.support.i18n import _

# Desktops whose session starts XDG autostart entries (their XDG_CURRENT_DESKTOP names).
READS_XDG_AUTOSTART = {
    "gnome", "kde", "xfce", "lxqt", "lxde", "mate", "x-cinnamon", "cinnamon", "budgie",
    "budgie-desktop", "unity", "pantheon", "deepin", "enlightenment", "ukui", "trinity",
    "openbox", "cosmic",
}
# Compositors and window managers known not to: the unit is the way there.
NO_XDG_AUTOSTART = {
    "sway", "hyprland", "river", "wayfire", "niri", "labwc", "i3", "bspwm", "dwm", "qtile",
    "herbstluftwm", "awesome", "dwl", "hikari", "wlroots",
}
# Where the user adds a line when no user manager will start the unit ({cmd}: the command as
# a shell line, {q}: that line quoted once more, {args}: each argument in double quotes).
CONFIG_LINE = {
    "sway": "~/.config/sway/config: exec {cmd}",
    "i3": "~/.config/i3/config: exec --no-startup-id {cmd}",
    "hyprland": "~/.config/hypr/hyprland.conf: exec-once = {cmd}",
    "river": "~/.config/river/init: riverctl spawn {q}",
    "labwc": "~/.config/labwc/autostart: {cmd} &",
    "wayfire": "~/.config/wayfire.ini, [autostart]: sitbreak = {cmd}",
    "niri": "~/.config/niri/config.kdl: spawn-at-startup {args}",
}
METHODS = ("xdg", "systemd")


def desktop_names(env: Mapping[str, str]) -> list[str]:
    """XDG_CURRENT_DESKTOP's names, lower case (it is a colon-separated list)."""
    return [n.strip().lower() for n in env.get("XDG_CURRENT_DESKTOP", "").split(":") if n.strip()]


def fitting_method(env: Mapping[str, str], systemd_here: bool) -> tuple[str, str]:
    """("xdg" or "systemd", why) for this desktop."""
    names = desktop_names(env)
    shown = env.get("XDG_CURRENT_DESKTOP", "") or _("unknown")
    if any(n in READS_XDG_AUTOSTART for n in names):
        return "xdg", _("the desktop ({desktop}) reads XDG autostart").format(desktop=shown)
    if any(n in NO_XDG_AUTOSTART for n in names):
        if systemd_here:
            return "systemd", _("the desktop ({desktop}) does not read XDG autostart").format(
                desktop=shown)
        return "xdg", _("the desktop ({desktop}) does not read XDG autostart and there is no "
                        "systemd here; add the line below to its configuration").format(
            desktop=shown)
    return "xdg", _("the desktop ({desktop}) is not one sitbreak knows; if it does not start "
                    "XDG autostart entries use {command}").format(
        desktop=shown, command="`sitbreak autostart enable --using systemd`")


def _systemd_here() -> bool:
    """systemd is the init system (the user manager can then start units)."""
    return Path("/run/systemd/system").is_dir()


class LinuxAutostart:
    """XDG autostart entry or systemd user unit, whichever fits the desktop."""

    def __init__(self, env: Mapping[str, str] | None = None, icon: str = "sitbreak",
                 systemd_here: bool | None = None, unit: SystemdUserUnit | None = None) -> None:
        self.env = os.environ if env is None else env
        self.xdg = XdgAutostart(env=self.env, icon=icon)
        self.unit = unit or SystemdUserUnit(env=self.env)
        here = _systemd_here() if systemd_here is None else systemd_here
        self.method, self.why = fitting_method(self.env, here)

    @property
    def name(self) -> str:
        return self._chosen().name

    def _backend(self, method: str) -> Any:
        return self.unit if method == "systemd" else self.xdg

    def _chosen(self) -> Any:
        """The backend in use: the enabled one, else the one that fits."""
        for backend in (self.xdg, self.unit):
            if backend.is_enabled():
                return backend
        return self._backend(self.method)

    @property
    def location(self) -> str:
        """Where the entry in use (or the fitting one) lives."""
        return self._chosen().location

    def watch_paths(self) -> list[Path]:
        """Files whose change may change is_enabled(): the unit's only where it fits or its
        folder exists (the tray creates the folders it watches)."""
        unit = self.method == "systemd" or self.unit.path.parent.is_dir()
        return [self.xdg.path, *(self.unit.watch_paths() if unit else [])]

    def enable(self, command: list[str], using: str | None = None) -> str:
        """Enable the fitting way (or `using`: "xdg"/"systemd"); remove sitbreak's other one."""
        method = using or self.method
        why = _("as asked") if using else self.why
        chosen, other = self._backend(method), self._backend("xdg" if method == "systemd"
                                                             else "systemd")
        using_text = (_("using a systemd user unit: {why}") if method == "systemd"
                      else _("using XDG autostart: {why}"))
        lines = [chosen.enable(command), using_text.format(why=why)]
        if other.is_enabled() and self._made_by_us(other):
            # Translators: {result} is what disabling said, e.g. "disabled: removed PATH"
            lines.append(_("(and {result}, so sitbreak is not started twice)").format(
                result=other.disable()))
        note = self._note(method, command)
        if note:
            lines.append(note)
        return "\n".join(lines)

    def disable(self) -> str:
        """Remove whichever sitbreak made."""
        present = [b for b in (self.xdg, self.unit) if Path(b.location).exists()]
        if not present:
            return _("already disabled: there is no {path} nor {unit}").format(
                path=self.xdg.path, unit=self.unit.path)
        return "\n".join(b.disable() for b in present)

    def is_enabled(self) -> bool:
        """Either way starts sitbreak at login."""
        return self.xdg.is_enabled() or self.unit.is_enabled()

    def status(self) -> str:
        """Enabled or not, where and how; a second line when the session will not start it."""
        chosen = self._chosen()
        # Translators: {status} is e.g. "enabled (PATH)"
        line = (_("{status} by a systemd user unit") if chosen is self.unit
                else _("{status} by XDG autostart")).format(status=chosen.status())
        if chosen.is_enabled():
            note = self._note("systemd" if chosen is self.unit else "xdg")
            if note:
                line += "\n" + note
        return line

    def _made_by_us(self, backend: Any) -> bool:
        return backend.ours() if backend is self.unit else is_managed(self.xdg.path)

    def _note(self, method: str, command: list[str] | None = None) -> str:
        """What the user must still do where the chosen way will not start sitbreak by itself."""
        names = desktop_names(self.env)
        line = next((CONFIG_LINE[n] for n in names if n in CONFIG_LINE), None)
        if line is not None:
            argv = command or ["sitbreak", "run"]
            import shlex  # only when a line is printed: the idle tray does without it

            cmd = shlex.join(argv)
            line = line.format(cmd=cmd, q=shlex.quote(cmd),
                               args=" ".join(json.dumps(a) for a in argv))
        if method == "xdg":
            if any(n in NO_XDG_AUTOSTART for n in names) and line:
                # Translators: {line} is a configuration file and the line to add to it
                return _("note: this desktop does not read XDG autostart; add to {line}").format(
                    line=line)
            return ""
        if self.unit.session_starts_target() is False:
            where = _("add to {line}").format(line=line) if line else _(
                "start sitbreak from the desktop's own start-up")
            return _("note: this session has not started {target}, so the unit starts sitbreak "
                     "only in sessions that do (uwsm, sway-systemd, a display manager's systemd "
                     "session); otherwise {where}").format(target="graphical-session.target",
                                                          where=where)
        return ""

"""The freedesktop launcher: `sitbreak.desktop` plus icons in the user's hicolor theme.

Also the desktop-entry helpers the XDG autostart file shares: quoting `Exec`, escaping
values, reading the main group, writing atomically, finding XDG folders.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from tray_app.support.i18n import N_, _, catalogues

APP_ID = "sitbreak"
MANAGED_KEY = "X-Sitbreak-Managed"  # marks files sitbreak wrote, so it removes only those
COMMENT = N_("Notices long sitting and offers short hip, core and posture exercise breaks")
GENERIC_NAME = N_("Sitting break reminder")
# Translators: search words for the application menu; keep the semicolons, one after each word.
KEYWORDS = N_("break;sitting;exercise;posture;stretch;hip;")
ICON_SIZES = range(16, 513)

# Characters that force an Exec argument into double quotes (Desktop Entry spec, "Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def quote_arg(arg: str) -> str:
    """One Exec argument, quoted when it holds a reserved character; `%` doubled."""
    arg = arg.replace("%", "%%")
    if arg and not _RESERVED.intersection(arg):
        return arg
    inner = re.sub(r'(["`$\\])', r"\\\1", arg)
    return f'"{inner}"'


def escape_value(value: str) -> str:
    r"""A string value for a .desktop file: `\`, newlines, tabs escaped (applied after quoting)."""
    return (
        value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    )


def exec_value(command: Iterable[str]) -> str:
    """The escaped `Exec=` value running `command` (argv list)."""
    return escape_value(" ".join(quote_arg(a) for a in command))


def render(fields: Mapping[str, str]) -> str:
    """A `[Desktop Entry]` group from already escaped values, in the given order."""
    return "[Desktop Entry]\n" + "".join(f"{k}={v}\n" for k, v in fields.items())  # i18n: not shown


def read_main_group(path: Path) -> dict[str, str]:
    """Keys of the `[Desktop Entry]` group (raw values); {} when missing or unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    fields: dict[str, str] = {}
    in_main = False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            in_main = line == "[Desktop Entry]"
        elif in_main and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            fields[key.strip()] = value.strip()
    return fields


def is_managed(path: Path) -> bool:
    """True when `path` is a desktop entry sitbreak wrote (it carries the marker key)."""
    return read_main_group(path).get(MANAGED_KEY, "").lower() == "true"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def xdg_dir(env: Mapping[str, str] | None, var: str, default: str) -> Path:
    """$`var` when it is an absolute path (relative ones are invalid per XDG), else ~/`default`."""
    env = os.environ if env is None else env
    value = env.get(var, "")
    if value and os.path.isabs(value):
        return Path(value)
    home = env.get("HOME") or str(Path.home())
    return Path(home) / default


def launcher_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the launcher goes: $XDG_DATA_HOME/applications/sitbreak.desktop."""
    return xdg_dir(env, "XDG_DATA_HOME", ".local/share") / "applications" / f"{APP_ID}.desktop"


def _icon_sources(icons_dir: Path) -> dict[int, Path]:
    found: dict[int, Path] = {}
    for png in icons_dir.glob(f"{APP_ID}-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        if size.isdigit() and int(size) in ICON_SIZES:
            found[int(size)] = png
    return dict(sorted(found.items()))


def localized(key: str, message: str) -> dict[str, str]:
    """`key` and its `key[lang]` for every shipped catalogue that translates `message`."""
    fields = {key: escape_value(message)}
    for lang, catalogue in catalogues():
        text = catalogue.gettext(message)
        if text != message:
            fields[f"{key}[{lang}]"] = escape_value(text)
    return fields


def launcher_fields(command: Iterable[str], icon: str) -> dict[str, str]:
    """The launcher's keys (values escaped), with the translations of its texts."""
    return {
        "Type": "Application",
        "Version": "1.4",  # the newest desktop-file-validate 0.26 knows
        "Name": APP_ID,
        **localized("GenericName", GENERIC_NAME),
        **localized("Comment", COMMENT),
        "Exec": exec_value(command),
        "Icon": escape_value(icon),
        "Terminal": "false",
        "Categories": "Utility;",
        **localized("Keywords", KEYWORDS),
        "StartupNotify": "false",
        MANAGED_KEY: "true",
    }


class SystemLauncher(Exception):
    """A distribution package already put sitbreak in the menu: a user copy would hide it."""


def _data_dirs(env: Mapping[str, str] | None) -> list[Path]:
    env = os.environ if env is None else env
    dirs = env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    return [Path(d) for d in dirs.split(":") if d]


def state_text(path: Path, enabled: bool, ours: bool = True) -> str:
    """What `autostart status` says of a login entry at `path` (a file or a unit): enabled or
    not, and whether sitbreak made it."""
    if not path.exists():
        return _("disabled (no {path})").format(path=path)
    if ours:
        text = _("enabled ({path})") if enabled else _("disabled ({path})")
    else:
        text = (_("enabled ({path}, not made by sitbreak)") if enabled
                else _("disabled ({path}, not made by sitbreak)"))
    return text.format(path=path)


def system_launcher(env: Mapping[str, str] | None = None) -> Path | None:
    """The system's own sitbreak.desktop (the .deb's), if one is installed."""
    for folder in _data_dirs(env):
        path = folder / "applications" / f"{APP_ID}.desktop"
        if path.is_file() and not is_managed(path):
            return path
    return None


def themed_icon(env: Mapping[str, str] | None = None) -> bool:
    """Whether an icon theme (the user's or the system's hicolor) has sitbreak's icon."""
    folders = [xdg_dir(env, "XDG_DATA_HOME", ".local/share"), *_data_dirs(env)]
    return any(any((f / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.*")) for f in folders)


def install_desktop(
    command: list[str], icons_dir: Path, env: Mapping[str, str] | None = None
) -> list[Path]:
    """Add the launcher and copy `sitbreak-<size>.png` icons into the hicolor theme.

    Sizes missing from `icons_dir` are skipped. Returns the files written, icons first.
    Raises SystemLauncher where the system's package already has a menu entry: a copy in the
    user's folder would hide it, and be left broken when the package is removed.
    """
    found = system_launcher(env)
    if found is not None:
        raise SystemLauncher(_(
            "{path} is already in the application menu (installed with the system's package); "
            "a copy of your own would hide it and break when the package is removed. Nothing "
            "was written.").format(path=found))
    data_home = xdg_dir(env, "XDG_DATA_HOME", ".local/share")
    written: list[Path] = []
    for size, src in _icon_sources(Path(icons_dir)).items():
        target = data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written.append(target)
    # A theme name lets the desktop pick the best size; without icons fall back to nothing.
    icon = APP_ID if written else ""
    fields = launcher_fields(command, icon)
    if not icon:
        del fields["Icon"]
    path = launcher_path(env)
    write_atomic(path, render(fields))
    written.append(path)
    return written


def uninstall_desktop(env: Mapping[str, str] | None = None) -> list[Path]:
    """Remove the launcher (only if sitbreak made it) and sitbreak's hicolor icons.

    Returns the files removed.
    """
    removed: list[Path] = []
    path = launcher_path(env)
    if path.exists() and is_managed(path):
        path.unlink()
        removed.append(path)
    hicolor = xdg_dir(env, "XDG_DATA_HOME", ".local/share") / "icons" / "hicolor"
    for icon in sorted(hicolor.glob(f"*/apps/{APP_ID}.png")):
        icon.unlink()
        removed.append(icon)
    return removed

"""Find a sound by name in the freedesktop sound theme, as the Sound Theme Specification says.

Themes live in `$XDG_DATA_HOME/sounds/<theme>` and each `$XDG_DATA_DIRS/*/sounds/<theme>`; a
theme's `index.theme` names its sub-folders (`Directories=`, each with an `OutputProfile`) and
the themes it inherits from, ending with `freedesktop`. A name that is not found is tried again
without its last dash-part ("message-new-instant", then "message-new", then "message"). A
`<name>.disabled` file means the theme wants silence for that sound.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

FALLBACK_THEME = "freedesktop"
EXTENSIONS = (".disabled", ".oga", ".ogg", ".wav")
PROFILE = "stereo"
DEPTH = 8  # themes inheriting each other further than this are a loop or a mistake


@dataclass(frozen=True)
class Found:
    path: Path | None  # None: the theme disables this sound
    name: str  # the name that matched (after any stripping)
    theme: str = FALLBACK_THEME  # the theme it came from (the asked one or one it inherits)


def sound_dirs(env: Mapping[str, str] = os.environ) -> list[Path]:
    """The base folders holding sound themes, most personal first."""
    home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".local"
                                           / "share")
    data = env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    return [Path(d) / "sounds" for d in [home, *data.split(":")] if d]


def _index(theme: str, bases: Sequence[Path]) -> tuple[list[str], list[str]]:
    """(sub-folders, profile first; inherited themes) of a theme from its first index.theme."""
    for base in bases:
        index = base / theme / "index.theme"
        if not index.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read(index, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            continue
        head = parser["Sound Theme"] if parser.has_section("Sound Theme") else {}
        dirs = [d.strip() for d in head.get("Directories", "").split(",") if d.strip()]
        inherits = [t.strip() for t in head.get("Inherits", "").split(",") if t.strip()]
        # The folders made for stereo output first, the others after.
        dirs.sort(key=lambda d: parser.get(d, "OutputProfile", fallback="") != PROFILE)
        return dirs, inherits
    return [], []


def theme_chain(theme: str, bases: Sequence[Path]) -> list[tuple[str, list[str]]]:
    """The theme and every theme it inherits from, breadth first, then `freedesktop`."""
    chain: list[tuple[str, list[str]]] = []
    queue, seen = [theme], set()
    while queue and len(seen) < DEPTH:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        dirs, inherits = _index(name, bases)
        chain.append((name, dirs))
        queue.extend(inherits)
    if FALLBACK_THEME not in seen:
        chain.append((FALLBACK_THEME, _index(FALLBACK_THEME, bases)[0]))
    return chain


def variants(name: str) -> list[str]:
    """`a-b-c` -> [a-b-c, a-b, a]: the spec's fallback from specific to general."""
    parts = name.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def desktop_theme(env: Mapping[str, str] = os.environ) -> str:
    """The sound theme the desktop is set to (GNOME and its relatives keep it in gsettings,
    e.g. Ubuntu's "Yaru"), else freedesktop."""
    import shutil
    import subprocess

    gsettings = shutil.which("gsettings", path=env.get("PATH"))
    if gsettings is None:
        return FALLBACK_THEME
    try:
        out = subprocess.run([gsettings, "get", "org.gnome.desktop.sound", "theme-name"],
                             env=dict(env), capture_output=True, text=True, timeout=2,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return FALLBACK_THEME
    name = out.stdout.strip().strip("'\"") if out.returncode == 0 else ""
    return name if name and "/" not in name else FALLBACK_THEME


def find(names: Sequence[str], theme: str = FALLBACK_THEME,
         env: Mapping[str, str] = os.environ) -> Found | None:
    """The first of `names` the theme (or those it inherits) has; None when none is there."""
    bases = sound_dirs(env)
    chain = theme_chain(theme, bases)
    for wanted in names:
        for name in variants(wanted):
            for theme_name, dirs in chain:
                for base in bases:
                    for sub in [*dirs, ""]:  # a theme without an index: its top folder
                        folder = base / theme_name / sub if sub else base / theme_name
                        for ext in EXTENSIONS:
                            path = folder / f"{name}{ext}"
                            if path.is_file():
                                return Found(None if ext == ".disabled" else path, name,
                                             theme_name)
    return None

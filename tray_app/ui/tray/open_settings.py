"""Open the settings file the way the desktop allows, and never silently fail.

In order: the desktop's handler for text files (xdg-open / open / startfile); else
$VISUAL or $EDITOR in a terminal, if there is one; else the settings window; else a
notification that names the path. `xdg-open` with no registered editor exits 4 at once,
so each step's launcher is watched for a short while before the next one is tried.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# Terminals tried for the editor, after $TERMINAL; each takes `-e command args...`.
TERMINALS = ("x-terminal-emulator", "gnome-terminal", "konsole", "xfce4-terminal", "xterm")
# A launcher still running, or exited 0, after this long has done its job.
SETTLE_S = 3.0


def _launched(argv: list[str], env: Mapping[str, str], settle_s: float) -> bool:
    """True if `argv` started and did not fail within `settle_s` (it may keep running)."""
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True,
                                env=dict(env))
    except OSError:
        return False
    try:
        return proc.wait(settle_s) == 0
    except subprocess.TimeoutExpired:
        return True  # still running: an editor or a terminal that has opened


def desktop_handler(path: Path, env: Mapping[str, str], platform: str = sys.platform,
                    settle_s: float = SETTLE_S) -> bool:
    if platform.startswith("win"):
        try:
            os.startfile(str(path))  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    opener = "open" if platform == "darwin" else "xdg-open"
    found = shutil.which(opener, path=env.get("PATH"))
    return bool(found) and _launched([str(found), str(path)], env, settle_s)


def editor_in_terminal(path: Path, env: Mapping[str, str], settle_s: float = SETTLE_S) -> bool:
    editor = env.get("VISUAL") or env.get("EDITOR")
    if not editor:
        return False
    terminals = [env["TERMINAL"]] if env.get("TERMINAL") else []
    for name in [*terminals, *TERMINALS]:
        found = shutil.which(name, path=env.get("PATH"))
        if found and _launched([found, "-e", *shlex.split(editor), str(path)], env, settle_s):
            return True
    return False


def open_settings_file(
    path: Path,
    open_window: Callable[[], bool],
    notify: Callable[[str, str], None],
    env: Mapping[str, str] | None = None,
    settle_s: float = SETTLE_S,
) -> str:
    """Try each way in turn; returns which one worked ("desktop", "editor", "window", "path")."""
    env = os.environ if env is None else env
    if desktop_handler(path, env, settle_s=settle_s):
        return "desktop"
    if editor_in_terminal(path, env, settle_s):
        return "editor"
    try:
        if open_window():
            return "window"
    except Exception:
        pass
    notify("sitbreak: the settings file", f"Nothing here opens text files; edit this file:\n{path}")
    return "path"

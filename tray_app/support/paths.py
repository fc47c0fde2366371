"""Where sitbreak keeps its files, per the OS's conventions: the XDG base directories on Linux
and other Unix systems, platformdirs' choice on macOS and Windows."""

from __future__ import annotations

import logging
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tray_app import APP_NAME

log = logging.getLogger(__name__)

# XDG base directories: the variable, and the folder in the home when it is unset.
XDG = {"config": ("XDG_CONFIG_HOME", "~/.config"), "data": ("XDG_DATA_HOME", "~/.local/share"),
       "cache": ("XDG_CACHE_HOME", "~/.cache"), "state": ("XDG_STATE_HOME", "~/.local/state")}


def _user_dir(kind: str) -> Path:
    """sitbreak's folder of `kind` ("config", "data", "cache", "state").

    On XDG systems read here as platformdirs (3 and later) reads it: the variable when it is an
    absolute path (the XDG spec ignores a relative one), else the home's default. platformdirs
    itself costs the idle tray process ~0.35 MiB of code, so it is loaded only where its
    answer is not that (macOS, Windows, Android)."""
    if not _xdg_system():
        import platformdirs

        return getattr(platformdirs, f"user_{kind}_path")(APP_NAME, appauthor=False)
    variable, default = XDG[kind]
    base = os.environ.get(variable, "")
    return Path(base if os.path.isabs(base) else os.path.expanduser(default)) / APP_NAME


def config_dir() -> Path:
    return _user_dir("config")


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def data_dir() -> Path:
    return _user_dir("data")


def history_file() -> Path:
    return data_dir() / "history.sqlite3"


def cache_dir() -> Path:
    return _user_dir("cache")


def _xdg_system() -> bool:
    return sys.platform not in ("darwin", "win32") and not hasattr(sys, "getandroidapilevel")


def log_dir() -> Path:
    if not _xdg_system():
        import platformdirs

        return platformdirs.user_log_path(APP_NAME, appauthor=False)
    return state_dir() / "log"  # platformdirs' user_log_path on XDG systems (3 and later)


def state_dir() -> Path:
    return _user_dir("state")


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner can enter: created 0700 whatever the umask, an
    existing one of ours tightened (one someone else owns is left alone and used as is)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(path, 0o700)
    return path


def private_file(path: Path) -> None:
    """An existing file of ours made 0600 (a symlink is not followed; a missing file is fine)."""
    _tighten(path, 0o600)


def _tighten(path: Path, mode: int) -> None:
    try:
        st = os.lstat(path)
    except OSError:
        return
    if stat.S_ISLNK(st.st_mode) or not hasattr(os, "getuid") or st.st_uid != os.getuid():
        return
    if stat.S_IMODE(st.st_mode) & ~mode & 0o777:
        try:
            os.chmod(path, stat.S_IMODE(st.st_mode) & mode)
        except OSError as err:
            log.warning("can't make %s private: %s", path, err)


def tighten_all() -> None:
    """At start: the data, state, log and cache folders 0700 and the files in the data and
    log folders 0600, however an older version or the umask left them (the history and the
    log tell another local user when you sit and what you do)."""
    for folder in (data_dir(), state_dir(), log_dir(), cache_dir()):
        try:
            private_dir(folder)
        except OSError as err:
            log.warning("can't create %s: %s", folder, err)
    for folder in (data_dir(), log_dir()):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                private_file(Path(entry.path))


def runtime_dir(on_notice: Callable[[str], None] = log.warning) -> Path:
    """A private (0700) folder for the lock and the control socket.

    $XDG_RUNTIME_DIR/sitbreak when the session has one, else /tmp/sitbreak-<uid>. A folder there
    that is a symlink, not a folder, or another user's is never used (another user could
    otherwise block us or watch the socket): `on_notice` hears why, and a private folder in the
    user's state dir is used instead. Raises PermissionError only if that one is unsafe too.
    """
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and Path(base).is_dir():
        path = Path(base) / APP_NAME
    else:
        uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
        path = Path(tempfile.gettempdir()) / f"{APP_NAME}-{uid}"
    if not hasattr(os, "getuid"):
        path.mkdir(parents=True, exist_ok=True)
        return path
    problem = _make_private_dir(path)
    if problem is None:
        return path
    fallback = state_dir() / "run"
    private_dir(fallback.parent)
    fallback_problem = _make_private_dir(fallback)
    if fallback_problem is not None:
        raise PermissionError(f"no safe folder for the control socket: {problem}; "
                              f"{fallback_problem}")
    on_notice(f"{problem}; using {fallback} instead")
    return fallback


def _make_private_dir(path: Path) -> str | None:
    """Create `path` as a 0700 folder of ours, or say why the one there is not safe to use.

    Opened with O_NOFOLLOW and checked through the open handle, so a symlink swapped in after
    the check is never followed.
    """
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:  # e.g. XDG_RUNTIME_DIR is someone else's or read-only
        return f"cannot create {path} ({exc.strerror})"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        if path.is_symlink():
            return f"{path} is a symlink, which could point anywhere: not using it"
        if path.exists() and not path.is_dir():
            return f"{path} is not a folder: not using it"
        return f"cannot open {path} ({exc.strerror})"
    try:
        st = os.fstat(fd)
        if st.st_uid != os.getuid():
            return (f"{path} belongs to another user (uid {st.st_uid}), who could block or "
                    "watch sitbreak there: not using it")
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.fchmod(fd, 0o700)
    finally:
        os.close(fd)
    return None

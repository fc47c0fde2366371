"""Where sitbreak keeps its files, per the OS's conventions (platformdirs)."""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import platformdirs

from tray_app import APP_NAME

log = logging.getLogger(__name__)


def config_dir() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def history_file() -> Path:
    return data_dir() / "history.sqlite3"


def cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


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
    fallback = platformdirs.user_state_path(APP_NAME, appauthor=False) / "run"
    fallback.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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

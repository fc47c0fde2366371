"""Where sitbreak keeps its files, per the OS's conventions (platformdirs)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

from tray_app import APP_NAME


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


def runtime_dir() -> Path:
    """A private (0700) folder for the lock and the control socket.

    $XDG_RUNTIME_DIR when the session has one; otherwise a per-user folder in the temp dir.
    """
    base = os.environ.get("XDG_RUNTIME_DIR")
    if base and Path(base).is_dir():
        path = Path(base) / APP_NAME
    else:
        uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
        path = Path(tempfile.gettempdir()) / f"{APP_NAME}-{uid}"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if hasattr(os, "getuid"):
        st = path.stat()
        if st.st_uid != os.getuid():
            raise PermissionError(
                f"{path} belongs to another user; remove it or set XDG_RUNTIME_DIR"
            )
        if st.st_mode & 0o077:
            path.chmod(0o700)
    return path

"""Issue 26 item 9: with Debian's defaults (umask 022, 0755 homes) another local user read a
victim's history (history.sqlite3 with -wal/-shm) and sitbreak.log, all 0644. Now the data,
state and log folders are 0700 and the files 0600 whatever the umask, and ones an older version
left open are tightened at start. Checked as another local user (`nobody`, via runuser) where
the tests run as root; skipped otherwise."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tray_app.cli.history_commands import run_history_import
from tray_app.core.model import Kind, Row, Settings
from tray_app.history import History
from tray_app.support import paths
from tray_app.support.logging_setup import setup_logging

OTHER = "nobody"


def other_user_reads(path: Path) -> bool:
    """True if the user `nobody` can read `path` (the way the trial's attacker did)."""
    done = subprocess.run(["runuser", "-u", OTHER, "--", "cat", str(path)],
                          capture_output=True, timeout=20)
    return done.returncode == 0


needs_other_user = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None,
    reason="reading as another local user needs root and runuser to switch to 'nobody'")


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home another user could walk into (0755 like Debian's), XDG folders inside it, and
    the usual umask 022."""
    base = Path(tempfile.mkdtemp(prefix="sitbreak-privacy-", dir="/tmp"))
    base.chmod(0o755)
    for name, sub in (("HOME", ""), ("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"),
                      ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(name, str(base / sub))
    old = os.umask(0o022)
    try:
        yield base
    finally:
        os.umask(old)
        shutil.rmtree(base, ignore_errors=True)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@needs_other_user
def test_the_control_case_another_user_reads_a_default_file(home: Path) -> None:
    """The check can fail: a file made the ordinary way in this home is readable by nobody."""
    open_file = home / "plain.txt"
    open_file.write_text("x")
    assert mode(open_file) == 0o644 and other_user_reads(open_file)


def test_a_new_history_and_its_wal_are_private_whatever_the_umask(home: Path) -> None:
    src = home / "in.csv"
    src.write_text("wall,kind,duration_s\n1700000000,stretch_ended,60\n")
    history = paths.history_file()
    assert run_history_import(history, src, Settings(), io.StringIO(), err=io.StringIO()) == 0
    store = History.open(history)  # kept open: the -wal and -shm exist meanwhile
    try:
        store.record(Row(Kind.PAUSED, 1_700_000_100.0, 1.0))
        wal, shm = (history.with_name(history.name + s) for s in ("-wal", "-shm"))
        assert wal.exists() and shm.exists()
        assert mode(history.parent) == 0o700
        assert {mode(history), mode(wal), mode(shm)} == {0o600}
        if os.geteuid() == 0 and shutil.which("runuser"):
            assert not any(other_user_reads(p) for p in (history, wal, shm))
    finally:
        store.close()


@needs_other_user
def test_files_an_older_version_left_open_are_tightened_at_start(home: Path) -> None:
    data, logs = paths.data_dir(), paths.log_dir()
    for folder in (data, logs):
        folder.mkdir(parents=True, mode=0o755)
        folder.chmod(0o755)
    loose = [data / "history.sqlite3", data / "history.sqlite3-wal",
             data / "history.sqlite3-shm", logs / "sitbreak.log", logs / "sitbreak.log.1"]
    for f in loose:
        f.write_text("private")
        f.chmod(0o644)
    assert other_user_reads(loose[0])  # as the trial found it
    paths.tighten_all()
    for folder in (data, logs, paths.state_dir(), paths.cache_dir()):
        assert mode(folder) == 0o700, folder
    assert {mode(f) for f in loose} == {0o600}
    assert not any(other_user_reads(f) for f in loose)


def test_the_log_is_private_from_its_first_line(home: Path) -> None:
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        path = setup_logging(paths.log_dir())
        logging.getLogger("test").warning("a line")
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
        if os.geteuid() == 0 and shutil.which("runuser"):
            assert not other_user_reads(path)
    finally:
        for h in list(root.handlers):
            root.removeHandler(h)
            h.close()
        for h in saved[0]:
            root.addHandler(h)
        root.setLevel(saved[1])

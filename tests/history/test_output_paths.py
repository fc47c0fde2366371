"""Issue 26 item 12: `stats --chart` and `history export --force` replaced whatever the path
named. Now only a new name or a regular file is written; a symlink, pipe, device, socket or
folder there is refused with what it is, and left as it was."""

from __future__ import annotations

import io
import os
import socket
from pathlib import Path

import pytest

from tray_app.cli.history_commands import run_history_export, run_stats
from tray_app.core.model import Kind, Row, Settings
from tray_app.history import History


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite3"
    store = History.open(path)
    store.record(Row(Kind.STRETCH_ENDED, 1_700_000_000.0, 60.0))
    store.close()
    return path


def special(tmp_path: Path, kind: str) -> Path:
    target = tmp_path / f"target-{kind}"
    if kind == "symlink":
        (tmp_path / "precious.txt").write_text("keep me")
        target.symlink_to(tmp_path / "precious.txt")
    elif kind == "dangling":
        target.symlink_to(tmp_path / "nowhere")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(target))
        s.close()
    return target


KINDS = ["symlink", "dangling", "fifo", "socket"]


@pytest.mark.parametrize("kind", KINDS)
def test_export_force_refuses_anything_but_a_regular_file(
        history: Path, tmp_path: Path, kind: str) -> None:
    target = special(tmp_path, kind)
    before = os.lstat(target)
    err = io.StringIO()
    assert run_history_export(history, target, io.StringIO(), force=True, err=err) == 2
    assert "not a regular file" in err.getvalue()
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    if kind == "symlink":
        assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_export_to_a_device_is_refused(history: Path) -> None:
    err = io.StringIO()
    assert run_history_export(history, "/dev/null", io.StringIO(), force=True, err=err) == 2
    assert "a device" in err.getvalue()


@pytest.mark.parametrize("kind", KINDS)
def test_the_chart_refuses_anything_but_a_regular_file(
        history: Path, tmp_path: Path, kind: str) -> None:
    target = special(tmp_path, kind)
    inode = os.lstat(target).st_ino
    err = io.StringIO()
    assert run_stats(history, Settings(), chart_path=target, out=io.StringIO(), err=err) == 2
    assert "not a regular file" in err.getvalue() and os.lstat(target).st_ino == inode


def test_a_regular_file_and_a_new_name_are_written(history: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text("old")
    assert run_history_export(history, old, io.StringIO(), force=True) == 0
    assert "stretch_ended" in old.read_text()
    assert run_history_export(history, tmp_path / "new.csv", io.StringIO()) == 0

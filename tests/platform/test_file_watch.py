"""The settings file watch: real inotify in a temporary folder."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from tray_app.platform.file_watch import FileWatch

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


class Seen:
    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self) -> None:
        self.event.set()

    def wait(self) -> bool:
        ok = self.event.wait(2.0)
        self.event.clear()
        return ok


def test_writes_and_replacements_are_noticed_others_are_not(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("a = 1\n")
    seen = Seen()
    watch = FileWatch(path, seen)
    assert watch.start()
    try:
        path.write_text("a = 2\n")  # in place
        assert seen.wait()
        tmp = tmp_path / ".settings.toml.tmp"
        tmp.write_text("a = 3\n")
        seen.event.clear()  # the temporary file is not ours...
        os.replace(tmp, path)  # ...but renaming it over ours is, as editors save
        assert seen.wait()
        (tmp_path / "other.toml").write_text("b = 1\n")
        assert not seen.event.wait(0.3)
    finally:
        watch.stop()
    path.write_text("a = 4\n")
    assert not seen.event.wait(0.3)  # stopped


def test_a_symlinked_settings_file_is_watched_where_it_lives(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "sitbreak.toml"
    real.parent.mkdir()
    real.write_text("a = 1\n")
    link = tmp_path / "config" / "settings.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    seen = Seen()
    watch = FileWatch(link, seen)
    assert watch.start()
    try:
        real.write_text("a = 2\n")
        assert seen.wait()
    finally:
        watch.stop()


def test_a_file_written_in_place_is_read_only_once_it_is_whole(tmp_path: Path) -> None:
    """An editor that truncates and then writes: reading at the truncation would find no
    settings at all (the defaults), and a broken edit after it would keep those, not the user's
    last good ones (seen in the wheel's console end-to-end test)."""
    path = tmp_path / "settings.toml"
    whole_old, whole_new = "a = 1\nb = 2\n", "a = 3\nb = 4\n"
    path.write_text(whole_old)
    seen: list[str] = []
    done = threading.Event()

    def read() -> None:
        seen.append(path.read_text())
        if seen[-1] == whole_new:
            done.set()

    watch = FileWatch(path, read)
    assert watch.start()
    try:
        with path.open("w") as f:  # truncates: the file is empty now
            f.write(whole_new[:6])
            f.flush()
            threading.Event().wait(0.3)  # a slow writer, in the middle of saving
            f.write(whole_new[6:])
        assert done.wait(2.0)
    finally:
        watch.stop()
    assert set(seen) == {whole_new}, seen


def test_starting_the_watch_runs_no_subprocess(tmp_path: Path, monkeypatch) -> None:
    """ctypes.util.find_library("c") runs ldconfig at every start; libc is already loaded."""
    import subprocess

    def no(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(subprocess, "Popen", no)
    path = tmp_path / "settings.toml"
    path.write_text("a = 1\n")
    watch = FileWatch(path, lambda: None)
    try:
        assert watch.start()
    finally:
        watch.stop()

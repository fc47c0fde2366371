"""Issue 11, item 12: without XDG_RUNTIME_DIR, another user's folder or a symlink in /tmp."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox, stop, write_settings
from tray_app.support import paths

needs_root = pytest.mark.skipif(os.getuid() != 0,
                                reason="giving a folder to another user needs root")


class NoRuntimeSandbox(Sandbox):
    """A sandbox whose session has no XDG_RUNTIME_DIR."""

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env.pop("XDG_RUNTIME_DIR")
        return env


@pytest.fixture
def no_runtime_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_RUNTIME_DIR unset, a private temp dir, and a private state dir for the fallback."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp


def test_creates_a_private_folder_in_tmp(no_runtime_env: Path) -> None:
    path = paths.runtime_dir()
    assert path == no_runtime_env / f"sitbreak-{os.getuid()}"
    assert path.is_dir() and (path.stat().st_mode & 0o777) == 0o700


def test_a_symlink_in_tmp_is_refused_and_not_followed(no_runtime_env: Path, tmp_path: Path
                                                      ) -> None:
    target = tmp_path / "attacker"
    target.mkdir(mode=0o755)
    (no_runtime_env / f"sitbreak-{os.getuid()}").symlink_to(target)
    notices: list[str] = []
    path = paths.runtime_dir(on_notice=notices.append)
    assert path == tmp_path / "state" / "sitbreak" / "run"
    assert (path.stat().st_mode & 0o777) == 0o700
    assert len(notices) == 1 and "is a symlink" in notices[0] and str(path) in notices[0]
    assert (target.stat().st_mode & 0o777) == 0o755  # not chmod-ed through the link


def test_a_file_in_the_way_is_refused(no_runtime_env: Path) -> None:
    (no_runtime_env / f"sitbreak-{os.getuid()}").write_text("x")
    notices: list[str] = []
    assert paths.runtime_dir(on_notice=notices.append).name == "run"
    assert "is not a folder" in notices[0]


def test_a_runtime_dir_we_cannot_write_falls_back(no_runtime_env: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/proc")  # a folder nobody can create folders in
    notices: list[str] = []
    path = paths.runtime_dir(on_notice=notices.append)
    assert path == tmp_path / "state" / "sitbreak" / "run"
    assert notices[0].startswith("cannot create /proc/sitbreak")


@needs_root
def test_another_users_folder_is_refused(no_runtime_env: Path) -> None:
    theirs = no_runtime_env / f"sitbreak-{os.getuid()}"
    theirs.mkdir(mode=0o777)
    os.chown(theirs, 54321, 54321)
    notices: list[str] = []
    path = paths.runtime_dir(on_notice=notices.append)
    assert path.name == "run" and path.stat().st_uid == os.getuid()
    assert "belongs to another user (uid 54321)" in notices[0]


def test_an_unsafe_fallback_too_is_a_clear_error(no_runtime_env: Path, tmp_path: Path) -> None:
    (no_runtime_env / f"sitbreak-{os.getuid()}").symlink_to(tmp_path)
    (tmp_path / "state" / "sitbreak").mkdir(parents=True)
    (tmp_path / "state" / "sitbreak" / "run").symlink_to(tmp_path)
    with pytest.raises(PermissionError, match="no safe folder for the control socket"):
        paths.runtime_dir()


@pytest.mark.e2e
@needs_root
def test_run_and_commands_start_despite_another_users_folder(tmp_path: Path) -> None:
    """The way it was found: another user made /tmp/sitbreak-<uid> first; `run` must start."""
    box = NoRuntimeSandbox(tmp_path)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    theirs = tmp / f"sitbreak-{os.getuid()}"
    theirs.mkdir(mode=0o777)
    os.chown(theirs, 54321, 54321)
    box.extra_env.update(TMPDIR=str(tmp))
    env_runtime = box.root / "runtime"
    cfg = write_settings(box.root / "s.toml", sitting={"break_after": "1h"})
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        assert box.status()["state"] == "sitting"
        assert "belongs to another user" in box.output()
        assert (tmp_path / "state" / "sitbreak" / "run" / "control.sock").exists()
        assert list(theirs.iterdir()) == [] and not any(env_runtime.iterdir())
    finally:
        stop(proc)

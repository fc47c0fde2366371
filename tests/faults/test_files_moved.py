"""Issue 26 item 5, the runtime folder: removed under the running app, the control socket and
the instance lock went with it, so commands said "not running" and a second instance could
start beside the first. Now a second lock in the state folder keeps a second instance out
whatever one folder lost, and the control channel puts its socket (and the lock beside it)
back within CHECK_S."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, stop, write_settings
from tray_app.shell.control_channel import ControlServer, send_command
from tray_app.shell.instance import AlreadyRunning, InstanceLock


def test_a_removed_runtime_folder_keeps_a_second_instance_out(tmp_path: Path) -> None:
    run, state = tmp_path / "run", tmp_path / "state"
    run.mkdir()
    first = InstanceLock(run, also=state)
    first.acquire()
    try:
        shutil.rmtree(run)
        run.mkdir()
        with pytest.raises(AlreadyRunning):
            InstanceLock(run, also=state).acquire()
        assert first.renew() == [run / "sitbreak.lock"]
        with pytest.raises(AlreadyRunning):
            InstanceLock(run).acquire()  # the runtime folder's lock is ours again
    finally:
        first.release()
    InstanceLock(run, also=state).acquire()


def test_the_socket_and_its_folder_are_put_back(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    renewed: list[bool] = []
    server = ControlServer(folder, lambda req: {"ok": True}, on_moved=lambda: renewed.append(True),
                           check_s=0.05)
    server.start()
    try:
        assert send_command(folder, {"cmd": "status"}) == {"ok": True}
        shutil.rmtree(folder)
        wait_for(lambda: server.rebound == 1, timeout=5, what="the socket put back")
        assert (folder.stat().st_mode & 0o777) == 0o700 and renewed == [True]
        assert send_command(folder, {"cmd": "status"}) == {"ok": True}
    finally:
        server.stop()


@pytest.mark.e2e
def test_no_second_sitbreak_after_the_runtime_folder_is_removed(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    cfg = write_settings(box.root / "s.toml", sitting={"break_after": "1h"})
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        shutil.rmtree(box.root / "runtime" / "sitbreak")
        second = box.cli("run", "--console", "--config", str(cfg), timeout=30)
        assert second.returncode == 1 and "already running" in second.stderr, second
        assert proc.poll() is None
    finally:
        stop(proc)

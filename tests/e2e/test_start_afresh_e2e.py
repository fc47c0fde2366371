"""`sitbreak run` starts afresh once parsed (tray_app.cli.relaunch), as users start it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import ROOT, Sandbox, quick_settings, stop, workdir
from tray_app.cli import relaunch

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")]


def console_script(folder: Path) -> Path:
    """A launcher shaped like the one pip and Debian install: a #! line and `main()`."""
    script = folder / "sitbreak"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                      "from tray_app.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    return script


def test_the_installed_command_keeps_its_pid_name_and_command_line(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    cfg = quick_settings(tmp_path / "s.toml", break_after="1h")
    script = console_script(tmp_path)
    log = (tmp_path / "run.out").open("w")
    proc = subprocess.Popen([str(script), "run", "--console", "--config", str(cfg)], env=box.env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=workdir(tmp_path))
    try:
        box.wait_running(proc)  # the same pid answers: exec kept it
        pid = proc.pid
        assert Path(f"/proc/{pid}/comm").read_text().strip() == "sitbreak"  # pkill sitbreak
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
        assert cmdline[1:] == [str(script), "run", "--console", "--config", str(cfg)]
        # The environment it was started afresh with carried the parsed options (the app
        # then takes them out of its own: test_relaunch.py).
        environ = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
        assert any(entry.startswith(f"{relaunch.ENV}=") for entry in environ)
        assert box.status()["state"] == "sitting"
    finally:
        assert stop(proc) == 0
        log.close()


def test_python_main_py_starts_afresh_from_another_folder(tmp_path: Path) -> None:
    """A checkout started by path from elsewhere: the same interpreter, file and options."""
    box = Sandbox(tmp_path)
    cfg = quick_settings(tmp_path / "s.toml", break_after="1h")
    log = (tmp_path / "run.out").open("w")
    proc = subprocess.Popen([sys.executable, "-X", "utf8", str(ROOT / "main.py"), "run",
                             "--console", "--config", str(cfg)], env=box.env, stdout=log,
                            stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        box.wait_running(proc)
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode().split("\0")[:-1]
        assert cmdline[1:] == ["-X", "utf8", str(ROOT / "main.py"), "run", "--console",
                               "--config", str(cfg)]
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes().decode()
        assert f"{relaunch.ENV}=" in environ
    finally:
        assert stop(proc) == 0
        log.close()


def test_a_handover_left_in_the_environment_is_not_taken_by_another_command(
    tmp_path: Path,
) -> None:
    box = Sandbox(tmp_path)
    env = {**box.env, relaunch.ENV: '{"argv": ["run"], "options": {"config": null, '
           '"verbose": false, "console": true, "no_window": false}}'}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "status"], env=env,
                          capture_output=True, text=True, timeout=30, check=False,
                          cwd=workdir(tmp_path))
    assert done.returncode == 3, done.stdout + done.stderr  # not running: status, not the app

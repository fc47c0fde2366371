"""Start at login on every Linux desktop (issue 22, item 5): XDG autostart where the desktop reads
it, a systemd user unit bound to graphical-session.target where it does not (sway, Hyprland).
All with a private HOME and XDG_CONFIG_HOME."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tray_app.platform.autostart.desktops import LinuxAutostart, fitting_method
from tray_app.platform.autostart.systemd import SystemdUserUnit, quote_exec, unit_text

ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "tray_app", "run", "--config", "/tmp/my dir/50%$HOME.toml"]


def env_for(tmp: Path, desktop: str) -> dict[str, str]:
    runtime = tmp / "run"
    runtime.mkdir(exist_ok=True)
    return {"HOME": str(tmp / "home"), "XDG_CONFIG_HOME": str(tmp / "config"),
            "XDG_RUNTIME_DIR": str(runtime), "XDG_CURRENT_DESKTOP": desktop}


def verify(path: Path) -> subprocess.CompletedProcess:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze is not installed: run `apt-get install systemd`")
    return subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize(("desktop", "systemd", "method"), [
    ("GNOME", True, "xdg"), ("ubuntu:GNOME", True, "xdg"), ("KDE", True, "xdg"),
    ("XFCE", True, "xdg"), ("X-Cinnamon", True, "xdg"), ("sway", True, "systemd"),
    ("Hyprland", True, "systemd"), ("river", True, "systemd"), ("i3", True, "systemd"),
    ("sway", False, "xdg"), ("", True, "xdg"), ("SomethingNew", True, "xdg"),
])
def test_the_way_that_fits_each_desktop(desktop: str, systemd: bool, method: str) -> None:
    got, why = fitting_method({"XDG_CURRENT_DESKTOP": desktop}, systemd)
    assert got == method, why
    assert why


def test_the_unit_is_valid_and_starts_the_command(tmp_path: Path) -> None:
    path = tmp_path / "sitbreak.service"
    path.write_text(unit_text(COMMAND))
    out = verify(path)
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr
    text = path.read_text()
    assert "WantedBy=graphical-session.target" in text and "PartOf=graphical-session.target" in text
    # % and $ doubled (no specifier, no variable), the space quoted.
    assert f'ExecStart={sys.executable} -m tray_app run --config "/tmp/my dir/50%%$$HOME.toml"' \
        in text
    assert "Restart=" not in text  # a second sitbreak exits 1: it must not be restarted


def test_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    """So the check above can fail: a unit whose program does not exist is refused."""
    path = tmp_path / "sitbreak.service"
    path.write_text(unit_text(["/nonexistent/sitbreak", "run"]))
    assert verify(path).returncode != 0


def test_quoting() -> None:
    assert quote_exec("/usr/bin/sitbreak") == "/usr/bin/sitbreak"
    assert quote_exec('a "b"\\c') == '"a \\"b\\"\\\\c"'


def test_sway_enables_the_unit_by_its_link_and_disable_removes_it(tmp_path: Path) -> None:
    env = env_for(tmp_path, "sway")
    auto = LinuxAutostart(env, icon="sitbreak", systemd_here=True)
    assert not auto.is_enabled()
    msg = auto.enable(COMMAND)
    unit = tmp_path / "config" / "systemd" / "user" / "sitbreak.service"
    link = unit.parent / "graphical-session.target.wants" / "sitbreak.service"
    assert "systemd user unit" in msg and str(unit) in msg, msg
    assert "does not read XDG autostart" in msg, msg
    assert unit.is_file() and link.is_symlink() and link.resolve() == unit.resolve()
    assert not (tmp_path / "config" / "autostart" / "sitbreak.desktop").exists()
    assert auto.is_enabled() and auto.name == "systemd-user" and auto.location == str(unit)
    assert auto.status().startswith("enabled (")
    assert auto.enable(COMMAND).startswith("already enabled")
    assert auto.disable() == f"disabled: removed {unit}"
    assert not unit.exists() and not link.is_symlink()
    assert not auto.is_enabled()
    assert auto.disable().startswith("already disabled")


def test_gnome_enables_xdg_autostart(tmp_path: Path) -> None:
    auto = LinuxAutostart(env_for(tmp_path, "GNOME"), icon="sitbreak", systemd_here=True)
    msg = auto.enable(COMMAND)
    entry = tmp_path / "config" / "autostart" / "sitbreak.desktop"
    assert "using XDG autostart" in msg and entry.is_file()
    assert not (tmp_path / "config" / "systemd").exists()
    assert auto.is_enabled() and auto.location == str(entry)
    assert auto.disable() == f"disabled: removed {entry}"
    assert not auto.is_enabled()


def test_moving_desktops_leaves_one_way_only(tmp_path: Path) -> None:
    """Enabled on GNOME, then again on sway: never both (sitbreak would start twice)."""
    LinuxAutostart(env_for(tmp_path, "GNOME"), systemd_here=True).enable(COMMAND)
    sway = LinuxAutostart(env_for(tmp_path, "sway"), systemd_here=True)
    msg = sway.enable(COMMAND)
    assert "so sitbreak is not started twice" in msg
    assert not sway.xdg.path.exists() and sway.unit.is_enabled()


def test_a_unit_the_user_wrote_is_left_alone(tmp_path: Path) -> None:
    auto = LinuxAutostart(env_for(tmp_path, "sway"), systemd_here=True)
    auto.unit.path.parent.mkdir(parents=True)
    auto.unit.path.write_text("[Service]\nExecStart=/usr/bin/sitbreak run\n")
    assert auto.enable(COMMAND).startswith("left alone")
    assert auto.disable().startswith("left alone")
    assert auto.unit.path.exists()


def test_without_systemd_sway_gets_xdg_and_the_line_to_add(tmp_path: Path) -> None:
    auto = LinuxAutostart(env_for(tmp_path, "sway"), systemd_here=False)
    msg = auto.enable(COMMAND)
    assert auto.xdg.is_enabled()
    # The line to add runs the same command as the entry, quoted for a shell.
    assert f"~/.config/sway/config: exec {shlex.join(COMMAND)}" in msg, msg
    assert "'/tmp/my dir/50%$HOME.toml'" in msg


class Systemctl:
    """Records `systemctl --user` calls and does what enable/disable/is-active do on disk."""

    def __init__(self, unit: SystemdUserUnit, active: bool) -> None:
        self.unit, self.active, self.calls = unit, active, []

    def __call__(self, argv: list[str], **kw: Any) -> subprocess.CompletedProcess:
        args = argv[2:]
        self.calls.append(args)
        out = ""
        if args[0] == "enable":
            self.unit.link.parent.mkdir(parents=True, exist_ok=True)
            self.unit.link.symlink_to(self.unit.path)
        elif args[0] == "disable":
            self.unit.link.unlink(missing_ok=True)
        elif args[0] == "is-active":
            out = "active\n" if self.active else "inactive\n"
        return subprocess.CompletedProcess(argv, 0, out, "")


@pytest.mark.parametrize("active", [True, False])
def test_with_a_user_manager_systemctl_enables_and_says_when_the_target_is_missing(
        tmp_path: Path, active: bool) -> None:
    env = env_for(tmp_path, "sway")
    (tmp_path / "run" / "systemd").mkdir()
    (tmp_path / "run" / "systemd" / "private").touch()  # the manager's socket
    unit = SystemdUserUnit(env, systemctl="/usr/bin/systemctl")
    fake = Systemctl(unit, active)
    unit.run = fake
    auto = LinuxAutostart(env, systemd_here=True, unit=unit)
    msg = auto.enable(COMMAND)
    assert ["daemon-reload"] in fake.calls and ["enable", "sitbreak.service"] in fake.calls
    assert "with systemctl --user enable" in msg
    note = "has not started graphical-session.target"
    assert (note in msg) is (not active), msg
    assert (note in auto.status()) is (not active)
    auto.disable()
    assert ["disable", "sitbreak.service"] in fake.calls and not auto.is_enabled()


@pytest.mark.e2e
def test_cli_enable_status_disable(tmp_path: Path) -> None:
    """`sitbreak autostart`: the first status line as before, then the way in use."""
    env = dict(os.environ, **env_for(tmp_path, "GNOME"))

    def cli(*args: str) -> str:
        out = subprocess.run([sys.executable, str(ROOT / "main.py"), "autostart", *args],
                             env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        return out.stdout

    entry = tmp_path / "config" / "autostart" / "sitbreak.desktop"
    assert cli("status").splitlines()[0] == f"autostart is disabled ({entry})"
    assert "using XDG autostart" in cli("enable")
    assert cli("status").splitlines()[0] == f"autostart is enabled ({entry})"
    out = cli("enable", "--using", "systemd")
    unit = tmp_path / "config" / "systemd" / "user" / "sitbreak.service"
    assert "using a systemd user unit: as asked" in out and unit.is_file()
    assert not entry.exists()
    assert cli("status").splitlines()[0] == f"autostart is enabled ({unit})"
    assert cli("disable").startswith("disabled: removed")
    assert not unit.exists()
    assert cli("status").splitlines()[0].startswith("autostart is disabled")


def test_one_watch_sees_every_way_change(tmp_path: Path) -> None:
    """What the tray watches (one inotify thread for all the files): enabling and disabling
    either way is noticed, so the menu's tick follows a terminal's `sitbreak autostart`."""
    import threading

    from tray_app.platform.file_watch import FileWatch

    auto = LinuxAutostart(env_for(tmp_path, "sway"), systemd_here=True)
    paths = auto.watch_paths()
    assert auto.unit.link in paths and auto.xdg.path in paths
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    seen = threading.Event()
    watch = FileWatch(paths[0], seen.set, also=paths[1:])
    assert watch.start()
    try:
        for change in (lambda: auto.enable(COMMAND), auto.disable,
                       lambda: auto.enable(COMMAND, using="xdg"), auto.disable):
            seen.clear()
            change()
            assert seen.wait(5), change
    finally:
        watch.stop()

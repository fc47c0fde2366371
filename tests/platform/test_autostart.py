"""Autostart entries: XDG file (checked by desktop-file-validate), Windows Run key, LaunchAgent."""

from __future__ import annotations

import plistlib
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.desktop import require
from tray_app.platform.autostart import choose as autostart
from tray_app.platform.autostart.desktop_entry import read_main_group
from tray_app.platform.autostart.linux import XdgAutostart
from tray_app.platform.autostart.macos import MacAutostart
from tray_app.platform.autostart.windows import RUN_KEY, WindowsAutostart

COMMAND = ["/opt/py env/bin/python", "/home/me/sit break/main.py", "--quiet"]


def _validate(path: Path) -> None:
    out = subprocess.run(
        [require("desktop-file-validate"), str(path)], capture_output=True, text=True, timeout=10
    )
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr


# -- Linux ----------------------------------------------------------------------------------


@pytest.fixture
def xdg(tmp_path: Path) -> XdgAutostart:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path / "home")}
    return XdgAutostart(env=env, icon="/srv/sitbreak/icons/sitbreak-256.png")


def test_xdg_enable_writes_a_valid_entry(xdg: XdgAutostart, tmp_path: Path) -> None:
    assert not xdg.is_enabled()
    assert xdg.location == str(tmp_path / "config" / "autostart" / "sitbreak.desktop")
    msg = xdg.enable(COMMAND)
    assert msg.startswith("enabled: ")
    path = Path(xdg.location)
    _validate(path)
    fields = read_main_group(path)
    assert fields["Type"] == "Application"
    assert fields["Name"] == "sitbreak"
    assert fields["Exec"] == (
        '"/opt/py env/bin/python" "/home/me/sit break/main.py" --quiet'
    )
    assert fields["Icon"] == "/srv/sitbreak/icons/sitbreak-256.png"
    assert fields["X-GNOME-Autostart-enabled"] == "true"
    assert fields["Categories"] == "Utility;"
    assert fields["X-Sitbreak-Managed"] == "true"
    assert fields["Comment"]
    assert xdg.is_enabled()
    assert xdg.status() == f"enabled ({path})"


def test_xdg_enable_twice_is_harmless(xdg: XdgAutostart) -> None:
    xdg.enable(COMMAND)
    before = Path(xdg.location).read_text()
    assert xdg.enable(COMMAND).startswith("already enabled: ")
    assert Path(xdg.location).read_text() == before
    assert len(list(Path(xdg.location).parent.iterdir())) == 1  # no temp files, no copies


def test_xdg_disable_removes_ours(xdg: XdgAutostart) -> None:
    xdg.enable(COMMAND)
    assert xdg.disable().startswith("disabled: removed ")
    assert not Path(xdg.location).exists()
    assert not xdg.is_enabled()
    assert xdg.disable().startswith("already disabled: ")


def test_xdg_leaves_a_user_made_file_alone(xdg: XdgAutostart) -> None:
    path = Path(xdg.location)
    path.parent.mkdir(parents=True)
    mine = "[Desktop Entry]\nType=Application\nName=sitbreak\nExec=sitbreak --mine\n"
    path.write_text(mine)
    assert xdg.is_enabled()
    assert "not made by sitbreak" in xdg.status()
    msg = xdg.disable()
    assert msg.startswith("left alone: ") and "not made by sitbreak" in msg
    assert xdg.enable(COMMAND).startswith("left alone: ")
    assert path.read_text() == mine


def test_xdg_switched_off_by_the_desktop_counts_as_disabled(xdg: XdgAutostart) -> None:
    xdg.enable(COMMAND)
    path = Path(xdg.location)
    path.write_text(path.read_text().replace("X-GNOME-Autostart-enabled=true",
                                             "X-GNOME-Autostart-enabled=false"))
    assert not xdg.is_enabled()
    assert xdg.enable(COMMAND).startswith("enabled: ")  # ours, so it is rewritten
    assert xdg.is_enabled()


def test_xdg_default_config_home_is_under_home(tmp_path: Path) -> None:
    entry = XdgAutostart(env={"HOME": str(tmp_path), "XDG_CONFIG_HOME": "relative/ignored"})
    assert entry.location == str(tmp_path / ".config" / "autostart" / "sitbreak.desktop")


def test_exec_quoting_of_awkward_arguments(xdg: XdgAutostart) -> None:
    xdg.enable(["/usr/bin/python3", 'a"b', "100%", "c$d", "back\\slash"])
    _validate(Path(xdg.location))
    assert read_main_group(Path(xdg.location))["Exec"] == (
        '/usr/bin/python3 "a\\\\"b" 100%% "c\\\\$d" "back\\\\\\\\slash"'
    )


# -- Windows --------------------------------------------------------------------------------


class FakeWinreg:
    """The parts of `winreg` the backend uses, over a dict of key path -> {name: value}."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_READ = 1
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Any]] = {}
        self.open_handles = 0

    def _key(self, root: str, sub: str, create: bool) -> str:
        path = f"{root}\\{sub}"
        if path not in self.keys:
            if not create:
                raise FileNotFoundError(path)
            self.keys[path] = {}
        self.open_handles += 1
        return path

    def OpenKey(self, root: str, sub: str, reserved: int = 0, access: int = 1) -> str:
        return self._key(root, sub, create=False)

    def CreateKeyEx(self, root: str, sub: str, reserved: int = 0, access: int = 2) -> str:
        return self._key(root, sub, create=True)

    def CloseKey(self, key: str) -> None:
        self.open_handles -= 1

    def QueryValueEx(self, key: str, name: str) -> tuple[Any, int]:
        if name not in self.keys[key]:
            raise FileNotFoundError(name)
        return self.keys[key][name], self.REG_SZ

    def SetValueEx(self, key: str, name: str, reserved: int, kind: int, value: Any) -> None:
        self.keys[key][name] = value

    def DeleteValue(self, key: str, name: str) -> None:
        del self.keys[key][name]


def test_windows_run_key() -> None:
    reg = FakeWinreg()
    run = f"HKCU\\{RUN_KEY}"
    reg.keys[run] = {"OtherApp": "other.exe"}
    win = WindowsAutostart(reg)
    assert not win.is_enabled()
    assert win.enable([r"C:\Program Files\Python\pythonw.exe", r"C:\sit\main.py"]).startswith(
        "enabled: "
    )
    assert reg.keys[run]["sitbreak"] == r'"C:\Program Files\Python\pythonw.exe" C:\sit\main.py'
    assert win.is_enabled()
    assert win.enable([r"C:\Program Files\Python\pythonw.exe", r"C:\sit\main.py"]).startswith(
        "already enabled: "
    )
    assert win.status().startswith("enabled (HKCU\\Software\\Microsoft\\Windows")
    assert win.disable().startswith("disabled: ")
    assert reg.keys[run] == {"OtherApp": "other.exe"}  # only ours removed
    assert win.disable().startswith("already disabled: ")
    assert reg.open_handles == 0


def test_windows_without_a_run_key_yet() -> None:
    reg = FakeWinreg()
    win = WindowsAutostart(reg)
    assert win.status().startswith("disabled")
    win.enable(["sitbreak.exe"])
    assert reg.keys[f"HKCU\\{RUN_KEY}"] == {"sitbreak": "sitbreak.exe"}


# -- macOS ----------------------------------------------------------------------------------


def test_macos_launch_agent(tmp_path: Path) -> None:
    mac = MacAutostart(tmp_path)
    path = tmp_path / "Library" / "LaunchAgents" / "org.sitbreak.agent.plist"
    assert mac.location == str(path)
    assert mac.enable(COMMAND).startswith("enabled: ")
    data = plistlib.loads(path.read_bytes())
    assert data == {
        "Label": "org.sitbreak.agent",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    assert mac.is_enabled()
    assert mac.enable(COMMAND).startswith("already enabled: ")
    assert mac.disable().startswith("disabled: ")
    assert not path.exists()
    assert mac.disable().startswith("already disabled: ")


def test_macos_leaves_a_foreign_plist_alone(tmp_path: Path) -> None:
    mac = MacAutostart(tmp_path)
    path = Path(mac.location)
    path.parent.mkdir(parents=True)
    path.write_bytes(plistlib.dumps({"Label": "com.example.other"}))
    assert mac.disable().startswith("left alone: ")
    assert mac.enable(COMMAND).startswith("left alone: ")
    assert plistlib.loads(path.read_bytes()) == {"Label": "com.example.other"}


# -- detect ---------------------------------------------------------------------------------


def test_detect_picks_a_backend_per_system(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    linux = autostart.detect("linux", env)
    assert linux.name == "xdg"
    assert linux.location == str(tmp_path / "cfg" / "autostart" / "sitbreak.desktop")
    mac = autostart.detect("darwin", env)
    assert mac.name == "launch-agent"
    assert mac.location.startswith(str(tmp_path / "Library"))
    with pytest.raises(ImportError):
        autostart.detect("win32", env)  # winreg exists only on Windows


def test_default_command_and_icon(tmp_path: Path) -> None:
    command = autostart.default_command("linux")
    assert command and Path(command[0]).is_absolute() and Path(command[0]).is_file()
    assert command[-1] == "run"  # plain `sitbreak` only prints its help
    no_theme = {"XDG_DATA_HOME": str(tmp_path), "XDG_DATA_DIRS": str(tmp_path)}
    assert Path(autostart.default_icon(no_theme)).is_file()  # more in tests/packaging

"""The launcher: sitbreak.desktop and hicolor icons under $XDG_DATA_HOME."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.desktop import require
from tray_app.platform.autostart.choose import default_icon
from tray_app.platform.autostart.desktop_entry import (
    SystemLauncher,
    install_desktop,
    launcher_path,
    read_main_group,
    uninstall_desktop,
)

COMMAND = ["/usr/bin/python3", "/home/me/sitbreak/main.py"]


def _icons(folder: Path, sizes: list[int]) -> Path:
    folder.mkdir()
    for size in sizes:
        Image.new("RGBA", (size, size), (40, 120, 200, 255)).save(folder / f"sitbreak-{size}.png")
    (folder / "sitbreak-tray.png").write_bytes(b"not a size")  # ignored: no size in the name
    return folder


def _env(tmp_path: Path) -> dict[str, str]:
    return {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path / "home"),
            "XDG_DATA_DIRS": str(tmp_path / "system")}  # no distribution package here


def test_install_writes_a_valid_launcher_and_icons(tmp_path: Path) -> None:
    env = _env(tmp_path)
    icons = _icons(tmp_path / "icons", [16, 48, 256])
    written = install_desktop(COMMAND, icons, env=env)
    data = tmp_path / "data"
    hicolor = data / "icons" / "hicolor"
    assert written == [
        hicolor / "16x16" / "apps" / "sitbreak.png",
        hicolor / "48x48" / "apps" / "sitbreak.png",
        hicolor / "256x256" / "apps" / "sitbreak.png",
        data / "applications" / "sitbreak.desktop",
    ]
    with Image.open(hicolor / "48x48" / "apps" / "sitbreak.png") as img:
        assert img.size == (48, 48)
    launcher = launcher_path(env)
    out = subprocess.run(
        [require("desktop-file-validate"), str(launcher)], capture_output=True, text=True
    )
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout + out.stderr
    fields = read_main_group(launcher)
    assert fields["Exec"] == "/usr/bin/python3 /home/me/sitbreak/main.py"
    assert fields["Icon"] == "sitbreak"
    assert fields["Name"] == "sitbreak"
    assert fields["X-Sitbreak-Managed"] == "true"


def test_install_twice_and_without_icons(tmp_path: Path) -> None:
    env = _env(tmp_path)
    empty = tmp_path / "icons"
    empty.mkdir()
    assert install_desktop(COMMAND, empty, env=env) == [launcher_path(env)]
    assert "Icon" not in read_main_group(launcher_path(env))
    assert install_desktop(COMMAND, empty, env=env) == [launcher_path(env)]
    assert sorted(p.name for p in launcher_path(env).parent.iterdir()) == ["sitbreak.desktop"]


def test_uninstall_removes_only_ours(tmp_path: Path) -> None:
    env = _env(tmp_path)
    install_desktop(COMMAND, _icons(tmp_path / "icons", [32, 512]), env=env)
    other = tmp_path / "data" / "icons" / "hicolor" / "32x32" / "apps" / "other.png"
    other.write_bytes(b"x")
    removed = uninstall_desktop(env=env)
    assert launcher_path(env) in removed
    assert len(removed) == 3
    assert not launcher_path(env).exists()
    assert other.exists()
    assert uninstall_desktop(env=env) == []

    # A launcher the user wrote is not sitbreak's to delete.
    launcher_path(env).write_text("[Desktop Entry]\nType=Application\nName=x\nExec=x\n")
    assert uninstall_desktop(env=env) == []
    assert launcher_path(env).exists()


def test_default_data_home_is_under_home(tmp_path: Path) -> None:
    assert launcher_path({"HOME": str(tmp_path)}) == (
        tmp_path / ".local" / "share" / "applications" / "sitbreak.desktop"
    )


def test_install_refuses_where_the_system_package_has_a_launcher(tmp_path: Path) -> None:
    """Under the .deb a user copy would hide the system entry and outlive the package."""
    env = _env(tmp_path)
    system = tmp_path / "system" / "applications" / "sitbreak.desktop"
    system.parent.mkdir(parents=True)
    system.write_text("[Desktop Entry]\nType=Application\nName=sitbreak\nExec=sitbreak run\n")
    with pytest.raises(SystemLauncher, match="already in the application menu"):
        install_desktop(COMMAND, _icons(tmp_path / "icons", [48]), env=env)
    assert not (tmp_path / "data").exists()


def test_autostart_names_the_themed_icon_once_a_theme_has_it(tmp_path: Path) -> None:
    env = _env(tmp_path)
    packaged = Path(default_icon(env))
    assert packaged.is_absolute() and packaged.is_file()  # no theme has it yet
    install_desktop(COMMAND, _icons(tmp_path / "icons", [48]), env=env)
    assert default_icon(env) == "sitbreak"  # survives the install moving
    system_only = {**env, "XDG_DATA_HOME": str(tmp_path / "other")}
    hicolor = tmp_path / "system" / "icons" / "hicolor" / "48x48" / "apps"
    hicolor.mkdir(parents=True)
    (hicolor / "sitbreak.png").write_bytes(b"png")
    assert default_icon(system_only) == "sitbreak"

"""The Debian package: `apt-get install ./sitbreak_*.deb` gives /usr/bin/sitbreak, the launcher,
the hicolor icons and the docs; the installed app passes the installed-command tests with the
AppIndicator tray; `apt-get remove` leaves nothing of it behind.

Changes the system, so it runs only when scripts/check-deb asks (SITBREAK_DEB names the
package), as root, with apt-get; it removes the package again whatever happens.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import require
from tray_app import __version__
from tray_app.platform.autostart.desktop_entry import MANAGED_KEY, launcher_fields, render

REPO = Path(__file__).resolve().parents[2]
DEB = os.environ.get("SITBREAK_DEB", "")
APT = ["apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=300"]
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

pytestmark = [
    pytest.mark.desktop,
    pytest.mark.e2e,
    pytest.mark.skipif(not DEB, reason="scripts/check-deb builds the package and runs this"),
    pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() != 0,
                       reason="installing a .deb needs root"),
    pytest.mark.skipif(shutil.which("apt-get") is None, reason="needs apt-get"),
]


def sh(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env,
                          check=False)


def status() -> str:
    """dpkg's word for the package: installed, config-files, not-installed."""
    return sh("dpkg-query", "-W", "-f=${db:Status-Status}", "sitbreak").stdout.strip() \
        or "not-installed"


@pytest.fixture(scope="module")
def installed() -> Iterator[list[str]]:
    """Install the package; yield what dpkg says it put on disk; purge it afterwards."""
    if status() != "not-installed":
        pytest.skip("sitbreak's Debian package is on this system already: left alone")
    out = sh(*APT, "install", "--no-install-recommends", str(Path(DEB).resolve()))
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    try:
        yield sh("dpkg", "-L", "sitbreak").stdout.split("\n")
    finally:
        if status() != "not-installed":
            sh(*APT, "purge", "sitbreak")


def test_the_package_puts_the_app_the_launcher_icons_and_docs_in_place(
    installed: list[str],
) -> None:
    assert re.fullmatch(rf"sitbreak_{re.escape(__version__)}-\d+_all\.deb", Path(DEB).name)
    files = set(installed)
    assert "/usr/bin/sitbreak" in files
    out = sh("/usr/bin/sitbreak", "--version")
    assert out.stdout.strip() == f"sitbreak {__version__}", out.stderr
    launcher = Path("/usr/share/applications/sitbreak.desktop")
    assert str(launcher) in files
    check = sh(require("desktop-file-validate"), str(launcher))
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    fields = launcher_fields(["sitbreak", "run"], "sitbreak")
    del fields[MANAGED_KEY]  # the system launcher belongs to dpkg, not to `install-desktop`
    assert launcher.read_text() == render(fields)
    for size in ICON_SIZES:
        icon = f"/usr/share/icons/hicolor/{size}x{size}/apps/sitbreak.png"
        assert icon in files
        assert Path(icon).read_bytes() == (REPO / "icons" / f"sitbreak-{size}.png").read_bytes()
    assert "/usr/share/icons/hicolor/scalable/apps/sitbreak.svg" in files
    assert "/usr/share/man/man1/sitbreak.1.gz" in files
    for doc in ("README.md.gz", "copyright"):
        assert f"/usr/share/doc/sitbreak/{doc}" in files
    for doc in ("design", "development", "history-store", "performance"):  # the README links them
        assert {f"/usr/share/doc/sitbreak/{doc}.md", f"/usr/share/doc/sitbreak/{doc}.md.gz"} & \
            set(files), doc
    assert "MIT" in Path("/usr/share/doc/sitbreak/copyright").read_text()
    depends = sh("dpkg-query", "-W", "-f=${Depends}", "sitbreak").stdout
    for package in ("python3-pystray", "python3-pil", "python3-plyer", "python3-apscheduler",
                    "python3-jeepney", "python3-xlib", "python3-platformdirs",
                    "python3-tomlkit", "python3-tk"):
        assert package in depends
    assert "gir1.2-gtk-3.0" not in depends  # a Recommends: the app runs without GTK
    # The modules are the application's own, not a public `tray_app` for every python3.
    assert "/usr/share/sitbreak/tray_app/__init__.py" in files
    assert not [f for f in files if "dist-packages" in f]
    # One copy of each icon: the package's data folder links to the hicolor one.
    for size in ICON_SIZES:
        data = Path(f"/usr/share/sitbreak/tray_app/data/icons/sitbreak-{size}.png")
        assert data.is_symlink() and data.resolve() == Path(
            f"/usr/share/icons/hicolor/{size}x{size}/apps/sitbreak.png")
    metainfo = "/usr/share/metainfo/io.github.sitbreak.sitbreak.metainfo.xml"
    assert metainfo in files
    if shutil.which("appstreamcli"):
        check = sh("appstreamcli", "validate", "--no-net", metainfo)
        assert check.returncode == 0, check.stdout


def test_autopkgtest_runs_the_unit_tests_on_the_installed_package(
    installed: list[str], tmp_path: Path,
) -> None:
    """debian/tests/control's command, as autopkgtest runs it: from the source tree."""
    control = (REPO / "debian" / "tests" / "control").read_text()
    command = next(line.split(":", 1)[1].strip() for line in control.splitlines()
                   if line.startswith("Test-Command:"))
    # A testbed's python3 is Debian's, whatever this machine puts first on PATH (pyenv).
    env = dict(os.environ, AUTOPKGTEST_TMP=str(tmp_path), PATH="/usr/sbin:/usr/bin:/sbin:/bin")
    env.pop("PYTHONPATH", None)
    out = subprocess.run(["sh", "-ec", command], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=900, check=False)
    assert out.returncode == 0, (out.stdout + out.stderr)[-4000:]
    assert " passed" in out.stdout


def test_the_installed_app_works_from_anywhere(installed: list[str], tmp_path: Path) -> None:
    """The same tests as the wheel's, against /usr/bin/sitbreak installed without its
    Recommends: the tray that needs no GTK (the plain X11 icon, asked for because this
    machine has GTK for other tests) docks in trayer."""
    env = dict(os.environ, SITBREAK_COMMAND="/usr/bin/sitbreak", SITBREAK_TRAY_BACKEND="xorg",
               SITBREAK_EXPECT_TRAY="forced by SITBREAK_TRAY_BACKEND")
    log = tmp_path / "pytest.log"
    with log.open("w") as fh:
        out = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
             str(REPO / "tests" / "packaging" / "test_installed.py")],
            cwd="/", env=env, stdout=fh, stderr=subprocess.STDOUT, timeout=600, check=False,
        )
    text = log.read_text()
    assert out.returncode == 0, text[-6000:]
    assert " passed" in text, text[-2000:]
    # The one skip allowed: `python3 -m tray_app`, which a private module folder rules out.
    skips = [line for line in text.splitlines() if line.startswith("SKIPPED")]
    assert all("private module folder" in line for line in skips), skips


def test_remove_leaves_nothing_behind(installed: list[str]) -> None:
    out = sh(*APT, "remove", "sitbreak")
    assert out.returncode == 0, out.stderr[-3000:]
    assert status() in ("not-installed", "config-files")
    assert not Path("/usr/bin/sitbreak").exists()
    assert not Path("/usr/lib/python3/dist-packages/tray_app").exists()  # __pycache__ too
    assert not Path("/usr/share/doc/sitbreak").exists()
    left = [p for p in installed if p and Path(p).exists() and not Path(p).is_dir()]
    assert not left, left

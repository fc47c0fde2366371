"""debian/ agrees with the Python package: version, launcher, dependencies; and the lower
bounds in pyproject.toml are the versions Debian 12 ships (scripts/check-debian12 runs the
unit tests on exactly those)."""

from __future__ import annotations

import argparse
import os
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from tray_app import __version__
from tray_app.cli import build_parser
from tray_app.platform.autostart.desktop_entry import MANAGED_KEY, launcher_fields, render

REPO = Path(__file__).resolve().parents[2]
DEBIAN = REPO / "debian"

# What Debian 12 (bookworm) ships: distribution name -> (Debian package, version).
BOOKWORM = {
    "pystray": ("python3-pystray", "0.19.4"),
    "Pillow": ("python3-pil", "9.4"),
    "plyer": ("python3-plyer", "2.0"),
    "APScheduler": ("python3-apscheduler", "3.9.1"),
    "jeepney": ("python3-jeepney", "0.8"),
    "python-xlib": ("python3-xlib", "0.33"),
    "platformdirs": ("python3-platformdirs", "2.6"),
    "tomlkit": ("python3-tomlkit", "0.11.7"),
    "PyGObject": ("python3-gi", "3.42"),
}


def lower_bounds() -> dict[str, str]:
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    found = {}
    for req in [*meta["dependencies"], *meta["optional-dependencies"]["gtk"]]:
        m = re.match(r"^([A-Za-z0-9_.-]+)>=([0-9.]+)", req)
        assert m, f"no lower bound in {req!r}"
        found[m[1]] = m[2]
    return found


def test_lower_bounds_are_debian_12s_versions() -> None:
    assert lower_bounds() == {name: v for name, (_, v) in BOOKWORM.items()}


def test_the_package_depends_on_the_same_versions() -> None:
    control = (DEBIAN / "control").read_text()
    for name, (deb, v) in BOOKWORM.items():
        assert f"{deb} (>= {v})" in control, name


def test_changelog_version_is_the_package_version() -> None:
    first = (DEBIAN / "changelog").read_text().splitlines()[0]
    # Non-native: the upstream version, then Debian's revision.
    assert re.match(rf"sitbreak \({re.escape(__version__)}-\d+\) ", first), first
    assert (DEBIAN / "source" / "format").read_text().strip() == "3.0 (quilt)"


def _field(name: str, paragraph: int) -> str:
    text = (DEBIAN / "control").read_text().split("\n\n")[paragraph]
    m = re.search(rf"^{name}:((?:.*\n?)(?:[ \t].*\n?)*)", text, re.MULTILINE)
    return m[1].strip() if m else ""


def test_gtk_is_recommended_not_required() -> None:
    """The app runs without GTK (the D-Bus or X11 tray); the AppIndicator pieces only help."""
    depends, recommends = _field("Depends", 1), _field("Recommends", 1)
    for deb in ("python3-gi", "gir1.2-gtk-3.0", "gir1.2-ayatanaappindicator3-0.1"):
        assert deb not in depends and deb in recommends, deb


def test_the_source_names_the_project_and_a_real_maintainer() -> None:
    homepage = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Homepage"]
    assert _field("Homepage", 0) == homepage
    assert "example.org" not in _field("Maintainer", 0)
    assert _field("Testsuite", 0) == "autopkgtest"
    assert homepage in (DEBIAN / "copyright").read_text()
    assert homepage in (DEBIAN / "watch").read_text()
    assert "Test-Command:" in (DEBIAN / "tests" / "control").read_text()


def test_the_system_launcher_is_the_one_install_desktop_writes() -> None:
    fields = launcher_fields(["sitbreak", "run"], "sitbreak")
    del fields[MANAGED_KEY]  # dpkg owns this one
    assert (DEBIAN / "sitbreak.desktop").read_text() == render(fields)


def test_the_manual_page_names_every_command() -> None:
    page = (DEBIAN / "sitbreak.1").read_text().replace("\\-", "-")
    assert f'"sitbreak {__version__}"' in page.splitlines()[0]
    commands = page.split(".SH COMMANDS")[1].split(".SH ")[0]
    headings = {w for line in commands.splitlines() if line.startswith(".BR ")
                for w in re.findall(r"[a-z][a-z-]*", line)}
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    missing = sorted(set(sub.choices) - headings)
    assert not missing, f"add them to debian/sitbreak.1: {missing}"
    assert (DEBIAN / "sitbreak.manpages").read_text().split() == ["debian/sitbreak.1"]


@pytest.mark.skipif(not os.environ.get("SITBREAK_DEBIAN12"),
                    reason="scripts/check-debian12 sets it")
def test_this_run_uses_debian_12s_versions() -> None:
    """Proof that the unit tests around this one ran against the Debian 12 packages."""
    for name, (_, v) in BOOKWORM.items():
        assert version(name).startswith(v), (name, version(name))

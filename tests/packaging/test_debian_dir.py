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
    assert first.startswith(f"sitbreak ({__version__}) ")


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

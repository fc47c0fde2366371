"""The AppStream metainfo (what GNOME Software, Discover and Flathub show) is valid, names the
project's one address and version, and its screenshots are the ones the test suite produces."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tray_app import __version__

REPO = Path(__file__).resolve().parents[2]
APP_ID = "io.github.sitbreak.sitbreak"
METAINFO = REPO / "tray_app" / "data" / f"{APP_ID}.metainfo.xml"
HOMEPAGE = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Homepage"]


def _root() -> ET.Element:
    return ET.parse(METAINFO).getroot()


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="needs appstreamcli")
def test_appstreamcli_validates_it() -> None:
    done = subprocess.run(["appstreamcli", "validate", "--no-net", "--explain", str(METAINFO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "W:" not in done.stdout and "E:" not in done.stdout, done.stdout


def test_id_is_reverse_dns_and_the_desktop_entry_it_launches_exists() -> None:
    root = _root()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == "sitbreak.desktop"
    assert (REPO / "debian" / "sitbreak.desktop").exists()
    assert root.findtext("icon") == "sitbreak"


def test_urls_are_the_projects_one_address() -> None:
    urls = {u.get("type"): u.text for u in _root().iter("url")}
    assert urls["homepage"] == HOMEPAGE
    assert all(u.startswith(HOMEPAGE) for u in urls.values())


def test_newest_release_is_this_version() -> None:
    releases = _root().find("releases")
    assert releases is not None
    assert releases[0].get("version") == __version__


def test_screenshots_are_the_ones_the_suite_writes() -> None:
    images = [i.text or "" for i in _root().iter("image")]
    assert images
    prefix = HOMEPAGE.replace("https://github.com/", "https://raw.githubusercontent.com/")
    for url in images:
        assert url.startswith(prefix + "/main/"), url
        assert (REPO / url.removeprefix(prefix + "/main/")).exists(), url


def test_content_rating_is_present() -> None:
    assert _root().find("content_rating") is not None

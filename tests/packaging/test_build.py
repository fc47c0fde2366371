"""The package builds, without a deprecation warning, with Debian 12's setuptools (66, what
pybuild uses, no isolation) and with the newest setuptools pip picks in an isolated build; the
sdist holds everything a packager's build and check steps need (tests included)."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEBIAN_PYTHON = Path("/usr/bin/python3")
# What a deprecation looks like in setuptools' build output (both the warning class and the
# "will stop working" notices with a date).
DEPRECATION = re.compile(r"Deprecat|no longer be supported|stop being supported", re.IGNORECASE)

pytestmark = pytest.mark.slow


def _tracked_tree(dest: Path) -> Path:
    """A copy of the files git knows (tracked or new), as a fresh clone would have them."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.split(b"\0")
    tree = dest / "tree"
    for raw in filter(None, files):
        rel = raw.decode()
        src = REPO / rel
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree, not yet committed
        target = tree / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(src.readlink())
        else:
            target.write_bytes(src.read_bytes())
    return tree


def _setuptools_version(python: Path | str) -> str:
    return subprocess.run(
        [str(python), "-c", "import setuptools; print(setuptools.__version__)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()


def _wheel(python: Path | str, extra: list[str], tree: Path, out: Path) -> tuple[Path, str]:
    done = subprocess.run(
        [str(python), "-m", "pip", "wheel", "-v", "--no-deps", "--disable-pip-version-check",
         *extra, "-w", str(out), str(tree)],
        capture_output=True, text=True, timeout=600,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    return next(out.glob("sitbreak-*.whl")), log


def _assert_complete_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tray_app/exercises/catalogue.toml" in names
    assert "tray_app/data/default_settings.toml" in names
    assert any(n.startswith("tray_app/data/icons/sitbreak-") for n in names)
    meta = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-File: LICENSE" in meta
    assert "Project-URL: Homepage" in meta


@pytest.mark.skipif(not DEBIAN_PYTHON.exists(), reason="needs Debian's own python3")
def test_builds_with_debian12_setuptools_without_a_deprecation(tmp_path: Path) -> None:
    if subprocess.run([str(DEBIAN_PYTHON), "-m", "pip", "--version"],
                      capture_output=True).returncode != 0:
        pytest.skip("Debian's python3-pip is not installed")
    tree = _tracked_tree(tmp_path)
    version = _setuptools_version(DEBIAN_PYTHON)
    wheel, log = _wheel(DEBIAN_PYTHON, ["--no-build-isolation"], tree, tmp_path / "out")
    assert not DEPRECATION.findall(log), f"setuptools {version}: {DEPRECATION.findall(log)}"
    _assert_complete_wheel(wheel)


def test_builds_with_the_newest_setuptools_without_a_deprecation(tmp_path: Path) -> None:
    tree = _tracked_tree(tmp_path)
    wheel, log = _wheel(sys.executable, [], tree, tmp_path / "out")
    used = re.findall(r"setuptools-(\d+)\.", log)
    assert used and int(used[0]) >= 77, f"expected a current setuptools, saw {used[:3]}"
    assert not DEPRECATION.findall(log), DEPRECATION.findall(log)
    _assert_complete_wheel(wheel)


def test_sdist_holds_everything_to_build_test_and_package(tmp_path: Path) -> None:
    tree = _tracked_tree(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))",
         str(tmp_path / "sdist")],
        cwd=tree, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    sdist = tmp_path / "sdist" / done.stdout.strip().splitlines()[-1]
    with tarfile.open(sdist) as tar:
        inside = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    tracked = {
        p for p in subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True,
                                  text=True, check=True).stdout.splitlines()
        if (REPO / p).exists()
    }
    missing = sorted(p for p in tracked - inside if p not in {".gitignore"})
    assert not missing, f"not in the sdist: {missing[:20]}"
    for needed in ("tests/conftest.py", "debian/sitbreak.1", "debian/sitbreak.desktop",
                   "icons/sitbreak-256.png", "docs/screenshots"):
        assert any(n == needed or n.startswith(needed + "/") for n in inside), needed

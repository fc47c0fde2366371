"""Run-time data lives in the package: its files are the repository's settings.toml and icons
(symbolic links in the checkout, copies in a wheel), and a missing or damaged one is named,
with nothing written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tray_app.cli import main
from tray_app.core.model import ExerciseSettings
from tray_app.exercises import loader
from tray_app.settings import DEFAULT_FILE, ensure_user_file
from tray_app.support import resources
from tray_app.support.resources import DataFileError

REPO = Path(__file__).resolve().parents[2]


def test_packaged_default_settings_are_the_documented_file() -> None:
    assert resources.default_settings_file() == DEFAULT_FILE
    assert DEFAULT_FILE.read_bytes() == (REPO / "settings.toml").read_bytes(), (
        "tray_app/data/default_settings.toml must link to ../../settings.toml"
    )


def test_packaged_icons_are_the_source_icons() -> None:
    packaged = resources.icons_dir()
    assert sorted(p.name for p in packaged.iterdir()) == sorted(
        f"sitbreak-{n}.png" for n in resources.APP_ICON_SIZES
    )
    for size in resources.APP_ICON_SIZES:
        name = f"sitbreak-{size}.png"
        assert (packaged / name).read_bytes() == (REPO / "icons" / name).read_bytes(), (
            f"{packaged.relative_to(REPO)}/{name} must link to ../../../icons/{name}"
        )


def test_package_data_lists_every_resource() -> None:
    """What pyproject ships is what resources.py reads (the wheel test installs it)."""
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())
    data = meta["tool"]["setuptools"]["package-data"]
    assert "data/default_settings.toml" in data["tray_app"]
    assert "data/icons/sitbreak-*.png" in data["tray_app"]
    assert "data/tray/tray-*.rgba.z" in data["tray_app"]
    assert data["tray_app.exercises"] == ["catalogue.toml", "progressions.toml"]
    resources.check_install()


def test_nothing_at_run_time_reads_the_repository_root() -> None:
    for path in (REPO / "tray_app").rglob("*.py"):
        text = path.read_text()
        assert "parents[2]" not in text and "parent.parent /" not in text, path


def test_a_missing_default_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "config" / "settings.toml"
    missing = tmp_path / "pkg" / "default_settings.toml"
    with pytest.raises(DataFileError) as err:
        ensure_user_file(target, missing)
    assert str(missing) in str(err.value) and "is missing" in str(err.value)
    assert not target.parent.exists()


@pytest.mark.parametrize("damage", ["[sitting\nbreak_after = 1", '[sitting]\nbreak_after = "a"\n'])
def test_a_damaged_default_is_never_copied(tmp_path: Path, damage: str) -> None:
    target = tmp_path / "config" / "settings.toml"
    broken = tmp_path / "default_settings.toml"
    broken.write_text(damage)
    with pytest.raises(DataFileError) as err:
        ensure_user_file(target, broken)
    assert f"{broken} is damaged" in str(err.value)
    assert "reinstall sitbreak" in str(err.value)
    assert not target.parent.exists()  # not even the folder: nothing is written


def test_a_damaged_catalogue_is_an_install_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "catalogue.toml"
    broken.write_text("[[exercise]]\nid = 'x'\n")
    monkeypatch.setattr(loader, "BUILTIN_CATALOGUE", broken)
    with pytest.raises(DataFileError, match=re.escape(f"{broken} is damaged")):
        loader.load_catalogue(ExerciseSettings())
    broken.unlink()
    with pytest.raises(DataFileError, match=re.escape(f"{broken} is missing")):
        loader.load_catalogue(ExerciseSettings())


def test_a_damaged_icon_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    icons = tmp_path / "data" / "icons"
    icons.mkdir(parents=True)
    for size in resources.APP_ICON_SIZES:
        (icons / f"sitbreak-{size}.png").write_bytes(resources.PNG_MAGIC + b"...")
    monkeypatch.setattr(resources, "files", lambda package: tmp_path)
    assert resources.icons_dir() == icons
    (icons / "sitbreak-48.png").write_bytes(b"")
    with pytest.raises(DataFileError, match=r"sitbreak-48\.png is not a PNG image"):
        resources.icons_dir()
    (icons / "sitbreak-48.png").unlink()
    with pytest.raises(DataFileError, match=r"sitbreak-48\.png is missing"):
        resources.icons_dir()


def test_the_command_line_exits_1_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(loader, "BUILTIN_CATALOGUE", tmp_path / "gone.toml")
    assert main(["exercises", "--config", str(DEFAULT_FILE)]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'gone.toml'} is missing" in err and "reinstall" in err

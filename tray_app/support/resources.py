"""Files shipped inside the package (default settings, exercise catalogue, app icons).

Read through `importlib.resources`, so a wheel, a Debian package and a checkout all find
them next to the code; nothing here looks at the repository root. A missing or unreadable
file means a damaged install: `DataFileError` names the file, and the command exits 1.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

DEFAULT_SETTINGS = ("data", "default_settings.toml")
CATALOGUE = ("exercises", "catalogue.toml")
ICONS = ("data", "icons")
TRAY_SHEETS = ("data", "tray")  # tray pictures, drawn at build time (ui/tray_images.py)
SOUNDS = ("data", "sounds")  # break cues where the desktop has no sound theme (platform/sound)
TRAY_SHEET_SIZES = (22, 32)
APP_ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
REINSTALL = "reinstall sitbreak (pip install --force-reinstall, or apt-get install --reinstall)"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class DataFileError(Exception):
    """A file of the installed package is missing or damaged; the text names it."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        super().__init__(f"{path} {problem}\nThe installation is damaged: {REINSTALL}.")


def packaged(parts: tuple[str, ...]) -> Path:
    """Where a packaged file should be (not checked; see `resource_path`)."""
    node: Traversable = files("tray_app")
    for part in parts:
        node = node / part
    if not isinstance(node, Path):
        # A zipped install: other programs cannot open a file inside the archive.
        raise DataFileError("/".join(("tray_app", *parts)), "is inside an archive")
    return node


def resource_path(parts: tuple[str, ...]) -> Path:
    """A packaged file as a real path (other programs open icons by path), checked to exist."""
    path = packaged(parts)
    if not path.is_file():
        raise DataFileError(path, "is missing")
    return path


def read_file(path: Path) -> str:
    """The UTF-8 text of a data file; DataFileError when it is missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, "is missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot be read ({exc})") from None


def default_settings_file() -> Path:
    """The documented default settings (the repository's settings.toml, as packaged)."""
    return resource_path(DEFAULT_SETTINGS)


def icons_dir() -> Path:
    """The folder of `sitbreak-<size>.png` app icons, with every size present."""
    for size in APP_ICON_SIZES:
        app_icon(size)
    return resource_path((*ICONS, f"sitbreak-{APP_ICON_SIZES[0]}.png")).parent


def app_icon(size: int = 256) -> Path:
    """The app icon of one size, as a PNG path (checked to start like a PNG)."""
    return _png(resource_path((*ICONS, f"sitbreak-{size}.png")))


def tray_sheet(size: int) -> Path:
    """The sheet of every tray picture of one size (zlib-compressed RGBA, see ui/tray/images.py)."""
    return resource_path((*TRAY_SHEETS, f"tray-{size}.rgba.z"))


def _png(path: Path) -> Path:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(PNG_MAGIC))
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc})") from None
    if head != PNG_MAGIC:
        raise DataFileError(path, "is not a PNG image")
    return path


def check_install() -> None:
    """Every data file the app needs at start is there and readable; raises DataFileError."""
    for parts in (DEFAULT_SETTINGS, CATALOGUE):
        read_file(resource_path(parts))
    icons_dir()
    for size in TRAY_SHEET_SIZES:
        tray_sheet(size)

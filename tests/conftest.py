"""Shared fixtures: real desktop hosts (see tests/desktop.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.desktop import Bus, Display, dbus_session, noon_zone, xvfb
from tests.gnome import Gnome, gnome_desktop
from tests.kwin import KWin, kwin_desktop
from tests.wayland import Sway, sway_desktop

# The suite must give the same answer on every run: property tests walk a fixed sequence of
# examples. `HYPOTHESIS_PROFILE=explore` searches afresh (and longer) when hunting for bugs.
settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))
# The apps the tests start run on fresh settings: no first-run health questions window
# (tests/exercises/test_questions.py turns it on where it tests it).
os.environ["SITBREAK_QUESTIONS"] = "0"
# The suite runs at about local noon, whatever the hour: a day boundary (schedule.day_starts,
# 04:00 by default, or midnight) never falls inside a test that reads the real clock. A CI run
# that started at 03:58 UTC failed two such tests: a day's rows straddled 04:00, and an app on
# its 60x clock crossed 04:00 before it quit and not after it started again. The apps the
# tests start inherit the zone. Tests of day boundaries use fixed times and their own zones.
# SITBREAK_TEST_TZ runs it in a zone of your choosing instead (to try an hour near a boundary).
os.environ["TZ"] = os.environ.get("SITBREAK_TEST_TZ") or noon_zone(time.time())
time.tzset()
# The tests read sitbreak's English texts, whatever the machine's locale; tests/i18n sets the
# language it tests (an empty SITBREAK_LANGUAGE lets the locale variables decide again).
os.environ["SITBREAK_LANGUAGE"] = "en"


@pytest.fixture
def display() -> Iterator[Display]:
    with xvfb() as d:
        yield d


@pytest.fixture
def sway(tmp_path: Path) -> Iterator[Sway]:
    """A headless sway desktop with XWayland, waybar and mako (tests/wayland.py)."""
    with sway_desktop(tmp_path) as desktop:
        yield desktop


@pytest.fixture
def gnome(tmp_path: Path) -> Iterator[Gnome]:
    """A headless GNOME Shell 43 with XWayland, the AppIndicator extension and gnome-session,
    input through Mutter's RemoteDesktop (tests/gnome.py)."""
    with gnome_desktop(tmp_path) as desktop:
        yield desktop


@pytest.fixture
def kwin(tmp_path: Path) -> Iterator[KWin]:
    """A headless KWin 5.27 (tests/kwin.py): ext-idle-notify, KWin scripting."""
    with kwin_desktop(tmp_path) as desktop:
        yield desktop


@pytest.fixture
def session_bus() -> Iterator[Bus]:
    with dbus_session() as b:
        yield b


# ---- markers: `desktop` (needs Xvfb, D-Bus and the other desktop hosts), `e2e` (runs sitbreak
# itself as a process: `sitbreak run` or its CLI), `slow` (over ~3 s). `-m "not desktop and not
# e2e"` is the fast unit suite. A test that starts such a process without its marker fails here,
# so the markers stay true as tests change.

ROOT = Path(__file__).resolve().parents[1]
RUNNERS = ("idle_modules.py",)  # test scripts that run sitbreak's own command line in-process
DESKTOP_HOSTS = {"Xvfb", "dbus-daemon", "dbus-run-session", "dunst", "trayer", "openbox", "sway",
                 "pipewire", "wireplumber", "pipewire-pulse", "pulseaudio",
                 "unshare", "waybar", "mako", "foot", "xterm", "Xwayland", "kwin_wayland",
                 "swayidle", "gnome-shell", "gnome-session", "gnome-session-inhibit", "gjs",
                 "wtype", "swaync", "xfce4-panel", "xfconfd"}


def _runs_sitbreak(argv: list[str]) -> bool:
    installed = os.environ.get("SITBREAK_COMMAND")
    if installed and argv and argv[0] == installed:
        return True
    if argv and Path(argv[0]).name == "sitbreak":
        return True
    for i, arg in enumerate(argv):
        if arg.endswith("main.py") and Path(arg).resolve() == ROOT / "main.py":
            return True
        if arg.endswith(RUNNERS) and Path(arg).resolve().is_relative_to(ROOT / "tests"):
            return True
        if arg == "-m" and i + 1 < len(argv) and argv[i + 1] in ("tray_app", "tray_app.__main__"):
            return True
    return False


def _is_stand_in(program: str, env: Any) -> bool:
    """A test's own script named like a host (a fake `xterm` in its tmp folder) is no host."""
    path = (env or os.environ).get("PATH", os.defpath)
    found = shutil.which(program, path=path)
    return found is not None and Path(found).resolve().is_relative_to(
        Path(tempfile.gettempdir()).resolve())


@pytest.fixture(autouse=True)
def _markers_say_what_a_test_starts(request: pytest.FixtureRequest,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    marks = {m.name for m in request.node.iter_markers()}
    if {"e2e", "desktop"} <= marks:
        return
    real_init = subprocess.Popen.__init__

    def checked_init(self: subprocess.Popen, args: Any, *rest: Any, **kw: Any) -> None:
        argv = [args] if isinstance(args, str | bytes | os.PathLike) else list(args)
        argv = [os.fsdecode(a) if isinstance(a, bytes | os.PathLike) else str(a) for a in argv]
        if "e2e" not in marks and _runs_sitbreak(argv):
            pytest.fail(f"{request.node.nodeid} runs sitbreak ({' '.join(argv[:4])}): mark it "
                        "@pytest.mark.e2e", pytrace=False)
        if "desktop" not in marks and argv and Path(argv[0]).name in DESKTOP_HOSTS \
                and not _is_stand_in(argv[0], kw.get("env")):
            pytest.fail(f"{request.node.nodeid} starts {Path(argv[0]).name}: mark it "
                        "@pytest.mark.desktop", pytrace=False)
        real_init(self, args, *rest, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", checked_init)

"""The README's screenshots, taken from the real app on a private desktop (Xvfb, trayer, D-Bus).

Each test shows one thing the README pictures, grabs it with ImageMagick's `import -window`
and checks the picture is what it should be. The PNGs go to a temporary folder; with
SITBREAK_WRITE_SCREENSHOTS=1 they go to docs/screenshots/ instead, to be committed.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.desktop import (
    Display,
    background,
    dbus_session,
    dunst,
    dunst_config,
    lines_of,
    require,
    tray_manager_ready,
    wait_for,
    xvfb,
)
from tests.tray.test_tray_desktop import docked_icon, window_tree
from tests.ui.sample_views import RUNNING
from tests.ui.test_break_window import Window, window_geometry, window_ids
from tray_app.core.model import Kind, Row, Settings
from tray_app.core.safety import SAFETY_LINE
from tray_app.exercises.loader import read_builtin
from tray_app.history import History
from tray_app.ui.launch.stats_window import open_stats_window
from tray_app.ui.windows.protocol import BreakRequest, ExerciseSpec

pytestmark = [pytest.mark.desktop, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    if os.environ.get("SITBREAK_WRITE_SCREENSHOTS") == "1":
        out = ROOT / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        return out
    return tmp_path


def grab(display: Display, window: str, path: Path) -> Image.Image:
    """`import -window` the window into `path` (PNG) and return the picture."""
    require("import")
    png = subprocess.run(["import", "-window", window, "png:-"], env=display.env(),
                         capture_output=True, check=True, timeout=20).stdout
    path.write_bytes(png)
    return Image.open(io.BytesIO(png)).convert("RGB")


def colours(img: Image.Image) -> int:
    return len(img.getcolors(maxcolors=1 << 24) or [])


def settled(display: Display, window: str, path: Path) -> Image.Image:
    """A grab once two in a row agree (the window has finished drawing)."""
    last: list[bytes] = [b""]

    def same() -> Image.Image | None:
        img = grab(display, window, path)
        ok = img.tobytes() == last[0]
        last[0] = img.tobytes()
        return img if ok else None

    return wait_for(same, timeout=8, interval=0.3, what=f"window {window} to settle")


# --- the tray icon in a panel ---------------------------------------------------------------


def panel_window(display: Display) -> str | None:
    for line in window_tree(display).splitlines():
        if '("panel" "trayer")' in line:
            return line.split()[0]
    return None


SCREEN = (640, 480)
PANEL = (96, 32)  # trayer at the bottom right, as many panels sit


def paint_desktop(display: Display, rgb: int = 0x3B4A5C) -> None:
    """Give the root window a plain desktop colour instead of Xvfb's black."""
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display.name)
    try:
        root = conn.screen().root
        root.change_attributes(background_pixel=rgb)
        root.clear_area()
        conn.sync()
    finally:
        conn.close()


def test_tray_icon_in_a_panel(tmp_path: Path, shots: Path) -> None:
    trayer = require("trayer")
    require("xwininfo")
    settings = tmp_path / "s.toml"
    settings.write_text('[sitting]\nbreak_after = "50m"\n')
    xdg = {}
    for name in ("CONFIG", "DATA", "CACHE", "STATE", "RUNTIME"):
        folder = tmp_path / name.lower()
        folder.mkdir(mode=0o700)
        xdg["XDG_RUNTIME_DIR" if name == "RUNTIME" else f"XDG_{name}_HOME"] = str(folder)
    with xvfb(size=f"{SCREEN[0]}x{SCREEN[1]}x24") as d, dbus_session() as bus, \
            dunst(d, bus, dunst_config(tmp_path)):
        env = d.env(DBUS_SESSION_BUS_ADDRESS=bus.address, SITBREAK_TRAY_BACKEND="appindicator",
                    NO_AT_BRIDGE="1", **xdg)
        env.pop("PYSTRAY_BACKEND", None)
        paint_desktop(d)
        panel = [trayer, "--edge", "bottom", "--align", "right", "--widthtype", "pixel",
                 "--width", str(PANEL[0]), "--height", str(PANEL[1]), "--SetDockType", "true"]
        with background(panel, env):
            wait_for(lambda: tray_manager_ready(d), what="trayer to own the tray selection")
            run = [sys.executable, MAIN, "run", "--no-window", "--config", str(settings)]
            with background(run, env, cwd=ROOT) as proc:
                x, y, w, h = wait_for(lambda: docked_icon(d), timeout=30,
                                      what="sitbreak's icon docked in trayer")
                wid = wait_for(lambda: panel_window(d), what="trayer's panel")
                img = settled(d, wid, shots / "tray.png")
                # Right click opens the menu at the pointer: the status line, then the actions.
                blank = grab(d, "root", tmp_path / "before-menu.png")
                d.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "3")
                wait_for(lambda: grab(d, "root", tmp_path / "m.png").tobytes() != blank.tobytes(),
                         timeout=10, interval=0.2, what="the menu to open")
                screen = settled(d, "root", tmp_path / "screen.png")
                d.run("xdotool", "key", "Escape")
                quit_ = subprocess.run([sys.executable, MAIN, "quit", "--config", str(settings)],
                                       env=env, capture_output=True, text=True, timeout=30)
                assert quit_.returncode == 0, quit_.stderr
                assert proc.wait(15) == 0
    assert img.size == PANEL
    # The icon is drawn inside the panel: its square has many colours, the panel around it few.
    px, py = x - (SCREEN[0] - PANEL[0]), y - (SCREEN[1] - PANEL[1])
    icon = img.crop((px, py, px + w, py + h))
    assert colours(icon) >= 20, f"the docked icon looks blank: {colours(icon)} colours"
    assert icon.tobytes() != Image.new("RGB", icon.size, img.getpixel((0, 0))).tobytes()
    # The menu is what changed on the screen; cut it out with the panel below it and a margin
    # of desktop, for the README.
    changed = ImageChops.difference(blank, screen).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    assert right - left >= 200 and bottom - top >= 200, f"the menu is too small: {changed}"
    assert bottom >= SCREEN[1] - PANEL[1] - 40, f"the menu is not by the panel: {changed}"
    margin = 16
    menu = screen.crop((max(0, min(left, SCREEN[0] - PANEL[0]) - margin), max(0, top - margin),
                        *SCREEN))
    assert colours(menu) >= 20, f"the menu looks blank: {colours(menu)} colours"
    menu.save(shots / "tray-menu.png")


# --- the break window -----------------------------------------------------------------------


def test_break_window_with_an_exercise(shots: Path, tmp_path: Path) -> None:
    require("xdotool")
    catalogue = {ex.id: ex for ex in read_builtin()}
    routine = ("seated-knee-lift-hold", "seated-glute-squeeze", "chin-tucks")
    request = BreakRequest(
        exercises=tuple(ExerciseSpec.from_exercise(catalogue[i]) for i in routine),
        safety=SAFETY_LINE, title="Time to move", focus_wait_max=0.0,
        pictures_dir=str(tmp_path / "pictures"))
    first = catalogue[routine[0]]
    view = replace(RUNNING, routine=routine, spares=(), index=0, step=1,
                   step_seconds=first.steps[1].seconds, step_left_s=31,
                   seconds_done=first.steps[0].seconds + 9,
                   planned_seconds=sum(catalogue[i].seconds for i in routine))
    with xvfb(size="1024x768x24") as d:
        win = Window(d)
        try:
            win.open(request, view).ready()
            if not any(e["event"] == "exercise" for _, e in win.seen):
                win.next("exercise")  # the window has drawn the exercise's picture
            wid = wait_for(lambda: window_ids(d), what="the break window")[0]
            wx, wy, w, h = window_geometry(d, wid)
            img = grab(d, wid, shots / "break-window.png")
        finally:
            win.close()
    assert img.size == (w, h)
    assert w >= 400 and h >= 300, f"break window is only {w}x{h}"
    assert colours(img) >= 30, f"the break window looks blank: {colours(img)} colours"
    # The exercise picture is where the window said it drew it (root coordinates), and is
    # not one flat colour.
    px, py, pw, ph = win.layout["picture"]
    picture = img.crop((px - wx, py - wy, px - wx + pw, py - wy + ph))
    assert colours(picture) >= 10, f"the exercise picture looks blank: {colours(picture)}"


# --- the statistics window ------------------------------------------------------------------


def week_of_history(path: Path, now: float) -> None:
    """Seven days of breaks, exercises, snoozes and natural breaks, ending now."""
    plan = [("seated-march", "psoas-strength", 110), ("glute-bridge", "hip-extensors", 75),
            ("bird-dog", "core", 75), ("chin-tucks", "posture", 50),
            ("seated-figure-four", "stretch", 50)]
    h = History.open(path)
    try:
        for day in range(7):
            base = now - day * 86400 - 3600
            for b in range(2 + day % 3):
                t = base - b * 3600
                h.record(Row(Kind.STRETCH_ENDED, t - 600, 2700))
                h.record(Row(Kind.BREAK_OFFERED, t - 300))
                if (b + day) % 4 == 3:
                    h.record(Row(Kind.SNOOZED, t - 290, 300))
                h.record(Row(Kind.BREAK_STARTED, t - 200))
                spent = 0
                for k in range(2):
                    ex, cat, secs = plan[(b + day + k) % len(plan)]
                    h.record(Row(Kind.EXERCISE, t - 180 + spent, secs, ex, cat))
                    spent += secs
                h.record(Row(Kind.COMPLETED, t, spent))
            h.record(Row(Kind.NATURAL_BREAK, base - 5 * 3600, 900))
            if day % 3 == 1:
                h.record(Row(Kind.BREAK_OFFERED, base - 6 * 3600))
                h.record(Row(Kind.SKIPPED, base - 6 * 3600 + 60))
    finally:
        h.close()


def test_statistics_window_with_a_week_of_history(tmp_path: Path, shots: Path) -> None:
    require("xdotool")
    path = tmp_path / "history.sqlite3"
    now = time.time()
    week_of_history(path, now)
    with xvfb(size="1600x1000x24") as d:
        proc = open_stats_window(path, Settings(), cache_dir=tmp_path / "cache", now=now,
                                 env=d.env())
        try:
            assert lines_of(proc).get(timeout=20) == '{"event": "shown"}'
            wid = wait_for(lambda: d.run("xdotool", "search", "--onlyvisible", "--name",
                                         "^sitbreak statistics", check=False).split(),
                           what="the statistics window")[0]
            _x, _y, w, h = window_geometry(d, wid)
            img = settled(d, wid, shots / "statistics.png")
        finally:
            proc.kill()
            proc.wait(5)
    assert img.size == (w, h)
    assert w >= 400 and h >= 300, f"statistics window is only {w}x{h}"
    # The weekly chart: its bars bring many colours; a window of text alone has few.
    assert colours(img) >= 30, f"the statistics window looks blank: {colours(img)} colours"

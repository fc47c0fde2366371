"""The SNI tray in GNOME Shell 43 with the AppIndicator extension, DISPLAY unset.

The extension is the strictest host: it drops an item without `Menu`, and, given the item's
bus name rather than its path, it cleared the item's Id and Menu and dropped it ("While
initalizing proxy ...: Argument two may not be null" in the shell's log), which is why the item
registers its object path. Here the icon shows in the top bar and its menu acts.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.gnome import WIDTH, Gnome
from tests.tray.test_sni_waybar import menu_labels, owner_of_item, row_of, run_middles

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]

PANEL_H = 32


def grey_box(shot: Image.Image) -> tuple[int, int, int, int] | None:
    """The open panel menu: GNOME's menus are a flat dark grey; the desktop is teal."""
    rgb = shot.convert("RGB")
    mask = Image.new("L", rgb.size, 0)
    px, out = rgb.load(), mask.load()
    for y in range(PANEL_H + 2, rgb.height, 2):
        for x in range(WIDTH // 2, rgb.width, 2):
            pr, pg, pb = px[x, y]
            if max(pr, pg, pb) - min(pr, pg, pb) < 6 and 35 < pr < 75:
                out[x, y] = 255
    box = mask.getbbox()
    return box if box is not None and box[3] - box[1] > 100 else None


def bright_rows(shot: Image.Image, box: tuple[int, int, int, int]) -> list[int]:
    """The y of each line of text (light on the dark menu; separators are dim lines)."""
    x0, y0, x1, y1 = box
    inner = shot.convert("L").crop((x0 + 16, y0 + 4, x1 - 40, y1 - 4))
    px = inner.load()
    marked = [any(px[x, y] > 140 for x in range(inner.width)) for y in range(inner.height)]
    return [mid + y0 + 4 for mid in run_middles(marked)]


def test_the_tray_shows_in_gnome_and_its_menu_acts(gnome: Gnome, tmp_path: Path) -> None:
    before = gnome.screenshot(tmp_path / "before.png")
    keep = ("WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE",
            "XDG_CURRENT_DESKTOP")
    box = Sandbox(tmp_path / "box", extra_env={k: gnome.env[k] for k in keep})
    assert "DISPLAY" not in box.env
    proc: subprocess.Popen[str] = box.start(
        "--config", str(quick_settings(tmp_path / "s.toml", "20m")))
    try:
        box.wait_running(proc)
        assert box.status()["tray"].startswith("StatusNotifierItem")
        owner = owner_of_item(gnome.env, proc.pid).rstrip("/")
        wait_for(lambda: f"{owner}@/StatusNotifierItem" in gnome.sni_items(), timeout=15,
                 what="the extension to keep the item")
        wait_for(lambda: box.status()["tray_docked"] is True, timeout=10, what="tray_docked")

        # The icon: something new in the top bar's right half.
        with Image.open(before) as im:
            bar0 = im.convert("RGB").crop((WIDTH // 2, 0, WIDTH, PANEL_H))

        def icon() -> tuple[int, int, int, int] | None:
            with Image.open(gnome.screenshot(tmp_path / "bar.png")) as im:
                bar = im.convert("RGB").crop((WIDTH // 2, 0, WIDTH, PANEL_H))
            diff = ImageChops.difference(bar, bar0).convert("L").point(
                lambda v: 255 if v > 40 else 0).getbbox()
            return None if diff is None else (diff[0] + WIDTH // 2, diff[1],
                                              diff[2] + WIDTH // 2, diff[3])

        where = wait_for(icon, timeout=15, interval=0.3, what="the icon in the top bar")
        # The left-most new thing is our icon (the extension adds it left of the others).
        gnome.input.click(min((where[0] + where[2]) // 2, where[0] + 11), PANEL_H // 2)

        item = f"{owner}/StatusNotifierItem"
        top = menu_labels(gnome.env, item)
        labels = [label for _i, label in top]

        def menu() -> tuple[Image.Image, tuple[int, int, int, int]] | None:
            # Drawn whole: a row for each label (under load a shot caught the menu with 9 of
            # its 12 rows while it was still opening).
            with Image.open(gnome.screenshot(tmp_path / "menu.png")) as im:
                shot = im.convert("RGB")
            found = grey_box(shot)
            whole = found and len(bright_rows(shot, found)) in (len(labels), len(labels) - 1)
            return (shot, found) if whole else None

        shot, menu_box = wait_for(menu, timeout=10, interval=0.3, what="the menu to open")
        y = row_of(labels, bright_rows(shot, menu_box), "Pause")
        gnome.input.click((menu_box[0] + menu_box[2]) // 2, y)  # GNOME opens it in place
        pause_id = next(i for i, label in top if label == "Pause")
        sub = [label for _i, label in menu_labels(gnome.env, item, pause_id)]
        at = labels.index("Pause") + 1
        expanded = labels[:at] + sub + labels[at:]

        def opened() -> tuple[Image.Image, list[int]] | None:
            with Image.open(gnome.screenshot(tmp_path / "sub.png")) as im:
                s = im.convert("RGB")
            b = grey_box(s)
            rows = bright_rows(s, b) if b else []
            return (s, rows) if len(rows) >= len(expanded) - 1 else None

        _shot, rows = wait_for(opened, timeout=10, interval=0.3, what="the Pause submenu")
        gnome.input.click((menu_box[0] + menu_box[2]) // 2, row_of(expanded, rows, sub[0]))
        box.wait_state("paused", timeout=15)
    finally:
        assert stop(proc) == 0
    assert "Traceback" not in box.output(), box.output()

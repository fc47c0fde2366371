"""The SNI tray in a real host: sitbreak on headless sway with waybar's tray, DISPLAY unset.

Issue 22, item 3: on Wayland a plain install had no icon (XEmbed through XWayland docks
nowhere) and, with DISPLAY unset, fell back to console mode although waybar's
StatusNotifierWatcher was on the bus. Here the real app docks in waybar, its menu is opened
and clicked with the seat's (virtual) pointer, its icon and tooltip changes show, a left click
activates, and a restarted waybar gets the icon back.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, Properties, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from PIL import Image, ImageChops, ImageDraw

from tests.desktop import require, wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.wayland import WIDTH, Sway, name_has_owner

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]

WATCHER = "org.kde.StatusNotifierWatcher"
BAR_H = 34  # waybar makes the bar at least this high for its modules
ICON = 22  # the tray's icon-size in tests/wayland.py
BAR_BG = (0x22, 0x22, 0x33)  # tests/wayland.py's waybar style


def bus_call(env: dict[str, str], target: DBusAddress, member: str, sig: str | None = None,
             body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    with open_dbus_connection(env["DBUS_SESSION_BUS_ADDRESS"]) as conn:
        return tuple(conn.send_and_get_reply(new_method_call(target, member, sig, body),
                                             timeout=5).body)


def registered(env: dict[str, str]) -> list[str]:
    """What the watcher (waybar) lists as registered items; [] while there is no watcher."""
    if not name_has_owner(env, WATCHER):
        return []
    watcher = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
    with open_dbus_connection(env["DBUS_SESSION_BUS_ADDRESS"]) as conn:
        reply = conn.send_and_get_reply(Properties(watcher).get("RegisteredStatusNotifierItems"),
                                        timeout=5)
    body = reply.body
    return list(body[0][1]) if body and isinstance(body[0], tuple) else []


def item_owner(env: dict[str, str], pid: int) -> str:
    """The unique bus name of sitbreak's item (it registers its path; hosts list name+path)."""
    (owner,) = bus_call(env, message_bus, "GetNameOwner", "s",
                        (f"org.kde.StatusNotifierItem-{pid}-1",))
    if not str(owner).startswith(":"):  # an error reply's text: the item is not on the bus yet
        raise LookupError(owner)
    return f"{owner}/"


def owner_of_item(env: dict[str, str], pid: int, timeout: float = 30) -> str:
    """item_owner once sitbreak's item is on the bus (it claims its name after start-up,
    later on a loaded machine)."""

    def look() -> str | None:
        try:
            return item_owner(env, pid)
        except LookupError:
            return None

    return wait_for(look, timeout=timeout, what="sitbreak's item on the bus")


def menu_labels(env: dict[str, str], item: str, parent: int = 0) -> list[tuple[int, str]]:
    """The (id, label) of each text entry under `parent`, asked the way a host asks."""
    name = item.split("/", 1)[0]
    menu = DBusAddress("/MenuBar", bus_name=name, interface="com.canonical.dbusmenu")
    _rev, (_id, _props, children) = bus_call(env, menu, "GetLayout", "iias", (parent, 1, []))
    return [(node[0], node[1].get("label", ("s", ""))[1]) for _sig, node in children
            if node[1].get("type", ("s", "standard"))[1] != "separator"]


# --- reading the screen ------------------------------------------------------------------------

def icon_box(shot: Image.Image) -> tuple[int, int, int, int] | None:
    """The tray icon: the right-most ICON px of the bar that differ from its background (the
    tray is the bar's last module; the clock's digits end a few pixels to its left)."""
    bar = shot.convert("RGB").crop((WIDTH - 60, 0, WIDTH, BAR_H))
    bg = Image.new("RGB", bar.size, BAR_BG)
    mask = ImageChops.difference(bar, bg).convert("L").point(lambda v: 255 if v > 40 else 0)
    found = mask.getbbox()
    if found is None:
        return None
    right = found[2]
    box = mask.crop((max(0, right - ICON), 0, right, mask.height)).getbbox()
    if box is None or box[3] - box[1] < ICON // 2:  # the clock's digits are ~9 px high
        return None
    left = WIDTH - 60 + max(0, right - ICON)
    return (left + box[0], box[1], left + box[2], box[3])


def white_box(shot: Image.Image, exclude: tuple[int, int, int, int] | None = None
              ) -> tuple[int, int, int, int] | None:
    """Where an open menu is (GTK menus are white; the desktop below the bar is blue)."""
    mask = shot.convert("L").point(lambda v: 255 if v > 240 else 0)
    draw = ImageDraw.Draw(mask)
    draw.rectangle((0, 0, mask.width, BAR_H), fill=0)
    if exclude is not None:
        draw.rectangle(exclude, fill=0)
    box = mask.getbbox()
    return box if box is not None and box[2] - box[0] > 60 and box[3] - box[1] > 20 else None


def text_rows(shot: Image.Image, box: tuple[int, int, int, int]) -> list[int]:
    """The y of each line of text in the menu at `box` (separators are thinner than text)."""
    x0, y0, x1, y1 = box
    inner = shot.convert("L").crop((x0 + 8, y0 + 3, x1 - 8, y1 - 3))
    px = inner.load()
    marked = [any(px[x, y] < 200 for x in range(inner.width)) for y in range(inner.height)]
    return [mid + y0 + 3 for mid in run_middles(marked)]


def run_middles(marked: list[bool], least: int = 5) -> list[int]:
    """The middle index of each run of at least `least` marked rows (a line of text)."""
    rows, start = [], None
    for y, mark in enumerate([*marked, False]):
        if mark and start is None:
            start = y
        elif not mark and start is not None:
            if y - start >= least:
                rows.append((start + y) // 2)
            start = None
    return rows


def row_of(labels: list[str], rows: list[int], label: str) -> int:
    """The y of `label`'s row; matched from the bottom (the top row may hide under the bar)."""
    assert len(rows) in (len(labels), len(labels) - 1), (labels, rows)
    return dict(zip(reversed(labels), reversed(rows), strict=False))[label]


class Desk:
    def __init__(self, sway: Sway, tmp: Path) -> None:
        self.sway = sway
        self.tmp = tmp
        self.shots = 0

    def shot(self) -> Image.Image:
        self.shots += 1
        path = self.sway.screenshot(self.tmp / f"shot{self.shots}.png")
        with Image.open(path) as im:
            return im.convert("RGB")

    def wait_icon(self) -> tuple[int, int, int, int]:
        return wait_for(lambda: icon_box(self.shot()), timeout=15, interval=0.3,
                        what="the icon in waybar's tray")

    def tooltip(self, icon: tuple[int, int, int, int], unlike: Image.Image | None = None
                ) -> Image.Image:
        """Hover the icon until waybar shows its tooltip (a dark box under the bar)."""
        self.sway.pointer.move_to(WIDTH // 2, 400)
        self.sway.pointer.move_to((icon[0] + icon[2]) // 2, (icon[1] + icon[3]) // 2)

        def shown() -> Image.Image | None:
            area = self.shot().crop((WIDTH - 320, BAR_H + 1, WIDTH, BAR_H + 70))
            dark = area.convert("L").point(lambda v: 255 if v < 40 else 0).histogram()[255]
            return area if dark > 300 and (unlike is None or area != unlike) else None

        return wait_for(shown, timeout=10, interval=0.3, what="waybar's tooltip for the icon")

    def open_menu(self, icon: tuple[int, int, int, int]) -> tuple[Image.Image, tuple]:
        x, y = (icon[0] + icon[2]) // 2, (icon[1] + icon[3]) // 2
        self.sway.click(x, y, "button3")

        def menu() -> tuple[Image.Image, tuple] | None:
            shot = self.shot()
            box = white_box(shot)
            return (shot, box) if box else None

        return wait_for(menu, timeout=10, interval=0.3, what="the tray menu to open")


@pytest.fixture
def desk(sway: Sway, tmp_path: Path) -> Desk:
    return Desk(sway, tmp_path)


def start_app(sway: Sway, tmp: Path, **env: str) -> tuple[Sandbox, subprocess.Popen[str]]:
    """The real sitbreak on this desktop's bus and Wayland socket, DISPLAY unset unless given."""
    keep = ("WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE",
            "XDG_CURRENT_DESKTOP", "SWAYSOCK")
    box = Sandbox(tmp / "box", extra_env={**{k: sway.env[k] for k in keep}, **env})
    assert ("DISPLAY" in box.env) == ("DISPLAY" in env)
    settings = quick_settings(tmp / "settings.toml", break_after="20m")
    proc = box.start("--config", str(settings))
    box.wait_running(proc)
    return box, proc


@pytest.fixture
def app(sway: Sway, tmp_path: Path) -> Iterator[tuple[Sandbox, subprocess.Popen[str]]]:
    box, proc = start_app(sway, tmp_path)
    yield box, proc
    stop(proc)


def test_the_tray_docks_in_waybar_and_its_menu_acts(
        sway: Sway, desk: Desk, app: tuple[Sandbox, subprocess.Popen[str]]) -> None:
    box, proc = app
    status = box.status()
    assert status["tray"].startswith("StatusNotifierItem"), status["tray"]
    owner = owner_of_item(sway.env, proc.pid)
    ours = wait_for(lambda: next((i for i in registered(sway.env) if i.startswith(owner)), None),
                    timeout=20, what="waybar to register the icon")
    wait_for(lambda: box.status()["tray_docked"] is True, timeout=10, what="tray_docked")
    icon = desk.wait_icon()
    assert icon[2] - icon[0] >= 12 and icon[3] - icon[1] >= 12, icon  # a picture, not a dot
    before = desk.shot().crop(icon)
    tip = desk.tooltip(icon)

    # Right click: waybar draws the menu from dbusmenu; Pause is a submenu; its first entry.
    shot, menu_box = desk.open_menu(icon)
    labels = [label for _id, label in menu_labels(sway.env, ours)]
    assert "Pause" in labels and "Take a break now" in labels and "Quit" in labels
    y = row_of(labels, text_rows(shot, menu_box), "Pause")
    sway.click((menu_box[0] + menu_box[2]) // 2, y)
    pause_id = next(i for i, label in menu_labels(sway.env, ours) if label == "Pause")
    sub_labels = [label for _id, label in menu_labels(sway.env, ours, pause_id)]

    def submenu() -> tuple[Image.Image, tuple] | None:
        s = desk.shot()
        b = white_box(s, exclude=menu_box)
        return (s, b) if b else None

    shot, sub_box = wait_for(submenu, timeout=10, interval=0.3, what="the Pause submenu")
    y = row_of(sub_labels, text_rows(shot, sub_box), sub_labels[0])
    sway.click((sub_box[0] + sub_box[2]) // 2, y)
    box.wait_state("paused", timeout=15)

    # The paused picture and its tooltip reach waybar (NewIcon, NewToolTip).
    sway.pointer.move_to(WIDTH // 2, 400)
    wait_for(lambda: desk.shot().crop(icon) != before, timeout=10, interval=0.3,
             what="waybar to show the paused icon")
    assert white_box(desk.shot()) is None  # the menu closed
    desk.tooltip(icon, unlike=tip)  # "Paused until …" where it said "Sitting …"

    # A left click activates: pystray's default entry, the status line, as a notification.
    sway.click((icon[0] + icon[2]) // 2, (icon[1] + icon[3]) // 2, "button1")
    wait_for(lambda: "Paused" in sway.makoctl("list"), timeout=10,
             what="the status notification from a left click")

    assert box.cli("quit").returncode == 0
    assert proc.wait(15) == 0
    assert "Traceback" not in box.output(), box.output()


def test_a_restarted_waybar_gets_the_icon_back(
        sway: Sway, desk: Desk, app: tuple[Sandbox, subprocess.Popen[str]]) -> None:
    box, proc = app
    prefix = owner_of_item(sway.env, proc.pid)
    wait_for(lambda: any(i.startswith(prefix) for i in registered(sway.env)), timeout=30,
             what="the icon registered")
    desk.wait_icon()
    (waybar_pid,) = bus_call(sway.env, message_bus, "GetConnectionUnixProcessID", "s",
                             (WATCHER,))
    assert Path(f"/proc/{waybar_pid}/comm").read_text().strip() == "waybar"
    os.kill(waybar_pid, signal.SIGTERM)  # the fixture's own waybar (asked by its bus name)
    wait_for(lambda: not name_has_owner(sway.env, WATCHER), timeout=10, what="waybar gone")
    wait_for(lambda: box.status()["tray_docked"] is False, timeout=10, what="undocked")

    work = sway.workdir
    sway.start([require("waybar"), "-c", str(work / "waybar.json"), "-s",
                str(work / "waybar.css")], env=sway.env)
    wait_for(lambda: any(i.startswith(prefix) for i in registered(sway.env)), timeout=40,
             what="the icon registered with the new waybar")
    wait_for(lambda: box.status()["tray_docked"] is True, timeout=10, what="docked again")
    desk.wait_icon()
    assert proc.poll() is None


def test_on_wayland_it_waits_for_a_panel_instead_of_console_mode(
        sway: Sway, desk: Desk, tmp_path: Path) -> None:
    """No watcher yet (waybar starts after sitbreak, as at login): the SNI tray is chosen,
    `status` says why there is no icon, and the icon docks once the panel is up."""
    (waybar_pid,) = bus_call(sway.env, message_bus, "GetConnectionUnixProcessID", "s",
                             (WATCHER,))
    os.kill(waybar_pid, signal.SIGTERM)
    wait_for(lambda: not name_has_owner(sway.env, WATCHER), timeout=10, what="waybar gone")
    box, proc = start_app(sway, tmp_path)
    try:
        status = box.status()
        assert status["tray"].startswith("StatusNotifierItem") and "docks when" in status["tray"]
        assert "console" not in box.output()
        st = wait_for(lambda: (s := box.status()).get("tray_problem") and s, timeout=15,
                      interval=0.3, what="status to say why there is no icon")
        assert st["tray_docked"] is False and "no panel has shown the tray icon" in \
            st["tray_problem"]
        assert box.output().count("no panel has shown the tray icon") == 1
        work = sway.workdir
        sway.start([require("waybar"), "-c", str(work / "waybar.json"), "-s",
                    str(work / "waybar.css")], env=sway.env)
        wait_for(lambda: box.status()["tray_docked"] is True, timeout=20, what="docked")
        assert "tray_problem" not in box.status()
        desk.wait_icon()
    finally:
        assert stop(proc) == 0
    assert "Traceback" not in box.output(), box.output()


def test_the_session_bus_going_away_ends_sitbreak_cleanly(
        sway: Sway, app: tuple[Sandbox, subprocess.Popen[str]]) -> None:
    """The SNI icon lives on the session bus: when the bus ends (the session is over) there is
    nothing left to show it, so sitbreak records the stretch, says why once and exits 0."""
    box, proc = app
    wait_for(lambda: box.status()["tray_docked"] is True, timeout=10, what="docked")
    (bus_pid,) = bus_call(sway.env, message_bus, "GetConnectionUnixProcessID", "s",
                          ("org.freedesktop.DBus",))
    assert Path(f"/proc/{bus_pid}/comm").read_text().strip() == "dbus-daemon"
    os.kill(bus_pid, signal.SIGTERM)  # the fixture's own private bus
    assert proc.wait(15) == 0
    out = box.output()
    assert out.count("the session D-Bus went away") == 1, out
    assert "stretch so far is recorded" in out and "Traceback" not in out


def test_with_xwayland_it_still_docks_in_waybar_not_nowhere(sway: Sway, tmp_path: Path) -> None:
    """The issue as found: with DISPLAY set (XWayland) a plain install chose the XEmbed icon,
    which no Wayland panel hosts. The watcher on the bus decides now, DISPLAY or not."""
    box, proc = start_app(sway, tmp_path, DISPLAY=sway.xdisplay)
    try:
        assert box.status()["tray"].startswith("StatusNotifierItem")
        owner = owner_of_item(sway.env, proc.pid)
        wait_for(lambda: any(i.startswith(owner) for i in registered(sway.env)), timeout=20,
                 what="waybar to register the icon")
        wait_for(lambda: box.status()["tray_docked"] is True, timeout=10, what="docked")
    finally:
        assert stop(proc) == 0
    assert "Failed to dock" not in box.output()


def test_the_sni_tray_idles_without_gtk_or_xlib(sway: Sway, tmp_path: Path) -> None:
    """The lean route: the SNI tray in waybar, DISPLAY unset, loads no GTK (PyGObject is
    installed here), no python-xlib and none of the modules the idle app defers."""
    from tests.runtime.test_idle_imports import DRAWING, PARSER, RARE, WINDOW, idle_state

    keep = ("WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE",
            "XDG_CURRENT_DESKTOP", "SWAYSOCK")
    state = idle_state(Sandbox(tmp_path, {k: sway.env[k] for k in keep}))
    loaded = set(state["modules"])
    assert "tray_app.ui.tray.sni.item" in loaded  # the SNI icon ran
    assert not {m for m in loaded if m == "gi" or m.startswith(("gi.", "Xlib", "pystray._x"))}
    assert not (DRAWING | WINDOW | RARE | PARSER) & loaded
    assert not [lib for lib in state["libraries"] if lib.startswith(("libgtk", "libX11"))]

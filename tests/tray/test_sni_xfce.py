"""The SNI tray on X11 in a real host: XFCE's panel (4.18), whose systray plugin is a
StatusNotifierWatcher and draws the menu with libdbusmenu (GetGroupProperties, EventGroup).

Xvfb, openbox (the panel waits for a window manager), xfconfd with a private panel
configuration (one panel, the systray plugin) and xfce4-panel on a private session bus.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageGrab

from tests.desktop import PACKAGES, _stop, dbus_session, require, wait_for, xvfb
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.tray.test_sni_waybar import item_owner, menu_labels, registered, row_of, text_rows
from tests.wayland import name_has_owner

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]

PACKAGES.update({"xfce4-panel": "xfce4-panel", "xfconfd": "xfconf"})
XFCONFD = "/usr/lib/x86_64-linux-gnu/xfce4/xfconf/xfconfd"
PANEL_H = 30
PANEL = """<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="30"/>
      <property name="plugin-ids" type="array"><value type="int" value="1"/></property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
"""


@contextlib.contextmanager
def xfce_panel(tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of a private X11 desktop whose panel hosts StatusNotifierItems."""
    panel = require("xfce4-panel")
    if not os.path.exists(XFCONFD):
        pytest.fail("xfconfd is not installed: run `apt-get install xfconf`")
    conf = tmp / "config" / "xfce4" / "xfconf" / "xfce-perchannel-xml"
    conf.mkdir(parents=True)
    (conf / "xfce4-panel.xml").write_text(PANEL)
    with xvfb() as display, dbus_session() as bus:
        env = dict(display.env(), DBUS_SESSION_BUS_ADDRESS=bus.address,
                   XDG_CONFIG_HOME=str(tmp / "config"), HOME=str(tmp))
        procs: list[subprocess.Popen] = []
        try:
            for argv in ([require("openbox")], [XFCONFD], [panel]):
                procs.append(subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL,
                                              start_new_session=True))
                if argv[0] == XFCONFD:  # the panel reads its configuration from it
                    wait_for(lambda: name_has_owner(env, "org.xfce.Xfconf"), timeout=10,
                             what="xfconfd")
            wait_for(lambda: name_has_owner(env, "org.kde.StatusNotifierWatcher"), timeout=20,
                     what="the panel's systray to own org.kde.StatusNotifierWatcher")
            yield env
        finally:
            for p in reversed(procs):
                _stop(p)


def grab(env: dict[str, str]) -> Image.Image:
    return ImageGrab.grab(xdisplay=env["DISPLAY"]).convert("RGB")


def xclick(env: dict[str, str], x: int, y: int, button: int = 1) -> None:
    subprocess.run([require("xdotool"), "mousemove", str(x), str(y), "click", str(button)],
                   env=env, check=True, timeout=10)


def test_the_tray_in_xfces_panel_on_x11(tmp_path: Path) -> None:
    with xfce_panel(tmp_path) as env:
        empty = grab(env).crop((0, 0, 200, PANEL_H))
        box = Sandbox(tmp_path / "box", extra_env={
            k: env[k] for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS")})
        proc = box.start("--config", str(quick_settings(tmp_path / "s.toml", "20m")))
        try:
            box.wait_running(proc)
            assert box.status()["tray"].startswith("StatusNotifierItem")
            owner = item_owner(env, proc.pid)
            wait_for(lambda: any(i.startswith(owner) for i in registered(env)), timeout=10,
                     what="the panel to register the icon")
            wait_for(lambda: box.status()["tray_docked"] is True, timeout=10, what="docked")

            def icon() -> tuple[int, int, int, int] | None:
                diff = ImageChops.difference(grab(env).crop((0, 0, 200, PANEL_H)), empty)
                found = diff.convert("L").point(lambda v: 255 if v > 40 else 0).getbbox()
                return found if found and found[3] - found[1] >= 12 else None

            where = wait_for(icon, timeout=10, interval=0.3, what="the icon in the panel")
            xclick(env, (where[0] + where[2]) // 2, (where[1] + where[3]) // 2, 3)

            def menu() -> tuple[Image.Image, tuple[int, int, int, int]] | None:
                shot = grab(env)
                # The menu is light on Xvfb's black root window, below the panel.
                mask = shot.convert("L").crop((0, PANEL_H + 1, 600, shot.height)).point(
                    lambda v: 255 if v > 200 else 0)
                found = mask.getbbox()
                if found is None or found[3] - found[1] < 60:
                    return None
                return shot, (found[0], found[1] + PANEL_H + 1, found[2], found[3] + PANEL_H + 1)

            shot, menu_box = wait_for(menu, timeout=10, interval=0.3, what="the menu")
            labels = [label for _i, label in menu_labels(env, f"{owner}StatusNotifierItem")]
            pause_y = row_of(labels, text_rows(shot, menu_box), "Pause")
            xclick(env, (menu_box[0] + menu_box[2]) // 2, pause_y)
            pause_id = next(i for i, label in menu_labels(
                env, f"{owner}StatusNotifierItem") if label == "Pause")
            sub = [label for _i, label in menu_labels(env, f"{owner}StatusNotifierItem",
                                                       pause_id)]

            def submenu() -> tuple[Image.Image, tuple[int, int, int, int]] | None:
                s = grab(env)
                mask = s.convert("L").point(lambda v: 255 if v > 200 else 0)
                mask.paste(0, (0, 0, menu_box[2] + 1, mask.height))  # right of the menu
                mask.paste(0, (0, 0, mask.width, PANEL_H + 1))  # below the panel
                found = mask.getbbox()
                return (s, found) if found and found[3] - found[1] > 40 else None

            s, sub_box = wait_for(submenu, timeout=10, interval=0.3, what="the Pause submenu")
            xclick(env, (sub_box[0] + sub_box[2]) // 2, row_of(sub, text_rows(s, sub_box),
                                                               sub[0]))
            box.wait_state("paused", timeout=15)
        finally:
            assert stop(proc) == 0
    assert "Traceback" not in box.output(), box.output()

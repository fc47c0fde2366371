"""Issue 25 bug 8: every start on Gtk's status icon printed a Gdk-CRITICAL line
(gdk_window_thaw_toplevel_updates), from naming the icon before it was embedded."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.desktop import background, require, wait_for
from tests.tray.test_tray_desktop import (
    MAIN,
    ROOT,
    Session,
    private_desktop,
    tray_manager_ready,
    wait_docked,
    window_tree,
)

pytestmark = [pytest.mark.desktop, pytest.mark.e2e]


def test_the_gtk_status_icon_starts_without_gdk_critical_and_keeps_its_name(
        tmp_path: Path) -> None:
    trayer = require("trayer")
    require("xwininfo")
    with (
        private_desktop(tmp_path, "gtk") as (d, env, settings),
        background([trayer, "--edge", "top", "--SetDockType", "true"], env),
    ):
        wait_for(lambda: tray_manager_ready(d), what="trayer to own the tray selection")
        with background([sys.executable, MAIN, "run", "--no-window", "--config",
                         str(settings)], env, cwd=ROOT) as proc:
            s = Session(d, env, proc, tmp_path)
            wait_docked(s)
            wait_for(lambda: s.state() is not None, timeout=20, what="the control channel")
            time.sleep(1.0)  # what GTK says on embedding comes within this
            # The icon's class names sitbreak, not "main.py". Its WM_NAME is the icon's title,
            # which becomes the status line once a minute ticks (it was read as the name, so
            # the test failed about one run in ten).
            named = '": ("sitbreak" "sitbreak")'
            wait_for(lambda: named in window_tree(d), timeout=10, what="the named icon")
            assert s.cli("quit").returncode == 0
            assert proc.wait(15) == 0
            err = proc.stderr.read().decode() if proc.stderr else ""
    assert "CRITICAL" not in err, err

"""The X server dies in the middle of a break (issue 26, item 13): the real app on its own
Xvfb, the break window open and the break started, then the server is killed. The break's
seconds so far must be in the history (an `exercise` row), and the app must not hang."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.desktop import wait_for, xvfb
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.e2e.test_break_window_e2e import visible_windows

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]


def _rows(box: Sandbox) -> list[tuple[str, float]]:
    with sqlite3.connect(box.history) as db:
        return db.execute("SELECT kind, duration_s FROM events ORDER BY id").fetchall()


@pytest.mark.parametrize(("mode", "tray"), [((), "xorg"), ((), "gtk"), (("--console",), "")],
                         ids=["xorg-tray", "gtk-tray", "console"])
def test_break_seconds_are_recorded_when_x_dies(tmp_path: Path, mode: tuple[str, ...],
                                                 tray: str) -> None:
    if tray == "gtk":  # the GTK tray takes over GDK's exit on a lost X connection
        gi = pytest.importorskip("gi")
        try:
            gi.require_version("Gtk", "3.0")
        except ValueError:
            pytest.skip("no Gtk 3 typelib here")
    with xvfb() as display:
        env = {"DISPLAY": display.name}
        if tray:
            env["SITBREAK_TRAY_BACKEND"] = tray
        box = Sandbox(tmp_path, extra_env=env)
        cfg = quick_settings(tmp_path / "s.toml", break_after="50m")
        proc = box.start(*mode, "--config", str(cfg))
        try:
            box.wait_running(proc)
            assert box.cli("break-now").returncode == 0
            wait_for(lambda: visible_windows(display), timeout=20, what="the break window")
            box.wait_state("on_break", timeout=20)
            began = time.monotonic()  # the break began a little before this
            time.sleep(4.6)
            elapsed = time.monotonic() - began
            display.proc.send_signal(signal.SIGKILL)
            display.proc.wait(5)
            # The app ends (the tray's X is gone) or goes on (the console), but never hangs.
            time.sleep(2)
            if proc.poll() is None:
                assert box.cli("status", timeout=10).returncode == 0, box.output()
        finally:
            code = stop(proc)
        assert code == 0, box.output()
    rows = _rows(box)
    done = [d for k, d in rows if k == "exercise"]
    # Every second done until X went (rows hold whole seconds), not those until the last tick.
    assert done and sum(done) >= elapsed - 0.5, (elapsed, rows, box.output())

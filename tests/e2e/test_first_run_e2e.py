"""A first-run notification that says where the icon is and what happens next (issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, stop
from tray_app.core.model import BreakSettings, Settings
from tray_app.core.welcome import welcome

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_first_run_says_where_it_is_and_what_comes_next_once(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)  # no settings file yet: a first run
    proc = box.start("--console")
    try:
        box.wait_running(proc)
        wait_for(lambda: "sitbreak is running" in box.output(), timeout=15,
                 what="the first-run notification")
        out = box.output()
        assert "It has no tray icon here" in out
        assert "After 50 min of sitting it offers a short exercise break" in out
    finally:
        assert stop(proc) == 0
    proc = box.start("--console")  # the second run says nothing of the kind
    try:
        box.wait_running(proc)
        box.status()
        assert "sitbreak is running" not in box.output()
    finally:
        assert stop(proc) == 0


def test_the_words_follow_the_tray_and_the_settings() -> None:
    docked = welcome(Settings(), "gtk", docked=True)
    assert "Its icon is in your panel's system tray" in docked
    assert "with a heads-up 1 min before" in docked
    assert "No tray shows its icon yet" in welcome(Settings(), "xorg", docked=False)
    quiet = welcome(Settings(breaks=BreakSettings(heads_up=0)), "gtk", docked=True)
    assert "heads-up" not in quiet

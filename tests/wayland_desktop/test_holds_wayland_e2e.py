"""The running app on sway holds the break for a fullscreen Wayland window and for mako's
do-not-disturb, and says so in `status --json`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.desktop import wait_for
from tests.wayland import Sway, held_app

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]


def held_until_released(tmp_path: Path, sway: Sway, reason: str,
                        release: Callable[[], None]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The status while held, then once due (and its notification shown)."""
    with held_app(tmp_path, sway.app_env(), reason) as (box, held):
        assert sway.makoctl("list").count('"summary"') == 0  # nothing shown over it
        release()
        due = box.wait_state("break_due", timeout=15)
        wait_for(lambda: "Time to move" in sway.makoctl("list"), timeout=10,
                 what="the break's notification in mako")
    return held, due


def test_a_focused_fullscreen_foot_holds_the_break(tmp_path: Path, sway: Sway) -> None:
    sway.start(["foot", "-a", "slides"])
    sway.wait_window(app_id="slides", focused=True)
    sway.msg("[app_id=slides] fullscreen enable")
    held, due = held_until_released(tmp_path, sway, "fullscreen window",
                                    lambda: sway.msg("[app_id=slides] fullscreen disable"))
    assert "wlr-foreign-toplevel" in held["fullscreen"]
    assert due["held_by"] is None


def test_mako_do_not_disturb_holds_the_break(tmp_path: Path, sway: Sway) -> None:
    sway.makoctl("mode", "-a", "do-not-disturb")
    held_until_released(tmp_path, sway, "do not disturb",
                        lambda: sway.makoctl("mode", "-r", "do-not-disturb"))

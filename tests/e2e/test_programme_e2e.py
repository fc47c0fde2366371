"""The programme end to end (issue 24): the real `sitbreak run --console`, a break taken, then
`sitbreak rate` (the last exercise by default), `checkin`, `retest` and `level` reach it through
the control channel, land in the history, and `sitbreak stats --json` shows them."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def rows(history: Path) -> list[tuple]:
    con = sqlite3.connect(history)
    try:
        return list(con.execute(
            "SELECT kind, exercise_id, category, detail FROM events "
            "WHERE kind IN ('exercise', 'rating', 'level', 'checkin', 'retest') ORDER BY id"))
    finally:
        con.close()


def test_ratings_check_ins_and_retests_from_the_command_line(tmp_path: Path) -> None:
    box = Sandbox(tmp_path)
    cfg = quick_settings(box.root / "s.toml", break_after="1h",
                         programme={"checkins": True})
    refused = box.cli("rate", "fine")
    assert refused.returncode == 3 and "sitbreak is not running" in refused.stderr
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        first = box.cli("rate", "fine")  # nothing done yet: refused, saying how
        assert first.returncode == 4 and "sitbreak rate RATING EXERCISE_ID" in first.stderr
        assert box.cli("break-now").returncode == 0
        box.wait_state("on_break")
        out = box.output()
        assert "After each exercise: sitbreak rate easy|fine|too-hard|hurt" in out
        assert "How is your back now, 0 (no pain) to 10? sitbreak checkin N" in out
        assert "re-test is due" in out
        time.sleep(1.5)  # an exercise shorter than half a second is not recorded as done
        assert box.cli("done").returncode == 0
        box.wait_state("sitting")
        assert box.cli("rate", "fine").returncode == 0
        assert box.cli("rate", "hurt", "bird-dog").returncode == 0
        assert box.cli("checkin", "3").returncode == 0
        assert box.cli("retest", "seated-knee-hold", "21", "--side", "left").returncode == 0
        bad = box.cli("retest", "seated-knee-hold", "21")
        assert bad.returncode == 2 and "give left or right" in bad.stderr
        assert box.cli("level", "march", "accept").returncode == 0
    finally:
        assert stop(proc) == 0
    got = rows(box.history)
    done = [r[1] for r in got if r[0] == "exercise"]
    assert done, box.output()
    programme = [r for r in got if r[0] != "exercise"]
    assert programme == [("rating", done[-1], None, "fine"), ("rating", "bird-dog", None, "hurt"),
                         ("checkin", None, None, "3"),
                         ("retest", "seated-knee-hold", "left", "21"),
                         ("level", None, "march", "accept")]
    stats = box.cli("stats", "--json", "--config", str(cfg))
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert data["ratings"]["hurt"] == 1 and data["hurt"][0]["exercise_id"] == "bird-dog"
    assert data["checkins"][0]["pain"] == 3 and data["retests"][0]["value"] == 21.0
    assert data["levels"]["march"]["level"] == 1  # accepting too early changes nothing
    shown = box.cli("exercises", "show", "bird-dog", "--config", str(cfg))
    assert "Resting after 'this hurt': back in your breaks in 14 days" in shown.stdout

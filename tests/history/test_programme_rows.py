"""The programme's rows (ratings, level answers, check-ins, re-tests) in the history: kept by
`history export/import`, shown by `stats --json` (levels, ratings, hurt, checkins, retests),
and a rating sent as `sitbreak rate` reaches the running app through the control channel."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from tests.history.test_import import events, imported, make
from tray_app.cli.history_commands import run_history_export, run_stats
from tray_app.cli.programme import summary
from tray_app.core import progression as pg
from tray_app.core.model import Kind, Row, Settings
from tray_app.core.retest import retest_row

NOW = time.time()
DAY = 86400.0
ROWS = [
    Row(Kind.EXERCISE, NOW - 20 * DAY, 60.0, "dead-bug", "core", "1/1 floor"),
    pg.rating_row(NOW - 20 * DAY + 1, "dead-bug", pg.FINE),
    pg.rating_row(NOW - 19 * DAY, "dead-bug", pg.EASY),
    pg.rating_row(NOW - 18 * DAY, "dead-bug", pg.FINE),
    pg.answer_row(NOW - 5 * DAY, "floor-core", True),
    pg.checkin_row(NOW - 4 * DAY, 3),
    pg.rating_row(NOW - 2 * DAY, "bird-dog", pg.TOO_HARD),
    pg.rating_row(NOW - DAY, "seated-march", pg.HURT),
    retest_row(NOW - 3 * DAY, "seated-knee-hold", 24, "left"),
    retest_row(NOW - 3 * DAY, "sit-to-stand-30s", 13),
]


def test_export_then_import_keeps_every_programme_row(tmp_path: Path) -> None:
    source = make(tmp_path / "a.sqlite3", ROWS)
    backup = tmp_path / "backup.csv"
    assert run_history_export(source, backup, io.StringIO()) == 0
    target = tmp_path / "b.sqlite3"
    code, out, err = imported(target, backup)
    assert code == 0 and f"imported {len(ROWS)} events" in out, (out, err)
    assert events(target) == events(source)
    kinds = {r.kind for r in events(target)}
    assert {Kind.RATING, Kind.LEVEL, Kind.CHECKIN, Kind.RETEST} <= kinds


def test_stats_json_has_levels_ratings_hurt_checkins_and_retests(tmp_path: Path) -> None:
    path = make(tmp_path / "h.sqlite3", ROWS)
    out = io.StringIO()
    assert run_stats(path, Settings(), 7, "json", out=out, err=io.StringIO(), now=NOW,
                     programme=summary) == 0
    data = json.loads(out.getvalue())
    assert "days" in data and "week" in data  # what was there stays
    floor = data["levels"]["floor-core"]
    # Up to level 2 by accepting, down to 1 by "too hard".
    assert floor["level"] == 1 and [c["reason"] for c in floor["changes"]] == [
        "accepted", "too-hard"]
    assert data["ratings"] == {"easy": 1, "fine": 2, "too-hard": 1, "hurt": 1}
    assert [h["exercise_id"] for h in data["hurt"]] == ["seated-march"]
    assert data["checkins"] == [{"wall": NOW - 4 * DAY, "pain": 3}]
    assert {(r["item"], r["side"], r["value"]) for r in data["retests"]} == {
        ("seated-knee-hold", "left", 24.0), ("sit-to-stand-30s", None, 13.0)}
    assert data["retest_due"] is False  # three days ago, every 30 days


def test_a_rating_through_the_control_channel_is_one_core_command() -> None:
    from tests.runtime.test_runtime import faked, fast
    from tray_app.shell.control import handle_request
    from tray_app.shell.prompts import intent_event

    rt, ad, _timer = faked(fast(3600.0))
    try:
        reply = handle_request(rt, {"cmd": "rate", "rating": "hurt", "exercise_id": "bird-dog"})
        assert reply["ok"], reply
        rows = [r for r in ad.history.rows if r.kind == Kind.RATING]  # type: ignore[attr-defined]
        assert [(r.exercise_id, r.detail) for r in rows] == [("bird-dog", "hurt")]
        # The break window's button says the same thing, through the same table.
        window = intent_event({"event": "intent", "intent": "rate", "rating": "hurt",
                               "exercise_id": "bird-dog"})
        from tray_app.core.commands import command_event

        assert window == command_event("rate", {"rating": "hurt", "exercise_id": "bird-dog"})
        refused = handle_request(rt, {"cmd": "rate", "rating": "fine"})
        assert not refused["ok"] and "sitbreak rate RATING EXERCISE_ID" in refused["error"]
        bad = handle_request(rt, {"cmd": "rate", "rating": "superb"})
        assert not bad["ok"] and "easy, fine, too-hard, hurt" in bad["error"]
    finally:
        rt.stop()


def test_pruning_old_history_keeps_the_programmes_rows(tmp_path: Path) -> None:
    """history.keep_days prunes events, not the ratings, answers, check-ins and re-tests the
    levels and the months of re-tests are worked out from; `history clear` still clears all."""
    from tray_app.history import History

    old = NOW - 400 * DAY
    rows = [Row(Kind.STARTED, old), Row(Kind.EXERCISE, old, 60.0, "dead-bug", "core"),
            pg.rating_row(old, "dead-bug", pg.FINE), pg.answer_row(old, "floor-core", True),
            pg.checkin_row(old, 2), retest_row(old, "sit-to-stand-30s", 11)]
    h = History.open(make(tmp_path / "h.sqlite3", rows))
    try:
        assert h.prune(365, NOW) == 2
        assert [r.kind for r in h.events()] == [Kind.RATING, Kind.LEVEL, Kind.CHECKIN,
                                                Kind.RETEST]
        assert h.clear() == 4
    finally:
        h.close()


def test_stats_text_and_the_statistics_window_show_the_programme(tmp_path: Path) -> None:
    from tray_app.ui.windows.stats_job import stats_window_request

    path = make(tmp_path / "h.sqlite3", ROWS)
    out = io.StringIO()
    assert run_stats(path, Settings(), 7, "text", out=out, err=io.StringIO(), now=NOW,
                     programme=summary) == 0
    text = out.getvalue()
    assert "\nProgramme\n  Levels: Floor core 1/3\n" in text
    assert "  Ratings: easy 1 · fine 2 · too hard 1 · this hurt 1\n" in text
    assert "  This hurt: seated-march on " in text
    assert "  Back pain, last 1 check-in: 3\n" in text
    assert "  Re-test, Seated high knee hold, left: 24 s (" in text
    assert "  Re-test, Sit-to-stand in 30 s: 13 reps (" in text
    req = stats_window_request(path, Settings(), tmp_path / "weekly.png", now=NOW)
    lines = req["programme"]
    assert isinstance(lines, list) and lines[0] == "Levels: Floor core 1/3"
    assert any(line.startswith("Re-test, Sit-to-stand in 30 s: 13 reps") for line in lines)


def test_the_check_in_trend_and_the_months_of_retests_read_in_order() -> None:
    from tray_app.history.programme import programme_lines

    data = {"levels": {}, "ratings": {},
            "checkins": [{"wall": NOW + i, "pain": p} for i, p in enumerate([6, 6, 5, 3, 2, 2])],
            "retests": [{"wall": NOW + m * 30 * DAY, "item": "sit-to-stand-30s", "side": None,
                         "value": v} for m, v in enumerate([10, 11, 13])]}
    lines = programme_lines(data)
    assert "Back pain, last 6 check-ins: 6 6 5 3 2 2 (falling)" in lines
    retest = next(x for x in lines if x.startswith("Re-test, Sit-to-stand"))
    assert retest.count("→") == 2 and retest.index("10 reps") < retest.index("13 reps")


def test_the_programme_chart_draws_pain_next_to_strength_and_the_retests(
        tmp_path: Path) -> None:
    from PIL import Image

    from tray_app.history.programme import pain_and_strength
    from tray_app.ui.windows.programme_chart import PAIN, SERIES, STRENGTH
    from tray_app.ui.windows.stats_job import stats_window_request

    rows = [*ROWS, Row(Kind.EXERCISE, NOW - 4 * DAY, 90.0, "glute-bridge", "hip-extensors"),
            Row(Kind.EXERCISE, NOW - 4 * DAY, 60.0, "chin-tucks", "posture"),
            pg.checkin_row(NOW - 4 * DAY + 60, 5),
            retest_row(NOW - 40 * DAY, "sit-to-stand-30s", 10)]
    (tmp_path / "keep").mkdir()
    days = pain_and_strength(rows, Settings(), NOW)
    assert len(days) == 28
    day4 = days[-5]
    assert day4[1] == 4.0 and day4[2] == 1.5  # mean of 3 and 5; posture is not strength
    path = make(tmp_path / "h.sqlite3", rows)
    req = stats_window_request(path, Settings(), tmp_path / "weekly.png", now=NOW)
    img = Image.open(str(req["programme_png"])).convert("RGB")
    colours = {c for _n, c in img.getcolors(1 << 20)}
    assert STRENGTH in colours and PAIN in colours
    assert SERIES[0] in colours and SERIES[1] in colours  # two re-test series

"""Text, JSON and CSV output and the CLI entry points (stats, history export, history clear)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from PIL import Image

from tray_app.cli.history_commands import run_history_clear, run_history_export, run_stats
from tray_app.core.exercise import CATEGORIES
from tray_app.core.model import Kind, Row, Settings
from tray_app.core.stats import daily_stats, week_summary
from tray_app.history import History
from tray_app.history.report import stats_csv, stats_json, stats_text

TODAY = date(2025, 3, 16)


def at(d: date, hour: int) -> float:
    """Wall time of a local clock reading (machine zone), like the app records."""
    return datetime(d.year, d.month, d.day, hour).timestamp()


def rows() -> list[Row]:
    out = []
    for back in range(14):
        d = TODAY - timedelta(days=back)
        sit = 3600 if back < 7 else 1800  # this week sits twice as long as the last
        out += [
            Row(Kind.STRETCH_ENDED, at(d, 10), sit),
            Row(Kind.BREAK_OFFERED, at(d, 10)),
            Row(Kind.STARTED, at(d, 10)),
            Row(Kind.COMPLETED, at(d, 10), 120, "bird-dog", "core"),
        ]
    return out


def sample():
    days = daily_stats(rows(), first=TODAY - timedelta(days=13), last=TODAY,
                       utc_offset=lambda w: int(datetime.fromtimestamp(w).astimezone()
                                                 .utcoffset().total_seconds()),
                       day_starts_min=240)
    return days[-7:], week_summary(days, TODAY)


def history(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    h = History.open(path)
    for r in rows():
        h.record(r)
    h.close()
    return path


def test_json_shape() -> None:
    days, week = sample()
    data = json.loads(stats_json(days, week))
    assert [d["date"] for d in data["days"]] == [
        (TODAY - timedelta(days=k)).isoformat() for k in range(6, -1, -1)
    ]
    first = data["days"][0]
    assert set(first) == {
        "date", "sitting_seconds", "stretches", "longest_stretch_seconds", "breaks_offered",
        "reoffers",
        "breaks_started", "breaks_taken", "breaks_standing",
        "ended_early", "snoozed", "skipped", "completed",
        "natural_breaks", "posture_nudges",
        "exercise_minutes_by_category", "exercise_minutes_by_exercise",
    }
    assert first["sitting_seconds"] == 3600 and first["exercise_minutes_by_category"] == {
        "core": 2.0
    }
    assert first["exercise_minutes_by_exercise"] == {"bird-dog": 2.0}
    assert data["week"]["exercise_minutes_by_exercise"] == {"bird-dog": 14.0}
    assert data["week"]["sitting_seconds"] == 7 * 3600
    assert data["week"]["previous"]["sitting_seconds"] == 7 * 1800
    assert data["week"]["change"]["sitting_seconds"] == {"absolute": 7 * 1800, "percent": 100.0}
    assert data["week"]["change"]["breaks_taken"] == {"absolute": 0, "percent": 0.0}


def test_csv_has_a_header_and_one_row_per_day() -> None:
    days, _week = sample()
    table = list(csv.reader(io.StringIO(stats_csv(days))))
    assert table[0][:3] == ["date", "sitting_seconds", "stretches"]
    assert table[0][-len(CATEGORIES):] == [f"minutes_{c}" for c in CATEGORIES]
    assert len(table) == 8
    row = dict(zip(table[0], table[-1], strict=True))
    assert row["date"] == TODAY.isoformat()
    assert row["minutes_core"] == "2.0" and row["minutes_posture"] == "0.0"


def test_text_shows_days_and_the_weekly_change() -> None:
    days, week = sample()
    text = stats_text(days, week)
    assert f"{TODAY:%a %Y-%m-%d}" in text
    assert "7h 00m" in text and "+3h 30m (+100%)" in text
    assert "not done yet" in text  # only core was exercised


def test_text_names_the_periods_top_exercises_most_first() -> None:
    extra = [Row(Kind.EXERCISE, at(TODAY, 11), 300, "bridge", "hip-extensors"),
             Row(Kind.EXERCISE, at(TODAY - timedelta(days=1), 11), 30, "dead-bug", "core"),
             Row(Kind.EXERCISE, at(TODAY, 12), 60, None, "posture")]  # names no exercise
    days = daily_stats(rows() + extra, first=TODAY - timedelta(days=13), last=TODAY,
                       utc_offset=lambda w: int(datetime.fromtimestamp(w).astimezone()
                                                 .utcoffset().total_seconds()),
                       day_starts_min=240)
    text = stats_text(days[-7:], week_summary(days, TODAY))
    assert ("Most exercise minutes over these 7 days: bird-dog 14 min, bridge 5 min, "
            "dead-bug 0 min\n") in text
    quiet = daily_stats([], first=TODAY, last=TODAY, utc_offset=0, day_starts_min=240)
    assert "Most exercise minutes" not in stats_text(quiet, week_summary(quiet, TODAY))


def test_run_stats_formats_and_chart(tmp_path: Path) -> None:
    path = history(tmp_path)
    now = at(TODAY, 20)
    out = io.StringIO()
    assert run_stats(path, Settings(), 7, "json", None, out, now=now) == 0
    data = json.loads(out.getvalue())
    assert len(data["days"]) == 7 and data["days"][-1]["date"] == TODAY.isoformat()
    assert data["week"]["change"]["sitting_seconds"]["percent"] == 100.0

    out = io.StringIO()
    assert run_stats(path, Settings(), 3, "csv", None, out, now=now) == 0
    assert len(out.getvalue().splitlines()) == 4

    png = tmp_path / "chart.png"
    out, err = io.StringIO(), io.StringIO()
    assert run_stats(path, Settings(), 7, "text", png, out, err=err, now=now) == 0
    assert "Last 7 days" in out.getvalue()
    with Image.open(png) as img:
        assert img.size == (900, 520)


def test_run_stats_without_a_history_file(tmp_path: Path) -> None:
    out = io.StringIO()
    missing = tmp_path / "none.sqlite3"
    assert run_stats(missing, Settings(), 7, "json", None, out) == 0
    assert json.loads(out.getvalue())["week"]["sitting_seconds"] == 0
    assert not missing.exists()  # looking never creates the file


def test_run_stats_rejects_bad_arguments(tmp_path: Path) -> None:
    err = io.StringIO()
    assert run_stats(tmp_path / "h", Settings(), 0, "text", None, io.StringIO(), err=err) == 2
    assert run_stats(tmp_path / "h", Settings(), 7, "xml", None, io.StringIO(), err=err) == 2


def test_run_history_export(tmp_path: Path) -> None:
    path = history(tmp_path)
    out = io.StringIO()
    target = tmp_path / "out.csv"
    assert run_history_export(path, target, out) == 0
    assert "wrote 56 events" in out.getvalue()
    assert len(target.read_text().splitlines()) == 57


def test_run_history_clear_before_a_date(tmp_path: Path) -> None:
    path = history(tmp_path)
    cut = TODAY - timedelta(days=6)
    asked: list[str] = []

    def no(question: str) -> bool:
        asked.append(question)
        return False

    assert run_history_clear(path, cut.isoformat(), False, no, io.StringIO(),
                             settings=Settings()) == 1
    # days 7..13 back: 7 x 4 rows
    assert "Delete 28 history events and the daily totals before" in asked[0]
    h = History.open(path)
    assert h.count() == 56  # declined: nothing deleted
    h.close()

    out = io.StringIO()
    assert run_history_clear(path, cut.isoformat(), True, no, out, settings=Settings()) == 0
    assert "deleted 28 events" in out.getvalue() and len(asked) == 1  # --yes does not ask
    h = History.open(path)
    assert min(r.wall for r in h.events()) == at(cut, 10)
    h.close()

    assert run_history_clear(path, None, False, lambda q: True, io.StringIO(),
                             settings=Settings()) == 0
    h = History.open(path)
    assert h.count() == 0
    h.close()


def test_csv_gives_whole_seconds() -> None:
    from tray_app.core.stats import DayStats

    day = DayStats(day=TODAY, sitting_seconds=393.00540686600004,
                   longest_stretch_seconds=393.00540686600004)
    row = stats_csv([day]).splitlines()[1].split(",")
    assert row[1:4] == ["393", "0", "393"]

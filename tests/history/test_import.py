"""`sitbreak history import`: the export read back, duplicates skipped, all or nothing."""

from __future__ import annotations

import csv
import io
import time
from datetime import datetime
from pathlib import Path

import pytest

from tray_app.cli.history_commands import run_history_export, run_history_import
from tray_app.core.model import Kind, Row, Settings
from tray_app.history import History
from tray_app.history.statistics import period
from tray_app.history.totals import Days

T0 = 1_700_000_000.0
ROWS = [
    Row(Kind.STRETCH_ENDED, T0, 1500.0),
    Row(Kind.COMPLETED, T0 + 100.5, 90.0, "bird-dog", "core", 'said "ok", left'),
    Row(Kind.STARTED, T0 + 100.5, 0.0, "bird-dog", "core"),
    Row(Kind.SNOOZED, T0 + 86400 * 3, 300.0, detail="line one\nline two"),
]


def make(path: Path, rows: list[Row]) -> Path:
    h = History.open(path)
    for r in rows:
        h.record(r)
    h.close()
    return path


def events(path: Path) -> list[Row]:
    h = History.open(path)
    try:
        return h.events()
    finally:
        h.close()


def imported(history: Path, csv_path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_history_import(history, csv_path, Settings(), out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_import_of_an_export_is_the_identity_and_twice_adds_nothing(tmp_path: Path) -> None:
    source = make(tmp_path / "a.sqlite3", ROWS)
    backup = tmp_path / "backup.csv"
    assert run_history_export(source, backup, io.StringIO()) == 0
    target = tmp_path / "b.sqlite3"
    code, out, _ = imported(target, backup)
    assert code == 0 and "imported 4 events" in out and "skipped 0" in out
    assert events(target) == events(source)
    code, out, _ = imported(target, backup)
    assert code == 0 and "imported 0 events" in out and "skipped 4" in out
    assert events(target) == events(source)
    again = tmp_path / "again.csv"
    assert run_history_export(target, again, io.StringIO()) == 0
    assert again.read_text() == backup.read_text()


def test_import_merges_another_desk_and_rebuilds_old_days(tmp_path: Path) -> None:
    here = make(tmp_path / "here.sqlite3", ROWS[:2])
    days = Days(240, lambda w: 0)
    h = History.open(here)
    h.settle(T0 + 86400 * 10, days)  # those days are in the daily totals already
    h.close()
    other = make(tmp_path / "other.sqlite3", ROWS)
    backup = tmp_path / "other.csv"
    run_history_export(other, backup, io.StringIO())
    code, out, _ = imported(here, backup)
    assert code == 0 and "imported 2 events" in out and "skipped 2" in out
    h = History.open(here)
    got = period(h, days, days.of(T0), days.of(T0 + 86400 * 10), T0 + 86400 * 10)
    h.close()
    assert sum(d.snoozed for d in got) == 1 and sum(d.breaks_started for d in got) == 1


def test_a_malformed_line_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    history = make(tmp_path / "h.sqlite3", ROWS[:1])
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,time_utc,wall,kind,duration_s,exercise_id,category,detail\n"
        "1,2023-11-14T22:13:20+00:00,1700000500.0,stretch_ended,60,,,\n"
        "2,2023-11-14T22:13:20+00:00,not-a-time,stretch_ended,60,,,\n"
    )
    code, _, err = imported(history, bad)
    assert code == 2 and "line 3" in err and "wall" in err and "nothing imported" in err
    assert events(history) == ROWS[:1]


def test_an_older_export_without_category_or_detail_reads(tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite3"
    old = tmp_path / "old.csv"
    old.write_text("id,time_utc,wall,kind,duration_s,exercise_id\n"
                   "1,2023-11-14T22:13:20+00:00,1700000000.0,completed,90.0,bridge\n")
    code, out, _ = imported(history, old)
    assert code == 0 and "imported 1 event from" in out
    assert events(history) == [Row("completed", T0, 90.0, "bridge")]


def test_something_that_is_not_an_export_is_refused(tmp_path: Path) -> None:
    history = make(tmp_path / "h.sqlite3", ROWS[:1])
    other = tmp_path / "notes.csv"
    other.write_text("name,age\nbob,3\n")
    code, _, err = imported(history, other)
    assert code == 2 and "not a sitbreak history export" in err
    assert imported(history, tmp_path)[0] == 2  # a folder


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/St_Johns", "UTC"])
def test_export_local_time_matches_python_across_dst(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        walls = [0.0, 1_700_000_000.0, 1_711_846_799.0, 1_711_846_800.0, 1_729_990_800.5]
        path = make(tmp_path / "h.sqlite3", [Row(Kind.PAUSED, w, 12.4) for w in walls])
        target = tmp_path / "out.csv"
        assert run_history_export(path, target, io.StringIO()) == 0
        with target.open(newline="") as f:
            got = [(r["time_local"], r["duration_s"]) for r in csv.DictReader(f)]
        assert got == [
            (datetime.fromtimestamp(w).astimezone().isoformat(timespec="seconds"), "12")
            for w in walls
        ]
    finally:
        monkeypatch.undo()
        time.tzset()

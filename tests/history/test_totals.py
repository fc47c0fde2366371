"""Daily totals: statistics read from them equal statistics folded from every raw event."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tray_app.core.model import Kind, Row
from tray_app.core.stats import daily_stats
from tray_app.history import History
from tray_app.history.csv_io import export_csv, import_csv
from tray_app.history.statistics import period
from tray_app.history.totals import Days

T0 = 1_700_000_000.0
SPAN_DAYS = 40


def dst(wall: float) -> int:
    """A zone that springs forward and falls back every 9 days and 5 hours."""
    return 3600 + 3600 * int(((wall - T0) // (9 * 86400 + 5 * 3600)) % 2)


KINDS = [k.value for k in Kind]
rows_strategy = st.lists(
    st.builds(
        Row,
        kind=st.sampled_from(KINDS),
        wall=st.integers(0, SPAN_DAYS * 86400).map(lambda s: T0 + s),
        # whole minutes: sums are exact in any order, so equality can be exact
        duration_s=st.integers(0, 120).map(lambda m: m * 60.0),
        exercise_id=st.sampled_from([None, "bridge", "bird-dog"]),
        category=st.sampled_from([None, "core", "hip-extensors"]),
        detail=st.sampled_from([None, "routine 1/2", "routine 2/2"]),
    ),
    max_size=120,
)


def lived(path: Path, rows: list[Row], days: Days, cuts: list[int], keep_days: int,
          settle: bool = True) -> None:
    """A history written in a few steps, each day folded (as the app's writer does, unless
    `settle` is False) and old events pruned as time goes by."""
    h = History.open(path)
    ordered = sorted(rows, key=lambda r: r.wall)
    done = 0
    for cut in sorted(cuts):
        upto = T0 + cut * 86400.0
        batch = [r for r in ordered[done:] if r.wall < upto]
        done += len(batch)
        h.record_many(batch, days)
        if settle:
            h.settle(days.start(days.of(upto)), days)
        h.prune(keep_days, upto, days)
    h.record_many(ordered[done:], days)
    h.close()


def frame(day_starts: int) -> tuple[Days, float, date, date]:
    """Days that turn at `day_starts` in the DST zone, now, and the first and last day."""
    days = Days(day_starts, dst)
    now = T0 + (SPAN_DAYS + 1) * 86400.0
    return days, now, days.of(T0) - timedelta(days=1), days.of(now)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=rows_strategy,
    late=rows_strategy,
    day_starts=st.sampled_from([0, 240, 719, 1439]),
    cuts=st.lists(st.integers(1, SPAN_DAYS), min_size=1, max_size=4),
    keep_days=st.integers(1, 20),
    settle=st.booleans(),
)
def test_totals_equal_raw_statistics_across_prunes_and_late_rows(
    rows: list[Row], late: list[Row], day_starts: int, cuts: list[int], keep_days: int,
    settle: bool,
) -> None:
    days, now, first, last = frame(day_starts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.sqlite3"
        lived(path, rows, days, cuts, keep_days, settle)
        h = History.open(path)
        h.record_many(late, days)  # rows that arrive after their day was folded
        got = period(h, days, first, last, now)
        h.close()
    want = daily_stats(rows + late, first=first, last=last, utc_offset=dst,
                       day_starts_min=day_starts)
    assert got == want


def as_version_3(path: Path) -> None:
    """Turn a file back into what sitbreak with schema 3 wrote: no minutes by exercise."""
    conn = sqlite3.connect(path)
    for day, text in conn.execute("SELECT day, totals FROM daily_totals").fetchall():
        data = json.loads(text)
        del data["exercise_minutes_by_exercise"]
        conn.execute("UPDATE daily_totals SET totals = ? WHERE day = ?", (json.dumps(data), day))
    conn.execute("ALTER TABLE totals_meta DROP COLUMN exercises_from")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=rows_strategy,
    late=rows_strategy,
    day_starts=st.sampled_from([0, 240, 1439]),
    cuts=st.lists(st.integers(1, SPAN_DAYS), min_size=1, max_size=3),
    keep_days=st.integers(1, 20),
    budget=st.sampled_from([None, 0.0]),
)
def test_upgrade_fills_in_minutes_by_exercise_wherever_raw_events_remain(
    rows: list[Row], late: list[Row], day_starts: int, cuts: list[int], keep_days: int,
    budget: float | None,
) -> None:
    days, now, first, last = frame(day_starts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.sqlite3"
        lived(path, rows, days, cuts, keep_days)
        h = History.open(path)
        h.record_many(late, days)  # rows that arrive after their day was folded (or pruned)
        h.close()
        as_version_3(path)
        h = History.open(path)
        if budget is not None:  # a step at a time, statistics asked in between
            for _ in range(2 * SPAN_DAYS):
                h.settle(days.start(last), days, budget_s=budget)
                period(h, days, first, last, now)
        got = period(h, days, first, last, now)
        remaining = h.events()
        h.close()
    want = daily_stats(rows + late, first=first, last=last, utc_offset=dst,
                       day_starts_min=day_starts)
    # Pruned days keep every other figure; minutes by exercise come from the events left.
    from_events = daily_stats(remaining, first=first, last=last, utc_offset=dst,
                              day_starts_min=day_starts)
    for day, raw in zip(want, from_events, strict=True):
        day.exercise_minutes_by_exercise = raw.exercise_minutes_by_exercise
    assert got == want


# The export names a row by time, kind and exercise: rows equal in all three are one row.
unique_rows = rows_strategy.map(
    lambda rows: list({(r.wall, r.kind, r.exercise_id): r for r in rows}.values()))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=unique_rows,
    here=unique_rows,
    day_starts=st.sampled_from([0, 240, 1439]),
    cuts=st.lists(st.integers(1, SPAN_DAYS), min_size=1, max_size=3),
    keep_days=st.integers(1, 20),
)
def test_import_of_an_export_keeps_events_and_statistics(
    rows: list[Row], here: list[Row], day_starts: int, cuts: list[int], keep_days: int
) -> None:
    days, now, first, last = frame(day_starts)

    def stats_of(path: Path) -> tuple[list[Row], list]:
        h = History.open(path)
        try:
            return h.events(), period(h, days, first, last, now)
        finally:
            h.close()

    with tempfile.TemporaryDirectory() as tmp:
        source, backup = Path(tmp) / "a.sqlite3", Path(tmp) / "a.csv"
        lived(source, rows, days, cuts, keep_days)
        before = stats_of(source)
        h = History.open(source)
        export_csv(h, backup)
        assert import_csv(h, backup, days)[:2] == (0, len(before[0]))  # twice adds nothing
        h.close()
        assert stats_of(source) == before
        # Into a new file: the same events, and statistics that match them.
        fresh = Path(tmp) / "b.sqlite3"
        h = History.open(fresh)
        import_csv(h, backup, days)
        h.close()
        events, got = stats_of(fresh)
        assert events == before[0]
        assert got == daily_stats(events, first=first, last=last, utc_offset=dst,
                                  day_starts_min=day_starts)
        # Into another desk's settled history: its days and the imported ones add up.
        other = Path(tmp) / "c.sqlite3"
        lived(other, here, days, [SPAN_DAYS + 1], 999)
        h = History.open(other)
        import_csv(h, backup, days)
        h.close()
        events, got = stats_of(other)
        assert got == daily_stats(events, first=first, last=last, utc_offset=dst,
                                  day_starts_min=day_starts)


def test_totals_survive_pruning_of_their_events(tmp_path: Path) -> None:
    days = Days(240, lambda w: 0)
    h = History.open(tmp_path / "h.sqlite3")
    old = [Row(Kind.STRETCH_ENDED, T0 + i * 3600, 600.0) for i in range(48)]
    h.record_many(old, days)
    now = T0 + 400 * 86400
    assert h.prune(365, now, days) == 48
    assert h.count() == 0
    got = period(h, days, days.of(T0), days.of(T0) + timedelta(days=2), now)
    assert sum(d.stretches for d in got) == 48
    assert sum(d.sitting_seconds for d in got) == 48 * 600
    h.close()


def test_pruning_gives_the_space_back(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    days = Days(240, lambda w: 0)
    h = History.open(path)
    h.record_many([Row(Kind.STRETCH_ENDED, T0 + i, 1.0, detail="x" * 200)
                   for i in range(20_000)], days)
    big = path.stat().st_size
    h.prune(1, T0 + 10 * 86400, days)
    h.close()
    assert path.stat().st_size < big / 5
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size < 5_000_000


def test_day_starts_change_refolds_the_days_that_still_have_events(tmp_path: Path) -> None:
    h = History.open(tmp_path / "h.sqlite3")
    late_evening = T0 + 86400 * 2 + 3600 * 2  # 02:00 UTC: before a 04:00 boundary
    h.record(Row(Kind.STRETCH_ENDED, late_evening, 60.0))
    now = T0 + 86400 * 5
    for day_starts in (240, 0, 240):
        days = Days(day_starts, lambda w: 0)
        got = period(h, days, days.of(T0), days.of(now), now)
        want = daily_stats([Row(Kind.STRETCH_ENDED, late_evening, 60.0)], first=days.of(T0),
                           last=days.of(now), utc_offset=0, day_starts_min=day_starts)
        assert got == want
    h.close()


def test_two_processes_settling_at_once_fold_each_day_once(tmp_path: Path) -> None:
    days = Days(240, lambda w: 0)
    path = tmp_path / "h.sqlite3"
    rows = [Row(Kind.STRETCH_ENDED, T0 + i * 7200, 60.0) for i in range(1200)]  # 100 days
    first = History.open(path)
    first.record_many(rows, days)
    second = History.open(path)  # the app and a `stats` command, say
    now = T0 + 120 * 86400
    through = days.start(days.of(now))
    interleaved: list[int] = []

    def meanwhile() -> None:
        if not interleaved:
            interleaved.append(1)
            second.settle(through, days)  # settles the rest between two of first's steps

    first.settle(through, days, between=meanwhile)
    got = period(first, days, days.of(T0), days.of(now), now)
    first.close()
    second.close()
    assert interleaved
    assert got == daily_stats(rows, first=days.of(T0), last=days.of(now), utc_offset=0,
                              day_starts_min=240)


def test_statistics_are_right_while_the_totals_are_only_partly_folded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tray_app.history import statistics

    monkeypatch.setattr(statistics, "SETTLE_BUDGET_S", 0.0)  # one month per command
    days = Days(240, lambda w: 0)
    rows = [Row(Kind.STRETCH_ENDED, T0 + i * 7200, 60.0) for i in range(1200)]  # 100 days
    h = History.open(tmp_path / "h.sqlite3")
    h.record_many(rows, days)
    now = T0 + 120 * 86400
    want = daily_stats(rows, first=days.of(T0), last=days.of(now), utc_offset=0,
                       day_starts_min=240)
    seen = []
    for _ in range(6):
        assert period(h, days, days.of(T0), days.of(now), now) == want
        seen.append(h.folded_until())
    h.close()
    # a month more each time, then all of it
    assert seen == sorted(seen) and len(set(seen)) >= 3
    assert seen[-1] == days.start(days.of(now))

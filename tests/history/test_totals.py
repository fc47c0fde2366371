"""Daily totals: statistics read from them equal statistics folded from every raw event."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tray_app.core.model import Kind
from tray_app.core.ports import Row
from tray_app.core.stats import daily_stats
from tray_app.history import History
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


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=rows_strategy,
    late=rows_strategy,
    day_starts=st.sampled_from([0, 240, 719, 1439]),
    cuts=st.lists(st.integers(1, SPAN_DAYS), min_size=1, max_size=4),
    keep_days=st.integers(1, 20),
)
def test_totals_equal_raw_statistics_across_prunes_and_late_rows(
    rows: list[Row], late: list[Row], day_starts: int, cuts: list[int], keep_days: int
) -> None:
    days = Days(day_starts, dst)
    now = T0 + (SPAN_DAYS + 1) * 86400.0
    first, last = days.of(T0) - timedelta(days=1), days.of(now)
    with tempfile.TemporaryDirectory() as tmp:
        h = History.open(Path(tmp) / "h.sqlite3")
        ordered = sorted(rows, key=lambda r: r.wall)
        done = 0
        for cut in sorted(cuts):
            upto = T0 + cut * 86400.0
            batch = [r for r in ordered[done:] if r.wall < upto]
            done += len(batch)
            h.record_many(batch, days)
            # Days settle and old events are pruned as time goes by.
            h.prune(keep_days, upto, days)
        h.record_many(ordered[done:], days)
        h.record_many(late, days)  # rows that arrive after their day was folded
        got = period(h, days, first, last, now)
        h.close()
    want = daily_stats(rows + late, first=first, last=last, utc_offset=dst,
                       day_starts_min=day_starts)
    assert got == want


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

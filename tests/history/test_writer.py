"""The app's history writer: the caller never waits, rows wait in memory while the file can't
take them, the user is told once, and everything is written once the file is back."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from tests.desktop import wait_for
from tray_app.core.model import Kind, Row
from tray_app.history import History
from tray_app.history.totals import Days
from tray_app.history.writer import HistoryWriter


class Gate:
    """Opens the real file only once `open` is set; until then it fails like a full disk."""

    def __init__(self) -> None:
        self.open = threading.Event()

    def __call__(self, path: Path) -> History:
        if not self.open.is_set():
            raise sqlite3.OperationalError("database or disk is full")
        return History.open(path, retries=0, memory_fallback=False)


def writer(path: Path, gate: Gate, told: list[str], capacity: int = 100,
           stretch: tuple[float, float] | None = None) -> HistoryWriter:
    return HistoryWriter(
        path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
        on_problem=told.append, open_stretch=lambda: stretch, open_store=gate,
        capacity=capacity, retry_s=(0.01, 0.05),
    )


def rows(n: int) -> list[Row]:
    return [Row(Kind.PAUSED, time.time() + i, 60.0) for i in range(n)]


def stored(path: Path) -> int:
    h = History.open(path)
    try:
        return h.count()
    finally:
        h.close()


def test_rows_wait_bounded_are_told_once_and_written_when_the_file_is_back(
        tmp_path: Path) -> None:
    path, gate, told = tmp_path / "h.sqlite3", Gate(), []
    w = writer(path, gate, told, capacity=5)
    w.start()
    try:
        t = time.perf_counter()
        for r in rows(8):
            w.record(r)
        assert time.perf_counter() - t < 0.05  # recording never waits on the file
        wait_for(lambda: w.status()["problem"], timeout=5, what="the problem")
        st = w.status()
        assert st["ok"] is False and st["pending"] == 5 and st["dropped"] == 3
        assert "full" in str(st["problem"])
        assert not w.flush(0.05)
        time.sleep(0.2)  # several retries fail meanwhile
        assert len(told) == 1
        gate.open.set()
        assert w.flush(5)
        assert w.status()["problem"] is None and w.status()["pending"] == 0
    finally:
        w.close()
    assert stored(path) == 5


def test_close_writes_what_waits(tmp_path: Path) -> None:
    path, gate, told = tmp_path / "h.sqlite3", Gate(), []
    gate.open.set()
    w = writer(path, gate, told)
    w.start()
    for r in rows(50):
        w.record(r)
    w.close()
    assert stored(path) == 50 and told == []


def test_the_picker_sees_exercises_before_the_file_is_open(tmp_path: Path) -> None:
    path, gate, told = tmp_path / "h.sqlite3", Gate(), []
    h = History.open(path)
    h.record(Row(Kind.COMPLETED, 100.0, 60.0, "bridge", "hip-extensors"))
    h.close()
    w = writer(path, gate, told)
    w.record(Row(Kind.COMPLETED, 200.0, 60.0, "bird-dog", "core"))
    assert w.recent_exercises(5) == [(200.0, "bird-dog", "core")]
    gate.open.set()
    w.start()
    try:
        wait_for(lambda: len(w.recent_exercises(5)) == 2, timeout=5, what="the stored ones")
        assert w.recent_exercises(5) == [(200.0, "bird-dog", "core"),
                                         (100.0, "bridge", "hip-extensors")]
    finally:
        w.close()


def test_a_checkpointed_stretch_is_recovered_once(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    h = History.open(path)
    h.save_open_stretch(1000.0, 1800.0)
    h.close()
    h = History.open(path)
    got = h.recover_open_stretch()
    assert got is not None and (got.kind, got.wall, got.duration_s) == (
        Kind.STRETCH_ENDED, 1000.0, 1800.0)
    assert h.recover_open_stretch() is None
    h.save_open_stretch(2000.0, 60.0)
    h.record(Row(Kind.STRETCH_ENDED, 2100.0, 160.0))  # the stretch ended normally
    assert h.recover_open_stretch() is None
    h.close()


def test_old_events_are_pruned_in_the_background(tmp_path: Path) -> None:
    path, gate, told = tmp_path / "h.sqlite3", Gate(), []
    gate.open.set()
    old = time.time() - 400 * 86400
    h = History.open(path)
    h.record_many([Row(Kind.STRETCH_ENDED, old + i, 60.0) for i in range(12_000)],
                  Days(240, lambda w: 0))
    h.close()
    w = HistoryWriter(
        path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
        on_problem=told.append, open_store=gate, maintain_after_s=0.0,
    )
    w.start()
    try:
        w.record(Row(Kind.PAUSED, time.time(), 1.0))
        wait_for(lambda: stored(path) == 1, timeout=20, what="the old events to go")
    finally:
        w.close()
    h = History.open(path)
    assert h.first_day() is not None  # their day's totals stay
    h.close()


class Locked(Gate):
    def __call__(self, path: Path) -> History:
        if not self.open.is_set():
            raise sqlite3.OperationalError("database is locked")
        return History.open(path, retries=0, memory_fallback=False)


def test_a_short_lock_shows_in_status_but_is_not_news(tmp_path: Path) -> None:
    path, gate, told = tmp_path / "h.sqlite3", Locked(), []
    w = writer(path, gate, told)
    w.start()
    try:
        w.record(rows(1)[0])
        wait_for(lambda: w.status()["problem"], timeout=5, what="the problem")
        assert "locked" in str(w.status()["problem"])
        gate.open.set()
        assert w.flush(5)
    finally:
        w.close()
    assert told == [] and stored(path) == 1


def test_rows_the_file_would_not_take_at_quit_are_written_at_the_next_start(
        tmp_path: Path) -> None:
    path, told = tmp_path / "h.sqlite3", []
    locked = Locked()
    w = writer(path, locked, told)
    w.start()
    waiting = rows(3)
    for r in waiting:
        w.record(r)
    wait_for(lambda: w.status()["problem"], timeout=5, what="the problem")
    w.close()  # quits while another program still holds the file
    assert len(list(tmp_path.glob("h.sqlite3.unsaved-*.csv"))) == 1
    again = Gate()
    again.open.set()
    w = writer(path, again, told)
    w.start()
    try:
        wait_for(lambda: stored(path) == 3, timeout=5, what="the kept rows")
    finally:
        w.close()
    assert not list(tmp_path.glob("h.sqlite3.unsaved-*"))
    h = History.open(path)
    assert [(r.kind, r.wall) for r in h.events()] == [(r.kind, r.wall) for r in waiting]
    h.close()


def folded_until(path: Path) -> float | None:
    h = History.open(path)
    try:
        return h.folded_until()
    finally:
        h.close()


def test_days_are_folded_into_the_totals_as_rows_of_a_later_day_are_written(
        tmp_path: Path) -> None:
    from tray_app.core.stats import daily_stats
    from tray_app.history.statistics import period

    path, gate, told = tmp_path / "h.sqlite3", Gate(), []
    gate.open.set()
    days = Days(240, lambda w: 0)
    now = {"wall": 1_700_000_000.0 + 12 * 3600}
    h = History.open(path)  # most of a year never folded, as after an upgrade
    old = [Row(Kind.EXERCISE, now["wall"] - 300 * 86400 + i * 1200, 60.0, "bridge", "core")
           for i in range(20_000)]
    h.record_many(old)
    h.close()
    w = HistoryWriter(
        path, days=lambda: days, keep_days=lambda: 9999, on_problem=told.append,
        open_store=gate, wall=lambda: now["wall"], maintain_after_s=0.0,
    )
    w.start()
    try:
        worst, written = 0.0, []
        today = days.start(days.of(now["wall"]))
        while folded_until(path) != today:  # the state thread keeps recording meanwhile
            row = Row(Kind.STRETCH_ENDED, now["wall"] + len(written), 60.0)
            t = time.perf_counter()
            w.record(row)
            worst = max(worst, time.perf_counter() - t)
            written.append(row)
            assert len(written) < 5000, "the days before today were not folded"
            time.sleep(0.002)
        assert worst < 0.05
        now["wall"] += 86400  # the next day's first row folds the day that has ended
        w.record(Row(Kind.STRETCH_ENDED, now["wall"], 60.0))
        tomorrow = days.start(days.of(now["wall"]))
        wait_for(lambda: folded_until(path) == tomorrow, timeout=10, what="yesterday folded")
        assert w.flush(5)
    finally:
        w.close()
    h = History.open(path)
    events = h.events()
    first, last = days.of(old[0].wall), days.of(now["wall"])
    got = period(h, days, first, last, now["wall"])
    h.close()
    assert len(events) == len(old) + len(written) + 1 and told == []
    assert got == daily_stats(events, first=first, last=last, utc_offset=0, day_starts_min=240)


def test_with_no_stretch_the_checkpoint_looks_once_a_period(tmp_path: Path) -> None:
    """Away for hours (no stretch), the writer looked for one every 10 s: 6 wake-ups a
    minute of the app's 13 after a break. Now it looks once a checkpoint period."""
    asked: list[float] = []

    def no_stretch() -> None:
        asked.append(time.monotonic())

    gate = Gate()
    gate.open.set()
    w = HistoryWriter(
        tmp_path / "h.sqlite3", days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
        on_problem=lambda _t: None, open_stretch=no_stretch, open_store=gate,
        checkpoint_s=(0.05, 1.0),
    )
    w.start()
    try:
        wait_for(lambda: asked, timeout=5, what="the first checkpoint")
        time.sleep(1.5)
    finally:
        w.close()
    assert 1 <= len(asked) <= 3  # the old rule: every 0.05 s while there was none, ~30

"""The app's history writer: the caller never waits, rows wait in memory while the file can't
take them, the user is told once, and everything is written once the file is back."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tray_app.core.model import Kind, Row
from tray_app.history import History
from tray_app.history.totals import Days
from tray_app.history.writer import HistoryWriter


class Gate:
    """Opens the real file only once `open` is set; until then it fails like a full disk.

    `tries` counts the writer's attempts; while `hold` is cleared an attempt waits inside the
    file call (`inside` is set then), as a write stuck on a slow disk would."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.hold = threading.Event()
        self.hold.set()
        self.inside = threading.Event()
        self.tries = 0

    def __call__(self, path: Path) -> History:
        self.tries += 1
        self.inside.set()
        self.hold.wait(10)
        if not self.open.is_set():
            raise sqlite3.OperationalError("database or disk is full")
        return History.open(path, retries=0, memory_fallback=False)


def returns_at_once(call: Callable[[], object]) -> bool:
    """True if `call` returns while the test waits (it would hang if it waited on the file)."""
    done = threading.Thread(target=call, daemon=True)
    done.start()
    done.join(10)
    return not done.is_alive()


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
    gate.hold.clear()  # the writer's first attempt gets stuck inside the file call
    w.start()
    try:
        assert gate.inside.wait(5)
        # Recording never waits on the file: it returns while the writer is stuck in it.
        assert returns_at_once(lambda: [w.record(r) for r in rows(8)])
        gate.hold.set()
        wait_for(lambda: w.status()["problem"], timeout=5, what="the problem")
        st = w.status()
        assert st["ok"] is False and st["pending"] == 5 and st["dropped"] == 3
        assert "full" in str(st["problem"])
        assert not w.flush(0.05)
        tried = gate.tries
        wait_for(lambda: gate.tries >= tried + 5, timeout=5, what="several retries to fail")
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
        self.tries += 1
        if not self.open.is_set():
            raise sqlite3.OperationalError("database is locked")
        return History.open(path, retries=0, memory_fallback=False)


def test_a_long_lock_is_told_once_its_patience_runs_out(tmp_path: Path) -> None:
    path, gate, told = tmp_path / "h.sqlite3", Locked(), []
    w = HistoryWriter(
        path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
        on_problem=told.append, open_store=gate, retry_s=(0.01, 0.02), busy_patience_s=0.2,
    )
    w.start()
    try:
        w.record(rows(1)[0])
        wait_for(lambda: told, timeout=5, what="the user to be told of the lock")
        tried = gate.tries
        wait_for(lambda: gate.tries >= tried + 5, timeout=5, what="more failed retries")
        assert len(told) == 1 and "locked" in told[0]
        gate.open.set()
        assert w.flush(5)
    finally:
        w.close()
    assert stored(path) == 1


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


class PausedFold:
    """The real store, whose fold stops between its first two batches until `go` is set."""

    def __init__(self) -> None:
        self.folding, self.go = threading.Event(), threading.Event()
        self.stored_mid_fold: int | None = None

    def __call__(self, path: Path) -> History:
        store = History.open(path, retries=0, memory_fallback=False)
        settle = store.settle

        def paused_settle(through: float, days: Days, **kw: object) -> None:
            between = kw.pop("between")

            def pause_once() -> None:
                if not self.folding.is_set():
                    self.folding.set()
                    self.go.wait(10)
                between()  # type: ignore[operator]
                if self.stored_mid_fold is None:
                    self.stored_mid_fold = store.count()

            settle(through, days, between=pause_once, **kw)  # type: ignore[arg-type]

        store.settle = paused_settle  # type: ignore[method-assign]
        return store


def test_days_are_folded_into_the_totals_as_rows_of_a_later_day_are_written(
        tmp_path: Path) -> None:
    from tray_app.core.stats import daily_stats
    from tray_app.history.statistics import period

    path, told, store = tmp_path / "h.sqlite3", [], PausedFold()
    days = Days(240, lambda w: 0)
    now = {"wall": 1_700_000_000.0 + 12 * 3600}
    h = History.open(path)  # most of a year never folded, as after an upgrade
    old = [Row(Kind.EXERCISE, now["wall"] - 300 * 86400 + i * 1200, 60.0, "bridge", "core")
           for i in range(20_000)]
    h.record_many(old)
    h.close()
    w = HistoryWriter(
        path, days=lambda: days, keep_days=lambda: 9999, on_problem=told.append,
        open_store=store, wall=lambda: now["wall"], maintain_after_s=0.0,
    )
    w.start()
    try:
        today = days.start(days.of(now["wall"]))
        assert store.folding.wait(10), "the days before today were not folded"
        # The state thread keeps recording while the writer is in the middle of the fold...
        written = [Row(Kind.STRETCH_ENDED, now["wall"] + i, 60.0) for i in range(100)]
        assert returns_at_once(lambda: [w.record(r) for r in written])
        assert folded_until(path) != today
        store.go.set()
        # ...and what it recorded is written between two batches, not after the whole fold.
        wait_for(lambda: folded_until(path) == today, timeout=20, what="the fold to finish")
        assert store.stored_mid_fold == len(old) + len(written)
        now["wall"] += 86400  # the next day's first row folds the day that has ended
        w.record(Row(Kind.STRETCH_ENDED, now["wall"], 60.0))
        tomorrow = days.start(days.of(now["wall"]))
        wait_for(lambda: folded_until(path) == tomorrow, timeout=10, what="yesterday folded")
        assert w.flush(5)
    finally:
        store.go.set()
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
        checkpoint_s=(0.01, 0.3),
    )
    w.start()
    try:
        wait_for(lambda: len(asked) >= 3, timeout=10, what="three checkpoints")
    finally:
        w.close()
    # The old rule looked again after the first period (0.01 s) while there was no stretch.
    gaps = [b - a for a, b in itertools.pairwise(asked)]
    assert min(gaps) >= 0.3, gaps


def saved_stretch(path: Path) -> tuple[float, float] | None:
    if not path.exists():
        return None
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT wall, duration_s FROM open_stretch").fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()


def test_the_running_stretch_is_saved_at_the_first_period_then_every_period(
        tmp_path: Path) -> None:
    gate = Gate()
    gate.open.set()
    path = tmp_path / "h.sqlite3"
    stretch = [(1000.0, 120.0)]
    w = HistoryWriter(
        path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
        on_problem=lambda _t: None, open_stretch=lambda: stretch[-1], open_store=gate,
        checkpoint_s=(0.01, 0.05),
    )
    w.start()
    try:
        wait_for(lambda: saved_stretch(path), timeout=5, what="the first checkpoint")
        stretch.append((1000.0, 180.0))  # a minute more of the same stretch
        wait_for(lambda: saved_stretch(path) == (1000.0, 180.0), timeout=5,
                 what="the next checkpoint")
    finally:
        w.close()


def test_on_an_accelerated_clock_the_periods_are_app_time(tmp_path: Path) -> None:
    """SITBREAK_CLOCK_SPEED: the runtime hands the writer its clock, and the first checkpoint
    (10 s of app time by default) comes after a hundredth of that at 100x."""
    gate = Gate()
    gate.open.set()
    path = tmp_path / "h.sqlite3"
    w = HistoryWriter(
        path, days=lambda: Days(240, lambda w: 0), keep_days=lambda: 365,
        on_problem=lambda _t: None, open_stretch=lambda: (1000.0, 60.0), open_store=gate,
    )
    w.follow_clock(lambda s: s / 100, wall=lambda: 1_700_000_000.0)
    w.start()
    try:  # at 1x the first checkpoint comes after 10 s, far beyond this wait
        wait_for(lambda: saved_stretch(path), timeout=5, what="the first checkpoint")
        with pytest.raises(RuntimeError):
            w.follow_clock(lambda s: s, wall=time.time)  # too late once it runs
    finally:
        w.close()

"""The app's history: rows wait in memory and one background thread writes them.

The state thread only appends to a bounded list, so a locked database, a full disk or a
read-only file never holds it up. While rows can't be written they wait (up to `capacity`)
and are written as soon as the file takes them again; the user is told once per problem, and
`status()` says how things stand. The same thread opens the file (start-up never waits on it),
checkpoints the running stretch about once a minute, folds each day into the daily totals as
soon as rows of a later day are written, and prunes old events in batches.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from tray_app.core.model import Row
from tray_app.history.rows import problem as row_problem
from tray_app.history.store import History, is_busy, is_damage
from tray_app.history.totals import Days

log = logging.getLogger(__name__)

CAPACITY = 20_000  # rows kept in memory while the file can't take them (a few MB)
BATCH = 500
CHECKPOINT_S = 60.0
# The first checkpoint comes once heartbeats have counted some sitting, then one every
# CHECKPOINT_S, stretch or not: a stretch that starts meanwhile is saved within a minute all
# the same, and someone away for hours no longer wakes this thread six times a minute.
FIRST_CHECKPOINT_S = 10.0
MAINTAIN_EVERY_S = 86400.0
MAINTAIN_AFTER_S = 60.0  # the first prune and fold wait until start-up is long over
BUSY_PATIENCE_S = 10.0  # a lock held this long by another program is reported
UNSAVED = ".unsaved-"  # side files of rows not yet written, e.g. history.sqlite3.unsaved-<ns>.csv
# Rows the file cannot take, each with why: history.sqlite3.set-aside.csv
SET_ASIDE = ".set-aside.csv"
# What one row's values can make SQLite or the day arithmetic raise (as opposed to the file's
# state: locked, full, read-only, which raise sqlite3.OperationalError or OSError).
ROW_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.DataError,
              sqlite3.ProgrammingError, ValueError, TypeError, OverflowError, ArithmeticError)
RECENT = 50  # exercises remembered for the picker


def _open(path: Path, on_notice: Callable[[str], None] = log.warning) -> History:
    # No waiting and no memory fallback: the writer itself retries, keeping rows meanwhile.
    return History.open(path, busy_timeout_s=1.0, retries=0, memory_fallback=False,
                        on_notice=on_notice)


class _Stopping(Exception):
    """Maintenance gives way to quitting; it resumes at the next start."""


class HistoryWriter:
    """Implements tray_app.ports.HistoryStore for the running app; thread-safe."""

    def __init__(
        self,
        path: Path,
        *,
        days: Callable[[], Days],
        keep_days: Callable[[], int],
        on_problem: Callable[[str], None],
        open_stretch: Callable[[], tuple[float, float] | None] = lambda: None,
        on_quit_loss: Callable[[str], None] = log.error,
        open_store: Callable[[Path], History] | None = None,
        capacity: int = CAPACITY,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        retry_s: tuple[float, float] = (0.25, 5.0),
        maintain_after_s: float = MAINTAIN_AFTER_S,
        checkpoint_s: tuple[float, float] = (FIRST_CHECKPOINT_S, CHECKPOINT_S),
        maintain_every_s: float = MAINTAIN_EVERY_S,
        busy_patience_s: float = BUSY_PATIENCE_S,
    ) -> None:
        """Every period is a parameter with the app's default, so tests pass short ones:
        `retry_s` (first and longest wait between failed writes), `maintain_after_s` and
        `maintain_every_s` (pruning), `checkpoint_s` (the first checkpoint of the running
        stretch, then the period), `busy_patience_s` (how long another program may hold the
        file before the user is told)."""
        self.path = Path(path)
        self._days = days
        self._keep_days = keep_days
        self._on_problem = on_problem
        self._open_stretch = open_stretch
        self._on_quit_loss = on_quit_loss  # rows not in the file at quit: the console and a
        # notification say where they went (the state thread's notices have stopped by then)
        # The app's own opener tells the user what a repair of their file kept and lost.
        self._open_store = open_store or (lambda p: _open(p, self._told_repair))
        self._repaired: str | None = None
        self._capacity = capacity
        self._clock = clock
        self._wall = wall
        self._retry_s = retry_s
        self._maintain_after_s = maintain_after_s
        self._checkpoint_s = checkpoint_s  # the first, then the rest
        self._maintain_every_s = maintain_every_s
        self._busy_patience_s = busy_patience_s
        self._cond = threading.Condition()
        self._pending: deque[Row] = deque()
        self._recent: deque[tuple[float, str, str]] = deque(maxlen=RECENT)
        self._dropped = 0
        self._set_aside = 0
        self._moved_out = 0  # unusable rows an older version stored, moved out at start
        self._crashed: str | None = None  # the thread ended on an error (it should never)
        self._problem: str | None = None
        self._told = False
        self._problem_since: float | None = None
        self._stopping = False
        self._store: History | None = None
        self._settled: tuple[float, int] | None = None  # (through, day_starts) last settled
        self._thread = threading.Thread(target=self._loop, name="history", daemon=True)

    # ---- HistoryStore (called from the state thread: never blocks on the file) ------------

    def record(self, row: Row) -> None:
        with self._cond:
            if row.exercise_id:
                self._recent.appendleft((row.wall, row.exercise_id, row.category or ""))
            if len(self._pending) >= self._capacity:
                self._dropped += 1
                log.error("history row dropped, %d already wait in memory: %r",
                          len(self._pending), row)
            else:
                self._pending.append(row)
            self._cond.notify_all()

    def recent_exercises(self, limit: int) -> list[tuple[float, str, str]]:
        with self._cond:
            return list(self._recent)[:limit]

    def close(self, timeout: float = 3.0) -> None:
        """Write what waits (for up to `timeout` seconds), then close the file."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)
        with self._cond:
            left = list(self._pending)
            dropped = self._dropped
        said = []
        if left:
            said.append(self._keep_for_next_start(left))
        if dropped:
            said.append(f"{dropped} history events of this session were lost: they did not fit "
                        f"in memory while the history file {self.path} could not be written")
        if said:
            text = "; ".join(said)
            log.error("%s", text)
            try:
                self._on_quit_loss(text)
            except Exception:
                log.exception("could not say what happened to the unsaved history rows")

    def _keep_for_next_start(self, rows: list[Row]) -> str:
        """Rows the file would not take before quitting go to a side file beside it; the next
        start imports them (an import skips rows already there, so twice does no harm).
        Returns the sentence for the user."""
        from tray_app.history.csv_io import save_rows  # rare: csv stays out of the idle app

        side = self.path.with_name(f"{self.path.name}{UNSAVED}{time.time_ns()}.csv")
        try:
            save_rows(rows, side)
        except OSError as err:
            return (f"{len(rows)} history events of this session are lost: neither the history "
                    f"file {self.path} nor {side} could take them ({err})")
        return (f"{len(rows)} history events could not be written to {self.path}; they are "
                f"kept in {side} and go into the history at the next start")

    # ---- for the app ----------------------------------------------------------------------

    def follow_clock(self, real_seconds: Callable[[float], float],
                     wall: Callable[[], float]) -> None:
        """Live on the app's clock before `start`: every period is app time (`real_seconds`
        turns it into real seconds) and days turn by the app's wall clock. The runtime calls
        this when SITBREAK_CLOCK_SPEED runs its clock faster (tray_app.shell.clock), so a
        simulated day checkpoints, retries and folds its days as a real one would."""
        if self._thread.is_alive():
            raise RuntimeError("follow_clock() must come before start()")
        self._retry_s = (real_seconds(self._retry_s[0]), real_seconds(self._retry_s[1]))
        self._checkpoint_s = (real_seconds(self._checkpoint_s[0]),
                              real_seconds(self._checkpoint_s[1]))
        self._maintain_after_s = real_seconds(self._maintain_after_s)
        self._maintain_every_s = real_seconds(self._maintain_every_s)
        self._busy_patience_s = real_seconds(self._busy_patience_s)
        self._wall = wall

    def start(self) -> None:
        self._thread.start()

    def status(self) -> dict[str, object]:
        """{ok, pending, dropped, set_aside, problem} for `status --json`: ok only while rows
        are being written and none was lost or set aside."""
        with self._cond:
            problem = self._problem
            if self._thread.ident is not None and not self._thread.is_alive() \
                    and not self._stopping:
                problem = (f"the history writer stopped ({self._crashed or 'unknown reason'}); "
                           f"{len(self._pending)} events wait in memory")
            elif problem is None and self._set_aside:
                problem = (f"{self._set_aside} history rows could not be stored and were set "
                           f"aside in {self.set_aside_path}")
            return {
                "ok": problem is None and self._dropped == 0,
                "pending": len(self._pending),  # rows leave it once committed
                "dropped": self._dropped,
                "set_aside": self._set_aside,
                "moved_out": self._moved_out,
                "problem": problem,
                "repaired": self._repaired,  # the last repair's sentence, or None
            }

    def _told_repair(self, text: str) -> None:
        """A repair of the file (found damaged when opening or writing): said in a
        notification and kept in status()["repaired"]."""
        log.warning("%s", text)
        with self._cond:
            self._repaired = text
        self._on_problem(text)

    @property
    def set_aside_path(self) -> Path:
        return self.path.with_name(self.path.name + SET_ASIDE)

    def flush(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for every queued row to be written; True if they were."""
        deadline = self._clock() + timeout
        with self._cond:
            while self._pending:
                left = deadline - self._clock()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.01))
            return True

    # ---- the writer thread ----------------------------------------------------------------

    def _loop(self) -> None:
        try:
            self._work()
        except BaseException as err:  # never expected: status() tells, rows stay in memory
            log.exception("the history writer stopped")
            with self._cond:
                self._crashed = f"{type(err).__name__}: {err}"
                self._problem = f"the history writer stopped ({self._crashed})"
                self._cond.notify_all()

    def _work(self) -> None:
        delay = self._retry_s[0]
        next_checkpoint = self._clock() + self._checkpoint_s[0]
        next_maintain = settle_from = self._clock() + self._maintain_after_s
        while True:
            with self._cond:
                if self._stopping and (not self._pending or self._problem is not None):
                    break
            try:
                if self._store is None:
                    store = self._open_store(self.path)
                    try:
                        self._opened(store)
                    except BaseException:
                        store.close()
                        raise
                    self._store = store
                self._write_pending()
                now = self._clock()
                if now >= settle_from:
                    self._settle_days()
                if now >= next_checkpoint:
                    self._checkpoint()
                    next_checkpoint = now + self._checkpoint_s[1]
                if now >= next_maintain:
                    next_maintain = now + self._maintain_every_s
                    self._maintain()
            except Exception as err:
                if not isinstance(err, sqlite3.Error | OSError):
                    log.exception("history writer: unexpected error, retrying")
                self._failed(err)
                with self._cond:
                    if not self._stopping:
                        self._cond.wait(delay)
                delay = min(delay * 2, self._retry_s[1])
                continue
            delay = self._retry_s[0]
            self._solved()
            with self._cond:
                if not self._pending and not self._stopping:
                    wait = max(0.0, min(next_checkpoint, next_maintain) - self._clock())
                    self._cond.wait(wait)
        self._final_close()

    def _opened(self, store: History) -> None:
        sides = sorted(self.path.parent.glob(f"{self.path.name}{UNSAVED}*.csv"))
        if sides:
            self._import_kept(store, sides)
        self._take_out_unusable(store)
        self._recover_and_remember(store)

    def _take_out_unusable(self, store: History) -> None:
        """Rows an older version let in that the day arithmetic can't take (a wall time in
        year 1, say) are moved to the set-aside file, so folding never stumbles on them."""
        n = store.set_aside_unusable(self._append_set_aside)
        if n:
            self._note_set_aside(n, "found in the history file", this_run=False)

    def _import_kept(self, store: History, sides: list[Path]) -> None:
        from tray_app.history.csv_io import ImportProblem, read_rows

        for side in sides:
            try:
                added, _skipped = store.import_rows(read_rows(side), self._days())
            except ImportProblem as err:  # not ours after all: leave it for the user
                log.error("can't read the kept history rows in %s: %s", side, err)
                side.rename(side.with_suffix(".unreadable"))
                continue
            side.unlink()
            log.warning("wrote %d history rows a previous run had to keep in %s", added, side)

    def _recover_and_remember(self, store: History) -> None:
        recovered = store.recover_open_stretch()
        if recovered is not None:
            log.warning("recorded the stretch a crashed run left open: %r", recovered)
        found = store.recent_exercises(RECENT)
        with self._cond:
            seen = set(self._recent)
            merged = list(self._recent) + [r for r in found if r not in seen]
            self._recent = deque(sorted(merged, key=lambda r: -r[0])[:RECENT], maxlen=RECENT)

    def _check_file(self) -> None:
        """The file removed, replaced or its log removed under the app: the rows we hold go
        into the file at the path (recreated if gone), and the user is told."""
        assert self._store is not None
        problem = self._store.file_problem()
        if problem is None:
            return
        held = self._store.rescue()
        self._told_repair(
            f"Your sitbreak history file {self.path} {problem} while sitbreak was running; "
            f"it was put back with every event written so far ({held} in the file now), "
            "and new events go there again.")

    def _write_pending(self) -> None:
        assert self._store is not None
        self._check_file()
        while True:
            with self._cond:
                batch = [self._pending[i] for i in range(min(BATCH, len(self._pending)))]
            if not batch:
                return
            bad = [(r, why) for r in batch if (why := row_problem(r)) is not None]
            good = [r for r in batch if row_problem(r) is None] if bad else batch
            try:
                self._store.record_many(good, self._days())
            except ROW_ERRORS:
                bad += self._write_one_by_one(good)
            if bad:
                self._set_aside_rows(bad)
            with self._cond:
                for _ in batch:
                    self._pending.popleft()
                solved, self._problem, self._told = self._problem, None, False
                self._problem_since = None
                self._cond.notify_all()
            if solved:
                log.warning("the history file %s takes writes again", self.path)

    def _write_one_by_one(self, rows: list[Row]) -> list[tuple[Row, str]]:
        """A batch one of whose rows the file refused: each row alone; those refused again."""
        assert self._store is not None
        refused = []
        for row in rows:
            try:
                self._store.record_many([row], self._days())
            except ROW_ERRORS as err:
                refused.append((row, f"{type(err).__name__}: {err}"))
        return refused

    def _set_aside_rows(self, found: list[tuple[Row, str]]) -> None:
        """Rows the file can't take go to the set-aside file with why (never back in the queue,
        where they would block every row after them)."""
        for row, why in found:
            log.error("history row set aside (%s): %r", why, row)
        try:
            self._append_set_aside(found)
        except (OSError, ValueError) as err:
            with self._cond:
                self._dropped += len(found)
            log.error("%d history rows lost: %s can't take them either (%s)", len(found),
                      self.set_aside_path, err)
            return
        self._note_set_aside(len(found), "the app could not store")

    def _append_set_aside(self, found: list[tuple[Row, str]]) -> None:
        from tray_app.history.csv_io import append_set_aside  # rare: csv stays out of idle

        append_set_aside(found, self.set_aside_path)

    def _note_set_aside(self, n: int, what: str, *, this_run: bool = True) -> None:
        """Told once; rows of this run count against status()["ok"], rows an older version
        stored (moved out at start) are said but do not."""
        with self._cond:
            if this_run:
                self._set_aside += n
            else:
                self._moved_out += n
        text = (f"{n} history rows {what} were set aside in {self.set_aside_path} "
                "(each with why); the statistics leave them out")
        log.warning("%s", text)
        self._on_problem(text)

    def _checkpoint(self) -> None:
        assert self._store is not None
        found = self._open_stretch()
        if found is not None:
            self._store.save_open_stretch(*found)

    def _settle_days(self) -> None:
        """Fold the days before today into the daily totals. Once the day has turned this is a
        day's rows in one transaction; after an upgrade, years of them a month per transaction,
        with the waiting rows written in between. Settling re-reads where folding stands in
        each transaction, so a command settling at the same time never folds a day twice."""
        assert self._store is not None
        days = self._days()
        through = days.start(days.of(self._wall()))
        if self._settled == (through, days.day_starts):
            return
        try:
            self._store.settle(through, days, between=self._between_batches)
        except _Stopping:
            log.info("folding the daily totals left for the next run: sitbreak is quitting")
            return
        except sqlite3.Error as err:
            if not is_busy(err):
                raise
            log.info("folding the daily totals postponed: %s", err)
            return
        self._settled = (through, days.day_starts)

    def _maintain(self) -> None:
        """Prune old events (their days are in the totals by then), a batch at a time."""
        assert self._store is not None
        try:
            days = self._days()
            gone = self._store.prune(self._keep_days(), self._wall(), days,
                                     between=self._between_batches)
            if gone:
                log.info("pruned %d history events older than %d days", gone, self._keep_days())
        except _Stopping:
            log.info("pruning left for the next run: sitbreak is quitting")
        except sqlite3.Error as err:
            if is_busy(err):
                log.info("pruning postponed: %s", err)
            else:
                raise

    def _between_batches(self) -> None:
        """Between two batches of maintenance: write what waits; stop if quitting."""
        self._write_pending()
        with self._cond:
            if self._stopping:
                raise _Stopping

    def _failed(self, err: Exception) -> None:
        with self._cond:
            waiting = len(self._pending)
        if isinstance(err, sqlite3.Error) and is_damage(err) and self._store is not None:
            try:
                self._store.repair(err)
                return
            except Exception as repair_err:
                log.exception("repairing the history file failed")
                err = repair_err
        busy = isinstance(err, sqlite3.Error) and is_busy(err)
        if self._store is not None and not busy:
            # A read-only or full file: reopen next time, so a fixed file is seen afresh.
            with contextlib.suppress(sqlite3.Error):
                self._store.close()
            self._store = None
        problem = (
            f"sitbreak can't write its history file {self.path} ({err}); {waiting} events wait "
            "in memory and will be written as soon as it can"
        )
        with self._cond:
            now = self._clock()
            if self._problem_since is None:
                self._problem_since = now
            # Another program's short lock (an import, a clear) is not news; a long one is.
            patient = now - self._problem_since < self._busy_patience_s
            tell = not self._told and not (busy and patient)
            self._problem, self._told = problem, self._told or tell
            self._cond.notify_all()
        if tell:
            log.warning("%s", problem)
            self._on_problem(problem)
        else:
            log.debug("%s", problem)

    def _solved(self) -> None:
        with self._cond:
            solved, self._problem, self._told = self._problem, None, False
            self._problem_since = None
        if solved:
            log.warning("the history file %s takes writes again", self.path)

    def _final_close(self) -> None:
        # No checkpoint here: a clean stop has just recorded the stretch's end.
        if self._store is not None:
            try:
                self._check_file()  # removed since the last write: put back before closing
            except Exception:
                log.exception("could not put the history file back before quitting")
            self._store.close()

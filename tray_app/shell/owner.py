"""The owner thread: APScheduler's own thread runs every job, one at a time.

The wake the core asks for and every command (control channel, tray, notifications, break
window) are jobs on one `BackgroundScheduler` whose executor runs them in the scheduler's
thread (`DebugExecutor`, less its leak), so a tick wakes one thread and no queue or pool sits
in between.
The runtime sees only the small `Timer` port; its tests drive a fake one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

Job = Callable[[], None]


class Timer(Protocol):
    """Runs jobs one at a time on one thread: as soon as possible, or at a monotonic time."""

    def start(self) -> None: ...

    def submit(self, job: Job) -> None:
        """Run `job` on the owner thread soon, after the jobs submitted before it."""
        ...

    def wake_at(self, mono: float, job: Job) -> None:
        """Run `job` once at monotonic time `mono`, replacing the previous wake."""
        ...

    def is_owner(self) -> bool:
        """True on the thread that runs the jobs."""
        ...

    def stop(self) -> None:
        """Run no more jobs; a job already running finishes."""
        ...


class OwnerThreadExecutor(DebugExecutor):
    """APScheduler's DebugExecutor (jobs run on the scheduler's own thread), minus its leak.

    BaseExecutor.submit_job counts a job's running instances around `_do_submit_job`, but the
    DebugExecutor runs the job inside that call, so the count is taken down (to -1) before it
    is put up, and the job's id stays in `_instances` at 0 for good: a few hundred ids an hour.
    """

    def submit_job(self, job: Any, run_times: list[dt.datetime]) -> None:
        super().submit_job(job, run_times)
        with self._lock:
            if self._instances.get(job.id) == 0:
                del self._instances[job.id]


class OwnerScheduler(BackgroundScheduler):
    """A BackgroundScheduler whose loop survives a job removed while it was due.

    APScheduler runs every job due in one round, then removes each finished one-shot job by
    id. A command that runs first in the round may replace (remove) a wake due later in it;
    APScheduler's own removal then raised JobLookupError and ended its thread, and with it
    every tick: the app froze. A job that is gone already is what removing it asks for.
    """

    def remove_job(self, job_id: str, jobstore: str | None = None) -> None:
        with contextlib.suppress(JobLookupError):
            super().remove_job(job_id, jobstore)


class SchedulerTimer:
    """The real Timer: one APScheduler BackgroundScheduler running jobs in its own thread."""

    def __init__(
        self,
        mono: Callable[[], float] = time.monotonic,
        real_seconds: Callable[[float], float] = float,
    ) -> None:
        """`mono` is the clock wakes are given in; `real_seconds` turns its seconds into real
        ones (shell.clock's accelerated clock runs N times faster: a wake T away is T/N)."""
        self._mono = mono
        self._real_seconds = real_seconds
        self._scheduler = OwnerScheduler(
            executors={"default": OwnerThreadExecutor()},
            # Every job's time is an aware datetime, so the scheduler's zone only names "now".
            # Left to find the local zone, it asks tzlocal, which refuses a TZ that is not a
            # zoneinfo name (TZ="UTC-3" or "<+0800>-8"): sitbreak did not start there.
            timezone=dt.UTC,
            # A late job still runs: the default grace of 1 s silently drops a late one-shot job.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._lock = threading.Lock()
        self._queue: deque[Job] = deque()
        self._drain_pending = False
        self._busy = False  # one of our jobs is running on the scheduler's thread
        self._owner: threading.Thread | None = None
        self._stopped = False
        self._wake_id: str | None = None

    def start(self) -> None:
        self._scheduler.start()
        self._owner = getattr(self._scheduler, "_thread", None)

    def submit(self, job: Job) -> None:
        # Submitted jobs wait in our own queue, run in order by one drain job. While one of our
        # jobs runs, no new APScheduler job is added: APScheduler holds its job-store lock while
        # a job runs on its thread, so add_job() from here would wait for that job to finish;
        # the running job drains the queue when it ends instead.
        with self._lock:
            if self._stopped:
                return
            self._queue.append(job)
            if self._busy or self._drain_pending:
                return
            self._drain_pending = True
        self._add(self._drain)

    def wake_at(self, mono: float, job: Job) -> None:
        # Each wake is a new job (APScheduler removes a finished one-shot job by id, so
        # replacing one in place from inside it would lose the new wake) and the one it
        # replaces is removed. A replaced wake that APScheduler runs anyway, because it was due
        # in the same round, does nothing: only the newest wake is current.
        delay = max(0.0, self._real_seconds(mono - self._mono()))
        when = dt.datetime.now().astimezone() + dt.timedelta(seconds=delay)
        ident = uuid.uuid4().hex
        with self._lock:  # current before it can run
            old, self._wake_id = self._wake_id, ident

        def wake() -> None:
            if self._wake_id == ident:
                self._owned(job)

        try:
            self._scheduler.add_job(wake, "date", run_date=when, id=ident)
        except Exception:  # shut down meanwhile
            log.debug("could not add a wake", exc_info=True)
            return
        if old is not None:
            self._scheduler.remove_job(old)  # gone already (it ran) is fine

    def is_owner(self) -> bool:
        return self._owner is not None and threading.current_thread() is self._owner

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._queue.clear()
        if self.is_owner():
            # Shut down from the scheduler's own job and it fails to remove that job: let
            # another thread do it once this job has returned.
            threading.Thread(target=self._shutdown, name="timer-stop").start()
        else:
            self._shutdown()

    def _shutdown(self) -> None:
        try:
            self._scheduler.shutdown(wait=False)
        except Exception:  # never started, or already stopped
            log.debug("scheduler shutdown", exc_info=True)

    def _add(self, job: Job, *args: object, **kw: object) -> None:
        try:
            self._scheduler.add_job(job, *args, **kw)  # type: ignore[arg-type]
        except Exception:  # shut down meanwhile
            log.debug("could not add a job", exc_info=True)

    def _drain(self) -> None:
        self._owned(lambda: None)

    def _owned(self, job: Job) -> None:
        """Run `job`, then everything submitted meanwhile (see submit)."""
        with self._lock:
            self._busy = True
        _guarded(job)()
        while True:
            with self._lock:
                if not self._queue:
                    self._busy = self._drain_pending = False
                    return
                queued = self._queue.popleft()
            _guarded(queued)()


def _guarded(job: Job) -> Job:
    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("job %r failed", job)

    return run

"""The owner thread: APScheduler's own thread runs every job, one at a time.

The heartbeat, the wake at the core's next deadline and every command (control channel, tray,
notifications, break window) are jobs on one `BackgroundScheduler` whose executor runs them in
the scheduler's thread (`DebugExecutor`), so a tick wakes one thread and no queue or pool sits
in between. The runtime sees only the small `Timer` port; its tests drive a fake one.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

Job = Callable[[], None]


class Timer(Protocol):
    """Runs jobs one at a time on one thread, now, every so often, or at a monotonic time."""

    def start(self) -> None: ...

    def submit(self, job: Job) -> None:
        """Run `job` on the owner thread soon, after the jobs submitted before it."""
        ...

    def every(self, seconds: float, job: Job) -> None:
        """Run `job` every `seconds` (the heartbeat); call before start()."""
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


class SchedulerTimer:
    """The real Timer: one APScheduler BackgroundScheduler running jobs in its own thread."""

    def __init__(self, mono: Callable[[], float] = time.monotonic) -> None:
        self._mono = mono
        self._scheduler = BackgroundScheduler(
            executors={"default": DebugExecutor()},
            # A late job still runs (the default grace of 1 s silently drops a late one-shot
            # job); a heartbeat that fell behind runs once, not once per missed beat.
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._lock = threading.Lock()
        self._queue: deque[Job] = deque()
        self._drain_pending = False
        self._owner: threading.Thread | None = None
        self._stopped = False

    def start(self) -> None:
        self._scheduler.start()
        self._owner = getattr(self._scheduler, "_thread", None)

    def submit(self, job: Job) -> None:
        # One drain job runs everything submitted meanwhile in order: APScheduler orders jobs
        # due at the same moment by id, which would not keep the order they came in.
        with self._lock:
            if self._stopped:
                return
            self._queue.append(job)
            if self._drain_pending:
                return
            self._drain_pending = True
        self._add(self._drain)

    def every(self, seconds: float, job: Job) -> None:
        self._scheduler.add_job(_guarded(job), "interval", seconds=seconds, id="heartbeat")

    def wake_at(self, mono: float, job: Job) -> None:
        delay = max(0.0, mono - self._mono())
        when = dt.datetime.now().astimezone() + dt.timedelta(seconds=delay)
        self._add(_guarded(job), "date", run_date=when, id="wake", replace_existing=True)

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
        while True:
            with self._lock:
                if not self._queue:
                    self._drain_pending = False
                    return
                job = self._queue.popleft()
            _guarded(job)()


def _guarded(job: Job) -> Job:
    def run() -> None:
        try:
            job()
        except Exception:
            log.exception("job %r failed", job)

    return run

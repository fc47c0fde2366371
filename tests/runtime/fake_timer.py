"""A Timer that runs jobs only when the test moves its clock: runtime tests never sleep."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from tests.fakes import MONDAY_8AM
from tray_app.shell.clock import Clock

Job = Callable[[], None]


class FakeTimer:
    """The test's thread is the owner: `advance` runs due wakes and submitted jobs."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.queue: deque[Job] = deque()
        self.wake: tuple[float, Job] | None = None
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def submit(self, job: Job) -> None:
        if not self.stopped:
            self.queue.append(job)

    def wake_at(self, mono: float, job: Job) -> None:
        self.wake = (mono, job)

    def is_owner(self) -> bool:
        return True

    def stop(self) -> None:
        self.stopped = True
        self.queue.clear()

    def run_pending(self) -> None:
        while self.queue and not self.stopped:
            self.queue.popleft()()

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass, running each wake at its own time."""
        end = self.now + seconds
        self.run_pending()
        while not self.stopped and self.wake is not None and self.wake[0] <= end:
            when, job = self.wake
            self.wake = None
            self.now = max(self.now, when)
            job()
            self.run_pending()
        self.now = end


class FakeClock(Clock):
    """Readings that follow the fake timer: wall time starts on a Monday at 08:00 UTC."""

    def __init__(self, timer: FakeTimer) -> None:
        super().__init__(mono=lambda: timer.now, wall=lambda: MONDAY_8AM + timer.now)

    def utc_offset(self, wall: float) -> int:
        return 0

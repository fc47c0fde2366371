"""A Timer that runs jobs only when the test moves its clock: runtime tests never sleep."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from tests.fakes import MONDAY_8AM
from tray_app.runtime import Clock

Job = Callable[[], None]


class FakeTimer:
    """The test's thread is the owner: `advance` runs due heartbeats, wakes and submitted jobs."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.queue: deque[Job] = deque()
        self.beat: tuple[float, Job] | None = None
        self.next_beat = float("inf")
        self.wake: tuple[float, Job] | None = None
        self.started = self.stopped = False

    def start(self) -> None:
        self.started = True

    def submit(self, job: Job) -> None:
        if not self.stopped:
            self.queue.append(job)

    def every(self, seconds: float, job: Job) -> None:
        self.beat = (seconds, job)
        self.next_beat = self.now + seconds

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
        """Let `seconds` pass, running each heartbeat and wake at its own time."""
        end = self.now + seconds
        self.run_pending()
        while not self.stopped:
            wake_t = self.wake[0] if self.wake else float("inf")
            t = min(self.next_beat, wake_t)
            if t > end:
                break
            self.now = max(self.now, t)
            if wake_t <= self.next_beat and self.wake is not None:
                job = self.wake[1]
                self.wake = None
            else:
                assert self.beat is not None
                job = self.beat[1]
                self.next_beat += self.beat[0]
            job()
            self.run_pending()
        self.now = end


class FakeClock(Clock):
    """Readings that follow the fake timer: wall time starts on a Monday at 08:00 UTC."""

    def __init__(self, timer: FakeTimer) -> None:
        super().__init__(mono=lambda: timer.now, wall=lambda: MONDAY_8AM + timer.now)

    def utc_offset(self, wall: float) -> int:
        return 0

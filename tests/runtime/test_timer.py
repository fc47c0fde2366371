"""The real APScheduler timer: jobs on its one thread, and wakes that re-arm themselves."""

from __future__ import annotations

import threading
import time

from tests.desktop import wait_for
from tray_app.shell.owner import SchedulerTimer


def test_a_wake_armed_from_inside_a_wake_is_kept() -> None:
    # APScheduler removes a finished one-shot job by its id: a replacement made from inside it
    # must not be removed with it, or the app would stop ticking.
    timer = SchedulerTimer()
    fired: list[str] = []

    def wake() -> None:
        fired.append(threading.current_thread().name)
        timer.wake_at(time.monotonic() + 0.02, wake)

    timer.start()
    try:
        timer.wake_at(time.monotonic() + 0.02, wake)
        wait_for(lambda: len(fired) >= 5, timeout=5, what="five wakes in a row")
    finally:
        timer.stop()
    assert set(fired) == {"APScheduler"}


def test_a_replaced_wake_does_not_fire_and_jobs_run_in_order() -> None:
    timer = SchedulerTimer()
    seen: list[str] = []
    timer.start()
    try:
        timer.wake_at(time.monotonic() + 0.1, lambda: seen.append("early"))
        timer.wake_at(time.monotonic() + 0.3, lambda: seen.append("late"))
        for i in range(20):
            timer.submit(lambda i=i: seen.append(str(i)))
        wait_for(lambda: "late" in seen, timeout=5, what="the late wake")
        time.sleep(0.1)
    finally:
        timer.stop()
    assert seen == [*map(str, range(20)), "late"]


def test_submitting_never_waits_for_the_job_that_is_running() -> None:
    # APScheduler holds its job-store lock while a job runs: adding a job then would block.
    timer = SchedulerTimer()
    release, started = threading.Event(), threading.Event()
    seen: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        seen.append("slow")

    timer.start()
    try:
        timer.wake_at(time.monotonic(), slow)
        assert started.wait(5)
        timer.submit(lambda: seen.append("next"))
        returned_while_running = seen == []  # "slow" is still blocked on `release`
        release.set()
        wait_for(lambda: "next" in seen, timeout=5, what="the submitted job")
    finally:
        release.set()
        timer.stop()
    assert returned_while_running and seen == ["slow", "next"]


def test_jobs_that_ran_leave_nothing_behind() -> None:
    """Found by the desktop soak: APScheduler 3's DebugExecutor runs a job inside submit_job
    before counting it, so every job id stayed in its instance counts at 0, a few hundred a
    hour (each `status` is a job), for as long as the app ran."""
    timer = SchedulerTimer()
    seen: list[int] = []
    timer.start()
    try:
        for i in range(50):
            timer.submit(lambda i=i: seen.append(i))
            timer.wake_at(time.monotonic(), lambda: None)
            wait_for(lambda i=i: len(seen) > i, timeout=5, what="the job to run")
        time.sleep(0.05)
        executor = timer._scheduler._lookup_executor("default")
        assert dict(executor._instances) == {}
    finally:
        timer.stop()


def test_replacing_a_wake_that_is_due_in_the_same_round_keeps_the_owner_alive() -> None:
    """Found by CI: a command and the wake it replaces were due in one round of APScheduler's
    loop. The command ran first and removed the wake, APScheduler ran the wake anyway and then
    failed to remove it (JobLookupError), which killed the owner thread: the app froze."""
    timer = SchedulerTimer()
    ran: list[str] = []
    # Before start, so both are due when the loop first looks: the command first, the wake next.
    timer.submit(lambda: timer.wake_at(time.monotonic() + 3600, lambda: ran.append("later")))
    timer.wake_at(time.monotonic() + 0.001, lambda: ran.append("replaced"))
    time.sleep(0.01)
    timer.start()
    try:
        done = threading.Event()
        wait_for(lambda: timer.is_owner() is False and timer._owner is not None, what="start")
        time.sleep(0.1)  # the first round has run
        timer.submit(done.set)
        assert done.wait(5), "the owner thread died"
        assert ran == []  # the replaced wake did not fire
    finally:
        timer.stop()

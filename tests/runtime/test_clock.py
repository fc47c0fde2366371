"""The accelerated clock (SITBREAK_CLOCK_SPEED), on an injected base clock: nothing sleeps."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

import pytest

from tests.desktop import wait_for
from tests.runtime.fake_timer import FakeTimer
from tests.runtime.test_runtime import Idle, Notes, Prompt, Store, fast
from tray_app.core.model import Phase
from tray_app.shell.clock import SPEED_ENV, AcceleratedClock, Clock, default_clock, speed_from
from tray_app.shell.owner import SchedulerTimer
from tray_app.shell.runtime import Adapters, Runtime


class Base:
    """A base clock the test moves by hand: monotonic and wall, apart if need be."""

    def __init__(self, mono: float = 5000.0, wall: float = 1_795_420_800.0) -> None:
        self.now_mono, self.now_wall = mono, wall

    def mono(self) -> float:
        return self.now_mono

    def wall(self) -> float:
        return self.now_wall

    def advance(self, seconds: float, wall_extra: float = 0.0) -> None:
        self.now_mono += seconds
        self.now_wall += seconds + wall_extra


def test_both_clocks_run_n_times_faster_from_the_moment_it_is_made() -> None:
    base = Base()
    clock = AcceleratedClock(60, base.mono, base.wall)
    assert (clock.mono(), clock.wall()) == (5000.0, 1_795_420_800.0)  # no jump at the start
    base.advance(2.0)
    assert clock.mono() == 5000.0 + 120.0
    assert clock.wall() == 1_795_420_800.0 + 120.0
    base.advance(0.5)
    assert clock.mono() - 5000.0 == pytest.approx(150.0)


def test_a_suspend_still_shows_as_a_wall_gap_larger_than_the_monotonic_one() -> None:
    # Each clock is scaled on its own, so the core's sleep detection sees the gap, N times over.
    base = Base()
    clock = AcceleratedClock(10, base.mono, base.wall)
    mono0, wall0 = clock.mono(), clock.wall()
    base.advance(1.0, wall_extra=30.0)  # 30 s asleep: the monotonic clock stood still
    assert clock.mono() - mono0 == 10.0
    assert clock.wall() - wall0 == 310.0


def test_waits_shrink_and_idle_grows_by_the_speed() -> None:
    clock = AcceleratedClock(60, Base().mono, Base().wall)
    assert clock.real_seconds(3600.0) == 60.0
    assert clock.idle(2.0) == 120.0
    assert clock.idle(None) is None  # an idle source that can't tell stays unknown
    real = Clock()
    assert (real.speed, real.real_seconds(3600.0), real.idle(2.0)) == (1.0, 3600.0, 2.0)


@pytest.mark.parametrize("bad", ["0", "-3", "inf", "nan", "fast", "1e9"])
def test_a_bad_speed_is_refused_and_the_app_keeps_the_real_clock(
        bad: str, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ValueError, match=SPEED_ENV):
        speed_from({SPEED_ENV: bad})
    with caplog.at_level(logging.ERROR):
        clock = default_clock({SPEED_ENV: bad})
    assert type(clock) is Clock and clock.speed == 1.0
    assert SPEED_ENV in caplog.text


def test_the_environment_picks_the_clock() -> None:
    assert type(default_clock({})) is Clock
    assert type(default_clock({SPEED_ENV: " 1 "})) is Clock
    fast_clock = default_clock({SPEED_ENV: "60"})
    assert isinstance(fast_clock, AcceleratedClock) and fast_clock.speed == 60.0
    with pytest.raises(ValueError):
        AcceleratedClock(0)


def test_the_runtimes_default_clock_is_the_one_the_environment_asks_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPEED_ENV, "120")
    rt = Runtime(fast(), None, Adapters(Idle(), Notes(), Store(), Prompt()), timer=FakeTimer())
    assert rt.clock.speed == 120.0
    assert rt.status()["clock_speed"] == 120.0
    monkeypatch.delenv(SPEED_ENV)
    rt = Runtime(fast(), None, Adapters(Idle(), Notes(), Store(), Prompt()), timer=FakeTimer())
    assert rt.clock.speed == 1.0 and "clock_speed" not in rt.status()


def test_the_platforms_idle_seconds_reach_the_core_scaled() -> None:
    """Two real seconds without input read as 2N simulated seconds: with N=150 that is the
    default idle_reset of 5 minutes, so the stretch ends as a natural break."""
    timer = FakeTimer()
    base = Base(mono=timer.now)
    clock = AcceleratedClock(150, lambda: timer.now, base.wall)
    idle = Idle(value=1.0)
    adapters = Adapters(idle, Notes(), Store(), Prompt(clock=lambda: timer.now))
    rt = Runtime(fast(3600.0), None, adapters, clock, heartbeat_s=5.0, timer=timer)
    rt.start()
    timer.run_pending()
    assert rt.state.phase is Phase.SITTING and rt.state.idle_s == 150.0
    idle.value = 2.0
    rt.post_tick()
    timer.run_pending()
    assert rt.state.phase is Phase.AWAY


def test_a_scheduler_wake_t_simulated_seconds_away_is_armed_t_over_n_real_seconds_away() -> None:
    clock = AcceleratedClock(60)
    timer = SchedulerTimer(clock.mono, clock.real_seconds)  # not started: the job only waits
    try:
        before = dt.datetime.now().astimezone()
        timer.wake_at(clock.mono() + 3600.0, lambda: None)
        (job,) = timer._scheduler.get_jobs()
        away = (job.trigger.run_date - before).total_seconds()
    finally:
        timer.stop()
    assert 59.0 <= away <= 61.0  # an hour of the app's time is a minute of ours


def test_the_real_scheduler_wakes_on_the_accelerated_clock() -> None:
    # 30 simulated seconds at 1000x: the wake fires within moments, far inside the wait's 5 s.
    clock = AcceleratedClock(1000)
    timer = SchedulerTimer(clock.mono, clock.real_seconds)
    fired: list[float] = []
    timer.start()
    try:
        due = clock.mono() + 30.0
        timer.wake_at(due, lambda: fired.append(clock.mono()))
        wait_for(lambda: fired, timeout=5, what="the scaled wake")
    finally:
        timer.stop()
    assert fired[0] >= due  # never early on the app's own clock


def test_a_whole_simulated_hour_passes_on_the_real_timer_in_moments() -> None:
    """The runtime on the real APScheduler thread with no fake anywhere but the speed: an hour
    of sitting at 3600x brings the break due (break_after 50 min) within a few real seconds."""
    adapters = Adapters(Idle(), Notes(), Store(), Prompt())
    rt = Runtime(fast(50 * 60.0), None, adapters, AcceleratedClock(3600), heartbeat_s=60.0)
    started = time.monotonic()
    rt.start()
    try:
        due = wait_for(lambda: rt.state.phase is Phase.BREAK_DUE and rt.state, timeout=10,
                       what="the break due")
    finally:
        rt.stop()
    assert due.stretch_s >= 50 * 60.0
    assert time.monotonic() - started < 10


def test_the_history_writer_follows_an_accelerated_clock_only() -> None:
    followed: list[float] = []

    class Writer(Store):
        def follow_clock(self, real_seconds: Callable[[float], float],
                         wall: Callable[[], float]) -> None:
            followed.append(real_seconds(60.0))

    Runtime(fast(), None, Adapters(Idle(), Notes(), Writer(), Prompt()), timer=FakeTimer())
    assert followed == []
    Runtime(fast(), None, Adapters(Idle(), Notes(), Writer(), Prompt()), AcceleratedClock(60),
            timer=FakeTimer())
    assert followed == [1.0]  # a minute of the app's time is a second of ours

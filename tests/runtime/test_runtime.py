"""The runtime shell with recording adapters, driven by a fake timer (and, where the threads
themselves are the point, by the real APScheduler one)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.runtime.fake_timer import FakeClock, FakeTimer
from tray_app.core.events import BreakPlanned, Resume
from tray_app.core.menu import build_menu
from tray_app.core.model import (
    BreakSettings,
    NotificationSettings,
    Phase,
    PostureSettings,
    Row,
    Settings,
    SittingSettings,
)
from tray_app.core.session import BreakView
from tray_app.core.state import Refused, State
from tray_app.core.timing import HOLD_RECHECK_S
from tray_app.ports import Action
from tray_app.settings import load_settings
from tray_app.settings.full import load_checked
from tray_app.shell.clock import Clock
from tray_app.shell.control import handle_request
from tray_app.shell.runtime import Adapters, Runtime, Stopped


@dataclass
class Idle:
    name: str = "test"
    sees_input: bool = True
    value: float = 0.0
    threads: list[str] = field(default_factory=list)
    busy: int = 0
    overlapped: bool = False
    widen: float = 0.0  # seconds each answer takes; the thread test widens the window

    def idle_seconds(self) -> float | None:
        # Every tick and every command asks this first: it sees which thread steps the core.
        self.busy += 1
        self.overlapped |= self.busy > 1
        self.threads.append(threading.current_thread().name)
        if self.widen:
            time.sleep(self.widen)  # widen the window in which a second thread would overlap
        self.busy -= 1
        return self.value


@dataclass
class Notes:
    name: str = "recording"
    shown: list[tuple[str, str]] = field(default_factory=list)
    handler: Callable[[str], None] | None = None

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        self.shown.append((kind, title))

    def close(self) -> None:
        pass

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        self.handler = handler


@dataclass
class Store:
    rows: list[Row] = field(default_factory=list)
    closed: bool = False
    close_s: float = 0.0  # how long close() takes

    def record(self, row: Row) -> None:
        self.rows.append(row)

    def recent_exercises(self, limit: int) -> list[tuple[float, str, str]]:
        return []

    def follow_clock(self, real_seconds: Callable[[float], float],
                     wall: Callable[[], float]) -> None:
        pass  # no periods of its own

    def close(self) -> None:
        if self.close_s:
            time.sleep(self.close_s)  # a slow close: a second stop() must still wait for it
        self.closed = True


@dataclass
class Prompt:
    opened: list[tuple[float, BreakView]] = field(default_factory=list)
    clock: Callable[[], float] = time.monotonic
    block: threading.Event | None = None
    shown: int = 0  # calls of show() that have returned

    def plan(self, state: State) -> BreakPlanned:
        return BreakPlanned(())

    def show(self, view: BreakView, state: State) -> None:
        self.opened.append((self.clock(), view))
        if self.block is not None:
            self.block.wait(10)  # a window that takes its time to open
        self.shown += 1

    def close(self) -> None:
        pass


def fast(break_after: float = 2.0, notifications: bool = True) -> Settings:
    return Settings(
        sitting=SittingSettings(break_after=break_after),
        breaks=BreakSettings(heads_up=0),
        posture=PostureSettings(every=0),
        notifications=NotificationSettings(enabled=notifications),
    )


def faked(settings: Settings, path: Path | None = None, heartbeat: float = 5.0,
          holds: dict | None = None) -> tuple[Runtime, Adapters, FakeTimer]:
    timer = FakeTimer()
    adapters = Adapters(Idle(), Notes(), Store(), Prompt(clock=lambda: timer.now),
                        holds=holds or {}, load_settings=load_checked)
    rt = Runtime(settings, path, adapters, FakeClock(timer), heartbeat, timer=timer)
    rt.start()
    timer.run_pending()
    return rt, adapters, timer


def real(settings: Settings, heartbeat: float = 30.0) -> tuple[Runtime, Adapters]:
    adapters = Adapters(Idle(), Notes(), Store(), Prompt())
    return Runtime(settings, None, adapters, heartbeat_s=heartbeat), adapters


def test_break_is_offered_at_its_deadline_not_at_the_next_heartbeat() -> None:
    # A heartbeat far longer than the interval: only the wake at the deadline can be on time.
    rt, ad, timer = faked(fast(2.0), heartbeat=30.0)
    start = timer.now
    timer.advance(1.9)
    assert ad.prompt.opened == []  # type: ignore[attr-defined]
    timer.advance(0.2)
    assert [t - start for t, _ in ad.prompt.opened] == [2.0]  # type: ignore[attr-defined]
    assert rt.state.phase is Phase.BREAK_DUE


def test_the_scheduler_thread_steps_the_core_one_job_at_a_time() -> None:
    rt, ad = real(fast(3600.0), heartbeat=0.01)
    idle: Idle = ad.idle  # type: ignore[assignment]
    idle.widen = 0.001
    rt.start()
    try:
        threads = [threading.Thread(target=rt.call, args=(None,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with pytest.raises(Refused):
            rt.call(Resume())  # not paused
        wait_for(lambda: len(idle.threads) > 20, timeout=5, what="heartbeats")
    finally:
        rt.stop()
    # Heartbeats, commands and the caller threads' calls all ran on APScheduler's own thread,
    # and never two at once.
    assert set(idle.threads) == {"APScheduler"}
    assert not idle.overlapped


def test_notification_actions_reach_the_core() -> None:
    rt, ad, timer = faked(fast(1.0))
    timer.advance(1.0)
    assert rt.state.phase is Phase.BREAK_DUE
    ad.notifier.handler("snooze-300")  # type: ignore[attr-defined, misc]
    assert rt.state.phase is Phase.BREAK_DUE  # queued, not run on the clicking thread
    timer.run_pending()
    assert rt.state.phase is Phase.SNOOZED


def test_a_held_break_comes_within_a_recheck_of_the_hold_ending() -> None:
    fullscreen = {"on": True}
    rt, ad, timer = faked(fast(2.0), heartbeat=30.0,
                          holds={"fullscreen window": lambda: fullscreen["on"]})
    timer.advance(2.0)
    assert rt.status()["waiting_for"] == "fullscreen window"
    assert ad.prompt.opened == []  # type: ignore[attr-defined]
    timer.advance(10.0)
    fullscreen["on"] = False
    cleared = timer.now
    timer.advance(HOLD_RECHECK_S)
    assert rt.state.phase is Phase.BREAK_DUE
    assert ad.prompt.opened[0][0] - cleared <= HOLD_RECHECK_S  # type: ignore[attr-defined]


def test_hold_probes_are_not_asked_while_no_break_is_near() -> None:
    asked: list[float] = []

    def probe() -> bool:
        asked.append(0)
        return False

    _rt, _ad, timer = faked(fast(3600.0), heartbeat=5.0, holds={"fullscreen window": probe})
    first = len(asked)
    timer.advance(600.0)  # 120 heartbeats, nearly an hour before anything is due
    assert first == 1 and len(asked) == 1
    timer.advance(3600.0 - 600.0 - 5.0)  # within two heartbeats of the break: ask again
    assert len(asked) > 1


def test_settings_file_edits_apply_and_broken_ones_are_kept_out(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n')
    notices: list[str] = []
    rt, ad, timer = faked(fast(3000.0), path)
    ad.on_notice = notices.append
    path.write_text('[sitting]\nbreak_after = "40m"\n')
    timer.advance(5.0)
    assert rt.state.settings.sitting.break_after == 2400
    path.write_text('[sitting]\nbreak_after = "forty"\n')
    timer.advance(5.0)
    assert any("keeping the last good" in n for n in notices)
    assert ("info", "sitbreak: settings.toml has a problem") in ad.notifier.shown  # type: ignore
    assert rt.state.settings.sitting.break_after == 2400
    assert path.read_text() == '[sitting]\nbreak_after = "forty"\n'


def test_a_broken_settings_file_is_not_notified_when_notifications_are_off(
    tmp_path: Path,
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[notifications]\nenabled = false\n')
    rt, ad, timer = faked(load_settings(path), path)
    path.write_text('[notifications]\nenabled = false\n[sitting]\nbreak_after = "forty"\n')
    timer.advance(5.0)
    assert ad.notifier.shown == []  # type: ignore[attr-defined]
    assert rt.state.settings.notifications.enabled is False


def test_reload_reads_the_file_once_and_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n')
    reads: list[Path] = []
    rt, ad, _timer = faked(load_settings(path), path, heartbeat=3600.0)
    ad.load_settings = lambda p: reads.append(p) or load_settings(p)
    path.write_text('[sitting]\nbreak_after = "nope"\n')
    with pytest.raises(Exception, match="break_after"):
        rt.reload()
    assert reads == [path]
    path.write_text('[sitting]\nbreak_after = "30m"\n')
    rt.reload()
    assert reads == [path, path]
    assert rt.state.settings.sitting.break_after == 1800


def test_lock_and_unlock_are_facts_passed_in_with_the_tick() -> None:
    rt, _ad, timer = faked(fast(3600.0))
    rt.on_session_event("lock")
    timer.run_pending()
    assert rt.state.locked_since_mono is not None
    timer.advance(30.0)  # heartbeats keep it locked
    assert rt.state.locked_since_mono is not None
    rt.on_session_event("unlock")
    timer.run_pending()
    assert rt.state.locked_since_mono is None


def label_seconds(label: str) -> float:
    """The duration a label promises the user: "Snooze 5 min", "For 1 h 30 min"."""
    found = re.findall(r"(\d+) (h|min|s)\b", label)
    assert found, f"no duration in {label!r}"
    return sum(int(n) * {"h": 3600, "min": 60, "s": 1}[unit] for n, unit in found)


def due(break_after: float = 100.0) -> tuple[Runtime, Adapters, FakeTimer, list[Action]]:
    """A fresh runtime whose break has just come due; and the actions its notice offered."""
    rt, ad, timer = faked(fast(break_after), heartbeat=3600.0)  # the core's own wakes only
    offered: list[Action] = []
    ad.notifier.notify = (  # type: ignore[method-assign]
        lambda kind, title, body, actions=(): offered.extend(actions))
    timer.advance(break_after)
    assert rt.state.phase is Phase.BREAK_DUE
    return rt, ad, timer, offered


def test_every_action_the_due_notice_and_the_pause_menu_offer_does_what_its_label_says(
        ) -> None:
    """The ids come from what the app really offers (the notice's actions, the tray's pause
    menu) and each is judged by its label, on the state it leaves, through the runtime."""
    _rt, _ad, _timer, offered = due()
    menu = build_menu(_rt.state, _rt.status(), None)
    pause = next(i for i in menu if i.text == "Pause").submenu
    offered += [Action(i.action, i.text) for i in pause if i.action != "pause-tomorrow"]
    offered.append(Action("default", "Start (the notice's body was clicked)"))
    verbs = {a.label.split()[0] for a in offered}
    assert verbs == {"Start", "Snooze", "Skip", "For"}, offered
    for action in offered:
        rt, ad, timer, _ = due()
        ad.notifier.handler(action.id)  # type: ignore[attr-defined, misc]
        timer.run_pending()
        verb, what = action.label.split()[0], f"{action.id} ({action.label})"
        if verb == "Start":
            assert rt.state.phase is Phase.ON_BREAK, what
            continue
        if verb == "Skip":  # back to sitting; the next break a whole interval later
            held, lasts = Phase.SITTING, 100.0
        else:  # "Snooze 5 min", "For 30 min": held for exactly that long
            held = Phase.SNOOZED if verb == "Snooze" else Phase.PAUSED
            lasts = label_seconds(action.label)
        assert rt.state.phase is held, what
        timer.advance(lasts - 0.5)
        assert rt.state.phase is held, what
        timer.advance(1.0)
        assert rt.state.phase is not held, what


def test_an_action_id_no_input_sends_changes_nothing() -> None:
    rt, ad, timer, _ = due()
    before = rt.state
    ad.notifier.handler("nonsense")  # type: ignore[attr-defined, misc]
    ad.notifier.handler("snooze-soon")  # type: ignore[attr-defined, misc]
    timer.run_pending()
    assert rt.state == before


def test_status_answers_at_once_while_the_break_window_is_opening() -> None:
    rt, ad = real(fast(0.3))
    opening = threading.Event()
    ad.prompt.block = opening  # type: ignore[attr-defined]
    rt.start()
    try:
        wait_for(lambda: ad.prompt.opened, timeout=5, what="the window to start opening")  # type: ignore
        reply = handle_request(rt, {"cmd": "status"})
        assert reply["status"]["state"] == "break_due"
        # It answered while the owner was still opening the window (show() has not returned,
        # and would not for 10 s): it waited only its short try for a fresh tick.
        assert ad.prompt.shown == 0  # type: ignore[attr-defined]
    finally:
        opening.set()
        rt.stop()


def test_a_second_stop_waits_until_the_first_has_finished() -> None:
    rt, ad = real(fast(3600.0))
    ad.history.close_s = 0.05  # type: ignore[attr-defined]
    rt.start()
    first = threading.Thread(target=rt.stop)
    first.start()
    time.sleep(0.01)
    rt.stop()
    assert ad.history.closed  # type: ignore[attr-defined]
    first.join()
    with pytest.raises(Stopped):
        rt.call(None)


@dataclass
class GrowingIdle:
    """No input since `since`: idle grows with the fake clock; records when it was asked."""

    timer: FakeTimer
    since: float
    name: str = "test"
    sees_input: bool = True
    asked: list[float] = field(default_factory=list)

    def idle_seconds(self) -> float | None:
        self.asked.append(self.timer.now)
        return self.timer.now - self.since


def test_with_a_slow_heartbeat_the_core_wakes_when_idle_reaches_idle_reset() -> None:
    rt, ad, timer = faked(fast(3600.0), heartbeat=60.0)
    idle = GrowingIdle(timer, since=timer.now)
    ad.idle = idle
    start = timer.now
    timer.advance(299.0)
    assert rt.state.phase is Phase.SITTING
    timer.advance(1.0)
    assert rt.state.phase is Phase.AWAY  # at idle_reset exactly, not at a later heartbeat
    assert [r.kind for r in ad.history.rows].count("natural_break") == 1  # type: ignore
    # Between, it looked only at the tray's minutes and ring steps (one per 150 s here), and
    # when idle could reach the reset.
    assert len([t for t in idle.asked if start < t <= start + 300]) <= 10


def test_a_flood_of_tick_requests_queues_one_tick() -> None:
    rt, ad, timer = faked(fast(3600.0))
    idle: Idle = ad.idle  # type: ignore[assignment]
    before = len(idle.threads)
    for _ in range(1000):  # e.g. `status` polled by a flood of clients
        rt.post_tick()
    assert len(timer.queue) == 1
    timer.run_pending()
    assert len(idle.threads) == before + 1
    rt.post_tick()  # and the next request still gets its tick
    assert len(timer.queue) == 1


def test_status_tells_the_time_as_it_is_now_though_the_owner_sleeps_for_a_minute() -> None:
    """The owner sleeps until the core's next wake; a status asked in between must not report
    the sitting time of the last wake (it said 0 s after more than a second of sitting)."""
    skew = [0.0]  # real clocks the test can move on at once: the owner's wake stays put
    clock = Clock(mono=lambda: time.monotonic() + skew[0], wall=lambda: time.time() + skew[0])
    rt = Runtime(fast(3600.0), None, Adapters(Idle(), Notes(), Store(), Prompt()), clock,
                 heartbeat_s=60.0)
    rt.start()
    try:
        wait_for(lambda: rt.state.phase is Phase.SITTING, timeout=5, what="the first stretch")
        skew[0] += 30.0  # half a minute passes; the owner sleeps on until its heartbeat
        status = handle_request(rt, {"cmd": "status"})["status"]
        assert status["sitting_seconds"] >= 30.0
        assert status["next_break_in_seconds"] <= 3600 - 30.0
    finally:
        rt.stop()


def test_free_memory_is_given_back_once_a_minute_on_the_owners_own_wakes() -> None:
    _rt, ad, timer = faked(fast(3600.0), heartbeat=5.0)
    released: list[float] = []
    ad.release_memory = lambda: released.append(timer.now)
    start = timer.now
    timer.advance(59.0)
    assert released == []  # start-up settles first
    timer.advance(130.0)
    assert [t - start for t in released] == [60.0, 120.0, 180.0]


def test_a_failing_release_is_logged_and_ticking_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    rt, ad, timer = faked(fast(3.0), heartbeat=5.0)

    def broken() -> None:
        raise OSError("no")

    ad.release_memory = broken
    timer.advance(65.0)
    assert "giving free memory back failed" in caplog.text
    assert rt.state.phase is Phase.BREAK_DUE

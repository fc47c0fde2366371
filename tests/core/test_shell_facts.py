"""What the core decides for the shell: when to look again, whether to notify, probe or not."""

from __future__ import annotations

import pytest

from tests.fakes import Sim
from tray_app.core.effects import Notify, UpdateTray
from tray_app.core.events import HistoryNotSaved, Hold, SettingsRejected, TakeBreakNow
from tray_app.core.model import (
    BreakSettings,
    NotificationSettings,
    Phase,
    PostureSettings,
    Settings,
    SittingSettings,
    SmartPauseSettings,
)
from tray_app.core.timing import HOLD_RECHECK_S, INPUT_POLL_S, holds_matter, next_wake
from tray_app.core.views import RING_STEPS, ring_step


def quick(notifications: bool = True, smart_pause: bool = True) -> Settings:
    return Settings(
        sitting=SittingSettings(break_after=600),
        breaks=BreakSettings(heads_up=0),
        posture=PostureSettings(every=0),
        notifications=NotificationSettings(enabled=notifications),
        smart_pause=SmartPauseSettings(enabled=smart_pause),
    )


def test_a_rejected_settings_file_is_a_notification_only_when_they_are_on() -> None:
    on = Sim(quick())
    assert [type(e) for e in on.send(SettingsRejected("line 3: bad"))
            if isinstance(e, Notify)] == [Notify]
    off = Sim(quick(notifications=False))
    off.run(600)  # a break falls due: still no notification of any kind
    off.send(SettingsRejected("line 3: bad"))
    assert not [e for e in off.effects if isinstance(e, Notify)]


def test_a_held_break_asks_to_be_woken_every_recheck() -> None:
    sim = Sim(quick())
    sim.send(Hold("fullscreen window"))
    sim.run(600)
    assert sim.state.waiting_since_mono is not None
    assert next_wake(sim.state) == sim.state.mono + HOLD_RECHECK_S


def test_holds_matter_only_near_a_deadline_or_while_held() -> None:
    sim = Sim(quick())
    assert not holds_matter(sim.state, 10.0)  # ten minutes before the break
    sim.run(595)
    assert holds_matter(sim.state, 10.0)
    held = Sim(quick())
    held.send(Hold("do not disturb"))
    assert holds_matter(held.state, 10.0)  # so the hold can be released
    off = Sim(quick(smart_pause=False))
    off.run(595)
    assert not holds_matter(off.state, 10.0)


def test_away_the_shell_looks_for_input_every_poll() -> None:
    sim = Sim(quick())
    sim.run(400, active=False)  # idle past idle_reset: a natural break, now away
    assert sim.state.phase is Phase.AWAY
    assert next_wake(sim.state) == sim.state.mono + INPUT_POLL_S


def test_sitting_the_shell_wakes_at_the_next_ring_step_or_when_idle_could_reach_reset() -> None:
    sim = Sim(quick())
    sim.run(90)  # 1.5 min into the stretch, input just now
    # The tray's next minute is 30 s away, but its ring (24 steps over 10 min) moves sooner.
    assert ring_step(sim.state) == 4  # 90 s of 600 s is 3.6 steps
    assert next_wake(sim.state) == pytest.approx(sim.state.mono + 4.5 * 25 - 90, abs=0.01)
    sim.run(4 * 60 + 25, active=False)  # idle for 4 min 25 s of a 5 min idle_reset
    assert next_wake(sim.state) <= sim.state.mono + 35  # when idle first reaches 5 min


def wake_driven(settings: Settings, inputs: list[tuple[float, float]], end: float) -> Sim:
    """Tick only when the core asks (or input arrives); `inputs` are (start, end) of activity."""
    sim = Sim(settings, heartbeat=0)
    t0 = sim.mono
    last_input = 0.0
    while sim.mono - t0 < end:
        now = sim.mono - t0
        starts = [s for s, _ in inputs if s > now]
        step_to = min([next_wake(sim.state) - t0, *starts[:1], end])
        step_to = max(step_to, now + 1e-3)
        active = [(s, e) for s, e in inputs if s <= step_to <= e]
        if active:
            last_input = step_to
        else:
            last_input = max([min(e, step_to) for s, e in inputs if s <= step_to] or [0.0])
        sim.mono, sim.wall = t0 + step_to, sim.wall + (step_to - now)
        sim.idle = step_to - last_input
        sim.tick()
    return sim


def test_waking_only_when_asked_records_what_a_5_s_heartbeat_records() -> None:
    inputs = [(0, 20 * 60), (27 * 60, 80 * 60), (80 * 60 + 200, 100 * 60)]
    by_wakes = wake_driven(quick(), inputs, 100 * 60)
    by_beats = Sim(quick())
    t = 0.0
    for start, end in inputs:
        if start > t:
            by_beats.run(start - t, active=False)
        by_beats.run(end - start)
        t = end
    kinds = ("stretch_started", "stretch_ended", "natural_break", "break_offered")
    for kind in kinds:
        got = [(round(r.wall), round(r.duration_s)) for r in by_wakes.rows(kind)]
        want = [(round(r.wall), round(r.duration_s)) for r in by_beats.rows(kind)]
        assert len(got) == len(want), kind
        for (gw, gd), (ww, wd) in zip(got, want, strict=True):
            assert abs(gw - ww) <= INPUT_POLL_S and abs(gd - wd) <= INPUT_POLL_S, kind


def test_history_trouble_is_a_notification_only_when_they_are_on() -> None:
    on = Sim(quick())
    assert [e.title for e in on.send(HistoryNotSaved("disk full")) if isinstance(e, Notify)] == [
        "sitbreak: history not saved yet"]
    off = Sim(quick(notifications=False))
    assert not [e for e in off.send(HistoryNotSaved("disk full")) if isinstance(e, Notify)]


def _ring_steps_shown(sim: Sim, seconds: float) -> list[int]:
    """Tick only when the core asks, for `seconds`; the ring step at each tray update."""
    shown, end = [], sim.mono + seconds
    while sim.mono < end - 1e-9:
        dt = min(next_wake(sim.state), end) - sim.mono
        sim.mono, sim.wall = sim.mono + dt, sim.wall + dt
        if any(isinstance(e, UpdateTray) for e in sim.tick()):
            shown.append(ring_step(sim.state))
    return shown


def test_over_a_two_minute_break_the_ring_fills_step_by_step() -> None:
    """The way it was found: the tray was told once a minute, so its 24-step ring jumped."""
    sim = Sim(Settings(sitting=SittingSettings(break_after=600),
                       breaks=BreakSettings(heads_up=0, length=120),
                       posture=PostureSettings(every=0)))
    sim.send(TakeBreakNow())
    shown = _ring_steps_shown(sim, 119.0)
    assert len(set(shown)) >= 22 and shown == sorted(shown)


def test_while_sitting_every_ring_step_reaches_the_tray() -> None:
    sim = Sim(quick())
    shown = _ring_steps_shown(sim, 599.0)
    assert sorted(set(shown)) == list(range(1, RING_STEPS + 1))

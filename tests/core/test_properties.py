"""Properties of the engine over random event sequences (hypothesis)."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.fakes import Sim
from tray_app.core.effects import CloseBreak, ShowBreak, WakeAt
from tray_app.core.events import (
    Done,
    Hold,
    Pause,
    Resume,
    Skip,
    Snooze,
    Suspending,
    TakeBreakNow,
)
from tray_app.core.model import (
    BreakSettings,
    Phase,
    ScheduleSettings,
    Settings,
    SittingSettings,
    SnoozeSettings,
)
from tray_app.core.state import Refused
from tray_app.core.views import break_view

SMALL = Settings(
    sitting=SittingSettings(idle_reset=120, break_after=600),
    breaks=BreakSettings(heads_up=30, length=60),
    snooze=SnoozeSettings(options=(60, 120), max_per_break=2),
    schedule=ScheduleSettings(hours=((8 * 60, 20 * 60),)),
)

actions = st.one_of(
    st.tuples(st.just("work"), st.floats(1, 400)),
    st.tuples(st.just("idle"), st.floats(1, 400)),
    st.tuples(st.just("sleep"), st.floats(31, 3 * 3600)),
    st.tuples(st.just("lock"), st.floats(1, 400)),
    st.tuples(st.just("cmd"), st.sampled_from(
        [TakeBreakNow(), Snooze(), Snooze(90), Skip(), Done(), Pause(seconds=300), Pause(),
         Resume(), Suspending(), Hold("fullscreen window"), Hold(None)]
    )),
)


def drive(sim: Sim, plan) -> list:
    """Run a plan; return (phase, sitting delta, counted-away?) per step."""
    trace = []
    for what, arg in plan:
        before = sim.state.today_sitting_s
        day = sim.state.day
        phase = sim.state.phase
        if what == "work":
            sim.run(arg)
        elif what == "idle":
            sim.run(arg, active=False)
        elif what == "sleep":
            sim.sleep(arg)
            sim.idle = 0
        elif what == "lock":
            sim.locked = True
            sim.run(arg)
            sim.locked = False
        else:
            with contextlib.suppress(Refused):
                sim.send(arg)
        trace.append((what, arg, phase, before, sim.state.today_sitting_s, day, sim.state.day))
    return trace


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actions, max_size=30))
# Found by hypothesis: the tick on which a pause ran out counted its whole interval as sitting.
@example(plan=[("cmd", Pause(seconds=300)), ("work", 181.0), ("idle", 119.0)])
def test_invariants(plan) -> None:
    sim = Sim(settings=SMALL, heartbeat=10)
    trace = drive(sim, plan)
    s = sim.state
    # Snoozes never exceed the maximum.
    assert s.snoozes_used <= SMALL.snooze.max_per_break
    # The last view sent is the state's view: shown while there is one, closed when not.
    views = [e for e in sim.effects if isinstance(e, ShowBreak | CloseBreak)]
    last = views[-1] if views else None
    now = break_view(s)
    if now is None:
        assert last is None or isinstance(last, CloseBreak)
    else:
        assert isinstance(last, ShowBreak) and last.view.key() == now.key()
    # No deadline lies in the past.
    wakes = [e for e in sim.effects if isinstance(e, WakeAt)]
    assert wakes[-1].mono >= s.mono
    # Sitting never accrues while asleep, paused or off hours.
    for what, _arg, phase, before, after, day0, day1 in trace:
        if day0 != day1:
            continue
        if what == "sleep":
            assert after <= before + 1e-6
        if phase in (Phase.PAUSED, Phase.OFF_HOURS) and what in ("idle", "sleep"):
            assert after <= before + 1e-6


@settings(max_examples=100, deadline=None)
@given(st.floats(121, 5000))
def test_idle_never_counts_past_the_reset(idle_for: float) -> None:
    sim = Sim(settings=SMALL, heartbeat=10)
    sim.run(300)
    sitting = sim.state.today_sitting_s
    sim.run(idle_for, active=False)
    assert sim.state.today_sitting_s <= sitting + 1e-6
    assert sim.state.phase is Phase.AWAY


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.floats(1, 500)), max_size=20))
def test_paused_never_sits(plan) -> None:
    sim = Sim(settings=SMALL, heartbeat=10)
    sim.send(Pause())
    for active, secs in plan:
        sim.run(secs, active=active)
    assert sim.state.phase is Phase.PAUSED
    assert sim.state.today_sitting_s == 0

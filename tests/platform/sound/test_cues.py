"""Which sound each step of the core asks for (core/cues.py), on the fake clock."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tests.fakes import Sim, exercise
from tray_app.core.cues import cue
from tray_app.core.effects import Effect, PlanBreak
from tray_app.core.events import BreakPlanned, Done, Event, Hold, Snooze, TakeBreakNow
from tray_app.core.machine import step
from tray_app.core.model import Phase, PostureSettings, Settings, SoundSettings

MIN = 60.0
PLAIN = Settings(posture=PostureSettings(every=0))
ROUTINE = (exercise("march", 30, 30), exercise("bridge", 20, category="hip-extensors"))


@dataclass
class Heard(Sim):
    """The fake clock's machine, noting the cue the runtime would play after each step."""

    cues: list[str] = field(default_factory=list)

    def send(self, event: Event) -> list[Effect]:
        before = self.state
        self.state, fx = step(self.state, event)
        name = cue(before, self.state, fx)
        if name is not None:
            self.cues.append(name)
        self.effects.extend(fx)
        if any(isinstance(e, PlanBreak) for e in fx):
            fx = fx + self.send(BreakPlanned(*self.plan))
        return fx


def test_a_break_sounds_when_due_at_each_step_and_at_its_end() -> None:
    sim = Heard(settings=PLAIN, plan=(ROUTINE, ()))
    sim.run(50 * MIN + 5)
    assert sim.state.phase is Phase.BREAK_DUE
    assert sim.cues == ["start"]
    sim.send(TakeBreakNow())
    assert sim.cues == ["start"]  # the user pressed Start: they are there
    sim.run(81)  # march's two steps (30 s each), then bridge's one step (20 s) runs out
    assert sim.cues == ["start", "step", "step", "end"]
    assert sim.state.phase is not Phase.ON_BREAK


def test_take_a_break_now_is_quiet_until_its_first_step_changes() -> None:
    sim = Heard(settings=PLAIN, plan=(ROUTINE, ()))
    sim.run(10 * MIN)
    sim.send(TakeBreakNow())  # planned after it started: the routine arrives while it runs
    assert sim.state.phase is Phase.ON_BREAK and sim.state.session.planned
    assert sim.cues == []
    sim.run(31)
    assert sim.cues == ["step"]


def test_done_early_also_ends_with_the_end_sound() -> None:
    sim = Heard(settings=PLAIN, plan=(ROUTINE, ()))
    sim.run(50 * MIN + 5)
    sim.send(TakeBreakNow())
    sim.run(10)
    sim.send(Done())
    assert sim.cues == ["start", "end"]


def test_a_reoffer_after_a_snooze_sounds_again() -> None:
    sim = Heard(settings=PLAIN, plan=(ROUTINE, ()))
    sim.run(50 * MIN + 5)
    sim.send(Snooze(5 * MIN))
    sim.run(5 * MIN + 5)
    assert sim.state.phase is Phase.BREAK_DUE
    assert sim.cues == ["start", "start"]


def test_silent_when_off_at_volume_zero_and_while_a_hold_is_on() -> None:
    for sound in (SoundSettings(enabled=False), SoundSettings(volume=0)):
        sim = Heard(settings=replace(PLAIN, sound=sound), plan=(ROUTINE, ()))
        sim.run(50 * MIN + 5)
        sim.send(TakeBreakNow())
        sim.run(81)
        assert sim.cues == [], sound
    sim = Heard(settings=PLAIN, plan=(ROUTINE, ()))
    sim.run(50 * MIN + 5)
    sim.send(TakeBreakNow())
    sim.send(Hold("microphone in use"))  # a call began during the break
    sim.run(81)
    assert sim.cues == ["start"]

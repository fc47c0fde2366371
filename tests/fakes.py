"""A fake clock driving the pure core: whole days run in milliseconds, never sleeping."""

from __future__ import annotations

from dataclasses import dataclass, field

from tray_app.core.effects import CloseBreak, Effect, Notify, PlanBreak, Record, ShowBreak, WakeAt
from tray_app.core.events import BreakPlanned, Event, Tick
from tray_app.core.exercise import Exercise, Step
from tray_app.core.machine import step
from tray_app.core.model import Settings
from tray_app.core.state import State, initial_state

# Monday 2026-11-23 08:00 UTC.
MONDAY_MIDNIGHT = 1_795_392_000.0
MONDAY_8AM = MONDAY_MIDNIGHT + 8 * 3600


@dataclass
class Sim:
    settings: Settings = field(default_factory=Settings)
    wall: float = MONDAY_8AM
    mono: float = 10_000.0
    idle: float = 0.0
    offset: int = 0
    locked: bool = False
    heartbeat: float = 5.0
    # What the shell answers to PlanBreak: (routine, spare routines); empty means a plain
    # timed break.
    plan: tuple[tuple[Exercise, ...], tuple[tuple[Exercise, ...], ...]] = ((), ())
    state: State = field(init=False)
    effects: list[Effect] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.state = initial_state(self.settings)
        self.tick()

    def send(self, event: Event) -> list[Effect]:
        self.state, fx = step(self.state, event)
        self.effects.extend(fx)
        if any(isinstance(e, PlanBreak) for e in fx):  # the shell answers at once, as runtime does
            fx = fx + self.send(BreakPlanned(*self.plan))
        return fx

    def tick(self) -> list[Effect]:
        return self.send(Tick(self.mono, self.wall, self.idle, self.offset, self.locked))

    def run(self, seconds: float, active: bool = True) -> None:
        """Let `seconds` pass in heartbeats; `active=False` means no input (idle grows)."""
        left = seconds
        while left > 1e-9:
            dt = min(self.heartbeat, left)
            self.mono += dt
            self.wall += dt
            self.idle = 0.0 if active else self.idle + dt
            left -= dt
            self.tick()

    def sleep(self, seconds: float) -> None:
        """Suspend: wall time moves, the monotonic clock does not (Linux, macOS)."""
        self.wall += seconds
        self.idle += seconds
        self.tick()

    def rows(self, kind: str) -> list:
        return [e.row for e in self.effects if isinstance(e, Record) and e.row.kind == kind]

    def notes(self, kind: str) -> list[Notify]:
        return [e for e in self.effects if isinstance(e, Notify) and e.kind == kind]

    def shows(self) -> list[ShowBreak]:
        return [e for e in self.effects if isinstance(e, ShowBreak)]

    def opens(self) -> list[ShowBreak]:
        """ShowBreak effects that open a window (none was showing before them)."""
        out, showing = [], False
        for e in self.effects:
            if isinstance(e, ShowBreak):
                if not showing:
                    out.append(e)
                showing = True
            elif isinstance(e, CloseBreak):
                showing = False
        return out

    def last_wake(self) -> float:
        return [e for e in self.effects if isinstance(e, WakeAt)][-1].mono

    def clear(self) -> None:
        self.effects.clear()


def exercise(ident: str, *steps: int, category: str = "core", where: str = "chair") -> Exercise:
    """A small exercise for core tests: one step per number of seconds."""
    return Exercise(ident, ident.title(), category, where,
                    tuple(Step(f"{ident} step {i + 1}", n) for i, n in enumerate(steps)), "", "")

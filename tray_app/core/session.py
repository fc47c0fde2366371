"""The break session as plain data: which exercises, which step, since when, what was done.

The core owns it (State.session); the window, the notification, the tray and the CLI only show
it. Every method takes the monotonic time it acts at and returns a new session, so the machine
drives it from ticks and tests drive it without a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tray_app.core.exercise import Exercise, gets_up
from tray_app.core.picker import can_follow

# Exercises run back to back in a break.
Routine = tuple[Exercise, ...]

# A break counts as completed when at least this share of its planned time ran after it started.
COMPLETE_SHARE = 0.8


@dataclass(frozen=True)
class ExerciseDone:
    """One exercise begun in a break, with the seconds actually spent on it."""

    exercise_id: str
    category: str
    seconds: float
    where: str = ""  # chair, standing or floor: the statistics count breaks done standing


@dataclass(frozen=True)
class Session:
    """A break from the moment it is offered until it ends.

    `routine` runs back to back; `spares` are whole routines "Another exercise" swaps in for
    what is left of it. Before the shell has planned the exercises (`planned` False) or when
    there are none, the break is one step of `fallback_s` seconds. `running_since` is None until
    the user starts the break.
    """

    fallback_s: float = 120.0
    routine: Routine = ()
    spares: tuple[Routine, ...] = ()
    planned: bool = False
    index: int = 0  # the exercise on show, in routine
    step: int = 0  # the step on show, in that exercise
    running_since: float | None = None
    step_since: float = 0.0
    exercise_since: float = 0.0
    done: tuple[ExerciseDone, ...] = ()  # exercises finished or swapped away, in order
    # Seconds spent on exercises swapped away part-done: they ran, so the break's length
    # counts them (else a late swap would make Done count as completed sooner).
    swapped_s: float = 0.0

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def exercise(self) -> Exercise | None:
        return self.routine[self.index] if self.routine else None

    @property
    def planned_seconds(self) -> float:
        """The break's length: its routine as it stands (after any swap) plus the time spent on
        exercises swapped away part-done, or the fallback."""
        if not self.routine:
            return self.fallback_s
        return self.swapped_s + _length(self.routine)

    def step_seconds(self) -> float:
        ex = self.exercise
        return float(ex.steps[self.step].seconds) if ex is not None else self.fallback_s

    def step_ends(self) -> float | None:
        """When the step on show runs out (None before the break starts)."""
        return self.step_since + self.step_seconds() if self.running else None

    def is_last_step(self) -> bool:
        ex = self.exercise
        if ex is None:
            return True
        return self.index == len(self.routine) - 1 and self.step == len(ex.steps) - 1

    def elapsed(self, mono: float) -> float:
        """Seconds since the break started (0 before)."""
        return max(0.0, mono - self.running_since) if self.running_since is not None else 0.0

    def seconds_done(self, mono: float) -> float:
        """Seconds spent on the break's exercises (on the break itself when it has none)."""
        if not self.routine:
            return self.elapsed(mono)
        return sum(e.seconds for e in self.exercises_done(mono))

    def exercises_done(self, mono: float) -> tuple[ExerciseDone, ...]:
        """Every exercise begun so far with its seconds, the one on show up to `mono`."""
        ex = self.exercise
        if not self.running or ex is None:
            return self.done
        spent = max(0.0, mono - self.exercise_since)
        if spent <= 0:
            return self.done
        return (*self.done, ExerciseDone(ex.id, ex.category, spent, ex.where))

    def completes(self, mono: float) -> bool:
        """Whether Done now is an honest *completed* (else it ended early)."""
        return self.elapsed(mono) >= COMPLETE_SHARE * self.planned_seconds - 1e-6

    def time_left(self, mono: float) -> float:
        return max(0.0, self.planned_seconds - self.elapsed(mono))

    # --- changes ---------------------------------------------------------------------------

    def with_plan(self, routine: Routine, spares: tuple[Routine, ...]) -> Session:
        return replace(self, routine=routine, spares=spares, planned=True, index=0, step=0)

    def start(self, mono: float) -> Session:
        return replace(
            self, running_since=mono, step_since=mono, exercise_since=mono, index=0, step=0
        )

    def next_step(self, mono: float) -> tuple[Session, bool]:
        """Move on one step (into the next exercise after an exercise's last step).

        Returns (session, finished): finished after the routine's last step.
        """
        ex = self.exercise
        if ex is None or self.is_last_step():
            return self._close_exercise(mono), True
        if self.step < len(ex.steps) - 1:
            return replace(self, step=self.step + 1, step_since=mono), False
        s = self._close_exercise(mono)
        return replace(s, index=self.index + 1, step=0, step_since=mono, exercise_since=mono), False

    def run_to(self, mono: float) -> tuple[Session, bool]:
        """Let time pass: steps whose countdown ran out move on (several, after a stall)."""
        s = self
        while s.running:
            ends = s.step_ends()
            if ends is None or mono < ends:
                return s, False
            s, finished = s.next_step(ends)
            if finished:
                return s, True
        return s, False

    def spare_for(self, mono: float) -> int | None:
        """Which spare "Another exercise" swaps in at `mono`, or None when none may: of those
        that may follow what was done, the one whose length is nearest the time left, so the
        break stays about as long as planned; the first of equals."""
        fitting = self._fitting()
        if not fitting:
            return None
        left = self.time_left(mono)
        return min(fitting, key=lambda i: abs(_length(self.spares[i]) - left))

    def can_swap(self) -> bool:
        """Whether "Another exercise" has something to swap in."""
        return bool(self._fitting())

    def _fitting(self) -> list[int]:
        # The spares that may take over after the exercises done (picker.can_follow); a break
        # that got the user out of the chair keeps doing so after a swap.
        if self.exercise is None:
            return []
        kept = self.routine[: self.index]
        up = gets_up(self.routine)
        return [i for i, r in enumerate(self.spares)
                if can_follow(kept, r) and (not up or gets_up((*kept, *r)))]

    def another(self, mono: float) -> Session:
        """Keep the exercises already done and swap what is left of the routine (the one on
        show and those after it) for a spare routine; what was swapped out goes to the back of
        the spares, and the part of the one on show already done is recorded."""
        chosen = self.spare_for(mono)
        if chosen is None:
            return self
        spent = max(0.0, mono - self.exercise_since) if self.running else 0.0
        s = self._close_exercise(mono)
        spares = (*self.spares[:chosen], *self.spares[chosen + 1 :], self.routine[self.index :])
        return replace(
            s, routine=(*self.routine[: self.index], *self.spares[chosen]), spares=spares,
            step=0, step_since=mono, exercise_since=mono, swapped_s=self.swapped_s + spent,
        )

    def _close_exercise(self, mono: float) -> Session:
        ex = self.exercise
        if ex is None or not self.running:
            return self
        spent = max(0.0, mono - self.exercise_since)
        if spent <= 0:
            return self
        return replace(self, done=(*self.done, ExerciseDone(ex.id, ex.category, spent, ex.where)),
                       exercise_since=mono)


@dataclass(frozen=True)
class BreakView:
    """Everything a view of the break shows: the same for the window, console and status.

    Times are seconds at the moment the view was made; `allowed` are the command names the
    user may send now (buttons), `snooze_options` the snooze lengths left.
    """

    routine: tuple[str, ...]
    spares: tuple[tuple[str, ...], ...]  # each spare routine's exercise ids
    index: int
    step: int
    running: bool
    strict: bool
    allowed: tuple[str, ...]
    snooze_options: tuple[int, ...]
    step_seconds: int
    step_left_s: float
    seconds_done: float
    planned_seconds: float

    def key(self) -> tuple[object, ...]:
        """What changes the picture (the countdown itself runs in the view)."""
        return (self.routine, self.spares, self.index, self.step, self.running, self.strict,
                self.allowed, self.snooze_options)


def _length(routine: Routine) -> float:
    return float(sum(ex.seconds for ex in routine))

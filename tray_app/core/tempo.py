"""Timing inside an exercise: the rules every step's numbers keep, and where a step is at a
moment (which repetition, which picture frame), so the break window's picture and rep counter
follow the words instead of flipping once a second.

A step's `reps` repetitions each take `tempo` seconds of movement and `hold` seconds held
still (core.exercise.Step). The step begins with a little slack to get into position; a
repetition moves for the first half of its tempo, holds, and moves back for the second half.
Pure: time is passed in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tray_app.core.exercise import Exercise, Step

# Seconds a counted step gives beyond its work: to get into position, or to change sides.
SLACK_S = 3
# The slowest a repetition may go is unlimited; the quickest, unless the words ask for
# "quicker" ones: controlled movement, not a swing.
MIN_TEMPO_S = 2.0
# A stretch is held 20-30 s (ACSM: 10-30 s gives most of the gain); a strength or core hold at
# most 10 s, breathing, then a rest (McGill's short holds for trunk endurance).
STRETCH_HOLD_S = (20.0, 30.0)
WORK_HOLD_MAX_S = 10.0
# A rest the words name ("relax 3 s") sits inside the tempo, with a second to move.
REST = re.compile(r"\b(?:rest|relax|ease off)\w*,? (\d+) s\b", re.IGNORECASE)


def timing_problems(exercise: Exercise) -> list[str]:
    """Where an exercise's numbers break the rules above (empty when none do)."""
    out: list[str] = []
    for n, step in enumerate(exercise.steps, start=1):
        where = f"{exercise.id} step {n}"
        if step.work and step.seconds < step.work + SLACK_S:
            out.append(f"{where}: {step.seconds} s leaves less than {SLACK_S} s beyond its "
                       f"{step.work:g} s of work to get into position")
        if step.tempo and step.tempo < MIN_TEMPO_S and "quicker" not in step.text.lower():
            out.append(f"{where}: {step.tempo:g} s a repetition is faster than controlled")
        rest = REST.search(step.text)
        if rest and step.reps and (step.tempo or 0) < int(rest.group(1)) + 1:
            out.append(f"{where}: the words rest {rest.group(1)} s, but a repetition has only "
                       f"{step.tempo or 0:g} s besides its hold")
        if step.hold:
            low, high = STRETCH_HOLD_S if exercise.category == "stretch" else (0, WORK_HOLD_MAX_S)
            if not low <= step.hold <= high:
                out.append(f"{where}: a {step.hold:g} s hold; {exercise.category} holds are "
                           f"{low:g}-{high:g} s")
    return out


@dataclass(frozen=True)
class Moment:
    """Where a step is at some second: the repetition under way (1-based; 0 before the first
    and for a step without repetitions) and whether the body is at the working position."""

    rep: int
    reps: int
    working: bool


def moment(step: Step, t: float) -> Moment:
    """The moment `t` seconds into `step`. The slack comes first (getting into position, at
    rest); a held step without repetitions is at work all through its hold."""
    reps = step.reps or (1 if step.work else 0)
    if not step.work:
        return Moment(0, 0, False)
    each = (step.tempo or 0.0) + (step.hold or 0.0)
    start = max(0.0, step.seconds - step.work)  # the slack before the first repetition
    if t < start:
        return Moment(0, reps, False)
    k = min(reps - 1, math.floor((t - start) / each)) if each > 0 else 0
    phase = t - start - k * each
    half = (step.tempo or 0.0) / 2
    # With a hold, at work while holding; a movement without one, for its second half.
    working = half <= phase < half + step.hold if step.hold else phase >= half
    return Moment(k + 1, reps, working)


def frame_at(step: Step, t: float, frames: int, alternating: bool, *,
             setup: bool = False, counted: int = 0) -> int:
    """Which of an exercise's picture frames to show `t` seconds into `step`. Frames are
    working pose first, rest pose last; when every frame is a working pose (`alternating`:
    right side, left side), repetition k shows frame k, for the whole repetition. Several
    working poses before the rest pose are sides held step by step (right, then left): the
    exercise's `counted`-th step with counted work (0-based) works in pose `counted`. A hold
    stays on one frame. A step without counted work shows the start when it is the `setup`
    (the exercise's first step), else the position its words build up to."""
    if frames <= 1:
        return 0
    m = moment(step, t)
    if alternating:
        return max(0, m.rep - 1) % frames
    if not step.work:
        return frames - 1 if setup else 0
    return counted % (frames - 1) if m.working else frames - 1

"""Exercise records as plain data; the catalogue file is loaded into these by tray_app.exercises."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("psoas-strength", "psoas-mobility", "hip-extensors", "core", "posture", "stretch")
PLACES = ("chair", "standing", "floor")
# Tag for movements that extend (arch) the lumbar spine; such an exercise carries a caution
# for spondylolisthesis and stenosis, and users can exclude the tag.
BACK_BEND = "back-bend"


@dataclass(frozen=True)
class Step:
    """One timed step. `reps`, `tempo` and `hold` say how much work it holds.

    `reps` repetitions, each taking `tempo` seconds of movement plus `hold` seconds held still;
    a step with `hold` and no `reps` is one hold. The window advances when `seconds` run out, so
    `seconds` must be at least `work`, or the last repetitions would be cut off.
    """

    text: str
    seconds: int
    reps: int | None = None
    tempo: float | None = None
    hold: float | None = None

    @property
    def work(self) -> float:
        """Seconds the repetitions and holds need (0 for a step without counted work)."""
        if self.tempo is None and self.hold is None:
            return 0.0
        return (self.reps or 1) * ((self.tempo or 0.0) + (self.hold or 0.0))


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    category: str
    where: str
    steps: tuple[Step, ...]
    cue: str
    why: str
    cautions: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def seconds(self) -> int:
        """Total duration: the sum of the steps, so the two can never disagree."""
        return sum(s.seconds for s in self.steps)

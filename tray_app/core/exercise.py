"""Exercise records as plain data; the catalogue file is loaded into these by tray_app.exercises."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tray_app.core.text import Text

CATEGORIES = ("psoas-strength", "psoas-mobility", "hip-extensors", "core", "posture", "stretch")
PLACES = ("chair", "standing", "floor")
# How the windows, the closing screen and the statistics name them: the ids are the settings'
# words, so the English shows the id; translators give each its language's name.
CATEGORY_NAMES: dict[str, Text] = {
    # Translators: an exercise category (strengthening the psoas), as the windows name it
    "psoas-strength": Text("psoas-strength"),
    # Translators: an exercise category (moving the psoas through its range), as shown
    "psoas-mobility": Text("psoas-mobility"),
    # Translators: an exercise category (glutes and hamstrings), as the windows name it
    "hip-extensors": Text("hip-extensors"),
    # Translators: an exercise category (trunk muscles that support the spine), as shown
    "core": Text("core"),
    # Translators: an exercise category (how one sits and stands), as the windows name it
    "posture": Text("posture"),
    # Translators: an exercise category, as the windows name it
    "stretch": Text("stretch"),
    # Translators: the category of the stand-up-and-walk step of a break
    "walk": Text("walk"),
}
PLACE_NAMES: dict[str, Text] = {
    # Translators: where an exercise is done: on a chair
    "chair": Text("chair"),
    # Translators: where an exercise is done: standing
    "standing": Text("standing"),
    # Translators: where an exercise is done: on the floor
    "floor": Text("floor"),
}


def category_name(category: str) -> str:
    """The category as shown (a user's own category shows as written)."""
    return CATEGORY_NAMES.get(category, category)


def place_name(where: str) -> str:
    """The place as shown."""
    return PLACE_NAMES.get(where, where)


# Tag for movements that extend (arch) the lumbar spine; such an exercise carries a caution
# for spondylolisthesis and stenosis, and users can exclude the tag.
BACK_BEND = "back-bend"
# Places that take the user out of the chair (getting down to the floor means standing up).
UP_PLACES = frozenset({"standing", "floor"})
# The category of the stand-up-and-walk step (`stand_and_walk`), not one of the catalogue's.
WALK = "walk"
WALK_ID = "stand-up-and-walk"


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


def stand_and_walk(seconds: float) -> Exercise:
    """The step a break gets when the user allows standing but no standing exercise fits it:
    every break gets them out of the chair, which is where most of a break's good lies."""
    return Exercise(
        WALK_ID, "Stand up and walk", WALK, "standing",
        (Step("Stand up and walk about: round the room, to a window, or on the spot, letting "
              "the arms swing.", max(1, round(seconds))),),
        "Easy pace; let the hips and the arms swing freely.",
        "Getting up and moving regularly is what counts most against long sitting.",
    )  # fmt: skip


def gets_up(routine: Sequence[Exercise]) -> bool:
    """Whether a routine takes the user out of the chair."""
    return any(e.where in UP_PLACES for e in routine)

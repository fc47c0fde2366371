"""An exercise in the user's language, for every view that shows one (the break window, the
console prompt, `sitbreak exercises list/show`, the settings window): the one place its words
are translated.

The catalogue and the core keep English (the tag rule reads the English steps, logs and history
name exercises by id); scripts/update_translations extracts the built-in exercises' words from
catalogue.toml, so a user's own exercise file shows as written.
"""

from __future__ import annotations

from dataclasses import replace

from tray_app.core.exercise import Exercise
from tray_app.support.i18n import language, tr


def shown(exercise: Exercise) -> Exercise:
    """`exercise` with its name, steps, tip, reason and cautions in the user's language."""
    if language() == "en":
        return exercise
    return replace(
        exercise,
        name=tr(exercise.name),
        steps=tuple(replace(s, text=tr(s.text)) for s in exercise.steps),
        cue=tr(exercise.cue),
        why=tr(exercise.why),
        cautions=tuple(tr(c) for c in exercise.cautions),
    )

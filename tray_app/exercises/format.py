"""Exercises as text and JSON: `sitbreak exercises list/show`, and the one home of the words
every view of an exercise shares (its cautions and tags: `care_lines`), so the break window, the
console prompt and `exercises show` can never say different things."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from tray_app.core.duration import exact as duration  # "1 min 25 s": exercise times
from tray_app.core.exercise import Exercise, Step
from tray_app.core.model import Settings
from tray_app.core.safety import SAFETY_LINE


def _only(exercises: Sequence[Exercise], category: str | None) -> list[Exercise]:
    return [e for e in exercises if category is None or e.category == category]


def list_text(exercises: Sequence[Exercise], category: str | None = None) -> str:
    """A table of id, category, where, duration and name, one exercise a line."""
    header = ("ID", "CATEGORY", "WHERE", "TIME", "NAME")
    rows = [header] + [
        (e.id, e.category, e.where, duration(e.seconds), e.name) for e in _only(exercises, category)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(r, widths, strict=False)), r[-1]]) for r in rows
    ]
    return "\n".join(lines)


def as_dict(exercise: Exercise) -> dict[str, Any]:
    """The JSON shape of one exercise (the `list --json` contract)."""
    return {
        "id": exercise.id,
        "name": exercise.name,
        "category": exercise.category,
        "where": exercise.where,
        "seconds": exercise.seconds,
        "steps": [_step_dict(s) for s in exercise.steps],
        "cue": exercise.cue,
        "why": exercise.why,
        "cautions": list(exercise.cautions),
        "tags": list(exercise.tags),
    }


def _step_dict(step: Step) -> dict[str, Any]:
    # reps, tempo and hold are null for a step without counted work.
    return {"text": step.text, "seconds": step.seconds, "reps": step.reps, "tempo": step.tempo,
            "hold": step.hold}  # fmt: skip


def list_json(exercises: Sequence[Exercise], category: str | None = None) -> str:
    """A JSON array of exercise objects (see `as_dict`)."""
    return json.dumps([as_dict(e) for e in _only(exercises, category)], indent=2)


def _timing(step: Step) -> str:
    """'40 s', or with counted work '40 s: 5 × 3 s + 5 s hold'."""
    if not step.work:
        return f"{step.seconds} s"
    parts = [f"{v:g} s{name}" for name, v in (("", step.tempo), (" hold", step.hold)) if v]
    return f"{step.seconds} s: {step.reps or 1} × {' + '.join(parts)}"


def coverage_lines(exercises: Sequence[Exercise], settings: Settings) -> list[str]:
    """What `settings` cannot offer from `exercises` (all of them, before places and
    exclusions), in words (core.picker.coverage): for `sitbreak exercises --check` and the
    settings window."""
    from tray_app.core.picker import coverage
    from tray_app.exercises.loader import select

    chosen = select(exercises, settings.exercises)
    return coverage(chosen, settings.breaks.length, stand="standing" in settings.exercises.places)


def check_text(exercises: Sequence[Exercise], settings: Settings) -> str:
    """`sitbreak exercises --check`: what the settings cannot offer, or that they offer all."""
    lines = coverage_lines(exercises, settings)
    if not lines:
        return (f"Every category can be offered at breaks of {duration(settings.breaks.length)}"
                f" with {', '.join(settings.exercises.places)}, and every break gets you up"
                if "standing" in settings.exercises.places else
                f"Every category can be offered at breaks of {duration(settings.breaks.length)}"
                f" with {', '.join(settings.exercises.places)}") + "."
    return "\n".join(["What these settings cannot offer:", *(f"  - {line}" for line in lines)])


def care_lines(exercise: Exercise) -> list[str]:
    """The exercise's own cautions and what it involves (its tags), one line each: shown by
    `exercises show`, by the break window before Start and on the exercise's first step, and
    by the console prompt. Empty when it has neither."""
    lines = [f"Take care: {caution}" for caution in exercise.cautions]
    if exercise.tags:
        lines.append(f"Involves: {', '.join(exercise.tags)}")
    return lines


def show_text(exercise: Exercise, width: int = 78) -> str:
    """Everything about one exercise, ending with the safety line."""
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    lines = [
        exercise.name,
        "=" * len(exercise.name),
        f"Category: {exercise.category}   Where: {exercise.where}   "
        f"Takes: {duration(exercise.seconds)}",
        "",
    ]
    for number, step in enumerate(exercise.steps, start=1):
        lines += wrap.wrap(f"{number:>2}. {step.text} ({_timing(step)})")
    lines += ["", *textwrap.wrap(f"Cue: {exercise.cue}", width)]
    lines += textwrap.wrap(f"Why: {exercise.why}", width)
    for line in care_lines(exercise):
        lines += textwrap.wrap(line, width, subsequent_indent="    ")
    lines += ["", *textwrap.wrap(SAFETY_LINE, width)]
    return "\n".join(lines)

"""Exercises as text and JSON: `sitbreak exercises list/show`, and the one home of the words
every view of an exercise shares (its cautions and tags: `care_lines`), so the break window, the
console prompt and `exercises show` can never say different things."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from tray_app.core.exercise import Exercise, Step, category_name, place_name
from tray_app.core.model import Settings
from tray_app.core.safety import SAFETY_LINE
from tray_app.exercises.shown import shown
from tray_app.support.i18n import _, number, tr
from tray_app.support.i18n import duration as localised  # "1 min 25 s": exercise times


def _only(exercises: Sequence[Exercise], category: str | None) -> list[Exercise]:
    return [e for e in exercises if category is None or e.category == category]


def list_text(exercises: Sequence[Exercise], category: str | None = None) -> str:
    """A table of id, category, where, duration and name, one exercise a line (the name in the
    user's language; ids, categories and places are the settings' words)."""
    header = (_("ID"), _("CATEGORY"), _("WHERE"), _("TIME"), _("NAME"))
    rows = [header] + [
        (e.id, e.category, e.where, localised(e.seconds, exact=True), tr(e.name))
        for e in _only(exercises, category)
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
    seconds = _("{s} s").format(s=step.seconds)
    if not step.work:
        return seconds
    parts = []
    if step.tempo:
        parts.append(_("{s} s").format(s=number(step.tempo, _digits(step.tempo))))
    if step.hold:
        parts.append(_("{s} s hold").format(s=number(step.hold, _digits(step.hold))))
    return f"{seconds}: {step.reps or 1} × {' + '.join(parts)}"


def _digits(value: float) -> int:
    return 0 if float(value).is_integer() else 1


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
        words = {"duration": localised(settings.breaks.length, exact=True),
                 "places": ", ".join(settings.exercises.places)}
        if "standing" in settings.exercises.places:
            return _("Every category can be offered at breaks of {duration} with {places}, and "
                     "every break gets you up.").format(**words)
        return _("Every category can be offered at breaks of {duration} with {places}."
                 ).format(**words)
    return "\n".join([_("What these settings cannot offer:"),
                      *(f"  - {tr(line)}" for line in lines)])


def care_lines(exercise: Exercise) -> list[str]:
    """The exercise's own cautions and what it involves (its tags), one line each: shown by
    `exercises show`, by the break window before Start and on the exercise's first step, and
    by the console prompt. Empty when it has neither. `exercise` is as shown (shown.shown):
    its cautions are in the user's language already."""
    lines = [_("Take care: {caution}").format(caution=c) for c in exercise.cautions]
    if exercise.tags:  # the tags are the settings' words ([exercises] exclude): kept as they are
        lines.append(_("Involves: {tags}").format(tags=", ".join(exercise.tags)))
    return lines


def show_text(exercise: Exercise, width: int = 78) -> str:
    """Everything about one exercise, ending with the safety line."""
    exercise = shown(exercise)
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ")
    lines = [
        exercise.name,
        "=" * len(exercise.name),
        _("Category: {category}   Where: {where}   Takes: {duration}").format(
            category=tr(category_name(exercise.category)), where=tr(place_name(exercise.where)),
            duration=localised(exercise.seconds, exact=True)),
        "",
    ]
    for n, step in enumerate(exercise.steps, start=1):
        lines += wrap.wrap(f"{n:>2}. {step.text} ({_timing(step)})")
    lines += ["", *textwrap.wrap(_("Cue: {cue}").format(cue=exercise.cue), width)]
    lines += textwrap.wrap(_("Why: {why}").format(why=exercise.why), width)
    for line in care_lines(exercise):
        lines += textwrap.wrap(line, width, subsequent_indent="    ")
    lines += ["", *textwrap.wrap(tr(SAFETY_LINE), width)]
    return "\n".join(lines)

"""The first-run check: plain questions about the body and the room, each answer a set of
exercise tags to exclude (core.tags says what each tag means).

The answers live in the settings as those tags in `[exercises] exclude`, so the Settings window
(its "Never offer" list) changes them later, and `[exercises] screened` says the questions were
answered or skipped. Pure: no input, no files; the CLI and the window ask, this decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tray_app.core.text import Text


@dataclass(frozen=True)
class Question:
    """`text` is asked as a yes/no question; the answer `excludes_on` (True: "yes") leaves out
    every exercise tagged with one of `tags`."""

    id: str
    text: str
    tags: tuple[str, ...]
    excludes_on: bool = True


QUESTIONS: tuple[Question, ...] = (
    Question("pregnant", "Are you pregnant, or did you give birth in the last three months?",
             ("supine", "abdominal-load")),
    Question("spine", "Have you been told you have spondylolisthesis or spinal stenosis?",
             ("back-bend",)),
    Question("hip-replacement", "Have you had a hip replaced?",
             ("deep-hip-flexion", "hip-rotation")),
    Question("knees", "Do your knees hurt when you squat, kneel or climb stairs?",
             ("deep-knee-bend", "kneeling")),
    Question("sciatica", "Does pain, tingling or numbness run down one of your legs?",
             ("nerve-tension",)),
    Question("wrists", "Do your wrists hurt when you lean on your hands?", ("wrist-load",)),
    Question("shoulders", "Does a shoulder hurt when you lift your arm above your head?",
             ("overhead",)),
    Question("bones", "Have you been told you have osteoporosis (thin, fragile bones)?",
             ("spine-twist",)),
    Question("balance", "Are you unsteady on your feet, or have you had a fall this year?",
             ("balance",)),
    Question("desk", "Is there a solid desk or table you can lean on?", ("desk",),
             excludes_on=False),
    Question("wall", "Is there a clear stretch of wall you can stand against?", ("wall",),
             excludes_on=False),
)


def excluded_by(question: Question, answer: bool) -> tuple[str, ...]:
    """The tags this answer leaves out."""
    return question.tags if answer == question.excludes_on else ()


def answers_from(exclude: Iterable[str]) -> dict[str, bool]:
    """What the settings say each question was answered: a question whose tags are all
    excluded has its excluding answer; every other one the other answer (so a form starts
    from the settings as they are)."""
    out = set(exclude)
    return {q.id: q.excludes_on if set(q.tags) <= out else not q.excludes_on
            for q in QUESTIONS}  # fmt: skip


def apply_answers(exclude: Iterable[str], answers: Mapping[str, bool]) -> tuple[str, ...]:
    """`exclude` after the answers: each answered question's tags are put in or taken out;
    unanswered questions and every other entry (ids, the user's own tags) stay as they were.
    (No tag belongs to two questions, so one answer never undoes another.)"""
    answered = [q for q in QUESTIONS if q.id in answers]
    touched = {t for q in answered for t in q.tags}
    wanted = [t for q in answered for t in excluded_by(q, answers[q.id])]
    return tuple(dict.fromkeys([*(t for t in exclude if t not in touched), *wanted]))


def summary(answers: Mapping[str, bool]) -> str:
    """One line: what the answers leave out, in plain tags."""
    tags = [t for q in QUESTIONS if q.id in answers for t in excluded_by(q, answers[q.id])]
    if not tags:
        return Text("Nothing is left out: every exercise may be offered.")
    return Text("Left out: exercises tagged {tags}.", tags=", ".join(dict.fromkeys(tags)))

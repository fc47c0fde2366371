"""Terminal and JSON views of exercises."""

from __future__ import annotations

import json

from tray_app.core.exercise import PLACES
from tray_app.core.model import ExerciseSettings
from tray_app.core.safety import SAFETY_LINE
from tray_app.exercises.format import list_json, list_text, show_text
from tray_app.exercises.loader import load_catalogue
from tray_app.support.i18n import duration

BUILTIN = load_catalogue(ExerciseSettings(places=PLACES))


def test_duration() -> None:
    assert [duration(s, exact=True) for s in (45, 60, 85)] == ["45 s", "1 min", "1 min 25 s"]


def test_list_text_is_a_table_of_every_exercise() -> None:
    lines = list_text(BUILTIN).splitlines()
    assert lines[0].split() == ["ID", "CATEGORY", "WHERE", "TIME", "NAME"]
    assert len(lines) == len(BUILTIN) + 1
    bug = next(line for line in lines if line.startswith("dead-bug "))
    assert "core" in bug and "floor" in bug and "Dead bug" in bug
    # Columns line up: every category starts at the same place.
    starts = {line.index(e.category, len(e.id)) for line, e in zip(lines[1:], BUILTIN, strict=True)}
    assert len(starts) == 1


def test_list_text_filters_by_category() -> None:
    lines = list_text(BUILTIN, "posture").splitlines()[1:]
    assert lines and all(" posture " in line for line in lines)


def test_list_json_fields() -> None:
    data = json.loads(list_json(BUILTIN))
    assert len(data) == len(BUILTIN)
    first = data[0]
    assert set(first) == {"id", "name", "category", "where", "seconds", "steps", "cue", "why",
                          "cautions", "tags"}  # fmt: skip
    assert first["seconds"] == sum(s["seconds"] for s in first["steps"])
    assert set(first["steps"][0]) == {"text", "seconds", "reps", "tempo", "hold"}
    counted = next(s for d in data for s in d["steps"] if s["reps"])
    each = (counted["tempo"] or 0) + (counted["hold"] or 0)
    assert counted["seconds"] >= counted["reps"] * each
    stretches = json.loads(list_json(BUILTIN, "stretch"))
    assert stretches and {d["category"] for d in stretches} == {"stretch"}


def test_show_text_has_everything() -> None:
    bug = next(e for e in BUILTIN if e.id == "bird-dog")
    text = show_text(bug)
    assert text.startswith("Bird dog\n")
    assert "Category: core" in text and "Where: floor" in text and "Takes: 1 min 18 s" in text
    assert " 1. Get down onto the mat on all fours" in text and "(15 s)" in text
    assert " 2. " in text and "(63 s: 10 × 3 s + 3 s hold)" in text
    assert "Cue: " in text and "Why: " in text and "Take care:" in text
    assert "folded towel" in text
    assert " ".join(SAFETY_LINE.split()) in " ".join(text.split())
    assert all(len(line) <= 78 for line in text.splitlines())


def test_safety_line_follows_current_guidance_and_names_the_red_flags() -> None:
    line = SAFETY_LINE.lower()
    assert "not medical advice" in line and "hurts" in line and "clinician" in line
    # NICE NG59 and ACP 2017: a back in spasm stays gently active; bed rest does harm.
    assert "spasm" in line and "stay gently active" in line and "avoid bed rest" in line
    assert "rest it" not in line and "do not exercise" not in line
    for flag in ("saddle", "urine", "bowel", "weaker", "fever", "night"):
        assert flag in line, flag
    assert "urgent care" in line
    assert len(SAFETY_LINE.split()) <= 90, "concise: it sits under every exercise"

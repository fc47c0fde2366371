"""Tags mean what they say: one written rule (core.tags.RULES) applied by the loader."""

from __future__ import annotations

import pytest

from tray_app.core.exercise import PLACES
from tray_app.core.model import ExerciseSettings
from tray_app.core.tags import MEANS, RULES, needed
from tray_app.exercises.loader import load_catalogue, parse_catalogue, read_builtin

ALL = read_builtin()


def texts(e: object) -> list[str]:
    return [s.text for s in e.steps]  # type: ignore[attr-defined]


def test_excluding_desk_drops_exactly_what_needs_a_desk() -> None:
    kept = load_catalogue(ExerciseSettings(places=PLACES, exclude=("desk",)))
    dropped = {e.id for e in ALL} - {e.id for e in kept}
    assert dropped == {e.id for e in ALL if any("desk" in t.lower() for t in texts(e))}
    assert {"desk-plank", "desk-squat", "standing-hip-hinge"} <= dropped
    assert all(e.where != "chair" for e in ALL if e.id in dropped), "no chair exercise needs one"


def test_wall_exercises_carry_wall() -> None:
    walls = {e.id for e in ALL if "wall" in e.tags}
    assert walls == {e.id for e in ALL if any("wall" in t.lower() for t in texts(e))}
    assert {"wall-angels", "wall-posture-check"} <= walls


def test_every_builtin_exercise_carries_what_the_rule_needs() -> None:
    for e in ALL:
        assert set(needed(e.where, texts(e))) <= set(e.tags), e.id


def test_every_tag_a_rule_knows_marks_some_exercise() -> None:
    used = {t for e in ALL for t in e.tags}
    assert set(MEANS) <= used, set(MEANS) - used


@pytest.mark.parametrize(("words", "tag"), [
    ("Lie on your back, knees bent.", "supine"),
    ("Squat down slowly.", "deep-knee-bend"),
    ("Hug the knee towards the chest.", "deep-hip-flexion"),
    ("Sit and stretch the right leg out in front.", "nerve-tension"),
    ("Get on all fours.", "wrist-load"),
    ("Raise the knee to hip height and hold.", "balance"),
    ("Reach the arm overhead.", "overhead"),
    ("Let both knees drop to the right.", "spine-twist"),
    ("Hold a plank.", "abdominal-load"),
    ("Stand with the back against the wall.", "wall"),
    ("Hold on to the desk.", "desk"),
    ("Arch the lower back.", "back-bend"),
])  # fmt: skip
def test_the_loader_refuses_an_untagged_move(words: str, tag: str) -> None:
    text = f"""[[exercise]]
id = "mine"
name = "Mine"
category = "core"
where = "standing"
steps = [{{ text = "{words}", seconds = 20 }}]
cue = "Breathe."
why = "Because."
"""
    _, problems = parse_catalogue(text, "x.toml")
    assert any(f"not tagged {tag!r}" in p.message for p in problems), problems


def test_a_prop_tag_without_the_prop_is_refused() -> None:
    text = """[[exercise]]
id = "mine"
name = "Mine"
category = "core"
where = "chair"
steps = [{ text = "Sit tall.", seconds = 20 }]
cue = "Breathe."
why = "Because."
tags = ["desk"]
"""
    _, problems = parse_catalogue(text, "x.toml")
    assert [p.message for p in problems] == ["tagged 'desk' but no step uses a desk"]


def test_negated_words_are_a_caution_not_a_tag() -> None:
    assert "back-bend" not in needed("floor", ["Lift the hips without arching the back."])
    assert [r.tag for r in RULES if r.exact] == ["desk", "wall"]

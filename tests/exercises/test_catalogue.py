"""The built-in catalogue and the loader: content rules, filters and user-file problems."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tray_app.core.exercise import CATEGORIES, PLACES
from tray_app.core.model import ExerciseSettings
from tray_app.core.problems import ProblemsError
from tray_app.core.tags import needed
from tray_app.exercises.loader import (
    BUILTIN_CATALOGUE,
    load_catalogue,
    parse_catalogue,
    read_catalogue,
)

EVERYWHERE = ExerciseSettings(places=PLACES)
# The seed article lives in shared/ beside the checkout (CI lays a copy there too).
ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "psoas-and-lower-back-pain.txt"


def article_text() -> str:
    if not ARTICLE.exists():
        pytest.skip(f"the seed article is not at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def test_builtin_catalogue_has_no_problems() -> None:
    assert read_catalogue(BUILTIN_CATALOGUE)[1] == []


def test_builtin_catalogue_size_and_balance() -> None:
    exercises = load_catalogue(EVERYWHERE)
    assert len(exercises) >= 24
    per_category = Counter(e.category for e in exercises)
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 3
    assert len({e.id for e in exercises}) == len(exercises)


def test_builtin_entries_are_complete_and_mostly_desk_friendly() -> None:
    exercises = load_catalogue(EVERYWHERE)
    for e in exercises:
        assert e.name and e.cue and e.why, e.id
        assert 30 <= e.seconds <= 150, e.id
    in_range = [e for e in exercises if 45 <= e.seconds <= 120]
    assert len(in_range) >= 0.8 * len(exercises)
    at_desk = [e for e in exercises if e.where in ("chair", "standing")]
    assert len(at_desk) > len(exercises) / 2
    assert any(e.where == "floor" for e in exercises)


def test_sides_are_spelled_out_for_one_sided_work() -> None:
    for e in load_catalogue(EVERYWHERE):
        text = " ".join(s.text.lower() for s in e.steps)
        if re.search(r"\bright\b", text):
            assert re.search(r"\bleft\b", text), f"{e.id} works the right side only"


def test_no_sentence_is_copied_from_the_article() -> None:
    article = article_text().lower()
    words = re.findall(r"[a-z']+", article)
    # Any run of 8 words taken from the article counts as copying.
    runs = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    ours = " ".join(re.findall(r"[a-z']+", BUILTIN_CATALOGUE.read_text().lower()))
    assert not [r for r in runs if r in ours]


def test_default_places_drop_floor_exercises() -> None:
    exercises = load_catalogue(ExerciseSettings())
    assert exercises
    assert {e.where for e in exercises} <= {"chair", "standing"}


def test_exclude_by_id_and_by_tag() -> None:
    everything = load_catalogue(EVERYWHERE)
    kept = load_catalogue(ExerciseSettings(places=PLACES, exclude=("dead-bug", "kneeling")))
    ids = {e.id for e in kept}
    assert "dead-bug" not in ids
    assert not [e for e in kept if "kneeling" in e.tags]
    assert len(kept) < len(everything) - 1


def test_user_extra_file_is_added(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(
        '[[exercise]]\nid = "calf-raises"\nname = "Calf raises"\ncategory = "hip-extensors"\n'
        'where = "standing"\nsteps = [{ text = "Rise onto the toes 15 times.", seconds = 45 }]\n'
        'cue = "Slow."\nwhy = "Legs."\ntags = ["mine"]\n'
    )
    exercises = load_catalogue(ExerciseSettings(extra=str(extra)))
    assert exercises[-1].id == "calf-raises"
    assert exercises[-1].seconds == 45


def test_loading_draws_nothing_and_reads_one_file() -> None:
    """Loading is cheap: the catalogue file is read once and nothing is drawn (Pillow and the
    picture code load only when a picture is asked for)."""
    code = (
        "import builtins, sys\n"
        "from tray_app.core.exercise import PLACES\n"
        "from tray_app.core.model import ExerciseSettings\n"
        "from tray_app.exercises.loader import load_catalogue\n"
        "opened = []\n"
        "real = builtins.open\n"
        "builtins.open = lambda f, *a, **k: opened.append(str(f)) or real(f, *a, **k)\n"
        "assert load_catalogue(ExerciseSettings(places=PLACES))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PIL', 'tray_app.exercises.p'))))\n"
        "print(len([f for f in opened if f.endswith('.toml')]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    modules, tomls = out.stdout.splitlines()
    assert modules == "[]", modules
    assert int(tomls) <= 1


GOOD = """[[exercise]]
id = "my-move"
name = "My move"
category = "core"
where = "chair"
steps = [
  { text = "Do it.", seconds = 20 },
  { text = "Again.", seconds = 20 },
]
cue = "Breathe."
why = "Because."
"""

# (how to break GOOD, expected key, expected words in message, words in allowed, line)
CASES = [
    (('category = "core"', 'category = "cor"'), "exercise 'my-move'.category",
     "unknown category", "did you mean 'core'", 4),
    (('where = "chair"', 'where = "desk"'), "exercise 'my-move'.where",
     "unknown place", "chair, standing, floor", 5),
    (('cue = "Breathe."\n', ""), "exercise 'my-move'.cue", "is missing", None, 1),
    (('seconds = 20 },\n  { text = "Again.", seconds = 20 }',
      'seconds = 20 },\n  { text = "Again.", seconds = 0 }'),
     "exercise 'my-move'.steps[2].seconds", "positive whole number", None, 8),
    (('{ text = "Do it.", seconds = 20 },', '{ text = "Do it.", seconds = -5 },'),
     "exercise 'my-move'.steps[1].seconds", "positive whole number", None, 7),
    (('{ text = "Do it.", seconds = 20 },', '{ text = "Do it.", secs = 20 },'),
     "exercise 'my-move'.steps[1].secs", "unknown key", "did you mean 'seconds'", None),
    (('why = "Because."', 'why = "Because."\ncaution = ["x"]'), "exercise 'my-move'.caution",
     "unknown key", "did you mean 'cautions'", 12),
    (('steps = [\n  { text = "Do it.", seconds = 20 },\n  { text = "Again.", seconds = 20 },\n]',
      "steps = []"), "exercise 'my-move'.steps", "at least one step", None, 6),
    (('id = "my-move"', 'id = "My Move"'), "exercise[1].id", "not a valid id", None, 2),
    (('name = "My move"', 'name = ""'), "exercise 'my-move'.name", "non-empty", None, 3),
    (('[[exercise]]', '[[exercise]'), "", "not valid TOML", None, 1),
    (('cue = "Breathe."', 'cue = "Breathe'), "", "not valid TOML", None, 10),
]


@pytest.mark.parametrize(("change", "key", "message", "allowed", "line"), CASES)
def test_bad_user_file_messages(
    tmp_path: Path, change: tuple[str, str], key: str, message: str, allowed: str | None,
    line: int | None,
) -> None:  # fmt: skip
    old, new = change
    assert old in GOOD
    extra = tmp_path / "mine.toml"
    extra.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(ProblemsError) as caught:
        load_catalogue(ExerciseSettings(extra=str(extra)))
    problems = caught.value.problems
    problem = next((p for p in problems if p.key == key), None)
    assert problem is not None, problems
    assert problem.file == str(extra)
    assert problem.key == key
    assert message in problem.message
    if allowed:
        assert problem.allowed and allowed in problem.allowed
    if line is not None:
        assert problem.line == line
    assert str(extra) in str(caught.value)


def test_all_problems_are_reported_at_once() -> None:
    broken = GOOD.replace('"core"', '"abs"').replace('"chair"', '"sofa"')
    broken += broken.replace("Do it.", "Twice.")  # second copy: duplicate id
    _, problems = parse_catalogue(broken, "x.toml")
    keys = [p.key for p in problems]
    assert "exercise 'my-move'.category" in keys
    assert "exercise 'my-move'.where" in keys
    assert "exercise[2].id" in keys
    dup = next(p for p in problems if p.key == "exercise[2].id")
    assert "another exercise" in dup.message
    assert dup.line == 13


def test_user_id_clashing_with_builtin(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text(GOOD.replace("my-move", "dead-bug"))
    with pytest.raises(ProblemsError) as caught:
        load_catalogue(ExerciseSettings(extra=str(extra)))
    assert [p.key for p in caught.value.problems] == ["exercise[1].id"]


def test_missing_extra_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ProblemsError) as caught:
        load_catalogue(ExerciseSettings(extra=str(missing)))
    assert caught.value.problems[0].file == str(missing)
    assert "does not exist" in caught.value.problems[0].message


def test_unknown_top_level_table_and_empty_file() -> None:
    _, problems = parse_catalogue('[[exercises]]\nid = "x"\n', "x.toml")
    assert problems[0].key == "exercises"
    assert "did you mean 'exercise'" in (problems[0].allowed or "")
    assert any("no exercises" in p.message for p in problems)


# -- timing, back bends and safety -------------------------------------------------------------

COUNTED = GOOD.replace('{ text = "Again.", seconds = 20 }',
                       '{ text = "Lift 5 times.", seconds = 20, reps = 5, tempo = 2, hold = 2 }')


def test_a_step_is_never_shorter_than_its_repetitions() -> None:
    _, problems = parse_catalogue(COUNTED.replace("seconds = 20, reps", "seconds = 19, reps"),
                                  "x.toml")  # fmt: skip
    assert [p.key for p in problems] == ["exercise 'my-move'.steps[2].seconds"]
    message = problems[0].message + " " + (problems[0].allowed or "")
    assert "5 × (2 s moving + 2 s held) = 20 s" in message and "at least 20" in message
    assert problems[0].line == 8
    exercises, problems = parse_catalogue(COUNTED, "x.toml")
    assert problems == [] and exercises[0].steps[1].work == 20


def test_seconds_are_derived_from_the_repetitions_when_left_out() -> None:
    exercises, problems = parse_catalogue(COUNTED.replace("seconds = 20, reps", "reps"), "x")
    assert problems == [] and exercises[0].steps[1].seconds == 20


@pytest.mark.parametrize(("step", "key", "words"), [
    ("reps = 5", "reps", "needs tempo"),
    ("reps = 0, tempo = 2", "reps", "positive whole number"),
    ("reps = 2, tempo = -1", "tempo", "positive number"),
    ("hold = \"long\"", "hold", "positive number"),
])  # fmt: skip
def test_bad_counts_are_named(step: str, key: str, words: str) -> None:
    text = GOOD.replace('{ text = "Again.", seconds = 20 }',
                        f'{{ text = "Again.", seconds = 20, {step} }}')  # fmt: skip
    _, problems = parse_catalogue(text, "x.toml")
    assert [p.key for p in problems] == [f"exercise 'my-move'.steps[2].{key}"]
    assert words in problems[0].message


@pytest.mark.parametrize("words", [
    "Arch the lower back, then round it.",
    "Push the right leg backwards and squeeze.",
    "Step the left foot back into a lunge.",
    "Hold the ankle behind you.",
])  # fmt: skip
def test_a_back_bend_must_be_tagged_and_carry_a_caution(words: str) -> None:
    text = GOOD.replace("Do it.", words)
    _, problems = parse_catalogue(text, "x.toml")
    assert {p.key for p in problems} == {"exercise 'my-move'.tags"}
    bend = [p for p in problems if "'back-bend'" in p.message]
    assert len(bend) == 1 and "arches the lower back" in bend[0].message
    assert "back-bend" in (bend[0].allowed or "")
    tags = ", ".join(f'"{t}"' for t in needed("chair", [words]))  # what else the words need
    tagged = text.replace('why = "Because."', f'why = "Because."\ntags = [{tags}]')
    _, problems = parse_catalogue(tagged, "x.toml")
    assert [p.key for p in problems] == ["exercise 'my-move'.cautions"]
    assert "spondylolisthesis" in problems[0].message
    cautioned = tagged + 'cautions = ["Skip it with spinal stenosis."]\n'
    assert parse_catalogue(cautioned, "x.toml")[1] == []


def test_negated_arching_is_not_a_back_bend() -> None:
    text = GOOD.replace("Do it.", "Lift the hips without arching the back.")
    assert parse_catalogue(text, "x.toml")[1] == []


# Every movement that extends the lumbar spine (issue 14's list and the quad stretch, the leg
# swing's back swing and the bird dog's leg).
BACK_BENDS = {
    "seated-pelvic-tilt", "standing-pelvic-tilt", "standing-hip-extension", "split-stance-lunge",
    "desk-supported-lunge", "half-kneeling-lunge", "seated-back-extension",
    "standing-quad-hip-stretch", "leg-swings", "bird-dog", "standing-knee-drive",
    "lying-pelvic-tilt", "all-fours-hip-lift",
}  # fmt: skip


def test_lumbar_extension_is_tagged_with_a_caution() -> None:
    exercises = load_catalogue(EVERYWHERE)
    assert {e.id for e in exercises if "back-bend" in e.tags} == BACK_BENDS
    kept = load_catalogue(ExerciseSettings(places=PLACES, exclude=("back-bend",)))
    assert not {e.id for e in kept} & BACK_BENDS


def test_steps_say_the_repetitions_and_holds_they_are_timed_for() -> None:
    for e in load_catalogue(EVERYWHERE):
        for n, step in enumerate(e.steps, start=1):
            where = f"{e.id} step {n}"
            assert step.seconds >= step.work, where
            text = step.text.lower()
            counts = {int(c) for c in re.findall(r"\b(\d+) (?:times|slow|quicker|lifts|hikes|"
                                                 r"reaches|in all|circles|easy|swings|presses|"
                                                 r"digs|sways|squats|hinges|breaths|rocks|tilts|"
                                                 r"slides)", text)}  # fmt: skip
            if step.reps:
                assert step.reps in counts, f"{where}: {step.reps} repetitions not in the words"
            for held in re.findall(r"hold (?:(?:it|again|the stretch)(?: for)? )?(\d+) s", text):
                assert step.hold == int(held), f"{where}: says hold {held} s"


def test_floor_exercises_give_time_to_get_down() -> None:
    for e in load_catalogue(EVERYWHERE):
        if e.where == "floor":
            assert e.steps[0].text.startswith("Get down onto the mat"), e.id
            assert e.steps[0].seconds >= 10, e.id


# What the article (psoas-and-lower-back-pain.txt) only claims, never shows: that the psoas
# pulls vertebrae out of place, that a routine frees or releases it, prevents or cures back
# pain, that one exercise beats another. A `why` says what a movement does to the body.
CLAIMS = re.compile(
    r"\b(?:cures?|fix(?:es)?|prevents?|heals?|guarantee[sd]?|proven|miracle|detox"
    r"|pulls? (?:the )?vertebrae|out of place|free(?:s|d)? (?:the|your) psoas|empowered?"
    r"|releases? (?:the|your) psoas|better than|more effective|the best|superior to"
    r"|(?:back|spinal) pain)\b")


def test_the_article_facts_not_its_claims() -> None:
    exercises = load_catalogue(EVERYWHERE)
    # Its facts: stretching alone is not enough; the core, the hip extensors and a psoas that
    # is strengthened and moved belong with it, and so does the way one sits.
    counts = Counter(e.category for e in exercises)
    assert set(counts) == set(CATEGORIES)
    assert counts["stretch"] < len(exercises) / 4, counts
    assert counts["psoas-strength"] + counts["psoas-mobility"] >= counts["stretch"], counts
    # Its claims are not repeated as ours, in any exercise's words.
    for e in exercises:
        words = " ".join([e.why, e.cue, *e.cautions, *(s.text for s in e.steps)]).lower()
        assert not CLAIMS.search(words), (e.id, CLAIMS.search(words))
    # A "release" is a plain passive stretch, filed as one.
    assert all(e.category == "stretch" for e in exercises if "release" in e.id)


def test_the_claims_filter_catches_the_articles_own_claims() -> None:
    """The filter above is a measure only if it finds the claims where they are made."""
    claims = ["can even pull the vertebrae out of place", "so that it feels free and empowered",
              "to prevent lower back pain", "leg swings are better than static stretching"]
    assert all(CLAIMS.search(c) for c in claims)
    assert len(CLAIMS.findall(article_text().lower())) >= 3  # the article itself makes them

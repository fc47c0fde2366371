"""Every exercise's timing measured against the rules in core.tempo: slack to get into
position, controlled tempo, rests that fit the repetition, holds as current advice has them;
and where a step is at each second (the picture frame and the repetition the window shows)."""

from __future__ import annotations

import itertools

import pytest

from tray_app.core.exercise import Exercise, Step
from tray_app.core.tempo import SLACK_S, frame_at, moment, timing_problems
from tray_app.exercises.loader import parse_catalogue, read_builtin

ALL = read_builtin()


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.id)
def test_every_builtin_exercise_keeps_the_timing_rules(exercise: Exercise) -> None:
    assert timing_problems(exercise) == []


def one(step: str) -> Exercise:
    text = f"""[[exercise]]
id = "mine"
name = "Mine"
category = "core"
where = "chair"
steps = [{step}]
cue = "Breathe."
why = "Because."
"""
    exercises, problems = parse_catalogue(text, "x.toml")
    assert problems == []
    return exercises[0]


@pytest.mark.parametrize(("step", "words"), [
    ('{ text = "Lift, hold 5 s; 5 times.", reps = 5, tempo = 3, hold = 5, seconds = 40 }',
     "to get into position"),
    ('{ text = "Tap 10 times.", reps = 10, tempo = 1, seconds = 20 }', "faster than controlled"),
    ('{ text = "Hold 8 s, rest 3 s; 3 times.", reps = 3, tempo = 2, hold = 8, seconds = 40 }',
     "rest 3 s"),
    ('{ text = "Hold it.", hold = 20, seconds = 25 }', "holds are 0-10 s"),
])  # fmt: skip
def test_each_rule_catches_what_it_is_for(step: str, words: str) -> None:
    assert any(words in p for p in timing_problems(one(step)))


def test_a_hold_stays_still_and_repetitions_follow_the_tempo() -> None:
    step = Step("x", 5 * (4 + 6) + SLACK_S, reps=5, tempo=4, hold=6)
    shown = [frame_at(step, t / 10, 2, alternating=False) for t in range(step.seconds * 10)]
    # The slack at rest, then per repetition: 2 s moving (rest frame), 6 s held (working
    # frame, without a single change), 2 s moving back.
    assert shown[: SLACK_S * 10] == [1] * SLACK_S * 10
    first = shown[SLACK_S * 10: SLACK_S * 10 + 100]
    assert first == [1] * 20 + [0] * 60 + [1] * 20
    changes = sum(a != b for a, b in itertools.pairwise(shown))
    assert changes == 2 * 5, "two changes a repetition, not one a second"


def test_alternating_sides_change_once_a_repetition() -> None:
    march = next(e for e in ALL if e.id == "standing-slow-march")
    step = march.steps[1]
    assert step.tempo is not None and step.tempo >= 6
    shown = [frame_at(step, t / 10, 2, alternating=True) for t in range(step.seconds * 10)]
    changes = sum(a != b for a, b in itertools.pairwise(shown))
    assert changes == (step.reps or 0) - 1
    runs = [len(list(g)) for _, g in itertools.groupby(shown)]
    assert min(runs[1:-1]) >= step.tempo * 10 - 1


def test_the_rep_counter_counts_each_repetition() -> None:
    step = Step("x", 3 * 5 + SLACK_S, reps=3, tempo=2, hold=3)
    seen = [moment(step, t / 10).rep for t in range(step.seconds * 10)]
    assert seen[0] == 0 and max(seen) == 3 and sorted(set(seen)) == [0, 1, 2, 3]
    assert moment(Step("x", 20, hold=20), 5).working
    assert moment(Step("setup", 5), 2).rep == 0



# --- what the window shows, from the same timeline -------------------------------------------


def window_at(exercise: Exercise, step: int, seconds_in: float) -> tuple[int, str]:
    """The frame and the count line the break window shows `seconds_in` into a step."""
    from dataclasses import replace

    from tests.ui.sample_views import RUNNING
    from tray_app.ui.windows.break_screen import Screen
    from tray_app.ui.windows.protocol import BreakRequest, ExerciseSpec

    n = exercise.steps[step].seconds
    view = replace(RUNNING, routine=(exercise.id,), spares=(), step=step, step_seconds=n,
                   step_left_s=n, planned_seconds=exercise.seconds)
    screen = Screen(BreakRequest(exercises=(ExerciseSpec.from_exercise(exercise),)), view, 0.0)
    return screen.frame(seconds_in, 2), screen.count_text(seconds_in)


def test_the_window_holds_the_picture_still_and_counts_repetitions() -> None:
    knee = next(e for e in ALL if e.id == "standing-knee-raise-hold")  # 3 x (3 s + 10 s hold)
    step = knee.steps[1]
    slack = step.seconds - step.work
    assert window_at(knee, 1, 1.0) == (1, "Step 2 of 3 · get into position")
    held = {window_at(knee, 1, slack + 1.5 + t / 2) for t in range(20)}  # the 10 s hold
    assert held == {(0, "Step 2 of 3 · rep 1 of 3")}
    assert window_at(knee, 1, slack + 13 + 1.5 + 5) == (0, "Step 2 of 3 · rep 2 of 3")
    assert window_at(knee, 0, 2.0)[0] == 1, "getting ready: the start position"


def test_each_side_of_a_held_reach_shows_its_own_picture() -> None:
    """Right arm over in the first hold, left arm over in the second ("Switch: ..."): the
    working pose follows the side, not always the first one."""
    from tray_app.exercises.pose_data import FRAMES

    for ident in ("seated-side-reach", "standing-side-reach"):
        reach = next(e for e in ALL if e.id == ident)
        poses = FRAMES[ident]
        assert len(poses) == 3 and "right" in reach.steps[1].text.lower()
        assert reach.steps[2].text.lower().startswith("switch: reach the left arm")

        def shown(step: int, when: float, reach: Exercise = reach, frames: int = len(poses)
                  ) -> int:
            from dataclasses import replace

            from tests.ui.sample_views import RUNNING
            from tray_app.ui.windows.break_screen import Screen
            from tray_app.ui.windows.protocol import BreakRequest, ExerciseSpec

            n = reach.steps[step].seconds
            view = replace(RUNNING, routine=(reach.id,), spares=(), step=step, step_seconds=n,
                           step_left_s=n, planned_seconds=reach.seconds)
            spec = ExerciseSpec.from_exercise(reach)
            return Screen(BreakRequest(exercises=(spec,)), view, 0.0).frame(when, frames)

        holding = [reach.steps[i].seconds - 2 for i in (1, 2)]
        assert shown(1, holding[0]) == 0 and shown(2, holding[1]) == 1, ident
        assert shown(0, 1.0) == 2 and shown(2, 0.5) == 2, "getting into position: the start"


def test_a_pose_of_the_fault_is_marked_and_drawn_with_a_cross() -> None:
    from tray_app.exercises.pictures import WRONG, frames
    from tray_app.exercises.pose_data import FRAMES

    reset = next(e for e in ALL if e.id == "tall-sitting-reset")
    marked = [p.wrong for p in FRAMES[reset.id]]
    assert marked == [False, True], "the slump is the wrong one"
    # Every seated pose slumped back from upright is shown as a fault.
    for ident, poses in FRAMES.items():
        for pose in poses:
            if pose.anchor == "seat" and ((pose.torso + 180) % 360 - 180) <= -10:
                assert pose.wrong or "torso" in pose.active, ident
    images = frames(reset, 120)
    corner = [images[i].crop((90, 0, 120, 30)).getcolors(4000) or [] for i in (0, 1)]
    red = [sum(n for n, c in colours if c[0] > 150 and c[1] < 90) for colours in corner]
    assert red[0] == 0 and red[1] > 20
    assert WRONG[0] > 150


def test_the_walk_step_has_a_walking_picture() -> None:
    from tray_app.core.exercise import stand_and_walk
    from tray_app.exercises.pictures import frames
    from tray_app.exercises.pose_data import poses_for

    walk = stand_and_walk(30)
    poses = poses_for(walk)
    assert len(poses) == 2 and all(p.active for p in poses), "a stride on each leg in turn"
    a, b = frames(walk, 80)
    assert a.tobytes() != b.tobytes()

"""Ratings, level answers, check-ins and re-test results through the core (one command table
for the window and the CLI): each becomes a history row; "this hurt" twice in a week says to
check with a clinician, with the red flags."""

from __future__ import annotations

import pytest

from tests.fakes import Sim, exercise
from tray_app.core import progression as pg
from tray_app.core.commands import BadCommand, command_event
from tray_app.core.effects import NoticeKind
from tray_app.core.events import Done, Rate, Recalled, TakeBreakNow
from tray_app.core.model import Kind, Row
from tray_app.core.safety import RED_FLAGS
from tray_app.core.state import Refused


def after_a_break() -> Sim:
    sim = Sim()
    sim.plan = ((exercise("knee-lift", 30), exercise("bridge", 30)), ())
    sim.send(TakeBreakNow())
    sim.run(55)
    sim.send(Done())
    return sim


def test_rate_without_an_id_rates_the_last_exercise_done() -> None:
    sim = after_a_break()
    sim.clear()
    sim.send(command_event("rate", {"rating": "too-hard"}))
    assert sim.rows(Kind.RATING) == [Row(Kind.RATING, sim.wall, 0.0, "bridge", None, "too-hard")]
    sim.send(command_event("rate", {"rating": "easy", "exercise_id": "knee-lift"}))
    assert sim.rows(Kind.RATING)[-1].exercise_id == "knee-lift"


def test_rate_before_any_exercise_is_refused_with_the_way_out() -> None:
    sim = Sim()
    with pytest.raises(Refused, match="sitbreak rate RATING EXERCISE_ID"):
        sim.send(command_event("rate", {"rating": "fine"}))


def test_the_last_exercise_is_remembered_across_a_restart() -> None:
    sim = Sim()
    sim.send(Recalled((Row(Kind.EXERCISE, sim.wall - 3600, 30.0, "glute-bridge", "core"),)))
    sim.send(Rate(pg.FINE))
    assert sim.rows(Kind.RATING)[-1].exercise_id == "glute-bridge"


def test_two_hurts_in_a_week_advise_a_clinician_with_the_red_flags() -> None:
    sim = after_a_break()
    sim.send(Rate(pg.HURT, "bridge"))
    first = sim.notes(NoticeKind.INFO)[-1]
    assert "two weeks" in first.body and "easier version" in first.body
    sim.sleep(3 * 86400)
    sim.send(Rate(pg.HURT, "knee-lift"))
    advice = sim.notes(NoticeKind.INFO)[-1].body
    assert "clinician" in advice and all(flag in advice for flag in RED_FLAGS)
    sim.sleep(8 * 86400)
    sim.send(Rate(pg.HURT, "knee-lift"))
    assert "clinician" not in sim.notes(NoticeKind.INFO)[-1].body  # a week apart: no advice


def test_answers_check_ins_and_retests_become_rows() -> None:
    sim = Sim()
    sim.send(command_event("level", {"family": "bridge", "answer": "accept"}))
    sim.send(command_event("checkin", {"pain": 3}))
    sim.send(command_event("retest", {"item": "seated-knee-hold", "value": 22, "side": "left"}))
    assert sim.rows(Kind.LEVEL)[-1].detail == "accept"
    assert sim.rows(Kind.CHECKIN)[-1].detail == "3"
    assert sim.rows(Kind.RETEST)[-1] == Row(Kind.RETEST, sim.wall, 0.0, "seated-knee-hold",
                                            "left", "22")


@pytest.mark.parametrize(("name", "params", "words"), [
    ("rate", {"rating": "great"}, "easy, fine, too-hard, hurt"),
    ("rate", {}, "rating"),
    ("level", {"family": "bridge", "answer": "maybe"}, "accept or stay"),
    ("checkin", {"pain": 11}, "0-10"),
    ("checkin", {"pain": "3"}, "whole number"),
    ("retest", {"item": "seated-knee-hold", "value": 20}, "left or right"),
    ("retest", {"item": "push-ups", "value": 20}, "unknown re-test"),
])
def test_bad_programme_commands_say_what_is_wrong(name, params, words) -> None:
    with pytest.raises(BadCommand, match=words):
        command_event(name, params)


def test_rows_fold_back_into_progress() -> None:
    rows = [Row(Kind.EXERCISE, 1.0e9, 30.0, "a", "core"),
            pg.rating_row(1.0e9 + 1, "a", pg.HURT), pg.answer_row(1.0e9 + 2, "fam", False),
            pg.checkin_row(1.0e9 + 3, 4), Row(Kind.RATING, 1.0e9 + 4, 0.0, "a", None, "junk")]
    facts = pg.facts_from_rows(rows)
    assert facts == [pg.Did(1.0e9, "a"), pg.Rated(1.0e9 + 1, "a", pg.HURT),
                     pg.Answered(1.0e9 + 2, "fam", False), pg.CheckIn(1.0e9 + 3, 4)]

"""The break window's rating (issue 24): after each exercise one optional tap, easy, fine, too
hard or this hurt (buttons and keys 1-4), sent as the same `rate` command as `sitbreak rate`;
it never takes the focus and never moves the break on, and the closing screen still rates the
last exercise. On a real X server (Xvfb), with xdotool."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.ui.sample_views import RUNNING
from tests.ui.test_break_window import Window, make_request, screen, window  # noqa: F401
from tray_app.core.commands import command_event
from tray_app.shell.prompts import intent_event
from tray_app.ui.windows.protocol import end_line

pytestmark = pytest.mark.desktop


def test_keys_and_buttons_rate_the_exercise_on_show_and_change_nothing_else(
        window: Window) -> None:  # noqa: F811
    window.open(make_request()).ready()
    window.key("2")  # not running yet: nothing to rate
    window.no_intent(0.4)
    window.show(RUNNING)
    window.key("2")
    said = window.intent()
    assert said == {"intent": "rate", "rating": "fine", "exercise_id": "march"}
    # The same command as `sitbreak rate fine march`, through the one table.
    assert intent_event({"event": "intent", **said}) == command_event(
        "rate", {"rating": "fine", "exercise_id": "march"})
    rating = window.next("layout")["rating"]  # drawn again: the label's text changed
    x, y, w, h = rating["rate_hurt"]
    window.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
    assert window.intent() == {"intent": "rate", "rating": "hurt", "exercise_id": "march"}
    window.no_intent(0.4)  # the break did not move on
    window.key("Return")  # the focus is where it was: Return still presses Next
    assert window.intent() == {"intent": "next", "exercise_id": "march", "step": 0}


def test_the_closing_screen_still_rates_the_last_exercise(window: Window) -> None:  # noqa: F811
    window.open(make_request(), RUNNING).ready()
    assert window.client.finish(end_line("Break done", ["You did March (1 min)."], 4.0))
    time.sleep(1.0)  # the closing screen is up (its events are no longer delivered)
    window.key("3")
    assert window.intent() == {"intent": "rate", "rating": "too-hard", "exercise_id": "march"}


def test_a_ready_family_is_offered_and_back_pain_asked_in_the_window(
        window: Window) -> None:  # noqa: F811
    req = replace(make_request(), offers={"march": "knee-lift"}, checkin=True)
    window.open(req, RUNNING).ready()
    layout = [e for _, e in window.seen if e["event"] == "layout"][-1]["rating"]

    def click(name: str) -> None:
        x, y, w, h = layout[name]
        window.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2),
                           "click", "1")

    click("offer_0")  # Harder next time
    said = window.intent()
    assert said == {"intent": "level", "family": "knee-lift", "answer": "accept"}
    assert intent_event({"event": "intent", **said}) == command_event(
        "level", {"family": "knee-lift", "answer": "accept"})
    click("offer_0")  # answered: the offer is gone
    window.no_intent(0.4)
    click("pain_3")
    said = window.intent()
    assert said == {"intent": "checkin", "pain": 3}
    assert intent_event({"event": "intent", **said}) == command_event("checkin", {"pain": 3})
    window.key("Return")  # none of it took the focus or moved the break on
    assert window.intent() == {"intent": "next", "exercise_id": "march", "step": 0}


def test_a_plain_break_asks_neither() -> None:
    from tray_app.ui.windows.protocol import request_from_json, request_to_json

    assert request_from_json(request_to_json(make_request())).offers == {}
    asked = replace(make_request(), offers={"march": "knee-lift"}, checkin=True)
    back = request_from_json(request_to_json(asked))
    assert back.offers == {"march": "knee-lift"} and back.checkin is True


def test_the_retest_form_sends_each_result_and_skips_empty_fields(
        window: Window) -> None:  # noqa: F811
    req = replace(make_request(), retest=("sit-to-stand-30s", "seated-knee-hold"))
    window.open(req, RUNNING).ready()
    layout = [e for _, e in window.seen if e["event"] == "layout"][-1]["rating"]
    x, y, w, h = layout["retest"]
    window.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
    form = window.next("retest")["widgets"]

    def type_into(name: str, text: str) -> None:
        x, y, w, h = form[name]
        window.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2),
                           "click", "1")
        if text:
            window.display.run("xdotool", "type", "--delay", "30", text)

    type_into("seated-knee-hold_left", "70x")  # not a number: said, nothing sent
    x, y, w, h = form["save"]
    window.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
    window.no_intent(0.5)
    type_into("seated-knee-hold_left", "")
    window.key("End", "BackSpace")
    type_into("sit-to-stand-30s", "12")
    x, y, w, h = form["save"]
    window.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")
    got = [window.intent(), window.intent()]
    assert got == [{"intent": "retest", "item": "sit-to-stand-30s", "value": 12.0},
                   {"intent": "retest", "item": "seated-knee-hold", "value": 70.0,
                    "side": "left"}]
    assert intent_event({"event": "intent", **got[1]}) == command_event(
        "retest", {"item": "seated-knee-hold", "value": 70.0, "side": "left"})
    window.no_intent(0.4)  # right side left empty: skipped

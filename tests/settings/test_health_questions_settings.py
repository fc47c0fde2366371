"""The health questions from the Settings window (issue 23: "changeable later in Settings").

The Exercises group's "Health questions…" opens the first-run questions in a dialog, ticked as
the form's "Never offer" stands; their answers go into the form (that field and "Health
questions answered" only) and the window's Save writes them with the user's other edits, so
Cancel drops them. Driven by the keyboard with xdotool on Xvfb under openbox.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import background, require, wait_for
from tests.settings.test_settings_window import ROOT, Desk, focused, next_event, user_file
from tests.settings.test_settings_window import desk as settings_desk  # noqa: F401 (fixture)
from tray_app.core.screening import QUESTIONS, answers_from
from tray_app.settings import load_settings, read_settings_text
from tray_app.settings.answers import answered, save_answers
from tray_app.settings.docs import default_text, default_values, explanations
from tray_app.ui.windows.settings_form import Form
from tray_app.ui.windows.settings_window import accelerator

MINE = ["dead-bug", "kneeling", "deep-knee-bend"]  # an id of the user's own, and knees: yes
EXCLUDE_LINE = 'exclude = []'


def with_exclude(path: Path, names: list[str]) -> Path:
    text = path.read_text()
    assert EXCLUDE_LINE in text
    path.write_text(text.replace(EXCLUDE_LINE, "exclude = [" + ", ".join(
        f'"{n}"' for n in names) + "]  # my own list", 1))
    return path


# --- pure parts ---------------------------------------------------------------------------


def test_the_alt_letter_is_the_labels_first_letter() -> None:
    assert accelerator("Health questions…") == "h"
    assert accelerator("Ärztliche Fragen…") == "ä"
    assert accelerator("…more") == ""
    assert accelerator("") == ""


def test_answers_set_exclude_and_screened_and_keep_the_users_own_entries() -> None:
    assert answered(MINE, {"knees": False, "wall": False}) == {
        "exercises.exclude": ["dead-bug", "wall"], "exercises.screened": True}
    assert answered(MINE, None) == {"exercises.exclude": MINE, "exercises.screened": True}
    assert answered(MINE, answers_from(MINE))["exercises.exclude"] == MINE  # as they stand


def test_in_the_form_answers_change_only_their_keys_beside_unsaved_edits(tmp_path: Path) -> None:
    path = with_exclude(user_file(tmp_path / "s.toml"), MINE)
    text = read_settings_text(path)
    d = default_text()
    form = Form(text, str(path), default_values(d), explanations(d))
    values = {f.key: form.initial[f.key] for f in form.fields}
    values["sitting.idle_reset"] = "7m"  # an unsaved edit elsewhere in the window
    values.update(answered(values["exercises.exclude"], {"wall": False}))
    assert form.changes(values) == {
        "sitting.idle_reset": "7m", "exercises.exclude": [*MINE, "wall"],
        "exercises.screened": True}
    assert form.problems(values) == ({}, [])
    new = form.new_text(values)
    assert "# I get up at the tea break anyway." in new and "# my own list" in new
    # The same file the first run's window writes for the same answer.
    save_answers(path, {"wall": False})
    assert read_settings_text(path) == new.replace('idle_reset   =   "7m"',
                                                   'idle_reset   =   "5m"')


def test_the_list_in_another_order_is_no_change_and_a_save_keeps_the_users_order(
        tmp_path: Path) -> None:  # fmt: skip
    """Found by the desktop test below: the "Never offer" list gives its names in its own
    order (ids, then tags), so a file listing them otherwise showed as changed on opening and
    any save rewrote the user's list."""
    path = with_exclude(user_file(tmp_path / "s.toml"), MINE)
    d = default_text()
    form = Form(read_settings_text(path), str(path), default_values(d), explanations(d))
    as_listed = ("dead-bug", "deep-knee-bend", "kneeling")
    assert form.changes({"exercises.exclude": as_listed}) == {}
    assert form.changes({"exercises.exclude": ("wall", *as_listed)}) == {
        "exercises.exclude": [*MINE, "wall"]}
    assert form.changes({"exercises.exclude": ("kneeling",)}) == {
        "exercises.exclude": ["kneeling"]}


# --- on a desktop ---------------------------------------------------------------------------


@pytest.fixture
def managed(request: pytest.FixtureRequest) -> Iterator[Desk]:
    """The settings window's desk with openbox (it hands a new dialog the keyboard, as a
    desktop does) and a "Never offer" list of the user's own."""
    openbox = require("openbox")
    require("xprop")
    desk: Desk = request.getfixturevalue("settings_desk")  # Xvfb, XDG folders, the file
    d = desk.display
    with background([openbox, "--sm-disable"], d.env()):
        wait_for(lambda: d.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False)
                 .count("window id") > 0, what="openbox to manage the screen")
        with_exclude(desk.settings, MINE)
        yield desk


def open_questions(desk: Desk) -> tuple[subprocess.Popen[str], object]:
    """The window with an unsaved edit in its first field, then Alt+H: the dialog's answers
    as the form stands."""
    proc, lines = desk.window()
    next_event(lines, "shown")
    focused(lines, "sitting.idle_reset")
    desk.type("7m")  # the first field's text is selected: typing replaces it
    next_event(lines, "checked", where=lambda m: m["changes"] == {"sitting.idle_reset": "7m"})
    desk.key("alt+h")
    shown = next_event(lines, "questions-shown")
    expected = {q.id: not q.excludes_on for q in QUESTIONS} | {"knees": True}
    assert shown["answers"] == expected
    return proc, lines


@pytest.mark.desktop
@pytest.mark.e2e
def test_health_questions_from_settings_by_keyboard_change_exclude_and_keep_the_rest(
        managed: Desk) -> None:  # fmt: skip
    desk = managed
    before = desk.settings.read_text()
    proc, lines = open_questions(desk)
    # The dialog has the keyboard on "Use these answers"; the last question (a wall) is one
    # Shift+Tab back: untick it, then Enter uses the answers.
    desk.key("shift+Tab", "space")
    desk.key("Return")
    used = next_event(lines, "questions-used")
    assert used["answers"]["wall"] is False
    new_exclude = [*MINE, "wall"]  # the user's list in their order, the new tag last
    # The form shows them beside the unsaved edit, which is kept.
    next_event(lines, "checked", where=lambda m: m["save_enabled"] and m["changes"] == {
        "sitting.idle_reset": "7m", "exercises.exclude": new_exclude,
        "exercises.screened": True})
    next_event(lines, "questions-closed")
    # The keyboard is back on the button, which sits in the Tab order after the last field.
    next_event(lines, "focus-button", where=lambda m: m["name"] == "questions")
    desk.key("shift+Tab")
    focused(lines, "exercises.screened")
    desk.key("Return")  # Save
    next_event(lines, "saved")
    assert proc.wait(10) == 0
    ex = load_settings(desk.settings).exercises
    assert list(ex.exclude) == new_exclude and ex.screened
    after = desk.settings.read_text()
    assert after == before.replace('idle_reset   =   "5m"', 'idle_reset   =   "7m"').replace(
        '"deep-knee-bend"]', '"deep-knee-bend", "wall"]').replace(
        "screened = false", "screened = true")
    assert "# I get up at the tea break anyway." in after and "# my own list" in after


@pytest.mark.desktop
@pytest.mark.e2e
def test_cancel_in_the_dialog_or_the_window_writes_nothing(managed: Desk) -> None:
    desk = managed
    before = desk.settings.read_bytes()
    proc, lines = open_questions(desk)
    desk.key("shift+Tab", "space", "Escape")  # untick, then Esc: the dialog drops it
    next_event(lines, "questions-closed")
    next_event(lines, "focus-button")
    desk.key("alt+h")  # again: nothing was taken, so the same answers as before
    next_event(lines, "questions-shown", where=lambda m: m["answers"]["wall"] is True)
    desk.key("shift+Tab", "space", "Return")
    next_event(lines, "checked", where=lambda m: "exercises.exclude" in m["changes"])
    next_event(lines, "focus-button")
    desk.key("Escape")  # the window's Cancel drops the answers with the rest
    next_event(lines, "closed")
    assert proc.wait(10) == 0
    assert desk.settings.read_bytes() == before


def test_the_module_runs_without_a_display() -> None:
    """Importing the window (it imports the questions lazily) needs no X server."""
    out = subprocess.run([sys.executable, "-c", "import tray_app.ui.windows.settings_window"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr

"""The [programme] settings (issue 24): ranges and messages like every other key, the
commented default in settings.toml, and the settings window's fields for them."""

from __future__ import annotations

import pytest

from tray_app.core.model import ProgrammeSettings
from tray_app.settings import DEFAULT_FILE
from tray_app.settings.docs import default_values, explanations
from tray_app.settings.validate import check_text
from tray_app.ui.windows.settings_form import Form

TEXT = DEFAULT_FILE.read_text()


def test_the_defaults_are_the_shipped_file_and_the_core_defaults() -> None:
    checked = check_text(TEXT, "settings.toml")
    assert not checked.problems
    assert checked.settings.programme == ProgrammeSettings()
    assert ProgrammeSettings() == ProgrammeSettings(
        progression=True, checkins=False, checkin_times=("first", "last"), retest_days=30)


@pytest.mark.parametrize(("line", "words"), [
    ("retest_days = 3", "use a whole number from 7 to 365"),
    ("retest_days = 400", "use a whole number from 7 to 365"),
    ('checkin_times = ["noon"]', 'use any of "first", "last"'),
    ("checkin_times = []", "the list must not be empty"),
    ('checkins = "yes"', "use true or false"),
    ('progression = 1', "use true or false"),
])
def test_a_bad_value_is_named_with_its_key_and_range(line: str, words: str) -> None:
    key = line.split(" =")[0]
    text = "\n".join(line if ln.startswith(f"{key} =") else ln for ln in TEXT.splitlines())
    problems = [str(p) for p in check_text(text, "settings.toml").problems]
    assert any(f"programme.{key}: bad value" in p and words in p for p in problems), problems


def test_the_settings_window_has_the_programme_fields() -> None:
    f = Form(TEXT, "s.toml", default_values(TEXT), explanations(TEXT))
    keys = [x.key for x in f.fields if x.key.startswith("programme.")]
    assert keys == ["programme.progression", "programme.checkins", "programme.checkin_times",
                    "programme.retest_days"]
    assert all(f.by_key[k].explanation for k in keys)
    values = dict(f.initial, **{"programme.checkins": True,
                                "programme.checkin_times": ("first",),
                                "programme.retest_days": "60"})
    assert f.changes(values) == {"programme.checkins": True,
                                 "programme.checkin_times": ["first"],
                                 "programme.retest_days": 60}
    assert f.problems(values) == ({}, [])

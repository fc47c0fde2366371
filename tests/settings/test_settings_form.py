"""The settings window's model without Tk: changes touch only what changed; problems land
beside the fields they are about (a rule between two keys beside both)."""

from __future__ import annotations

from tray_app.settings import DEFAULT_FILE
from tray_app.settings.docs import default_values, explanations
from tray_app.ui.windows.settings_form import Form

TEXT = DEFAULT_FILE.read_text()


def form(text: str = TEXT) -> Form:
    return Form(text, "s.toml", default_values(TEXT), explanations(TEXT))


def test_every_key_has_the_default_files_explanation() -> None:
    f = form()
    assert all(field.explanation for field in f.fields), [x.key for x in f.fields
                                                          if not x.explanation]
    assert f.by_key["sitting.break_after"].explanation.startswith("A movement break is due")


def test_unchanged_values_write_nothing() -> None:
    f = form()
    assert f.changes(dict(f.initial)) == {}
    assert f.new_text(dict(f.initial)) == TEXT


def test_only_the_changed_key_changes_and_comments_stay() -> None:
    f = form()
    values = dict(f.initial, **{"sitting.break_after": "40m"})
    assert f.new_text(values) == TEXT.replace('break_after = "50m"', 'break_after = "40m"')


def test_check_boxes_and_lists_become_toml_lists() -> None:
    f = form()
    values = dict(f.initial, **{"schedule.days": ("mon", "fri"),
                                "snooze.options": "5m, 15m",
                                "exercises.places": ("chair",)})
    assert f.changes(values) == {"schedule.days": ["mon", "fri"],
                                 "snooze.options": ["5m", "15m"],
                                 "exercises.places": ["chair"]}


def test_a_users_day_names_are_read_into_the_check_boxes() -> None:
    f = form(TEXT.replace('days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]',
                          'days = ["Monday", "wed"]'))
    assert f.initial["schedule.days"] == ("mon", "wed")
    assert f.changes(dict(f.initial)) == {}


def test_a_rule_between_keys_shows_beside_both_fields() -> None:
    f = form()
    per_key, other = f.problems(dict(f.initial, **{"sitting.break_after": "30s"}))
    assert set(per_key) == {"sitting.break_after", "breaks.heads_up"}
    assert other == []


def test_bad_values_use_check_settings_words() -> None:
    f = form()
    per_key, _ = f.problems(dict(f.initial, **{"history.keep_days": "lots"}))
    assert per_key["history.keep_days"].startswith('not allowed (got "lots")')
    assert "whole number from 1 to 36500" in per_key["history.keep_days"]


def test_restoring_defaults_means_the_default_files_values() -> None:
    f = form(TEXT.replace('break_after = "50m"', 'break_after = "1h"'))
    assert f.initial["sitting.break_after"] == "1h"
    assert f.defaults["sitting.break_after"] == "50m"


def test_a_broken_file_is_reported_not_edited() -> None:
    f = form("[sitting\n")
    assert f.broken is not None
    assert f.problems(dict(f.initial))[1][0].startswith("s.toml:1")


def test_in_german_a_rule_still_shows_beside_both_fields_in_german(monkeypatch) -> None:
    """The keys a problem is about stay keys in every language (a translated "and" between
    them once hid a rule's message from both fields); its words are German."""
    from tray_app.support import i18n

    monkeypatch.setenv(i18n.LANGUAGE_ENV, "de")
    monkeypatch.delenv(i18n.SETTING_ENV, raising=False)
    i18n.reset()
    try:
        f = form()
        per_key, other = f.problems(dict(f.initial, **{"sitting.break_after": "30s"}))
        assert set(per_key) == {"sitting.break_after", "breaks.heads_up"} and other == []
        assert per_key["breaks.heads_up"] == per_key["sitting.break_after"]
        bad, _ = f.problems(dict(f.initial, **{"history.keep_days": "lots"}))
        assert i18n._("not allowed") != "not allowed"
        assert bad["history.keep_days"].startswith(i18n._("not allowed"))
        assert "not allowed" not in bad["history.keep_days"]
        assert "got" not in bad["history.keep_days"]
    finally:
        monkeypatch.undo()
        i18n.reset()

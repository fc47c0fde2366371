"""Issue 27: which language sitbreak speaks, and texts the core built, shown translated."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tray_app.core.duration import Seconds
from tray_app.core.menu import MenuItem
from tray_app.core.text import Text
from tray_app.support import i18n

SHIPPED = {"de", "fr", "es", "it", "pt_BR", "nl", "pl"}


@pytest.fixture
def speak(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """speak("de") makes the process German (as SITBREAK_LANGUAGE would), for one test."""
    def set_language(lang: str) -> None:
        monkeypatch.setenv(i18n.LANGUAGE_ENV, lang)
        monkeypatch.delenv(i18n.SETTING_ENV, raising=False)
        i18n.reset()

    yield set_language
    i18n.reset()
    monkeypatch.undo()
    i18n.reset()


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "de_DE.UTF-8"}, "de"),
    ({"LANG": "pt_BR.UTF-8"}, "pt_BR"),
    ({"LANG": "pt_PT.UTF-8"}, "en"),  # no European Portuguese catalogue: English, not Brazilian
    ({"LANG": "fr_CA.UTF-8@x"}, "fr"),
    ({"LANGUAGE": "sv:nl", "LANG": "de_DE.UTF-8"}, "nl"),  # LANGUAGE's list, in order
    ({"LANGUAGE": "en_GB:de", "LANG": "de_DE.UTF-8"}, "en"),  # English asked for first
    ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_MESSAGES": "pl_PL.UTF-8", "LANG": "it_IT.UTF-8"}, "pl"),
    ({"SITBREAK_LANGUAGE": "es", "LANGUAGE": "de", "LANG": "de_DE.UTF-8"}, "es"),  # the override
    ({}, "en"),
])
def test_the_language_follows_the_locale_as_gettext_reads_it(env: dict, expected: str) -> None:
    assert i18n.choose(i18n.requested(env), SHIPPED) == expected


def test_the_setting_names_the_language_unless_the_variable_does() -> None:
    desktop = {"LANG": "de_DE.UTF-8"}
    assert i18n.requested(desktop, setting="fr") == ["fr"]
    assert i18n.requested(desktop, setting="") == ["de_DE.UTF-8"]
    assert i18n.requested({**desktop, "SITBREAK_LANGUAGE": "pl"}, setting="fr") == ["pl"]


def test_a_language_setting_is_checked_against_the_catalogues() -> None:
    from tray_app.core.duration import BadValue
    from tray_app.settings.schema import SCHEMA

    key = SCHEMA["general"]["language"]
    assert [key.parse(v) for v in ("", "en", "pt_BR")] == ["", "en", "pt_BR"]
    with pytest.raises(BadValue, match=r'use "" .* or one of "de", "en", "es", "fr"'):
        key.parse("german")


def test_texts_the_core_built_are_shown_in_the_users_language(speak) -> None:
    pause = Text("For {duration}", duration=Seconds(5400))
    assert pause == "For 1 h 30 min"  # plain English to the core, its tests and the log
    speak("de")
    assert i18n.tr(pause) == "Für 1 Std. 30 Min."
    assert i18n.tr(Text("Take a break now")) == "Jetzt eine Pause machen"
    assert i18n.tr("no such text") == "no such text"
    assert i18n.tr("") == ""  # never the catalogue's header
    speak("pl")
    assert i18n.tr(Text("Until tomorrow ({time})", time="08:00")) == "Do jutra (08:00)"


def test_counted_texts_take_the_languages_plural_form(speak) -> None:
    from tray_app.core.ending import streak_line

    assert [streak_line(n) for n in (1, 3)] == [
        "1 day in a row with every break taken.", "3 days in a row with every break taken."]
    speak("pl")
    assert [i18n.tr(streak_line(n)).split(" z ")[0] for n in (1, 3, 5, 22)] == [
        "1 dzień", "3 dni", "5 dni", "22 dni"]
    speak("fr")
    assert i18n.tr(streak_line(1)) == "1 jour d’affilée avec toutes les pauses faites."
    speak("de")
    assert i18n.tr(streak_line(2)) == "2 Tage in Folge mit jeder Pause gemacht."


def test_the_break_windows_counts_and_buttons(speak) -> None:
    from tray_app.ui.windows.protocol import snooze_label

    speak("pl")
    steps = [i18n.ngettext("{n} step", "{n} steps", n).format(n=n) for n in (1, 3, 5, 22)]
    assert steps == ["1 krok", "3 kroki", "5 kroków", "22 kroki"]
    speak("de")
    assert snooze_label(300) == "5 Min. verschieben"  # as the notification's button says


def test_a_listing_joins_its_translated_items(speak) -> None:
    from tray_app.core.text import listing

    kinds = listing([Text("Sounds"), Text("Notifications"), Text("Days")])
    assert kinds == "Sounds, Notifications, or Days"
    speak("de")
    assert i18n.tr(kinds) == "Töne, Benachrichtigungen oder Tage"
    speak("pl")
    assert i18n.tr(kinds) == "Dźwięki, Powiadomienia lub Dni"
    assert listing([Text("Quit")]) == "Quit"


def test_the_safety_line_is_whole_in_every_language(speak) -> None:
    """Each language says all of it: every red flag, translated, in the one sentence."""
    from tray_app.core.safety import RED_FLAGS, SAFETY_LINE

    for lang in sorted(SHIPPED):
        speak(lang)
        line = i18n.tr(SAFETY_LINE)
        assert line != SAFETY_LINE and all(i18n.tr(flag) in line for flag in RED_FLAGS), lang
        assert all(i18n.tr(flag) != flag for flag in RED_FLAGS), lang


def test_a_text_keeps_its_id_when_copied_or_pickled() -> None:
    import copy
    import pickle

    item = MenuItem(Text("For {duration}", duration=Seconds(60)), "pause-60")
    for clone in (copy.deepcopy(item), pickle.loads(pickle.dumps(item))):
        assert clone.text == "For 1 min" and clone.text.msgid == "For {duration}"
    from tray_app.core.ending import streak_line

    counted = pickle.loads(pickle.dumps(streak_line(4)))
    assert (counted, counted.n, counted.plural) == (streak_line(4), 4, streak_line(4).plural)


def test_numbers_and_durations_follow_the_language(speak) -> None:
    speak("en")
    assert (i18n.number(1234.5, 1), i18n.duration(3900)) == ("1,234.5", "1 h 5 min")
    speak("de")
    assert (i18n.number(1234.5, 1), i18n.duration(3900)) == ("1.234,5", "1 Std. 5 Min.")
    speak("fr")
    assert i18n.number(1234.5, 1) == "1\u202f234,5"
    speak("nl")
    assert i18n.duration(45) == "45 s"


def test_the_statistics_window_shows_numbers_and_words_in_the_language(speak) -> None:
    from tray_app.ui.windows.stats_window import definitions, format_value, label_text

    speak("de")
    assert format_value(3900, "duration") == "1 Std. 5 Min."
    assert format_value(12345, "count") == "12.345"
    assert label_text("  offered again") == "  erneut angeboten"
    assert "Begonnene Pausen: Sie haben die Übungen einer Pause begonnen." in definitions()


def test_english_loads_no_catalogue_nor_gettext() -> None:
    """The idle app stays as lean as before translations: English never imports gettext."""
    code = ("import sys; from tray_app.support import i18n; from tray_app.core.text import Text;"
            "assert i18n.tr(Text('Quit')) == 'Quit' and i18n._('Save') == 'Save';"
            "print('gettext' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"LANG": "en_US.UTF-8", "PATH": "/usr/bin:/bin"})
    assert run.stdout.strip() == "False"


def _builtin() -> list:
    from tray_app.core.exercise import PLACES
    from tray_app.core.model import ExerciseSettings
    from tray_app.exercises.loader import load_catalogue

    return load_catalogue(ExerciseSettings(places=PLACES))


def test_every_exercise_is_shown_whole_in_every_language(speak) -> None:
    """Name, steps, tip, reason and cautions of each built-in exercise come from the catalogue
    in each language (exercises.shown: the break window, the console, exercises show)."""
    from tray_app.exercises.shown import shown

    catalogue = _builtin()
    assert shown(catalogue[0]) is catalogue[0]  # English: as written, nothing copied
    for lang in sorted(SHIPPED):
        speak(lang)
        for ex in catalogue:
            local = shown(ex)
            texts = [(ex.name, local.name), (ex.cue, local.cue), (ex.why, local.why),
                     *((a.text, b.text) for a, b in zip(ex.steps, local.steps, strict=True)),
                     *zip(ex.cautions, local.cautions, strict=True)]
            assert all(i18n.tr(english) == mine for english, mine in texts), (lang, ex.id)
            # A translation that equals the English is a loan word ("Dead bug"), not a gap:
            # at most a few per language, and never a step or a caution.
            same = [e for e, m in texts[3:] if e == m]
            assert not same, (lang, ex.id, same)
            assert local.steps[0].seconds == ex.steps[0].seconds and local.tags == ex.tags


def test_exercises_show_speaks_the_users_language(speak) -> None:
    from tray_app.exercises.format import care_lines, show_text
    from tray_app.exercises.shown import shown

    ex = next(e for e in _builtin() if e.cautions)
    english = show_text(ex)
    speak("de")
    german = show_text(ex)
    assert german != english
    assert german.splitlines()[0] == i18n.tr(ex.name) != ex.name
    assert i18n.tr(ex.cautions[0]) in german.replace("\n    ", " ")
    assert care_lines(shown(ex))[0].startswith(i18n._("Take care: {caution}").split("{")[0])
    assert "Kategorie" in german or "Category" not in german  # its labels too


def test_a_family_level_is_named_and_described_in_the_language(speak) -> None:
    from tray_app.core.progression import Level, with_level
    from tray_app.exercises.shown import shown

    ex = next(e for e in _builtin() if any(s.reps for s in e.steps))
    harder = with_level(ex, Level(ex.id, reps=7, hold=None, tempo=None))
    counted = next(s for s in harder.steps if s.reps)
    assert "This level: 7 times" in counted.text
    speak("pl")
    text = shown(harder).steps[harder.steps.index(counted)].text
    assert "7" in text and "This level" not in text and text.startswith(
        i18n.tr(next(s for s in ex.steps if s.reps).text))

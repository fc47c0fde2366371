"""The [sound] and [meetings] keys: checked like every other key, shown in the settings window."""

from __future__ import annotations

from tray_app.core.model import MeetingSettings, SoundSettings
from tray_app.settings.docs import default_text, default_values, explanations
from tray_app.settings.full import check_all
from tray_app.ui.windows.settings_form import GROUPS, fields


def test_the_shipped_file_gives_the_defaults_and_explains_every_key() -> None:
    report = check_all(default_text(), "settings.toml")
    assert report.problems == []
    assert report.settings.sound == SoundSettings(enabled=True, volume=70)
    assert report.settings.meetings == MeetingSettings()
    said = explanations(default_text())
    for key in ("sound.enabled", "sound.volume", "meetings.camera", "meetings.microphone",
                "meetings.screen_sharing", "meetings.camera_devices"):
        assert said[key], key
        assert key in default_values(default_text())


def test_bad_values_are_named_with_their_line_and_what_is_allowed() -> None:
    text = ('[sound]\nenabled = "yes"\nvolume = 150\n\n'
            '[meetings]\ncamera_devices = "video*"\nmicrophone = 1\n')
    problems = {p.key: p for p in check_all(text, "s.toml").problems}
    assert set(problems) == {"sound.enabled", "sound.volume", "meetings.camera_devices",
                             "meetings.microphone"}
    assert problems["sound.volume"].line == 3
    assert problems["sound.volume"].allowed == "use a whole number from 0 to 100"
    assert problems["sound.enabled"].allowed == "use true or false (without quotes)"
    assert "absolute pattern" in problems["meetings.camera_devices"].allowed
    assert "(got \"video*\")" in str(problems["meetings.camera_devices"]) or \
        '"video*"' in str(problems["meetings.camera_devices"])


def test_off_and_a_test_pattern_are_read() -> None:
    text = '[sound]\nenabled = false\nvolume = 0\n[meetings]\ncamera_devices = "/tmp/cam*"\n' \
           'screen_sharing = false\n'
    report = check_all(text, "s.toml")
    assert report.problems == []
    assert report.settings.sound == SoundSettings(enabled=False, volume=0)
    assert report.settings.meetings.camera_devices == "/tmp/cam*"
    assert report.settings.meetings.screen_sharing is False
    assert check_all('[meetings]\ncamera_devices = ""\n', "s.toml").problems == []


def test_the_settings_window_has_a_field_for_each_key() -> None:
    assert ("sound", "Sound") in GROUPS and ("meetings", "Meetings") in GROUPS
    keys = {f.key: f for f in fields(explanations(default_text()))}
    assert keys["sound.volume"].spec.unit == "a whole number from 0 to 100"
    assert keys["meetings.camera_devices"].spec.unit.startswith("a file pattern")
    assert "level meters" in keys["meetings.microphone"].explanation

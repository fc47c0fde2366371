"""The tray menu model: which entries appear, when they are enabled, and what they send."""

from __future__ import annotations

import itertools
from dataclasses import replace

from tray_app.core.guards import allowed
from tray_app.core.menu import (
    SEPARATOR,
    MenuItem,
    build_menu,
    can_snooze,
    find_action,
)
from tray_app.core.model import (
    BreakSettings,
    Phase,
    PostureSettings,
    ScheduleSettings,
    Settings,
    SittingSettings,
    SnoozeSettings,
)
from tray_app.core.schedule import next_day_start
from tray_app.core.state import Command, State, initial_state
from tray_app.core.status import status_line

# 2024-03-05 10:00 UTC; offsets are given explicitly.
WALL = 1709632800.0


def make(phase: Phase = Phase.SITTING, settings: Settings | None = None, **kw: object) -> State:
    s = initial_state(settings or Settings())
    return replace(s, phase=phase, ticked=True, wall=WALL, **kw)


def menu(state: State, autostart: bool | None = None) -> list[MenuItem]:
    return build_menu(state, {"line": status_line(state)}, autostart)


def texts(items: list[MenuItem] | tuple[MenuItem, ...]) -> list[str]:
    return [i.text for i in items]


def item(items: list[MenuItem], text: str) -> MenuItem:
    for i in items:
        if i.text == text or i.text.startswith(text + " ("):
            return i
    raise AssertionError(f"no item {text!r} in {texts(items)}")


def test_status_line_first_disabled_and_default() -> None:
    st = make(stretch_s=32 * 60, next_break_at=50 * 60)
    items = menu(st)
    head = items[0]
    assert head.text == "Sitting 32 min · break in 18 min"
    assert not head.enabled
    assert head.default
    assert head.action == "status"
    assert sum(1 for i in items if i.default) == 1


def test_status_line_comes_from_the_status_dict() -> None:
    items = build_menu(make(), {"line": "Away · stretch reset"}, None)
    assert items[0].text == "Away · stretch reset"


def test_full_order_while_sitting() -> None:
    items = menu(make(), autostart=False)
    names = [i.text for i in items if i is not SEPARATOR]
    assert names[1:] == [
        "Take a break now",
        "Snooze",
        "Pause",
        "Break every",
        "Posture nudges",
        "Start at login",
        "Settings…",
        "Open settings file",
        "Statistics",
        "About",
        "Quit",
    ]
    assert items[1] is SEPARATOR


def test_action_ids() -> None:
    items = menu(make(Phase.BREAK_DUE), autostart=True)
    for action in ("break-now", "snooze-300", "snooze-600", "snooze-1200", "skip", "pause-1800",
                   "pause-3600", "pause-7200", "pause-tomorrow", "break-every-1800",
                   "break-every-2400", "break-every-3000", "break-every-3600",
                   "break-every-5400", "toggle-posture", "autostart-off", "settings",
                   "open-settings", "stats", "about", "quit"):
        assert find_action(items, action) is not None, action
    assert find_action(items, "resume") is None


def test_take_a_break_disabled_only_on_a_break() -> None:
    assert item(menu(make(Phase.SITTING)), "Take a break now").enabled
    assert item(menu(make(Phase.AWAY)), "Take a break now").enabled
    assert not item(menu(make(Phase.ON_BREAK)), "Take a break now").enabled
    # while paused it ends the pause and starts the break (issue 10, observation 7)
    assert item(menu(make(Phase.PAUSED)), "Take a break now").enabled


def test_snooze_puts_off_the_next_break_before_it_is_due() -> None:
    assert can_snooze(make(Phase.SITTING))
    assert item(menu(make(Phase.SITTING)), "Snooze").enabled


def test_snooze_disabled_when_no_break_is_coming() -> None:
    st = make(Phase.PAUSED)
    assert not can_snooze(st)
    snooze = item(menu(st), "Snooze")
    assert not snooze.enabled
    assert texts(snooze.submenu) == ["5 min", "10 min", "20 min"]
    assert all(not i.enabled for i in snooze.submenu)


def test_snooze_enabled_when_due_running_or_announced() -> None:
    for st in (make(Phase.BREAK_DUE), make(Phase.ON_BREAK), make(heads_up_sent=True)):
        snooze = item(menu(st), "Snooze")
        assert snooze.enabled, st.phase
        assert [i.action for i in snooze.submenu] == ["snooze-300", "snooze-600", "snooze-1200"]
        assert all(i.enabled for i in snooze.submenu)


def test_snooze_none_left() -> None:
    st = make(Phase.BREAK_DUE, snoozes_used=3)
    snooze = item(menu(st), "Snooze")
    assert snooze.text == "Snooze (none left)"
    assert not snooze.enabled
    assert all(not i.enabled for i in snooze.submenu)


def test_snooze_options_follow_settings() -> None:
    s = Settings(snooze=SnoozeSettings(options=(45.0, 15 * 60.0), max_per_break=1))
    snooze = item(menu(make(Phase.BREAK_DUE, settings=s)), "Snooze")
    assert texts(snooze.submenu) == ["45 s", "15 min"]
    assert [i.action for i in snooze.submenu] == ["snooze-45", "snooze-900"]


def test_snooze_forbidden_by_settings() -> None:
    s = Settings(snooze=SnoozeSettings(max_per_break=0))
    assert not item(menu(make(Phase.BREAK_DUE, settings=s)), "Snooze").enabled


def test_skip_only_when_due_and_not_strict() -> None:
    assert "Skip this break" not in texts(menu(make(Phase.SITTING)))
    assert "Skip this break" not in texts(menu(make(Phase.AWAY)))
    assert "Skip this break" not in texts(menu(make(Phase.PAUSED)))
    for phase in (Phase.BREAK_DUE, Phase.SNOOZED, Phase.ON_BREAK):
        assert "Skip this break" in texts(menu(make(phase))), phase
    assert "Skip this break" in texts(menu(make(heads_up_sent=True)))
    strict = Settings(breaks=BreakSettings(strict=True))
    st = make(Phase.BREAK_DUE, settings=strict)
    assert Command.SKIP not in allowed(st)
    assert "Skip this break" not in texts(menu(st))


def test_pause_submenu_and_until_tomorrow_time() -> None:
    st = make(utc_offset_s=3600)  # 11:00 local; the day starts at 04:00
    pause = item(menu(st), "Pause")
    assert texts(pause.submenu) == ["For 30 min", "For 1 h", "For 2 h", "Until tomorrow (04:00)"]
    assert [i.action for i in pause.submenu] == [
        "pause-1800", "pause-3600", "pause-7200", "pause-tomorrow"]


def test_next_day_start() -> None:
    # 11:00 local (UTC+1) -> 04:00 the next day is 17 hours later.
    assert next_day_start(WALL, 3600, 4 * 60) == WALL + 17 * 3600
    # 02:00 local is before the day's start: the day begins at 04:00 the same night.
    assert next_day_start(WALL, -8 * 3600, 4 * 60) == WALL + 2 * 3600
    s = Settings(schedule=ScheduleSettings(day_starts=0))
    st = make(settings=s, utc_offset_s=0)
    assert item(menu(st), "Pause").submenu[-1].text == "Until tomorrow (00:00)"


def test_resume_only_while_paused() -> None:
    assert "Resume" not in texts(menu(make(Phase.SITTING)))
    st = make(Phase.PAUSED, paused_until_wall=WALL + 600)
    items = menu(st)
    assert item(items, "Resume").action == "resume"
    # Pausing again (to change the end) stays possible.
    assert item(items, "Pause").enabled


def test_break_every_radio_current_checked() -> None:
    s = Settings(sitting=SittingSettings(break_after=40 * 60))
    every = item(menu(make(settings=s)), "Break every")
    assert texts(every.submenu) == ["30 min", "40 min", "50 min", "1 h", "1 h 30 min"]
    assert all(i.radio for i in every.submenu)
    assert [i.checked for i in every.submenu] == [False, True, False, False, False]


def test_break_every_shows_an_unlisted_current_value() -> None:
    s = Settings(sitting=SittingSettings(break_after=20), breaks=BreakSettings(heads_up=5))
    every = item(menu(make(settings=s)), "Break every")
    assert every.submenu[0].text == "20 s"
    assert every.submenu[0].checked
    assert every.submenu[0].action == "break-every-20"
    assert sum(bool(i.checked) for i in every.submenu) == 1


def test_posture_checkbox() -> None:
    on = item(menu(make()), "Posture nudges")
    assert on.checked is True and on.action == "toggle-posture"
    off = Settings(posture=PostureSettings(every=0))
    assert item(menu(make(settings=off)), "Posture nudges").checked is False


def test_autostart_checkbox_only_when_known() -> None:
    assert "Start at login" not in texts(menu(make(), autostart=None))
    assert item(menu(make(), autostart=True), "Start at login").checked is True
    assert item(menu(make(), autostart=False), "Start at login").checked is False


def test_every_phase_builds_and_ends_with_quit() -> None:
    for phase in Phase:
        items = menu(make(phase))
        assert items[-1].action == "quit"
        assert items[0].action == "status"
        # No two separators in a row, none at the ends.
        for a, b in itertools.pairwise(items):
            assert not (a is SEPARATOR and b is SEPARATOR)


def test_items_are_frozen() -> None:
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        menu(make())[0].text = "x"  # type: ignore[misc]

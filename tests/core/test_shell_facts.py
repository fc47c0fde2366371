"""What the core decides for the shell: when to look again, whether to notify, probe or not."""

from __future__ import annotations

from tests.fakes import Sim
from tray_app.core.effects import Notify
from tray_app.core.events import Hold, SettingsRejected
from tray_app.core.machine import HOLD_RECHECK_S, holds_matter, next_wake
from tray_app.core.model import (
    BreakSettings,
    NotificationSettings,
    PostureSettings,
    Settings,
    SittingSettings,
    SmartPauseSettings,
)


def quick(notifications: bool = True, smart_pause: bool = True) -> Settings:
    return Settings(
        sitting=SittingSettings(break_after=600),
        breaks=BreakSettings(heads_up=0),
        posture=PostureSettings(every=0),
        notifications=NotificationSettings(enabled=notifications),
        smart_pause=SmartPauseSettings(enabled=smart_pause),
    )


def test_a_rejected_settings_file_is_a_notification_only_when_they_are_on() -> None:
    on = Sim(quick())
    assert [type(e) for e in on.send(SettingsRejected("line 3: bad"))
            if isinstance(e, Notify)] == [Notify]
    off = Sim(quick(notifications=False))
    off.run(600)  # a break falls due: still no notification of any kind
    off.send(SettingsRejected("line 3: bad"))
    assert not [e for e in off.effects if isinstance(e, Notify)]


def test_a_held_break_asks_to_be_woken_every_recheck() -> None:
    sim = Sim(quick())
    sim.send(Hold("fullscreen window"))
    sim.run(600)
    assert sim.state.waiting_since_mono is not None
    assert next_wake(sim.state) == sim.state.mono + HOLD_RECHECK_S


def test_holds_matter_only_near_a_deadline_or_while_held() -> None:
    sim = Sim(quick())
    assert not holds_matter(sim.state, 10.0)  # ten minutes before the break
    sim.run(595)
    assert holds_matter(sim.state, 10.0)
    held = Sim(quick())
    held.send(Hold("do not disturb"))
    assert holds_matter(held.state, 10.0)  # so the hold can be released
    off = Sim(quick(smart_pause=False))
    off.run(595)
    assert not holds_matter(off.state, 10.0)

"""The tray menu as plain data: what it says and which action each entry sends.

`build_menu` is a pure function of the state, so the menu is tested without a tray; the tray
turns the items into pystray's and maps action ids back to events or settings changes.
Action ids: "break-now", "snooze-300", "skip", "pause-1800", "pause-tomorrow", "resume",
"break-every-2400", "toggle-posture", "autostart-on"/"autostart-off", "settings",
"open-settings", "stats", "about", "quit", and "status" (the status line, run on a left click
where the tray has one). Start at login names the state its tick moves to, so a click on a
tick that went stale sets what the user saw, never the opposite.
The ones that are commands go through core.commands; whether each is enabled is
guards.allowed's answer, so the menu never offers what the core would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tray_app.core import schedule
from tray_app.core.duration import Seconds, duration_text
from tray_app.core.guards import allowed, snoozes_left
from tray_app.core.state import Command, State
from tray_app.core.status import clock_text, status_line
from tray_app.core.text import Text

# Minutes offered under "Break every".
BREAK_EVERY_MIN: tuple[int, ...] = (30, 40, 50, 60, 90)
# Seconds offered under "Pause", besides "until tomorrow".
PAUSE_FOR_S: tuple[int, ...] = (30 * 60, 60 * 60, 2 * 60 * 60)


@dataclass(frozen=True)
class MenuItem:
    """One menu entry; `action` None means it does nothing (a label or a submenu parent)."""

    text: str
    action: str | None = None
    enabled: bool = True
    checked: bool | None = None  # None: not a checkbox
    radio: bool = False
    submenu: tuple[MenuItem, ...] = ()
    default: bool = False


# A line between groups of entries.
SEPARATOR = MenuItem("-", enabled=False)


def can_snooze(state: State) -> bool:
    """Whether a snooze would be accepted now (guards.allowed)."""
    return Command.SNOOZE in allowed(state)


def _snooze_menu(state: State) -> MenuItem:
    s = state.settings.snooze
    left = snoozes_left(state)
    enabled = can_snooze(state) and bool(s.options)
    items = tuple(
        MenuItem(duration_text(secs), f"snooze-{round(secs)}", enabled=enabled)
        for secs in s.options
    )
    text = Text("Snooze") if left else Text("Snooze (none left)")
    return MenuItem(text, None, enabled=enabled, submenu=items)


def _pause_menu(state: State) -> MenuItem:
    items = [MenuItem(Text("For {duration}", duration=Seconds(secs)), f"pause-{secs}")
             for secs in PAUSE_FOR_S]
    tomorrow = Text("Until tomorrow")
    if state.ticked:
        at = schedule.next_day_start(state.wall, state.utc_offset_s,
                                     state.settings.schedule.day_starts)
        tomorrow = Text("Until tomorrow ({time})", time=clock_text(at, state.utc_offset_s))
    items.append(MenuItem(tomorrow, "pause-tomorrow"))
    return MenuItem(Text("Pause"), None, submenu=tuple(items))


def _break_every_menu(state: State) -> MenuItem:
    current = round(state.settings.sitting.break_after)
    choices = {m * 60 for m in BREAK_EVERY_MIN}
    # A value set in the file that the list lacks is shown too, so one item is always checked.
    choices.add(current)
    items = tuple(
        MenuItem(duration_text(secs, to_the_second=True), f"break-every-{secs}",
                 checked=secs == current, radio=True)
        for secs in sorted(choices)
    )
    return MenuItem(Text("Break every"), None, submenu=items)


def build_menu(state: State, status: dict[str, Any], autostart: bool | None) -> list[MenuItem]:
    """The whole tray menu for `state`; `status` is the runtime's status dict (for its line).

    `autostart` is whether sitbreak starts at login, or None where that cannot be set.
    """
    ok = allowed(state)
    line = status.get("line") or status_line(state)
    items: list[MenuItem] = [
        MenuItem(line, "status", enabled=False, default=True),
        SEPARATOR,
        MenuItem(Text("Take a break now"), "break-now", enabled=Command.START in ok),
        _snooze_menu(state),
    ]
    if Command.SKIP in ok:
        items.append(MenuItem(Text("Skip this break"), "skip"))
    items.append(_pause_menu(state))
    if Command.RESUME in ok:
        items.append(MenuItem(Text("Resume"), "resume"))
    items += [
        SEPARATOR,
        _break_every_menu(state),
        MenuItem(Text("Posture nudges"), "toggle-posture",
                 checked=state.settings.posture.every > 0),
    ]
    if autostart is not None:
        items.append(MenuItem(Text("Start at login"),
                              "autostart-off" if autostart else "autostart-on", checked=autostart))
    items += [
        SEPARATOR,
        MenuItem(Text("Settings…"), "settings"),
        MenuItem(Text("Open settings file"), "open-settings"),
        MenuItem(Text("Statistics"), "stats"),
        MenuItem(Text("About"), "about"),
        SEPARATOR,
        MenuItem(Text("Quit"), "quit"),
    ]
    return items


def find_action(items: list[MenuItem] | tuple[MenuItem, ...], action: str) -> MenuItem | None:
    """The item (at any depth) that sends `action`, or None."""
    for item in items:
        if item.action == action:
            return item
        found = find_action(item.submenu, action)
        if found is not None:
            return found
    return None



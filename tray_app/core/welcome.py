"""The first-run notification: where the icon is and what happens next."""

from __future__ import annotations

from tray_app.core.duration import human
from tray_app.core.model import Settings

TITLE = "sitbreak is running"


def welcome(settings: Settings, tray: str | None, docked: bool) -> str:
    """The body: `tray` is the tray backend (None: console mode), `docked` whether a tray
    host shows the icon."""
    if tray is None:
        where = ("It has no tray icon here: it runs in the terminal it was started from, and "
                 "its reminders print there and come as notifications.")
    elif docked:
        where = ("Its icon is in your panel's system tray (often top right, or behind the "
                 "tray's arrow): click it for the menu, hover it for how long you have sat.")
    else:
        where = ("No tray shows its icon yet, so its reminders come as notifications; "
                 "`sitbreak status` says where things stand.")
    s = settings
    lead = s.breaks.heads_up
    heads_up = f", with a heads-up {human(lead)} before" if lead > 0 else ""
    nxt = (f"After {human(s.sitting.break_after)} of sitting it offers a short exercise "
           f"break{heads_up}. Away from the keyboard for {human(s.sitting.idle_reset)} counts "
           "as a break. Change this in Settings (tray menu) or with `sitbreak settings`.")
    return f"{where}\n{nxt}"

"""Views of a break as the core sends them, shared by the window's tests."""

from __future__ import annotations

from dataclasses import replace

from tray_app.core.session import BreakView

# A routine of march and bridge with one spare; each test file sizes the steps.
OFFERED = BreakView(
    routine=("march", "bridge"), spares=(("chin-tucks",),), index=0, step=0, running=False,
    strict=False, allowed=("another", "close", "pause", "skip", "snooze", "start"),
    snooze_options=(300, 600), step_seconds=60, step_left_s=60, seconds_done=0,
    planned_seconds=240,
)
RUNNING = replace(OFFERED, running=True,
                  allowed=("another", "close", "done", "next", "pause", "skip", "snooze"))

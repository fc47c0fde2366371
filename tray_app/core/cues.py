"""Which sound a step of the machine asks for: a break falling due, a new step, the end.

So a user standing away from the screen hears the break begin, each step change and its end.
Pure: the runtime compares the state before and after each step and plays what this returns.
"""

from __future__ import annotations

from collections.abc import Sequence

from tray_app.core.effects import Effect, Record
from tray_app.core.model import Kind, Phase
from tray_app.core.state import State

START, STEP, END = "start", "step", "end"
ENDINGS = (Kind.COMPLETED, Kind.ENDED_EARLY)


def cue(before: State, after: State, effects: Sequence[Effect]) -> str | None:
    """The cue to play after a step from `before` to `after` with `effects`, or None.

    Silent with sounds off or at volume 0, and while a hold (fullscreen window, do-not-disturb,
    a meeting) is on: holds keep a break from interrupting, and a sound interrupts too.
    """
    sound = after.settings.sound
    if not sound.enabled or sound.volume <= 0 or after.hold_reason:
        return None
    if any(isinstance(e, Record) and e.row.kind in ENDINGS for e in effects):
        return END
    if after.phase is Phase.BREAK_DUE and before.phase is not Phase.BREAK_DUE:
        return START
    if before.phase is Phase.ON_BREAK and after.phase is Phase.ON_BREAK:
        was, now = before.session, after.session
        # A routine arriving for a break started before it was planned is not a new step.
        if was is not None and now is not None and now.running and was.running and was.planned \
                and (was.index, was.step, was.routine) != (now.index, now.step, now.routine):
            return STEP
    return None

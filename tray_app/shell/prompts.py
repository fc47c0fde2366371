"""The break prompt: showing the break the core holds in a window or a terminal, and turning
the answers into core events. Which exercises to show is the planner's (`shell.planner`)."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from tray_app.core.commands import BadCommand, command_event
from tray_app.core.duration import human
from tray_app.core.events import BreakPlanned, BreakViewFailed, Event
from tray_app.core.exercise import Exercise, category_name, place_name
from tray_app.core.session import BreakView
from tray_app.core.state import State
from tray_app.shell.planner import BreakPlanner
from tray_app.support.i18n import _, duration, tr

log = logging.getLogger(__name__)


def intent_event(event: dict[str, Any]) -> Event:
    """The core event for a window's intent line (core.commands); raises BadCommand."""
    params = {k: event[k] for k in ("exercise_id", "step", "seconds", "rating", "family",
                                    "answer", "pain", "item", "value", "side") if k in event}
    return command_event(str(event.get("intent")), params)


class ConsolePrompt:
    """Prints the break and how to answer it; used without a display and in console mode."""

    def __init__(self, planner: BreakPlanner, stream: TextIO | None = None) -> None:
        self.planner = planner
        self.stream = stream or sys.stdout
        self._printed: tuple[bool, tuple[str, ...]] | None = None

    def plan(self, state: State) -> BreakPlanned:
        return self.planner.plan(state)

    def show(self, view: BreakView, state: State) -> None:
        """Print the break when it is offered and when it starts (not every step)."""
        if self._printed == (view.running, view.routine):
            return
        self._printed = (view.running, view.routine)
        session = state.session
        exercises = session.routine if session is not None else ()
        out = [f"[sitbreak {time.strftime('%H:%M')}] "
               + (_("Break started.") if view.running else
                  _("Time to move: you have sat for {duration}.").format(
                      duration=duration(state.stretch_s)))]
        from tray_app.exercises.format import care_lines
        from tray_app.exercises.shown import shown

        for ex in map(shown, exercises):
            kind = f"{tr(category_name(ex.category))}, {tr(place_name(ex.where))}"
            out.append(f"  {ex.name} ({kind}, {duration(ex.seconds)})")
            out += [f"    {line}" for line in care_lines(ex)]  # what the window shows too
            for n, stp in enumerate(ex.steps, 1):
                out.append(f"    {n}. {stp.text} ({duration(stp.seconds, exact=True)})")
            out.append("    " + _("Tip: {cue}").format(cue=ex.cue))
        if not view.running:
            from tray_app.core.safety import SAFETY_LINE

            out.append(f"  {tr(SAFETY_LINE)}")
        answers = [f"sitbreak {ANSWERS[a]}" for a in view.allowed if a in ANSWERS]
        if view.snooze_options and "snooze" in view.allowed:
            answers = [a if a != "sitbreak snooze" else
                       f"sitbreak snooze [{human(view.snooze_options[0])}]"
                       for a in answers]
        out.append("  " + _("Answer with: {commands}").format(commands=" | ".join(answers)))
        if view.running:  # the programme (core.progression): what the window's buttons say
            from tray_app.shell.planner import programme_lines

            planner = self.planner
            out += programme_lines(planner.offers, planner.checkin, planner.retest)
        print("\n".join(out), file=self.stream, flush=True)

    def present(self) -> bool:
        self._printed = None  # the next show prints the break again
        return False

    def end(self, title: str, lines: tuple[str, ...]) -> bool:
        self._printed = None
        return False  # the notification says it (the console notifier prints it here)

    def close(self) -> None:
        self._printed = None


# The CLI command for each allowed command a console prompt offers.
ANSWERS = {"start": "break-now", "done": "done", "snooze": "snooze", "skip": "skip"}


class WindowPrompt:
    """The Tk break window in a child process, kept in step with the core's view of the break.

    A window that dies on its own is reported as BreakViewFailed; the core then shows the
    break in a notification instead.
    """

    def __init__(
        self,
        planner: BreakPlanner,
        post: Callable[[Event], None],
        cache_dir: Path,
        console: ConsolePrompt | None = None,
        *,
        window: Callable[[Callable[[dict[str, Any]], None]], Any],
    ) -> None:
        self.planner = planner
        self.post = post
        self.cache_dir = cache_dir
        self.console = console
        # Makes a ui.launch.break_window.BreakWindowProcess (from the composition root), called with
        # the handler for what the window sends back; at the first break, so the client's
        # modules are not loaded in an app that idles between breaks.
        self._window = window
        self._proc: Any = None

    def _process(self) -> Any:
        if self._proc is None:
            self._proc = self._window(self._on_event)
        return self._proc

    def plan(self, state: State) -> BreakPlanned:
        return self.planner.plan(state)

    def show(self, view: BreakView, state: State) -> None:
        if self.console is not None:
            self.console.show(view, state)
        proc = self._process()
        if proc.is_open and proc.show(view):
            return
        try:
            proc.open(self._request(state), view)
        except Exception as exc:
            log.exception("could not start the break window")
            self.post(BreakViewFailed(f"could not start: {exc}"))

    def _request(self, state: State) -> Any:
        from tray_app.core.safety import SAFETY_LINE
        from tray_app.ui.windows.protocol import BreakRequest, ExerciseSpec

        session = state.session
        exercises: tuple[Exercise, ...] = ()
        if session is not None:  # every exercise the break may show, once
            spare = (ex for r in session.spares for ex in r)
            exercises = tuple(dict.fromkeys((*session.routine, *spare)))
        from tray_app.exercises.shown import shown

        specs = [ExerciseSpec.from_exercise(shown(ex)) for ex in exercises]  # in the language
        if not specs:  # nothing planned: the window shows a plain timed break
            from tray_app.core.exercise import Step

            specs.append(ExerciseSpec.from_exercise(Exercise(
                "movement-break", _("Movement break"), "other", "standing",
                (Step(_("Stand up, walk about, stretch as feels good."), 1),), "", "")))
        return BreakRequest(exercises=tuple(specs), safety=tr(SAFETY_LINE), title=_("Time to move"),
                            pictures_dir=str(self.cache_dir / "pictures"),
                            offers=dict(self.planner.offers), checkin=self.planner.checkin,
                            retest=self.planner.retest)

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "intent":
            try:
                self.post(intent_event(event))
            except BadCommand as exc:
                log.warning("break window sent a bad intent %r: %s", event, exc)
        elif kind == "crashed":
            log.warning("break window crashed: %s", event)
            self.post(BreakViewFailed(f"crashed (exit {event.get('returncode')})"))
        else:  # shown, focused, and with SITBREAK_WINDOW_DEBUG=1 what it draws (for tests)
            log.debug("break window: %s", json.dumps(event, separators=(",", ":")))

    def present(self) -> bool:
        proc = self._proc
        return proc is not None and proc.is_open and bool(proc.raise_window())

    def end(self, title: str, lines: tuple[str, ...]) -> bool:
        """The window shows the closing screen and closes itself; the next break gets a new
        window process."""
        if self.console is not None:
            self.console.end(title, lines)
        proc = self._proc
        if proc is None or not proc.is_open:
            return False
        from tray_app.core.ending import END_SCREEN_S
        from tray_app.ui.windows.protocol import end_line

        self._proc = None
        return bool(proc.finish(end_line(title, lines, END_SCREEN_S)))

    def close(self) -> None:
        if self.console is not None:
            self.console.close()
        if self._proc is not None and self._proc.is_open:
            self._proc.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

"""The break prompt: which exercises to offer, and showing them in a window or a terminal."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from tray_app.core.effects import OpenBreak
from tray_app.core.events import BreakViewFailed, Done, Event, Skip, Snooze, TakeBreakNow
from tray_app.core.exercise import Exercise
from tray_app.core.machine import State, human_duration
from tray_app.core.model import ExerciseSettings, Phase
from tray_app.core.ports import HistoryStore
from tray_app.core.problems import ProblemsError

log = logging.getLogger(__name__)


class BreakPlanner:
    """Loads the catalogue (again only when the exercise settings change) and picks from it."""

    def __init__(self, history: HistoryStore, on_notice: Callable[[str], None]) -> None:
        self.history = history
        self.on_notice = on_notice
        self._loaded_for: ExerciseSettings | None = None
        self._catalogue: list[Exercise] = []

    def catalogue(self, settings: ExerciseSettings) -> list[Exercise]:
        if settings != self._loaded_for:
            from tray_app.exercises.loader import load_catalogue

            try:
                self._catalogue = load_catalogue(settings)
            except ProblemsError as exc:
                # Keep the last good catalogue; say what is wrong with the user's file.
                self.on_notice(f"exercises not reloaded:\n{exc}")
                if not self._catalogue:
                    from tray_app.core.model import ExerciseSettings as Defaults

                    self._catalogue = load_catalogue(Defaults(places=settings.places))
            self._loaded_for = settings
        return self._catalogue

    def plan(self, state: State, count: int = 4) -> tuple[list[Exercise], list[Exercise]]:
        """(the routine for this break, single alternatives for "Another exercise")."""
        from tray_app.core.picker import RECENT, alternatives

        catalogue = self.catalogue(state.settings.exercises)
        try:
            recent = [(i, c) for _w, i, c in self.history.recent_exercises(RECENT)]
        except Exception:
            log.exception("could not read recent exercises")
            recent = []
        routines = alternatives(
            catalogue, recent, state.settings.breaks.length, seed=int(state.wall), count=count
        )
        if not routines:
            return [], []
        routine = routines[0]
        spare = [e for r in routines[1:] for e in r if e not in routine]
        return routine, list(dict.fromkeys(spare))


def result_event(event: dict[str, Any]) -> Event | None:
    """Map a break window's final JSON line to a core event."""
    from tray_app.ui.window_protocol import ProtocolError, result_exercises

    action = event.get("action")
    if action == "done":
        try:
            done = tuple((e.exercise_id, e.category, e.seconds) for e in result_exercises(event))
        except ProtocolError:
            done = ()
        return Done(event.get("exercise_id"), event.get("category"),
                    event.get("elapsed_seconds"), done)
    if action == "snooze":
        secs = event.get("snooze_seconds")
        return Snooze(float(secs) if secs else None)
    if action == "skip":
        return Skip()
    return None


class ConsolePrompt:
    """Prints the break and how to answer it; used without a display and in console mode."""

    def __init__(self, planner: BreakPlanner, stream: TextIO | None = None) -> None:
        self.planner = planner
        self.stream = stream or sys.stdout

    def open(self, effect: OpenBreak, state: State) -> None:
        exercises, _ = self.planner.plan(state, count=1)
        out = [f"[sitbreak {time.strftime('%H:%M')}] "
               + ("Break started." if effect.started else
                  f"Time to move: you have sat for {human_duration(state.stretch_s)}.")]
        for ex in exercises:
            out.append(f"  {ex.name} ({ex.category}, {ex.where}, {human_duration(ex.seconds)})")
            for n, stp in enumerate(ex.steps, 1):
                out.append(f"    {n}. {stp.text} ({stp.seconds} s)")
            out.append(f"    Tip: {ex.cue}")
        answers = ["sitbreak done"] if effect.started else ["sitbreak break-now"]
        if effect.snooze_options:
            answers.append(f"sitbreak snooze [{human_duration(effect.snooze_options[0])}]")
        if effect.can_skip:
            answers.append("sitbreak skip")
        out.append("  Answer with: " + " | ".join(answers))
        print("\n".join(out), file=self.stream, flush=True)

    def close(self) -> None:
        pass


class WindowPrompt:
    """The Tk break window in a child process; falls back to a notification if it fails."""

    def __init__(
        self,
        planner: BreakPlanner,
        post: Callable[[Event], None],
        cache_dir: Path,
        console: ConsolePrompt | None = None,
    ) -> None:
        from tray_app.ui.break_client import BreakWindowProcess

        self.planner = planner
        self.post = post
        self.cache_dir = cache_dir
        self.console = console
        self._proc = BreakWindowProcess(self._on_event)

    def open(self, effect: OpenBreak, state: State) -> None:
        from tray_app.exercises import SAFETY_LINE
        from tray_app.exercises.pictures import cached_frames
        from tray_app.ui.window_protocol import BreakRequest, ExerciseSpec

        if self.console is not None:
            self.console.open(effect, state)
        if self._proc.is_open:
            return  # never two windows
        routine, spare = self.planner.plan(state)
        specs = []
        for ex in routine + spare:
            try:
                frames = [str(p) for p in cached_frames(ex, self.cache_dir / "pictures")]
            except Exception:
                log.exception("could not draw %s", ex.id)
                frames = []
            specs.append(ExerciseSpec.from_exercise(ex, frames))
        request = BreakRequest(
            exercises=tuple(specs),
            snooze_options=tuple(round(s) for s in effect.snooze_options),
            can_skip=effect.can_skip,
            started=effect.started or state.phase is Phase.ON_BREAK,
            safety=SAFETY_LINE,
            title="Time to move",
            routine=max(1, len(routine)),
        )
        try:
            self._proc.open(request)
        except Exception as exc:
            log.exception("could not start the break window")
            self.post(BreakViewFailed(f"could not start: {exc}"))

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "started":
            self.post(TakeBreakNow())
        elif kind == "result":
            mapped = result_event(event)
            if mapped is not None:
                self.post(mapped)
            else:
                self.post(BreakViewFailed("closed by the user"))
        elif kind == "crashed":
            log.warning("break window crashed: %s", event)
            self.post(BreakViewFailed(f"crashed (exit {event.get('returncode')})"))

    def close(self) -> None:
        if self._proc.is_open:
            self._proc.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid

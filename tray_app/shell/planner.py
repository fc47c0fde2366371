"""Which exercises a break offers: the catalogue (loaded again only when its settings change)
and the picker, fed with what the history says was done lately."""

from __future__ import annotations

import logging
from collections.abc import Callable

from tray_app.core.events import BreakPlanned
from tray_app.core.exercise import Exercise
from tray_app.core.model import ExerciseSettings
from tray_app.core.problems import ProblemsError
from tray_app.core.state import State
from tray_app.ports import HistoryStore

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

    def plan(self, state: State) -> BreakPlanned:
        """The routine for this break, and spare routines for "Another exercise"."""
        from tray_app.core.picker import RECENT, pick, spares

        catalogue = self.catalogue(state.settings.exercises)
        try:
            recent = [(i, c) for _w, i, c in self.history.recent_exercises(RECENT)]
        except Exception:
            log.exception("could not read recent exercises")
            recent = []
        seed = int(state.wall)
        stand = "standing" in state.settings.exercises.places  # then every break gets you up
        routine = pick(catalogue, recent, state.settings.breaks.length, seed, stand=stand)
        if not routine:
            return BreakPlanned(())
        spare = spares(catalogue, recent, routine, seed, stand=stand)
        return BreakPlanned(tuple(routine), tuple(tuple(r) for r in spare))

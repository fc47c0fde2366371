"""Which exercises a break offers: the catalogue (loaded again only when its settings change)
and the picker, fed with what the history says was done lately; then the programme
(core.progression): an exercise rated "this hurt" rests, each family shows its level in use,
and a family ready for a harder version is offered."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from tray_app.core.events import BreakPlanned
from tray_app.core.exercise import Exercise
from tray_app.core.model import ExerciseSettings, Row
from tray_app.core.problems import ProblemsError
from tray_app.core.progression import Family, Progress
from tray_app.core.state import State
from tray_app.ports import HistoryStore
from tray_app.support.i18n import _, tr

log = logging.getLogger(__name__)


class BreakPlanner:
    """Loads the catalogue (again only when the exercise settings change) and picks from it."""

    def __init__(self, history: HistoryStore, on_notice: Callable[[str], None],
                 programme_rows: Callable[[], Sequence[Row]] | None = None) -> None:
        self.history = history
        self.on_notice = on_notice
        # The history's rows, oldest first, for the programme; None: no programme.
        self.programme_rows = programme_rows
        # What the latest plan asks of the user besides the exercises (the break window shows
        # them): exercise id -> the family ready for a harder version, and a pain check-in.
        self.offers: dict[str, str] = {}
        self.checkin = False
        self.retest: tuple[str, ...] = ()  # the re-test's items when one is due
        self._loaded_for: ExerciseSettings | None = None
        self._catalogue: list[Exercise] = []

    def catalogue(self, settings: ExerciseSettings) -> list[Exercise]:
        if settings != self._loaded_for:
            from tray_app.exercises.loader import load_catalogue

            try:
                self._catalogue = load_catalogue(settings)
            except ProblemsError as exc:
                # Keep the last good catalogue; say what is wrong with the user's file.
                self.on_notice(_("exercises not reloaded:\n{problems}").format(
                    problems=tr(exc.text())))
                if not self._catalogue:
                    from tray_app.core.model import ExerciseSettings as Defaults

                    self._catalogue = load_catalogue(Defaults(places=settings.places))
            self._loaded_for = settings
        return self._catalogue

    def plan(self, state: State) -> BreakPlanned:
        """The routine for this break, and spare routines for "Another exercise"."""
        from tray_app.core.picker import RECENT, pick, spares

        catalogue = self.catalogue(state.settings.exercises)
        rows = self._rows()
        programme = self._programme(state, rows)
        self.offers, self.checkin = {}, self._checkin_due(state)
        self.retest = self._retest_due(state, rows)
        if programme is not None:
            from tray_app.core.progression import in_rotation

            resting = [e for e in catalogue if in_rotation(programme[0], e.id, state.wall)]
            catalogue = resting or catalogue  # never an empty break for a rested exercise
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
        if programme is not None:
            routine, spare = self._levels(state, programme, catalogue, routine, spare)
        return BreakPlanned(tuple(routine), tuple(tuple(r) for r in spare))

    def _rows(self) -> Sequence[Row] | None:
        """The programme's rows from the history, or None (no programme, or they can't be
        read: the break goes on without them)."""
        if self.programme_rows is None:
            return None
        try:
            return self.programme_rows()
        except Exception:
            log.exception("could not read the programme's history")
            return None

    def _programme(self, state: State, rows: Sequence[Row] | None,
                   ) -> tuple[Progress, tuple[Family, ...]] | None:
        """The user's progress and the families, or None (progression off, or no rows)."""
        if rows is None or not state.settings.programme.progression:
            return None
        from tray_app.core import schedule
        from tray_app.core.progression import facts_from_rows, fold
        from tray_app.exercises.progressions import builtin_families

        try:
            families = builtin_families()
        except Exception:
            log.exception("could not read the exercise families")
            return None
        sched = state.settings.schedule

        def day_of(wall: float) -> int:
            return schedule.day_key(wall, state.utc_offset_s, sched.day_starts)

        return fold(facts_from_rows(rows), families, day_of), families

    def _levels(self, state: State, programme: tuple[Progress, tuple[Family, ...]],
                catalogue: list[Exercise], routine: list[Exercise],
                spare: list[list[Exercise]]) -> tuple[list[Exercise], list[list[Exercise]]]:
        """Each exercise at its family's level in use; and the offer of a harder version to a
        family this break works."""
        from tray_app.core.progression import family_of, in_use, ready

        progress, families = programme
        by_id = {e.id: e for e in catalogue}

        def level(r: list[Exercise]) -> list[Exercise]:
            # Two picks of one family would show its level twice: the second stays as picked.
            out: list[Exercise] = []
            for e in r:
                shown = in_use(e, progress, families, by_id, state.wall)
                taken = {x.id for x in out} | {x.id for x in r if x is not e}
                out.append(shown if shown.id == e.id or shown.id not in taken else e)
            return out

        routine, spare = level(routine), [level(r) for r in spare]
        owner = family_of(families)
        self.offers = {e.id: owner[e.id].id for r in (routine, *spare) for e in r
                       if e.id in owner and ready(progress, owner[e.id], state.wall)}
        return routine, spare

    def _retest_due(self, state: State, rows: Sequence[Row] | None) -> tuple[str, ...]:
        """The re-test's items for the places allowed, at the day's first break once
        retest_days have passed since the last (or none was done); else ()."""
        from tray_app.core.retest import due, items_for, last_retest

        if rows is None or state.today.taken:
            return ()
        if not due(last_retest(rows), state.wall, state.settings.programme.retest_days):
            return ()
        return tuple(i.id for i in items_for(state.settings.exercises.places))

    def _checkin_due(self, state: State) -> bool:
        """Whether this break asks for back pain: check-ins on, and it is the first break of
        the day or the last before the day's hours end (as the settings say)."""
        from tray_app.core import schedule

        prog, wall, offset = state.settings.programme, state.wall, state.utc_offset_s
        if not prog.checkins:
            return False
        first = state.today.taken == 0 and "first" in prog.checkin_times
        ends = [schedule.seconds_to_day_end(wall, offset, state.settings.schedule.day_starts)]
        change = schedule.seconds_to_next_change(state.settings.schedule, wall, offset)
        if change is not None and schedule.in_hours(state.settings.schedule, wall, offset):
            ends.append(change)
        last = min(ends) < state.settings.sitting.break_after and "last" in prog.checkin_times
        return first or last


def programme_lines(offers: dict[str, str], checkin: bool, retest: tuple[str, ...] = (),
                    ) -> list[str]:
    """What a running break asks besides the exercises, for the console prompt (the window
    has buttons for them)."""
    out = ["  " + _("After each exercise: {command}").format(
        command="sitbreak rate easy|fine|too-hard|hurt")]
    if retest:
        out.append("  " + _("Your re-test is due (a few minutes, any time; skip it if you "
                            "like): {command} lists it").format(command="`sitbreak retest`"))
    for fam in sorted(set(offers.values())):
        out.append("  " + _("Ready for a harder version of {family}? {accept} (or: {stay})").format(
            family=fam, accept=f"sitbreak level {fam} accept", stay="stay"))
    if checkin:
        out.append("  " + _("How is your back now, 0 (no pain) to 10? {command}").format(
            command="sitbreak checkin N"))
    return out

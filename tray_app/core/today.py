"""Today's numbers beside the live stretch, kept across restarts.

At start the shell reads the history's rows from before the start (`Recalled`); from then on
every row the core records is added here too, so `status` and the end of a break say what the
statistics will say, whether or not sitbreak was restarted today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tray_app.core.model import Row
from tray_app.core.stats import Totals, fold

# How far back the shell reads at start: the longest pause (core.limits.PAUSE_S) and a day.
RECALL_S = 8 * 86400.0


@dataclass(frozen=True)
class Today:
    """Counters of the current statistics day, and the run of good days before it."""

    offered: int = 0
    taken: int = 0
    skipped: int = 0
    minutes_by_category: tuple[tuple[str, float], ...] = ()
    streak_before: int = 0  # days in a row before today with every break taken

    def add(self, rows: Iterable[Row]) -> Today:
        day = fold(rows)
        if not (day.breaks_offered or day.breaks_taken or day.skipped
                or day.exercise_minutes_by_category):
            return self
        minutes = dict(self.minutes_by_category)
        for cat, m in day.exercise_minutes_by_category.items():
            minutes[cat] = minutes.get(cat, 0.0) + m
        return Today(
            offered=self.offered + day.breaks_offered,
            taken=self.taken + day.breaks_taken,
            skipped=self.skipped + day.skipped,
            minutes_by_category=tuple(sorted(minutes.items())),
            streak_before=self.streak_before,
        )

    @property
    def all_taken(self) -> bool | None:
        """Every break offered today was taken (None: none offered yet)."""
        if self.offered == 0:
            return None
        return self.taken >= self.offered and self.skipped == 0

    @property
    def streak(self) -> int:
        """Days in a row with every break taken, today included once it qualifies."""
        return self.streak_before + (1 if self.all_taken else 0)

    def next_day(self) -> Today:
        """The counters of a new day: the streak carries on, grows, or starts again."""
        good = self.all_taken
        streak = self.streak_before if good is None else (self.streak if good else 0)
        return Today(streak_before=streak)


def all_taken(day: Totals) -> bool | None:
    """A statistics day with every break taken (None: no break was offered that day)."""
    return Today(offered=day.breaks_offered, taken=day.breaks_taken,
                 skipped=day.skipped).all_taken


def streak_of(days: Iterable[Totals]) -> int:
    """Days in a row with every break taken, counting back from the newest of `days` (oldest
    first); days on which no break was offered neither count nor break the run."""
    run = 0
    for day in days:
        good = all_taken(day)
        if good is None:
            continue
        run = run + 1 if good else 0
    return run

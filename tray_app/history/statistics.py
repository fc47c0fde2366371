"""Statistics for a period: stored daily totals for settled days, raw events for the rest."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from tray_app.core.model import Settings
from tray_app.core.stats import DayStats, WeekSummary, week_summary
from tray_app.history.store import History, HistoryUnavailable
from tray_app.history.totals import Days
from tray_app.support.localtime import CachedOffset

log = logging.getLogger(__name__)

# The week summary compares with the week before, so at least this many days are read.
MIN_SPAN = 14
SETTLE_BUDGET_S = 0.3


def days_for(settings: Settings) -> Days:
    """Where the user's statistics days turn, in this machine's time zone."""
    return Days(settings.schedule.day_starts, CachedOffset())


def period(
    history: History | None, days: Days, first: date, last: date, now: float
) -> list[DayStats]:
    """One DayStats per day from `first` to `last` (inclusive), oldest first.

    Settled days come from the daily totals; events after them are folded here. Settling
    what is new first needs a write; if the file is busy, the unsettled events are read instead.
    """
    if history is None:
        return days.fold((), first, last)
    today_start = days.start(days.of(now))
    try:
        # A bounded step: after an upgrade the first fold of years of events is left to the
        # app's background writer (or to the next commands), a slice at a time.
        history.settle(today_start, days, patient=False, budget_s=SETTLE_BUDGET_S)
    except Exception as err:  # busy or read-only: fold the raw events instead
        log.info("could not settle the daily totals (%s); reading raw events", err)
    folded_until = history.folded_until()
    stored = history.daily_totals(first, last) if folded_until is not None else {}
    since = days.start(first) - 86400  # a day of slack for time-zone changes
    if folded_until is not None:
        since = max(since, folded_until)
    out = days.fold(history.iter_events(since), first, last)
    for day in out:
        found = stored.get(day.day)
        if found is not None:
            day.add(found)
    return out


def collect(
    history: History | None, settings: Settings, days: int, now: float,
    rule: Days | None = None,
) -> tuple[list[DayStats], WeekSummary]:
    """The last `days` days (today last) and the week summary."""
    rule = rule or days_for(settings)
    today = rule.of(now)
    span = max(days, MIN_SPAN)
    all_days = period(history, rule, today - timedelta(days=span - 1), today, now)
    return all_days[-days:], week_summary(all_days, today)


def span_days(history: History | None, rule: Days, now: float) -> int:
    """Days from the oldest recorded day (events or totals) to today, inclusive; at least 1."""
    if history is None:
        return 1
    today = rule.of(now)
    firsts: list[date] = []
    try:
        wall = history.first_wall()
        if wall is not None:
            firsts.append(rule.of(wall))
        stored = history.first_day()
        if stored is not None:
            firsts.append(stored)
    except HistoryUnavailable:
        return 1
    return max(1, (today - min(firsts)).days + 1) if firsts else 1

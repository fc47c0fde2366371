"""Statistics for people and programs: a text table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence

from tray_app.core.duration import table as hm  # "3h 05m", for the table's columns
from tray_app.core.exercise import CATEGORIES
from tray_app.core.stats import COUNT_FIELDS, DayStats, Totals, WeekSummary

FORMATS = ("text", "json", "csv")


def _minutes(value: float) -> float:
    return round(value, 1)


def _rounded(t: Totals) -> dict[str, object]:
    out = t.as_dict()
    for name in ("exercise_minutes_by_category", "exercise_minutes_by_exercise"):
        out[name] = {k: _minutes(v) for k, v in getattr(t, name).items()}
    return out


def day_dict(day: DayStats) -> dict[str, object]:
    """One day as the JSON contract spells it (`date` first)."""
    out: dict[str, object] = {"date": day.day.isoformat()}
    out.update(_rounded(day))
    return out


def _totals_dict(t: Totals) -> dict[str, object]:
    out = _rounded(t)
    out["exercise_minutes"] = _minutes(t.exercise_minutes)
    return out


TOP_EXERCISES = 5


def top_exercises(days: Sequence[DayStats], n: int = TOP_EXERCISES) -> list[tuple[str, float]]:
    """The `n` exercises with the most minutes over `days`, most first (ties by name)."""
    period = Totals()
    for d in days:
        period.add(d)
    ranked = sorted(period.exercise_minutes_by_exercise.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(k, m) for k, m in ranked if m > 0][:n]


def summary_dict(summary: WeekSummary) -> dict[str, object]:
    """The week block of the JSON output: totals, the previous week, and the change."""
    out: dict[str, object] = {"start": summary.start.isoformat(), "end": summary.end.isoformat()}
    out.update(_totals_dict(summary.totals))
    out["previous"] = _totals_dict(summary.previous)
    out["change"] = {
        name: {"absolute": c.absolute, "percent": c.percent} for name, c in summary.change.items()
    }
    return out


def stats_json(days: Sequence[DayStats], summary: WeekSummary,
               programme: Mapping[str, object] | None = None) -> str:
    """{"days": [...], "week": {...}} as indented JSON, and the programme's keys (levels,
    ratings, hurt, checkins, retests: core.progression.summary) when given."""
    return json.dumps(
        {"days": [day_dict(d) for d in days], "week": summary_dict(summary),
         **(programme or {})}, indent=2
    )


def _categories(days: Sequence[DayStats]) -> list[str]:
    seen = {c for d in days for c in d.exercise_minutes_by_category}
    return [*CATEGORIES, *sorted(seen - set(CATEGORIES))]


def stats_csv(days: Sequence[DayStats]) -> str:
    """A header row, then one row per day; exercise minutes get one column per category."""
    cats = _categories(days)
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["date", *COUNT_FIELDS, *(f"minutes_{c}" for c in cats)])
    for d in days:
        whole = d.as_dict()  # seconds as whole numbers, as in the JSON
        counts = [whole[name] for name in COUNT_FIELDS]
        minutes = [_minutes(d.exercise_minutes_by_category.get(c, 0.0)) for c in cats]
        out.writerow([d.day.isoformat(), *counts, *minutes])
    return buf.getvalue()


def _signed(change: float, percent: float | None, unit: Callable[[float], str]) -> str:
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    text = f"{sign}{unit(abs(change))}"
    return text + (f" ({percent:+.0f}%)" if percent is not None else "")


def stats_text(days: Sequence[DayStats], summary: WeekSummary) -> str:
    """A table of days and a week summary with the change against the week before."""
    lines = [
        f"{'day':<14}{'sitting':>9}{'stretches':>11}{'longest':>9}{'offered':>9}"
        f"{'taken':>7}{'snoozed':>9}{'skipped':>9}{'done':>6}{'natural':>9}{'posture':>9}"
        f"{'exercise':>10}"
    ]
    for d in days:
        lines.append(
            f"{d.day:%a %Y-%m-%d}"[:14].ljust(14)
            + f"{hm(d.sitting_seconds):>9}{d.stretches:>11}{hm(d.longest_stretch_seconds):>9}"
            f"{d.breaks_offered:>9}{d.breaks_taken:>7}{d.snoozed:>9}{d.skipped:>9}"
            f"{d.completed:>6}{d.natural_breaks:>9}{d.posture_nudges:>9}"
            f"{d.exercise_minutes:>7.0f} min"
        )
    top = top_exercises(days)
    if top:
        lines += ["", f"Most exercise minutes over these {len(days)} days: "
                  + ", ".join(f"{ex} {m:.0f} min" for ex, m in top)]
    t, c = summary.totals, summary.change
    count = str  # counts print as plain numbers
    lines += [
        "",
        f"Last 7 days ({summary.start:%d %b} to {summary.end:%d %b}), against the 7 before:",
        f"  sitting        {hm(t.sitting_seconds):>9}   "
        + _signed(c["sitting_seconds"].absolute, c["sitting_seconds"].percent, hm),
        f"  breaks taken   {t.breaks_taken:>9}   "
        + _signed(c["breaks_taken"].absolute, c["breaks_taken"].percent, lambda v: count(int(v))),
        f"  breaks standing{t.breaks_standing:>9}   (of the breaks you exercised in, those "
        "that got you out of the chair)",
        f"  breaks offered {t.breaks_offered:>9}   "
        + _signed(
            c["breaks_offered"].absolute, c["breaks_offered"].percent, lambda v: count(int(v))
        ),
        f"  exercise       {t.exercise_minutes:>5.0f} min   "
        + _signed(
            c["exercise_minutes"].absolute, c["exercise_minutes"].percent, lambda v: f"{v:.0f} min"
        ),
        f"  longest sit    {hm(t.longest_stretch_seconds):>9}",
    ]
    if t.exercise_minutes_by_category:
        parts = [
            f"{cat} {m:.0f} min"
            for cat, m in t.exercise_minutes_by_category.items()
            if m > 0
        ]
        lines.append("  by category    " + ", ".join(parts))
    missing = [c for c in CATEGORIES if t.exercise_minutes_by_category.get(c, 0) <= 0]
    if t.completed and missing:
        lines.append("  not done yet   " + ", ".join(missing))
    return "\n".join(lines) + "\n"

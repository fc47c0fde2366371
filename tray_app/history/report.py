"""Statistics for people and programs: a text table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence

from tray_app.core.duration import table as hm  # "3h 05m", for the table's columns
from tray_app.core.exercise import CATEGORIES, category_name
from tray_app.core.stats import COUNT_FIELDS, DayStats, Totals, WeekSummary
from tray_app.support.i18n import _, ngettext, number, tr

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


def minutes_text(minutes: float) -> str:
    """Whole minutes, in the language's number form and abbreviation ("14 min"); the charts'
    too."""
    return _("{m} min").format(m=number(minutes))


def _columns() -> list[tuple[str, int]]:
    """The day table's headers and their widths: the English width, wider where the
    language's word needs it."""
    # Translators: the columns of the `sitbreak stats` table, each a word or two: the day,
    # time sitting, stretches of sitting, the longest stretch, breaks offered, taken, snoozed,
    # skipped and done, natural breaks (the user left on their own), posture reminders and
    # minutes of exercise.
    words = [(_("day"), 14), (_("sitting"), 9), (_("stretches"), 11), (_("longest"), 9),
             # Translators: columns of the `sitbreak stats` table (breaks offered, taken, ...)
             (_("offered"), 9), (_("taken"), 7), (_("snoozed"), 9), (_("skipped"), 9),
             # Translators: columns of the `sitbreak stats` table (breaks done, natural breaks,
             # posture reminders, minutes of exercise)
             (_("done"), 6), (_("natural"), 9), (_("posture"), 9), (_("exercise"), 10)]
    return [(w, max(width, len(w) + 2)) for w, width in words]


def stats_text(days: Sequence[DayStats], summary: WeekSummary) -> str:
    """A table of days and a week summary with the change against the week before."""
    cols = _columns()
    widths = [width for _w, width in cols]
    lines = [cols[0][0].ljust(widths[0]) + "".join(w.rjust(n) for w, n in cols[1:])]
    for d in days:
        cells = [hm(d.sitting_seconds), d.stretches, hm(d.longest_stretch_seconds),
                 d.breaks_offered, d.breaks_taken, d.snoozed, d.skipped, d.completed,
                 d.natural_breaks, d.posture_nudges, minutes_text(d.exercise_minutes)]
        lines.append(f"{d.day:%a %Y-%m-%d}"[:14].ljust(widths[0])
                     + "".join(str(c).rjust(n) for c, n in zip(cells, widths[1:], strict=True)))
    top = top_exercises(days)
    if top:
        lines += ["", ngettext("Most exercise minutes over this {n} day: {exercises}",
                               "Most exercise minutes over these {n} days: {exercises}",
                               len(days)).format(
            n=len(days), exercises=", ".join(f"{ex} {minutes_text(m)}" for ex, m in top))]
    t, c = summary.totals, summary.change
    count = str  # counts print as plain numbers
    # Translators: the labels of the week's lines in `sitbreak stats` (aligned in a column)
    labels = {"sitting": _("sitting"), "taken": _("breaks taken"),
              "standing": _("breaks standing"), "offered": _("breaks offered"),
              "exercise": _("exercise"), "longest": _("longest sit"),
              "categories": _("by category"), "missing": _("not done yet")}
    width = max(15, *(len(w) for w in labels.values()))

    def line(label: str, value: object, rest: str = "") -> str:
        return f"  {labels[label].ljust(width)}{str(value).rjust(9)}" + (f"   {rest}" * bool(rest))

    lines += [
        "",
        _("Last 7 days ({start} to {end}), against the 7 before:").format(
            start=f"{summary.start:%d %b}", end=f"{summary.end:%d %b}"),
        line("sitting", hm(t.sitting_seconds),
             _signed(c["sitting_seconds"].absolute, c["sitting_seconds"].percent, hm)),
        line("taken", t.breaks_taken, _signed(c["breaks_taken"].absolute,
                                              c["breaks_taken"].percent,
                                              lambda v: count(int(v)))),
        line("standing", t.breaks_standing, _("(of the breaks you exercised in, those that got "
                                              "you out of the chair)")),
        line("offered", t.breaks_offered, _signed(c["breaks_offered"].absolute,
                                                  c["breaks_offered"].percent,
                                                  lambda v: count(int(v)))),
        line("exercise", minutes_text(t.exercise_minutes),
             _signed(c["exercise_minutes"].absolute, c["exercise_minutes"].percent, minutes_text)),
        line("longest", hm(t.longest_stretch_seconds)),
    ]
    if t.exercise_minutes_by_category:
        parts = [f"{tr(category_name(cat))} {minutes_text(m)}"
                 for cat, m in t.exercise_minutes_by_category.items() if m > 0]
        lines.append(f"  {labels['categories'].ljust(width)}" + ", ".join(parts))
    missing = [c for c in CATEGORIES if t.exercise_minutes_by_category.get(c, 0) <= 0]
    if t.completed and missing:
        lines.append(f"  {labels['missing'].ljust(width)}"
                     + ", ".join(tr(category_name(c)) for c in missing))
    return "\n".join(lines) + "\n"

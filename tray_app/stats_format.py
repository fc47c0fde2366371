"""Statistics for people and programs: text, JSON and CSV, plus the one-line CLI entry points.

`sitbreak stats`, `sitbreak history export` and `sitbreak history clear` call run_stats,
run_history_export and run_history_clear; the tray's "Statistics" item calls open_stats_window.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from tray_app.child_env import child_env
from tray_app.core.exercise import CATEGORIES
from tray_app.core.model import Settings
from tray_app.core.stats import (
    COUNT_FIELDS,
    DayStats,
    Totals,
    WeekSummary,
    daily_stats,
    day_of,
    day_start_wall,
    week_summary,
)
from tray_app.history import History, HistoryUnavailable

FORMATS = ("text", "json", "csv")


def local_offset(wall: float) -> int:
    """Seconds east of UTC in the machine's time zone at `wall` (follows daylight saving)."""
    offset = datetime.fromtimestamp(wall).astimezone().utcoffset()
    return int(offset.total_seconds()) if offset else 0


def _minutes(value: float) -> float:
    return round(value, 1)


def day_dict(day: DayStats) -> dict[str, object]:
    """One day as the JSON contract spells it (`date` first)."""
    out: dict[str, object] = {"date": day.day.isoformat()}
    out.update(day.as_dict())
    out["exercise_minutes_by_category"] = {
        k: _minutes(v) for k, v in day.exercise_minutes_by_category.items()
    }
    return out


def _totals_dict(t: Totals) -> dict[str, object]:
    out = t.as_dict()
    out["exercise_minutes_by_category"] = {
        k: _minutes(v) for k, v in t.exercise_minutes_by_category.items()
    }
    out["exercise_minutes"] = _minutes(t.exercise_minutes)
    return out


def summary_dict(summary: WeekSummary) -> dict[str, object]:
    """The week block of the JSON output: totals, the previous week, and the change."""
    out: dict[str, object] = {"start": summary.start.isoformat(), "end": summary.end.isoformat()}
    out.update(_totals_dict(summary.totals))
    out["previous"] = _totals_dict(summary.previous)
    out["change"] = {
        name: {"absolute": c.absolute, "percent": c.percent} for name, c in summary.change.items()
    }
    return out


def stats_json(days: Sequence[DayStats], summary: WeekSummary) -> str:
    """{"days": [...], "week": {...}} as indented JSON."""
    return json.dumps(
        {"days": [day_dict(d) for d in days], "week": summary_dict(summary)}, indent=2
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
        counts = [getattr(d, name) for name in COUNT_FIELDS]
        minutes = [_minutes(d.exercise_minutes_by_category.get(c, 0.0)) for c in cats]
        out.writerow([d.day.isoformat(), *counts, *minutes])
    return buf.getvalue()


def hm(seconds: float) -> str:
    """A duration as people read it: "0m", "45m", "3h 05m"."""
    minutes = round(seconds / 60)
    h, m = divmod(minutes, 60)
    return f"{h}h {m:02d}m" if h else f"{m}m"


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
    t, c = summary.totals, summary.change
    count = str  # counts print as plain numbers
    lines += [
        "",
        f"Last 7 days ({summary.start:%d %b} to {summary.end:%d %b}), against the 7 before:",
        f"  sitting        {hm(t.sitting_seconds):>9}   "
        + _signed(c["sitting_seconds"].absolute, c["sitting_seconds"].percent, hm),
        f"  breaks taken   {t.breaks_taken:>9}   "
        + _signed(c["breaks_taken"].absolute, c["breaks_taken"].percent, lambda v: count(int(v))),
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


def collect(
    history: History | None,
    settings: Settings,
    days: int,
    now: float,
    utc_offset: int | Callable[[float], int] = local_offset,
) -> tuple[list[DayStats], WeekSummary]:
    """The last `days` days (today last) and the week summary, read from `history`.

    At least 14 days are read so the week can be compared with the one before.
    """
    day_starts = settings.schedule.day_starts
    offset_now = utc_offset if isinstance(utc_offset, int) else utc_offset(now)
    today = day_of(now, offset_now, day_starts)
    span = max(days, 14)
    first = today - timedelta(days=span - 1)
    # A day of slack either side covers time-zone changes inside the span.
    since = day_start_wall(first, offset_now, day_starts) - 86400
    rows = history.events(since_wall=since) if history is not None else []
    all_days = daily_stats(
        rows, first=first, last=today, utc_offset=utc_offset, day_starts_min=day_starts
    )
    return all_days[-days:], week_summary(all_days, today)


def _open_existing(history_path: Path, err: TextIO) -> History | None:
    """The history file, or None if there is none yet (reading never creates one)."""
    if not Path(history_path).exists():
        return None
    return History.open(Path(history_path), on_notice=lambda m: print(m, file=err))


def run_stats(
    history_path: Path,
    settings: Settings,
    days: int = 7,
    fmt: str = "text",
    chart_path: Path | None = None,
    out: TextIO = sys.stdout,
    *,
    err: TextIO = sys.stderr,
    now: float | None = None,
) -> int:
    """`sitbreak stats [--days N] [--json | --csv] [--chart PATH.png]`; returns the exit code."""
    if fmt not in FORMATS:
        print(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", file=err)
        return 2
    if days < 1:
        print(f"--days must be at least 1 (got {days})", file=err)
        return 2
    now = time.time() if now is None else now
    history = None
    try:
        history = _open_existing(history_path, err)
        shown, summary = collect(history, settings, days, now)
    except HistoryUnavailable as e:
        print(f"{e}; try again in a moment", file=err)
        return 1
    finally:
        if history is not None:
            history.close()
    if fmt == "json":
        out.write(stats_json(shown, summary) + "\n")
    elif fmt == "csv":
        out.write(stats_csv(shown))
    else:
        out.write(stats_text(shown, summary))
    if chart_path is not None:
        from tray_app.ui.chart import save_weekly_chart  # Pillow only when a chart is wanted

        try:
            save_weekly_chart(shown[-7:], Path(chart_path))
        except OSError as e:
            print(f"can't write the chart to {chart_path}: {e}", file=err)
            return 1
        print(f"chart written to {chart_path}", file=err)
    return 0


def run_history_export(
    history_path: Path, csv_path: Path, out: TextIO = sys.stdout, *, err: TextIO = sys.stderr
) -> int:
    """`sitbreak history export PATH.csv`; returns the exit code."""
    try:
        history = History.open(Path(history_path), on_notice=lambda m: print(m, file=err))
        try:
            n = history.export_csv(Path(csv_path))
        finally:
            history.close()
    except (HistoryUnavailable, OSError) as e:
        print(f"export failed: {e}", file=err)
        return 1
    print(f"wrote {n} events to {csv_path}", file=out)
    return 0


def run_history_clear(
    history_path: Path,
    before: date | None,
    yes: bool,
    confirm: Callable[[str], bool],
    out: TextIO = sys.stdout,
    *,
    settings: Settings | None = None,
    err: TextIO = sys.stderr,
    utc_offset: Callable[[float], int] = local_offset,
) -> int:
    """`sitbreak history clear [--before DATE] [--yes]`; returns the exit code.

    --before DATE deletes what the statistics count on days before DATE (days turn at the
    settings' day_starts). Without --yes, `confirm(question)` must answer True.
    """
    settings = settings or Settings()
    if not Path(history_path).exists():
        print("there is no history to clear", file=out)
        return 0
    before_wall: float | None = None
    if before is not None:
        # Two passes: the offset at the boundary itself may differ from the one at midnight UTC.
        guess = day_start_wall(before, 0, settings.schedule.day_starts)
        before_wall = day_start_wall(before, utc_offset(guess), settings.schedule.day_starts)
    try:
        history = History.open(Path(history_path), on_notice=lambda m: print(m, file=err))
        try:
            n = len(history.events(until_wall=before_wall))
            scope = f"before {before.isoformat()}" if before else "(all of it)"
            if n == 0:
                print(f"no history events {scope}; nothing to delete", file=out)
                return 0
            if not yes and not confirm(f"Delete {n} history events {scope}? This can't be undone."):
                print("nothing deleted", file=out)
                return 1
            deleted = history.clear(before_wall)
        finally:
            history.close()
    except HistoryUnavailable as e:
        print(f"clear failed: {e}", file=err)
        return 1
    print(f"deleted {deleted} events", file=out)
    return 0


def stats_window_request(
    history_path: Path, settings: Settings, chart_png: Path, now: float | None = None
) -> dict[str, object]:
    """Draw the weekly chart to `chart_png` and build the stats window's JSON request."""
    from tray_app.ui.chart import save_weekly_chart

    now = time.time() if now is None else now
    history = _open_existing(history_path, sys.stderr)
    try:
        week, _summary = collect(history, settings, 7, now)
    finally:
        if history is not None:
            history.close()
    save_weekly_chart(week, chart_png)
    today = week[-1]
    return {
        "title": f"sitbreak statistics, {today.day:%A %d %B}",
        "today": day_dict(today),
        "chart_png": str(chart_png),
    }


def open_stats_window(
    history_path: Path,
    settings: Settings,
    *,
    cache_dir: Path | None = None,
    now: float | None = None,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """Start `python -m tray_app.ui.stats_window` showing today's numbers and the week's chart.

    The chart goes to `cache_dir` (default: the user cache dir). The caller may read the child's
    stdout for {"event": "closed"} or just let it run; the tray never imports Tk.
    """
    if cache_dir is None:
        import platformdirs

        cache_dir = Path(platformdirs.user_cache_dir("sitbreak"))
    request = stats_window_request(history_path, settings, Path(cache_dir) / "weekly.png", now)
    proc = subprocess.Popen(
        [python, "-m", "tray_app.ui.stats_window"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=child_env(env),
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(request))
    proc.stdin.close()
    return proc

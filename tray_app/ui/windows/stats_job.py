"""The statistics window's process: read the history, draw the week's chart, show the window.

    python -m tray_app.ui.windows.stats_job   reads one JSON job on stdin:
      {"history": PATH, "day_starts": MINUTES, "chart_png": PATH, "now": SECONDS or null}
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from tray_app.core.model import Settings


def stats_window_request(
    history_path: Path, settings: Settings, chart_png: Path, now: float | None = None
) -> dict[str, object]:
    """Draw the weekly chart to `chart_png` and build the stats window's JSON request.

    A history file that cannot be used is reported in the request's "problem" (the window
    says so above the numbers, which then cover only what could be read).
    """
    from tray_app.history import History
    from tray_app.history.report import day_dict
    from tray_app.history.statistics import collect
    from tray_app.ui.windows.chart import save_weekly_chart

    now = time.time() if now is None else now
    path = Path(history_path)
    notices: list[str] = []
    history = History.open(path, on_notice=notices.append) if path.exists() else None
    try:
        week, _summary = collect(history, settings, 7, now)
    finally:
        if history is not None:
            history.close()
    save_weekly_chart(week, chart_png)
    today = week[-1]
    request: dict[str, object] = {
        "title": f"sitbreak statistics, {today.day:%A %d %B}",
        "today": day_dict(today),
        "chart_png": str(chart_png),
    }
    if notices:
        request["problem"] = " ".join(notices)
    try:  # the programme (issue 24): levels, ratings, check-ins, re-tests over the months
        from tray_app.exercises.progressions import builtin_families
        from tray_app.history.programme import (
            pain_and_strength,
            programme_lines,
            programme_rows,
            summary,
        )
        from tray_app.ui.windows.programme_chart import save_programme_chart

        rows = programme_rows(path)
        data = summary(path, builtin_families(), settings, now, rows)
        request["programme"] = programme_lines(data)
        chart = chart_png.with_name("programme.png")
        save_programme_chart(pain_and_strength(rows, settings, now), data["retests"], chart)
        request["programme_png"] = str(chart)
    except Exception as exc:  # the numbers above still stand
        request["programme"] = [f"The programme could not be read: {exc}"]
    return request


def request_for_job(job: object) -> dict[str, object]:
    """The window's request for a job from `open_stats_window`; ValueError if it is malformed.

    A history that cannot be read still opens the window, saying why instead of showing zeros.
    """
    if not isinstance(job, dict) or not isinstance(job.get("history"), str) \
            or not isinstance(job.get("chart_png"), str):
        raise ValueError("expected {\"history\": path, \"chart_png\": path, ...}")
    day_starts, now = job.get("day_starts", 4 * 60), job.get("now")
    if isinstance(day_starts, bool) or not isinstance(day_starts, int) \
            or not 0 <= day_starts < 24 * 60:
        raise ValueError(f"day_starts: expected minutes after midnight, got {day_starts!r}")
    if now is not None and (isinstance(now, bool) or not isinstance(now, int | float)):
        raise ValueError(f"now: expected seconds or null, got {now!r}")
    settings = Settings(schedule=replace(Settings().schedule, day_starts=day_starts))
    try:
        return stats_window_request(Path(job["history"]), settings, Path(job["chart_png"]), now)
    except Exception as exc:
        return {"title": "sitbreak statistics", "today": {}, "chart_png": None,
                "problem": str(exc) or type(exc).__name__}


def main() -> int:
    """The child: build the request from the job on stdin, then show the window."""
    try:
        request = request_for_job(json.loads(sys.stdin.read() or "null"))
    except ValueError as err:
        print(f"stats window: bad request: {err}", file=sys.stderr)
        return 2
    from tray_app.ui.windows import stats_window

    return stats_window.show(request, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())

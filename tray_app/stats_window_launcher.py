"""The tray's "Statistics" item: a child process reads the history, draws the week's chart and
shows the statistics window, so the tray never loads the history queries or Pillow's drawing
(FreeType alone is ~1.4 MiB, and a module once loaded stays for the rest of the day).

    python -m tray_app.stats_window_launcher   reads one JSON job on stdin:
      {"history": PATH, "day_starts": MINUTES, "chart_png": PATH, "now": SECONDS or null}
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from tray_app.child_env import child_env
from tray_app.core.model import Settings


def stats_window_request(
    history_path: Path, settings: Settings, chart_png: Path, now: float | None = None
) -> dict[str, object]:
    """Draw the weekly chart to `chart_png` and build the stats window's JSON request.

    A history file that cannot be used is reported in the request's "problem" (the window
    says so above the numbers, which then cover only what could be read).
    """
    from tray_app.history import History
    from tray_app.history.statistics import collect
    from tray_app.stats_report import day_dict
    from tray_app.ui.chart import save_weekly_chart

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
    return request


def open_stats_window(
    history_path: Path,
    settings: Settings,
    *,
    cache_dir: Path | None = None,
    now: float | None = None,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[str]:
    """Start the statistics window for `history_path`, as the user's `settings` count days.

    The chart goes to `cache_dir` (default: the user cache dir). The caller may read the child's
    stdout for {"event": "closed"} or just let it run; the tray never imports Tk.
    """
    if cache_dir is None:
        import platformdirs

        cache_dir = Path(platformdirs.user_cache_dir("sitbreak"))
    job = {"history": str(history_path), "day_starts": settings.schedule.day_starts,
           "chart_png": str(Path(cache_dir) / "weekly.png"), "now": now}
    proc = subprocess.Popen(
        [python, "-m", "tray_app.stats_window_launcher"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=child_env(env),
    )
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(job))
    proc.stdin.close()
    return proc


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
    from tray_app.ui import stats_window

    return stats_window.show(request, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())

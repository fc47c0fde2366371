"""The tray's "Statistics" item: draw the week's chart, then start the statistics window."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tray_app.child_env import child_env
from tray_app.core.model import Settings
from tray_app.history import History
from tray_app.history.statistics import collect
from tray_app.stats_report import day_dict


def stats_window_request(
    history_path: Path, settings: Settings, chart_png: Path, now: float | None = None
) -> dict[str, object]:
    """Draw the weekly chart to `chart_png` and build the stats window's JSON request."""
    from tray_app.ui.chart import save_weekly_chart

    now = time.time() if now is None else now
    path = Path(history_path)
    history = History.open(path, on_notice=lambda m: print(m, file=sys.stderr)) \
        if path.exists() else None
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

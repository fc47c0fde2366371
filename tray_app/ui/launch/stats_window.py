"""The tray's "Statistics" item: start the statistics window's process with a job naming the
history file, so the tray never loads the history queries or Pillow's drawing (FreeType alone is
~1.4 MiB, and a module once loaded stays for the rest of the day). The child is
`tray_app.ui.windows.stats_job`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tray_app.core.model import Settings
from tray_app.support.child_env import child_env


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
        [python, "-m", "tray_app.ui.windows.stats_job"],
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

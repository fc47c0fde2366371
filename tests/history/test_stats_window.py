"""The statistics window under a real X server: it appears with its title and closes by key."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.desktop import Display, lines_of, require, wait_for
from tray_app.core.model import Kind, Row, Settings
from tray_app.history import History
from tray_app.ui.launch.stats_window import open_stats_window
from tray_app.ui.windows.stats_job import stats_window_request

pytestmark = pytest.mark.desktop



def make_history(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    h = History.open(path)
    now = time.time()
    h.record(Row(Kind.STRETCH_ENDED, now - 60, 2700))
    h.record(Row(Kind.STARTED, now - 50))
    h.record(Row(Kind.COMPLETED, now - 40, 120, "bird-dog", "core"))
    h.close()
    return path


def test_request_carries_today_and_a_chart(tmp_path: Path) -> None:
    path = make_history(tmp_path)
    req = stats_window_request(path, Settings(), tmp_path / "c" / "weekly.png")
    assert Path(str(req["chart_png"])).is_file()
    today = req["today"]
    assert isinstance(today, dict) and today["breaks_taken"] == 1
    assert today["date"] == datetime.fromtimestamp(time.time() - 4 * 3600).date().isoformat()
    assert str(req["title"]).startswith("sitbreak statistics")


@pytest.mark.parametrize("key", ["Escape", "Return"])
def test_window_appears_and_closes_by_key(display: Display, tmp_path: Path, key: str) -> None:
    require("xdotool")
    path = make_history(tmp_path)
    proc = open_stats_window(path, Settings(), cache_dir=tmp_path / "cache", env=display.env())
    try:
        out = lines_of(proc)
        assert out.get(timeout=20) == '{"event": "shown"}'
        found = wait_for(
            lambda: display.run("xdotool", "search", "--name", "^sitbreak statistics",
                                check=False).split(),
            what="the statistics window",
        )
        title = display.run("xdotool", "getwindowname", found[0]).strip()
        assert title.startswith("sitbreak statistics, ")
        # The window gives its Close button the keyboard focus once mapped.
        wait_for(lambda: display.run("xdotool", "getwindowfocus", check=False).strip() != "",
                 what="keyboard focus")
        display.run("xdotool", "windowfocus", "--sync", found[0], "key", key)
        assert out.get(timeout=10) == '{"event": "closed"}'
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_bad_request_exits_2_without_a_window(tmp_path: Path) -> None:
    import sys

    proc = subprocess.run([sys.executable, "-m", "tray_app.ui.windows.stats_window"],
                          input="[1, 2]",
                          capture_output=True, text=True, timeout=30,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert "bad request" in proc.stderr


def test_the_tray_process_neither_reads_the_history_nor_draws(display: Display,
                                                              tmp_path: Path) -> None:
    """Found with the break window's pictures: what the tray process imports stays for the day.
    Statistics are read and the chart drawn in the window's own process."""
    import json
    import sys

    path = make_history(tmp_path)
    script = f"""
import json, sys
from pathlib import Path
from tray_app.core.model import Settings
from tray_app.ui.launch.stats_window import open_stats_window
proc = open_stats_window(Path({str(path)!r}), Settings(), cache_dir=Path({str(tmp_path)!r}))
shown = proc.stdout.readline().strip()
proc.terminate()
heavy = ["PIL.ImageDraw", "PIL.ImageFont", "PIL._imagingft", "tray_app.ui.windows.chart", "tkinter"]
print(json.dumps({{"shown": shown, "loaded": [m for m in heavy if m in sys.modules]}}))
"""
    out = subprocess.run([sys.executable, "-c", script], env=display.env(), capture_output=True,
                         text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result == {"shown": '{"event": "shown"}', "loaded": []}
    assert (tmp_path / "weekly.png").is_file()  # the child drew the chart


def test_an_unreadable_history_opens_the_window_saying_why(tmp_path: Path) -> None:
    from tray_app.ui.windows.stats_job import request_for_job

    folder = tmp_path / "history.sqlite3"
    folder.mkdir()  # not a database at all
    req = request_for_job({"history": str(folder), "day_starts": 240,
                           "chart_png": str(tmp_path / "weekly.png"), "now": None})
    assert "can't use its history file" in str(req["problem"])


@pytest.mark.parametrize("job", ["[1]", '{"history": 3}', '{"history": "h", "chart_png": "c", '
                                 '"day_starts": 9999}', "not json"])
def test_a_bad_job_exits_2_without_a_window(tmp_path: Path, job: str) -> None:
    import sys

    proc = subprocess.run([sys.executable, "-m", "tray_app.ui.windows.stats_job"], input=job,
                          capture_output=True, text=True, timeout=30,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert "bad request" in proc.stderr

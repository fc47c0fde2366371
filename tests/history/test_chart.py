"""The weekly chart: size, content, one bar per day, the designed colours."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PIL import Image

from tray_app.core.stats import DayStats
from tray_app.ui.windows import chart

HOURS = [5.0, 6.5, 3.0, 0.0, 7.5, 2.0, 4.0]
BREAKS = [3, 5, 1, 0, 9, 0, 4]


def week(hours: list[float] = HOURS) -> list[DayStats]:
    days = []
    for i, h in enumerate(hours):
        d = DayStats(day=date(2025, 3, 3) + timedelta(days=i))
        d.sitting_seconds = h * 3600
        d.breaks_taken = BREAKS[i]
        if i % 2 == 0:
            d.exercise_minutes_by_category = {"core": 4.0, "psoas-strength": 2.0}
        days.append(d)
    return days


def runs(img: Image.Image, y: int, colour: tuple[int, int, int]) -> list[tuple[int, int]]:
    """(start, end) of each horizontal run of exactly `colour` on row y."""
    found, start = [], None
    for x in range(img.width):
        hit = img.getpixel((x, y)) == colour
        if hit and start is None:
            start = x
        elif not hit and start is not None:
            found.append((start, x - 1))
            start = None
    if start is not None:
        found.append((start, img.width - 1))
    return found


def bar_top(img: Image.Image, x: int) -> int:
    y = chart.PLOT_BOTTOM - 2
    while img.getpixel((x, y - 1)) == chart.BAR:
        y -= 1
    return y


def test_size_and_mode() -> None:
    img = chart.weekly_chart(week())
    assert img.size == (900, 520) and img.mode == "RGB"
    assert chart.weekly_chart(week(), size=(450, 260)).size == (450, 260)


def test_not_blank() -> None:
    img = chart.weekly_chart(week())
    assert len(img.getcolors(maxcolors=1 << 16) or []) > 20
    assert img.getbbox() is not None


def test_one_bar_per_day_with_sitting() -> None:
    img = chart.weekly_chart(week())
    bars = runs(img, chart.PLOT_BOTTOM - 3, chart.BAR)
    assert len(bars) == sum(1 for h in HOURS if h > 0) == 6
    assert len(runs(chart.weekly_chart(week([1.0] * 7)), chart.PLOT_BOTTOM - 3, chart.BAR)) == 7


def test_a_few_seconds_of_sitting_draws_a_thin_bar() -> None:
    """Found by `sitbreak stats --chart` after a first short run: Pillow refused the bar."""
    img = chart.weekly_chart(week([5 / 3600] + [0.0] * 6))
    assert len(runs(img, chart.PLOT_BOTTOM - 1, chart.BAR)) == 1


def test_bar_heights_follow_hours() -> None:
    img = chart.weekly_chart(week())
    bars = runs(img, chart.PLOT_BOTTOM - 3, chart.BAR)
    heights = [chart.PLOT_BOTTOM - bar_top(img, (a + b) // 2) for a, b in bars]
    with_sitting = [h for h in HOURS if h > 0]
    ratios = [height / h for height, h in zip(heights, with_sitting, strict=True)]
    assert max(ratios) - min(ratios) < 2  # pixels per hour, the same for every bar
    assert heights.index(max(heights)) == with_sitting.index(7.5)


def test_designed_colours() -> None:
    img = chart.weekly_chart(week())
    colours = {c for _n, c in img.getcolors(maxcolors=1 << 16)}
    assert chart.BAR in colours
    assert chart.BREAK_DOT in colours
    assert chart.CATEGORY_COLOURS["core"] in colours
    assert chart.CATEGORY_COLOURS["psoas-strength"] in colours
    # Categories with no minutes still get a key box, so a gap in the week is visible.
    assert chart.CATEGORY_COLOURS["hip-extensors"] in colours
    assert img.getpixel((2, 2)) == chart.BACKGROUND


def test_break_dots_sit_above_bars_that_had_breaks() -> None:
    img = chart.weekly_chart(week())
    bars = runs(img, chart.PLOT_BOTTOM - 3, chart.BAR)
    days_with_sitting = [i for i, h in enumerate(HOURS) if h > 0]
    for (a, b), i in zip(bars, days_with_sitting, strict=True):
        top = bar_top(img, (a + b) // 2)
        strip = img.crop((a - 20, top - 20, b + 20, top - 2))
        has_dot = any(c == chart.BREAK_DOT for _n, c in strip.getcolors(maxcolors=1 << 16))
        assert has_dot == (BREAKS[i] > 0), i


def test_category_stack_is_split_by_minutes() -> None:
    img = chart.weekly_chart(week())
    # The stacked bar is the one row where both category colours appear side by side.
    for y in range(chart.PLOT_BOTTOM + 60, img.height):
        core = runs(img, y, chart.CATEGORY_COLOURS["core"])
        psoas = runs(img, y, chart.CATEGORY_COLOURS["psoas-strength"])
        if core and psoas and core[0][1] - core[0][0] > 100:
            width_core = core[0][1] - core[0][0] + 1
            width_psoas = psoas[0][1] - psoas[0][0] + 1
            assert abs(width_core / width_psoas - 2.0) < 0.05  # 16 min against 8 min
            return
    raise AssertionError("no stacked category bar found")


def test_empty_week_still_draws() -> None:
    img = chart.weekly_chart([])
    assert img.size == (900, 520)
    assert runs(img, chart.PLOT_BOTTOM - 3, chart.BAR) == []


def test_save_writes_a_png(tmp_path: Path) -> None:
    out = chart.save_weekly_chart(week(), tmp_path / "cache" / "weekly.png")
    with Image.open(out) as img:
        assert img.format == "PNG" and img.size == (900, 520)
    assert [p.name for p in out.parent.iterdir()] == ["weekly.png"]


def test_labels_stay_whole_in_a_process_that_has_loaded_gtk() -> None:
    # The tray process loads GTK (and its HarfBuzz) before it draws the chart for the window.
    import subprocess
    import sys

    code = (
        "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk\n"
        "from tray_app.ui.windows.chart import _font\n"
        "box = _font(14).getbbox('hours sitting')\n"
        "print(box[2] - box[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert int(out.stdout.strip()) > 60

"""The weekly chart: hours sat per day as bars, breaks taken as dots, exercise minutes by category.

Pillow only, so the tray process can draw it without a toolkit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tray_app.core.exercise import CATEGORIES, category_name
from tray_app.core.stats import UNCATEGORISED, DayStats
from tray_app.history.report import minutes_text
from tray_app.support.i18n import _, ngettext, number, tr

BACKGROUND = (255, 255, 255)
TEXT = (33, 37, 41)
MUTED = (108, 117, 125)
GRID = (222, 226, 230)
BAR = (76, 120, 168)  # sitting hours
BREAK_DOT = (84, 162, 75)  # one dot per break taken
# One colour per exercise category, far from the bar blue and the break green.
CATEGORY_COLOURS: dict[str, tuple[int, int, int]] = {
    "psoas-strength": (228, 87, 86),
    "psoas-mobility": (245, 133, 24),
    "hip-extensors": (178, 121, 162),
    "core": (114, 183, 178),
    "posture": (238, 202, 59),
    "stretch": (157, 117, 93),
    UNCATEGORISED: (186, 176, 172),
}

SIZE = (900, 520)
# Plot area for the bars, in pixels of the default size.
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 70, 880, 62, 320
MAX_DOTS = 6  # more breaks than this show as "+N" next to the dots

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans if installed (crisp, has bold), else Pillow's own scalable font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"):
        candidate = Path(folder) / name
        if candidate.exists():
            # BASIC layout: in the tray process GTK has loaded its own HarfBuzz, and Pillow's
            # raqm layout then cuts every string to its first letter.
            return ImageFont.truetype(str(candidate), size, layout_engine=ImageFont.Layout.BASIC)
    return ImageFont.load_default(size=size)


def _hours_axis(max_hours: float) -> tuple[int, int]:
    """(top of the axis in whole hours, step between grid lines); room left above the tallest bar
    for its label and dots."""
    top = max(1, math.ceil(max_hours * 1.12 + 0.3))
    step = 1 if top <= 8 else 2
    top = math.ceil(top / step) * step
    return top, step


def _text_centered(draw: ImageDraw.ImageDraw, x: float, y: float, text: str, font: Font,
                   fill: tuple[int, int, int]) -> None:
    draw.text((x, y), text, font=font, fill=fill, anchor="mt")


def _vertical_text(img: Image.Image, x: float, cy: float, text: str, font: Font) -> None:
    """Axis title written bottom-to-top, centred vertically on `cy`."""
    left, top, right, bottom = font.getbbox(text)
    label = Image.new("RGB", (int(right - left) + 2, int(bottom - top) + 2), BACKGROUND)
    ImageDraw.Draw(label).text((1 - left, 1 - top), text, font=font, fill=MUTED)
    label = label.rotate(90, expand=True)
    img.paste(label, (round(x), round(cy - label.height / 2)))


def week_categories(days: Sequence[DayStats]) -> dict[str, float]:
    """Exercise minutes per category over `days`, in catalogue order, empty ones left out."""
    totals: dict[str, float] = {}
    for d in days:
        for cat, minutes in d.exercise_minutes_by_category.items():
            totals[cat] = totals.get(cat, 0.0) + minutes
    order = [*CATEGORIES, UNCATEGORISED]
    known = {c: totals[c] for c in order if totals.get(c, 0) > 0}
    # Categories from a newer catalogue still show, after the known ones, as "other" colour.
    known.update({c: m for c, m in sorted(totals.items()) if c not in order and m > 0})
    return known


def weekly_chart(days: Sequence[DayStats], size: tuple[int, int] = SIZE,
                 title: str | None = None) -> Image.Image:
    """Draw the chart for `days` (oldest first, usually seven) and return it as an RGB image."""
    base = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(base)
    f_title, f_text, f_small = _font(20, bold=True), _font(14), _font(12)

    if title is None:
        title = _("Time sitting per day, {first} – {last}").format(
            first=f"{days[0].day:%d %b}", last=f"{days[-1].day:%d %b %Y}") if days else _(
            "Time sitting per day")
    draw.text((PLOT_LEFT - 50, 16), title, font=f_title, fill=TEXT)

    # Legend for the bars, top right; room made for the language's longer words.
    hours_sitting, break_taken = _("hours sitting"), _("break taken")
    gap = max(128, 20 + draw.textlength(hours_sitting, font=f_small) + 16)
    lx = min(PLOT_RIGHT - 250, SIZE[0] - 12 - (gap + 18 + draw.textlength(break_taken,
                                                                          font=f_small)))
    draw.rectangle((lx, 22, lx + 14, 36), fill=BAR)
    draw.text((lx + 20, 21), hours_sitting, font=f_small, fill=TEXT)
    dx = lx + gap
    draw.ellipse((dx, 23, dx + 12, 35), fill=BREAK_DOT)
    draw.text((dx + 18, 21), break_taken, font=f_small, fill=TEXT)

    # Hours axis with grid lines.
    hours = [d.sitting_seconds / 3600 for d in days]
    top, step = _hours_axis(max(hours, default=0))
    plot_h = PLOT_BOTTOM - PLOT_TOP

    def y_of(h: float) -> float:
        return PLOT_BOTTOM - h / top * plot_h

    for h in range(0, top + 1, step):
        y = y_of(h)
        draw.line((PLOT_LEFT, y, PLOT_RIGHT, y), fill=GRID, width=1)
        draw.text((PLOT_LEFT - 8, y), _("{h} h").format(h=h), font=f_small, fill=MUTED,
                  anchor="rm")
    _vertical_text(base, PLOT_LEFT - 60, (PLOT_TOP + PLOT_BOTTOM) / 2, hours_sitting, f_small)
    draw.line((PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM), fill=MUTED, width=1)

    # One bar per day, separated by gaps so the columns can be told apart.
    n = max(1, len(days))
    slot = (PLOT_RIGHT - PLOT_LEFT) / n
    bar_w = min(70.0, slot * 0.6)
    for i, d in enumerate(days):
        cx = PLOT_LEFT + slot * (i + 0.5)
        x0, x1 = cx - bar_w / 2, cx + bar_w / 2
        h = hours[i]
        y_top = y_of(h)
        if d.sitting_seconds > 0:
            # A few seconds of sitting still gets a 1 px bar (and y0 > y1 raises in Pillow).
            bar_y = min(round(y_top), PLOT_BOTTOM - 1)
            draw.rectangle((round(x0), bar_y, round(x1), PLOT_BOTTOM - 1), fill=BAR)
        label = _("{h} h").format(h=number(h, 1)) if h > 0 else "–"
        dots = d.breaks_taken > 0
        _text_centered(draw, cx, y_top - (34 if dots else 18), label, f_small, TEXT)
        _draw_breaks(draw, cx, y_top - 10, d.breaks_taken, f_small)
        _text_centered(draw, cx, PLOT_BOTTOM + 6, f"{d.day:%a}", f_text, TEXT)
        _text_centered(draw, cx, PLOT_BOTTOM + 24, f"{d.day:%d %b}", f_small, MUTED)
        taken = ngettext("{n} break", "{n} breaks", d.breaks_taken).format(n=d.breaks_taken)
        _text_centered(draw, cx, PLOT_BOTTOM + 40, taken, f_small,
                       BREAK_DOT if d.breaks_taken else MUTED)
    draw.line((PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM), fill=MUTED, width=1)

    _draw_categories(draw, week_categories(days), f_text, f_small)
    return base if size == SIZE else base.resize(size, Image.Resampling.LANCZOS)


def _draw_breaks(draw: ImageDraw.ImageDraw, cx: float, y: float, count: int, font: Font) -> None:
    """A row of green dots centred on `y` just above the bar, one per break taken."""
    if count <= 0:
        return
    shown = min(count, MAX_DOTS)
    r, gap = 5, 3
    width = shown * (2 * r + gap) - gap
    x0 = round(cx - width / 2)
    for k in range(shown):
        x = x0 + k * (2 * r + gap)
        draw.ellipse((x, round(y) - r, x + 2 * r, round(y) + r), fill=BREAK_DOT)
    if count > shown:
        draw.text((x0 + width + 4, y), f"+{count - shown}", font=font, fill=BREAK_DOT,
                  anchor="lm")


def _draw_categories(draw: ImageDraw.ImageDraw, minutes: dict[str, float], f_text: Font,
                     f_small: Font) -> None:
    """A stacked bar of the week's exercise minutes by category, with a labelled key below."""
    top = 396
    total = sum(minutes.values())
    draw.text((PLOT_LEFT - 50, top), _("Exercise this week by category ({minutes})").format(
        minutes=minutes_text(total)), font=f_text, fill=TEXT)
    bar_top, bar_bottom = top + 26, top + 46
    left, right = PLOT_LEFT - 50, PLOT_RIGHT
    if total <= 0:
        draw.rectangle((left, bar_top, right, bar_bottom), outline=GRID, fill=BACKGROUND)
        draw.text(((left + right) / 2, (bar_top + bar_bottom) / 2),
                  _("no exercises completed yet"), font=f_small, fill=MUTED, anchor="mm")
        return
    x = float(left)
    for cat, m in minutes.items():
        w = (right - left) * m / total
        colour = CATEGORY_COLOURS.get(cat, CATEGORY_COLOURS[UNCATEGORISED])
        draw.rectangle((round(x), bar_top, round(x + w), bar_bottom), fill=colour)
        x += w
    # The key: three per row, every category of the catalogue, so gaps are visible too.
    shown = [*CATEGORIES, *[c for c in minutes if c not in CATEGORIES]]
    col_w = (right - left) / 3
    for k, cat in enumerate(shown):
        row, col = divmod(k, 3)
        kx = left + col * col_w
        ky = bar_bottom + 14 + row * 22
        colour = CATEGORY_COLOURS.get(cat, CATEGORY_COLOURS[UNCATEGORISED])
        draw.rectangle((kx, ky, kx + 14, ky + 14), fill=colour)
        m = minutes.get(cat, 0.0)
        draw.text((kx + 20, ky - 1), f"{tr(category_name(cat))}: {minutes_text(m)}",
                  font=f_small, fill=TEXT if m > 0 else MUTED)


def save_weekly_chart(days: Sequence[DayStats], path: Path,
                      size: tuple[int, int] = SIZE) -> Path:
    """Draw the chart and write it as PNG to `path` (parents created); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    weekly_chart(days, size).save(tmp, format="PNG")
    tmp.replace(path)  # a window reading the old chart never sees half a file
    return path

"""The programme's chart (issue 24): back pain at the check-ins next to the minutes of strength
work, day by day, and each re-test result over the months. Pillow only, like chart.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from tray_app.core.retest import BY_ID, REPS, side_name
from tray_app.history.report import minutes_text
from tray_app.support.i18n import _, tr
from tray_app.ui.windows.chart import BACKGROUND, GRID, MUTED, TEXT, _font

SIZE = (900, 520)
STRENGTH = (228, 87, 86)  # the psoas-strength colour of the weekly chart
PAIN = (52, 58, 64)
SERIES = ((76, 120, 168), (84, 162, 75), (245, 133, 24), (178, 121, 162), (114, 183, 178),
          (157, 117, 93), (238, 202, 59), (228, 87, 86))
LEFT, RIGHT = 70, 860


def programme_chart(days: Sequence[tuple[date, float | None, float]],
                    retests: Sequence[Mapping[str, Any]]) -> Image.Image:
    """`days`: (day, mean back pain of its check-ins or None, minutes of strength work), oldest
    first; `retests`: stats_json's "retests" rows."""
    img = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(img)
    f_title, f_small = _font(18, bold=True), _font(12)
    draw.text((LEFT - 50, 12), _("Back pain and strength work, day by day"), font=f_title,
              fill=TEXT)
    _legend(draw, f_small)
    _days(draw, days, f_small, top=48, bottom=230)
    draw.text((LEFT - 50, 272), _("Re-tests over the months"), font=f_title, fill=TEXT)
    _retests(draw, retests, f_small, top=306, bottom=470)
    return img


def _legend(draw: ImageDraw.ImageDraw, font: Any) -> None:
    strength, pain = _("strength minutes"), _("back pain (0-10)")
    gap = max(150, 20 + draw.textlength(strength, font=font) + 16)
    x = min(RIGHT - 300, SIZE[0] - 12 - (gap + 24 + draw.textlength(pain, font=font)))
    draw.rectangle((x, 16, x + 14, 30), fill=STRENGTH)
    draw.text((x + 20, 15), strength, font=font, fill=TEXT)
    x += gap
    draw.line((x, 23, x + 18, 23), fill=PAIN, width=3)
    draw.text((x + 24, 15), pain, font=font, fill=TEXT)


def _days(draw: ImageDraw.ImageDraw, days: Sequence[tuple[date, float | None, float]],
          font: Any, top: int, bottom: int) -> None:
    most = max((m for _d, _p, m in days), default=0.0)
    scale = max(10.0, most * 1.1)
    for pain in (0, 5, 10):
        y = bottom - pain / 10 * (bottom - top)
        draw.line((LEFT, y, RIGHT, y), fill=GRID)
        draw.text((RIGHT + 6, y), str(pain), font=font, fill=MUTED, anchor="lm")
    draw.text((LEFT - 8, top), minutes_text(scale), font=font, fill=MUTED, anchor="rm")
    draw.text((LEFT - 8, bottom), "0", font=font, fill=MUTED, anchor="rm")
    if not days:
        return
    slot = (RIGHT - LEFT) / len(days)
    points = []
    for i, (day, pain, minutes) in enumerate(days):
        cx = LEFT + slot * (i + 0.5)
        if minutes > 0:
            y = bottom - minutes / scale * (bottom - top)
            draw.rectangle((round(cx - slot * 0.3), round(min(y, bottom - 1)),
                            round(cx + slot * 0.3), bottom), fill=STRENGTH)
        if pain is not None:
            points.append((cx, bottom - pain / 10 * (bottom - top)))
        if i % max(1, len(days) // 7) == 0:
            draw.text((cx, bottom + 6), f"{day:%d %b}", font=font, fill=MUTED, anchor="mt")
    if len(points) > 1:
        draw.line(points, fill=PAIN, width=3)
    for x, y in points:
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=PAIN)
    if not points:
        draw.text(((LEFT + RIGHT) / 2, top + 10), _("no check-ins yet (settings: {key}, or "
                  "{command})").format(key="programme.checkins", command="`sitbreak checkin N`"),
                  font=font, fill=MUTED, anchor="mt")


def _retests(draw: ImageDraw.ImageDraw, retests: Sequence[Mapping[str, Any]], font: Any,
             top: int, bottom: int) -> None:
    """A small panel per measure (item and side), three to a row: its results over the
    months from 0 up, each dot with its value, the first and last date below."""
    series: dict[str, list[tuple[float, float]]] = {}
    for r in retests:
        item = BY_ID.get(str(r["item"]))
        side = tr(side_name(r["side"]))
        name = (tr(item.name) if item else str(r["item"])) + (f", {side}" if side else "")
        unit = f" ({_('reps') if item.unit == REPS else _('s')})" if item else ""
        series.setdefault(name + unit, []).append((float(r["wall"]), float(r["value"])))
    if not series:
        draw.text(((LEFT + RIGHT) / 2, (top + bottom) / 2), _("no re-test yet: it is offered "
                  "once a month (or {command})").format(command="`sitbreak retest`"), font=font,
                  fill=MUTED, anchor="mm")
        return
    shown = sorted(series.items())[:6]
    rows = (len(shown) + 2) // 3
    width = (RIGHT - LEFT + 50) / 3
    height = (bottom - top + 40) / rows
    for k, (name, values) in enumerate(shown):
        colour = SERIES[k % len(SERIES)]
        x0 = LEFT - 50 + (k % 3) * width
        y0 = top + (k // 3) * height
        draw.text((x0, y0), name, font=font, fill=TEXT)
        p_top, p_bottom = y0 + 34, y0 + height - 24
        p_left, p_right = x0 + 14, x0 + width - 30
        draw.line((p_left, p_bottom, p_right, p_bottom), fill=GRID)
        first, last = min(w for w, _v in values), max(w for w, _v in values)
        span = max(last - first, 1.0)
        best = max(v for _w, v in values) * 1.15 or 1.0
        points = [(p_left + (w - first) / span * (p_right - p_left) if last > first else
                   (p_left + p_right) / 2, p_bottom - v / best * (p_bottom - p_top))
                  for w, v in values]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        for (x, y), (_w, v) in zip(points, values, strict=True):
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=colour)
            draw.text((x, y - 6), f"{v:g}", font=font, fill=colour, anchor="mb")
        dates = sorted({first, last})
        for wall, anchor in zip(dates, ("lt", "rt") if len(dates) > 1 else ("mt",),
                                strict=True):
            x = p_left if anchor == "lt" else p_right if anchor == "rt" else points[0][0]
            draw.text((x, p_bottom + 4), datetime.fromtimestamp(wall).strftime("%d %b %y"),
                      font=font, fill=MUTED, anchor=anchor)


def save_programme_chart(days: Sequence[tuple[date, float | None, float]],
                         retests: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Draw the chart and write it as PNG to `path` (parents created); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    programme_chart(days, retests).save(tmp, format="PNG")
    tmp.replace(path)
    return path

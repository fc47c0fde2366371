"""Tray and application icons, drawn with Pillow (by scripts/make_icons.py, at build time).

Every shape is laid out on a 100 x 100 grid, drawn at several times the asked size and
shrunk with LANCZOS, so edges are smooth at 16 px and crisp at 512 px. Shapes carry a
dark outline around a light or saturated fill, so they read on light and on dark panels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from PIL import Image, ImageDraw

from tray_app.core.model import Phase
from tray_app.core.views import RING_STEPS, ring_step_of
from tray_app.ui.tray.images import XORG_BACKGROUND

__all__ = [
    "APP_ICON_SHAPES",
    "ICON_SIZES",
    "XORG_BACKGROUND",
    "app_icon",
    "app_icon_svg",
    "draw_state_icon",
]

Colour = tuple[int, int, int, int]
Point = tuple[float, float]

# The sizes tray hosts ask for: 16 (Windows), 22 and 24 (GNOME, KDE, XFCE), 32 (HiDPI).
ICON_SIZES: tuple[int, ...] = (16, 22, 24, 32)

_GRID = 100.0
_OUTLINE: Colour = (28, 28, 30, 255)
_WHITE: Colour = (250, 250, 250, 255)
_TRACK: Colour = (112, 116, 120, 255)

# Ring geometry in grid units: outer edge, inner edge, and the dark rim's width.
_RING_OUT = 49.0
_RING_IN = 23.0
_RIM = 6.0

_PHASE_COLOURS: dict[Phase, Colour] = {
    Phase.SITTING: (32, 196, 150, 255),  # calm teal
    Phase.BREAK_DUE: (255, 150, 20, 255),  # amber
    Phase.ON_BREAK: (50, 140, 255, 255),  # blue
    Phase.SNOOZED: (255, 222, 40, 255),  # yellow
    Phase.PAUSED: (200, 202, 206, 255),  # light grey
    Phase.AWAY: (200, 202, 206, 255),
    Phase.OFF_HOURS: (172, 176, 182, 255),  # dim grey
}


class _Canvas:
    """An oversampled RGBA canvas addressed in grid units (0..100 on both axes)."""

    def __init__(self, size: int) -> None:
        self.size = size
        # 4x oversampling is plenty; very large icons need less and would be slow.
        self.factor = 4 if size <= 128 else 2
        self.px = size * self.factor
        self.unit = self.px / _GRID
        self.image = Image.new("RGBA", (self.px, self.px), (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    def p(self, x: float, y: float) -> tuple[float, float]:
        return (x * self.unit, y * self.unit)

    def w(self, width: float) -> int:
        return max(1, round(width * self.unit))

    def box(self, cx: float, cy: float, r: float) -> tuple[float, float, float, float]:
        u = self.unit
        return ((cx - r) * u, (cy - r) * u, (cx + r) * u - 1, (cy + r) * u - 1)

    def disc(self, cx: float, cy: float, r: float, fill: Colour) -> None:
        self.draw.ellipse(self.box(cx, cy, r), fill=fill)

    def ring(self, cx: float, cy: float, r_out: float, width: float, fill: Colour) -> None:
        self.draw.ellipse(self.box(cx, cy, r_out), outline=fill, width=self.w(width))

    def arc(
        self, cx: float, cy: float, r_out: float, width: float, fraction: float, fill: Colour
    ) -> None:
        """A band filling clockwise from 12 o'clock (Pillow's 0 degrees is 3 o'clock)."""
        if fraction <= 0:
            return
        if fraction >= 1:
            self.ring(cx, cy, r_out, width, fill)
            return
        end = -90.0 + 360.0 * fraction
        self.draw.arc(self.box(cx, cy, r_out), -90.0, end, fill=fill, width=self.w(width))

    def rect(self, x0: float, y0: float, x1: float, y1: float, radius: float, fill: Colour) -> None:
        u = self.unit
        self.draw.rounded_rectangle(
            (x0 * u, y0 * u, x1 * u - 1, y1 * u - 1), radius=radius * u, fill=fill
        )

    def polygon(self, points: Sequence[Point], fill: Colour, outline: float = 0.0) -> None:
        xy = [self.p(x, y) for x, y in points]
        if outline > 0:
            # The stroke is centred on the edge: twice the width leaves `outline` outside.
            self.draw.polygon(xy, fill=fill, outline=fill, width=self.w(2 * outline))
        else:
            self.draw.polygon(xy, fill=fill)

    def stroke(self, points: Sequence[Point], width: float, fill: Colour) -> None:
        """A polyline with round joints and round caps."""
        xy = [self.p(x, y) for x, y in points]
        wpx = self.w(width)
        self.draw.line(xy, fill=fill, width=wpx, joint="curve")
        for x, y in xy[:: len(xy) - 1] if len(xy) > 1 else xy:
            r = wpx / 2
            self.draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def finish(self) -> Image.Image:
        """Shrink to the asked size; LANCZOS turns the oversampled edges into anti-aliasing."""
        return self.image.resize((self.size, self.size), Image.Resampling.LANCZOS)


def _outlined_stroke(c: _Canvas, points: Sequence[Point], width: float, fill: Colour) -> None:
    c.stroke(points, width + 2 * _RIM, _OUTLINE)
    c.stroke(points, width, fill)


def _progress_ring(c: _Canvas, fraction: float, colour: Colour) -> None:
    """Dark rim, grey track, and the coloured part of the stretch already used up."""
    band = _RING_OUT - _RING_IN
    c.ring(50, 50, _RING_OUT, band, _OUTLINE)
    c.ring(50, 50, _RING_OUT - _RIM, band - 2 * _RIM, _TRACK)
    c.arc(50, 50, _RING_OUT - _RIM, band - 2 * _RIM, fraction, colour)


def _draw_sitting(c: _Canvas, fraction: float) -> None:
    _progress_ring(c, fraction, _PHASE_COLOURS[Phase.SITTING])


def _draw_break_due(c: _Canvas, fraction: float) -> None:
    # A solid amber badge with a dark "!": the one state that should catch the eye.
    colour = _PHASE_COLOURS[Phase.BREAK_DUE]
    c.disc(50, 50, _RING_OUT, _OUTLINE)
    c.disc(50, 50, _RING_OUT - _RIM, colour)
    c.rect(42, 17, 58, 61, 7, _OUTLINE)
    c.disc(50, 75, 9, _OUTLINE)


def _draw_on_break(c: _Canvas, fraction: float) -> None:
    _progress_ring(c, fraction, _PHASE_COLOURS[Phase.ON_BREAK])
    # A dark centre keeps the white arrow apart from a light panel.
    c.disc(50, 50, _RING_IN + 1, _OUTLINE)
    # An arrow pointing up: stand up.
    # It overlaps the ring a little: inside the ring alone it would blur away at 16 px.
    arrow = [(50, 12), (76, 44), (60, 44), (60, 84), (40, 84), (40, 44), (24, 44)]
    c.polygon(arrow, _OUTLINE, outline=_RIM)
    c.polygon(arrow, _WHITE)


def _draw_snoozed(c: _Canvas, fraction: float) -> None:
    _progress_ring(c, fraction, _PHASE_COLOURS[Phase.SNOOZED])
    c.disc(50, 50, _RING_IN + 1, _OUTLINE)
    # A "z" in the middle, as in sleeping.
    _outlined_stroke(c, [(37, 36), (63, 36), (37, 64), (63, 64)], 9, _WHITE)


def _draw_paused(c: _Canvas, fraction: float) -> None:
    # A grey badge with two dark bars, like a media player's pause button.
    c.disc(50, 50, _RING_OUT, _OUTLINE)
    c.disc(50, 50, _RING_OUT - _RIM, _PHASE_COLOURS[Phase.PAUSED])
    c.rect(29, 24, 44, 76, 3, _OUTLINE)
    c.rect(56, 24, 71, 76, 3, _OUTLINE)


def _draw_away(c: _Canvas, fraction: float) -> None:
    # A thin hollow ring with a dot: nobody at the desk, nothing counting.
    light = _PHASE_COLOURS[Phase.AWAY]
    c.ring(50, 50, 45, 18, _OUTLINE)
    c.ring(50, 50, 45 - _RIM, 18 - 2 * _RIM, light)
    c.disc(50, 50, 12, _OUTLINE)
    c.disc(50, 50, 12 - _RIM, light)


def _draw_off_hours(c: _Canvas, fraction: float) -> None:
    # A dim crescent moon: outside the configured hours.
    _crescent(c, 50, 50, 44, _OUTLINE)
    _crescent(c, 50, 50, 44 - _RIM, _PHASE_COLOURS[Phase.OFF_HOURS], inset=_RIM)


def _crescent(c: _Canvas, cx: float, cy: float, r: float, fill: Colour, inset: float = 0.0) -> None:
    """A crescent opening to the upper right, built as a polygon of two circle arcs."""
    # The bite is a circle of radius rb centred at (bx, by); its edge grows by `inset`.
    bx, by, rb = cx + 26, cy - 22, 36 + inset
    outer: list[Point] = []
    inner: list[Point] = []
    steps = 90
    for i in range(steps + 1):
        a = 2 * math.pi * i / steps
        x, y = cx + r * math.cos(a), cy + r * math.sin(a)
        if math.hypot(x - bx, y - by) >= rb:
            outer.append((x, y))
    for i in range(steps + 1):
        a = 2 * math.pi * i / steps
        x, y = bx + rb * math.cos(a), by + rb * math.sin(a)
        if math.hypot(x - cx, y - cy) <= r:
            inner.append((x, y))

    # Walk the outer arc one way and the bite's arc back; sort both by angle round the moon.
    def around(p: Point) -> float:
        ang = math.atan2(p[1] - by, p[0] - bx)
        # Measure from the direction pointing away from the moon so the order is continuous.
        return (ang - math.atan2(by - cy, bx - cx)) % (2 * math.pi)

    outer.sort(key=around)
    inner.sort(key=around, reverse=True)
    c.polygon(outer + inner, fill)


_PAINTERS = {
    Phase.SITTING: _draw_sitting,
    Phase.BREAK_DUE: _draw_break_due,
    Phase.ON_BREAK: _draw_on_break,
    Phase.SNOOZED: _draw_snoozed,
    Phase.PAUSED: _draw_paused,
    Phase.AWAY: _draw_away,
    Phase.OFF_HOURS: _draw_off_hours,
}


def draw_state_icon(
    phase: Phase,
    progress: float,
    size: int,
    *,
    background: Colour | None = None,
) -> Image.Image:
    """The tray icon for `phase` with the ring filled to `progress` (0..1) of the stretch.

    The image is `size` x `size` RGBA with a transparent background, or composited onto the
    opaque `background` colour (use `XORG_BACKGROUND` for pystray's xorg backend). Results are
    cached per progress bucket, so the same bucket returns the same object: do not modify it.
    """
    if size < 1:
        raise ValueError(f"icon size must be at least 1 px, got {size}")
    # A plain tuple whatever the caller passed, so it can be a cache key.
    key = None if background is None else tuple(background)
    return _cached_state_icon(Phase(phase), ring_step_of(progress), size, key)


@lru_cache(maxsize=256)
def _cached_state_icon(
    phase: Phase, bucket: int, size: int, background: Colour | None
) -> Image.Image:
    canvas = _Canvas(size)
    _PAINTERS[phase](canvas, bucket / RING_STEPS)
    icon = canvas.finish()
    if background is not None:
        base = Image.new("RGBA", icon.size, tuple(background))
        icon = Image.alpha_composite(base, icon)
    return icon


# The application logo on the 100-unit grid, as data: app_icon() draws it with Pillow and
# app_icon_svg() writes the same shapes as the scalable icon, so the PNGs and the SVG agree.
# ("rect", x0, y0, x1, y1, radius, colour) or ("polygon", points, colour).
APP_ICON_SHAPES: tuple[tuple[str, tuple, Colour], ...] = (
    ("rect", (2, 2, 98, 98, 22), (12, 84, 66, 255)),  # the tile's dark rim
    ("rect", (5, 5, 95, 95, 19), (22, 150, 118, 255)),  # the tile
    # A chair seen from the side: back, seat, front leg.
    ("rect", (15, 24, 27, 84, 5), (250, 250, 250, 255)),
    ("rect", (15, 53, 56, 65, 5), (250, 250, 250, 255)),
    ("rect", (44, 53, 55, 84, 5), (250, 250, 250, 255)),
    # An amber arrow up beside it: time to get up.
    ("polygon", ((75, 14), (92, 40), (81, 40), (81, 84), (69, 84), (69, 40), (58, 40)),
     (255, 176, 32, 255)),
)


@lru_cache(maxsize=16)
def app_icon(size: int) -> Image.Image:
    """The application logo at `size` x `size` (RGBA): a chair and an up arrow on a tile.

    Cached per size; do not modify the returned image.
    """
    if size < 1:
        raise ValueError(f"icon size must be at least 1 px, got {size}")
    c = _Canvas(size)
    for kind, geometry, colour in APP_ICON_SHAPES:
        if kind == "rect":
            c.rect(*geometry, colour)
        else:
            c.polygon(geometry, colour)
    return c.finish()


def app_icon_svg() -> str:
    """The application logo as a scalable SVG (the hicolor `scalable/apps/sitbreak.svg`)."""
    parts = []
    for kind, geometry, (r, g, b, _a) in APP_ICON_SHAPES:
        fill = f"#{r:02x}{g:02x}{b:02x}"
        if kind == "rect":
            x0, y0, x1, y1, radius = geometry
            parts.append(f'  <rect x="{x0:g}" y="{y0:g}" width="{x1 - x0:g}" '
                         f'height="{y1 - y0:g}" rx="{radius:g}" fill="{fill}"/>')
        else:
            points = " ".join(f"{x:g},{y:g}" for x, y in geometry)
            parts.append(f'  <polygon points="{points}" fill="{fill}"/>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" '
            'viewBox="0 0 100 100">\n  <title>sitbreak</title>\n'
            + "\n".join(parts) + "\n</svg>\n")

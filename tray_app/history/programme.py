"""The rows the programme (core.progression) reads from the history file."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tray_app.core.model import Kind, Row, Settings
from tray_app.core.progression import PROGRAMME_KINDS, Family, Progress
from tray_app.history.store import History
from tray_app.support.i18n import _, ngettext, tr


def programme_rows(path: Path) -> list[Row]:
    """Ratings, level answers, check-ins, re-tests and exercises done, oldest first; none when
    there is no history file yet (reading never creates one)."""
    if not Path(path).exists():
        return []
    store = History.open(Path(path), busy_timeout_s=1.0, retries=2, memory_fallback=False)
    try:
        return [r for r in store.events() if r.kind in PROGRAMME_KINDS]
    finally:
        store.close()


def day_rule(settings: Settings, now: float) -> Callable[[float], int]:
    """Which day a wall time falls on, by the local offset at `now` and schedule.day_starts."""
    from tray_app.core import schedule

    offset = time.localtime(now).tm_gmtoff

    def day_of(wall: float) -> int:
        return schedule.day_key(wall, offset, settings.schedule.day_starts)

    return day_of


def progress_of(path: Path, families: Sequence[Family], settings: Settings, now: float,
                rows: Sequence[Row] | None = None) -> tuple[Progress, list[Row]]:
    """The user's progress from the history file (or the `rows` already read from it), and
    the rows."""
    from tray_app.core.progression import facts_from_rows, fold

    rows = list(programme_rows(path) if rows is None else rows)
    return fold(facts_from_rows(rows), families, day_rule(settings, now)), rows


def summary(path: Path, families: Sequence[Family], settings: Settings, now: float,
            rows: Sequence[Row] | None = None) -> dict[str, Any]:
    """The programme's part of `stats --json` and the statistics window (core.progression
    .summary), and whether a re-test is due."""
    from tray_app.core import progression as pg
    from tray_app.core.retest import due, last_retest

    progress, rows = progress_of(path, families, settings, now, rows)
    out = pg.summary(progress, families, rows, now)
    out["retest_due"] = due(last_retest(rows), now, settings.programme.retest_days)
    return out


def programme_lines(data: dict[str, Any], families_used_only: bool = True) -> list[str]:
    """The programme in words, for `sitbreak stats` and the statistics window: levels,
    ratings, "this hurt", the check-in trend and the re-tests over the months."""
    from datetime import datetime

    from tray_app.core.progression import CLINICIAN_ADVICE, RATING_LABELS
    from tray_app.core.retest import BY_ID, side_name

    def day(wall: float) -> str:
        return datetime.fromtimestamp(wall).strftime("%d %b")

    levels = data.get("levels", {})
    shown = [f"{tr(v['name'])} {v['level']}/{v['top']}" for v in levels.values()
             if not families_used_only or v["level"] > 1 or v["changes"]]
    out = [_("Levels: {levels}").format(
        levels=" · ".join(shown) if shown else _("every family at level 1"))]
    ratings = data.get("ratings", {})
    if any(ratings.values()):
        out.append(_("Ratings: {ratings}").format(ratings=" · ".join(
            f"{tr(RATING_LABELS[k]).lower()} {n}" for k, n in ratings.items())))
    for hurt in data.get("hurt", [])[-3:]:
        out.append(_("This hurt: {exercise} on {day} (rested until {until})").format(
            exercise=hurt["exercise_id"], day=day(hurt["wall"]), until=day(hurt["rested_until"])))
    pains = [c["pain"] for c in data.get("checkins", [])][-14:]
    if pains:
        half = len(pains) // 2
        trend = ""
        if len(pains) >= 4:  # the later half against the earlier, by half a point
            change = sum(pains[half:]) / (len(pains) - half) - sum(pains[:half]) / half
            trend = " " + (_("(falling)") if change < -0.5 else _("(rising)") if change > 0.5
                           else _("(steady)"))
        out.append(ngettext("Back pain, last {n} check-in: {pains}{trend}",
                            "Back pain, last {n} check-ins: {pains}{trend}", len(pains)).format(
            n=len(pains), pains=" ".join(map(str, pains)), trend=trend))
    series: dict[str, list[str]] = {}
    for r in data.get("retests", []):
        item = BY_ID.get(r["item"])
        side = tr(side_name(r["side"]))
        name = (tr(item.name) if item else r["item"]) + (f", {side}" if side else "")
        unit = f" {item.unit}" if item else ""
        series.setdefault(name, []).append(f"{r['value']:g}{unit} ({day(r['wall'])})")
    for name, values in series.items():
        out.append(_("Re-test, {name}: {values}").format(name=name,
                                                         values=" → ".join(values[-6:])))
    if data.get("retest_due"):
        out.append(_("A re-test is due: a few minutes, in a break or with {command}.").format(
            command="`sitbreak retest`"))
    if data.get("clinician_advice"):
        out.append(tr(CLINICIAN_ADVICE))
    return out


STRENGTH = ("psoas-strength", "hip-extensors", "core")  # the categories of strength work


def pain_and_strength(rows: Sequence[Row], settings: Settings, now: float, days: int = 28,
                      ) -> list[tuple[Any, float | None, float]]:
    """For each of the last `days` days (oldest first): the day, the mean back pain of its
    check-ins (None without one) and the minutes of strength work done."""
    from datetime import date, timedelta

    day_of = day_rule(settings, now)
    today = day_of(now)
    pains: dict[int, list[int]] = {}
    minutes: dict[int, float] = {}
    for r in rows:
        key = day_of(r.wall)
        if today - key >= days:
            continue
        if r.kind == Kind.CHECKIN and r.detail and r.detail.isdigit():
            pains.setdefault(key, []).append(int(r.detail))
        elif r.kind == Kind.EXERCISE and r.category in STRENGTH:
            minutes[key] = minutes.get(key, 0.0) + r.duration_s / 60
    epoch = date(1970, 1, 1)
    return [(epoch + timedelta(days=k),
             sum(pains[k]) / len(pains[k]) if k in pains else None, minutes.get(k, 0.0))
            for k in range(today - days + 1, today + 1)]

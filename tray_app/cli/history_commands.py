"""`sitbreak stats` and `sitbreak history export|import|clear|check`: each returns its exit code."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TextIO

from tray_app.core.model import Settings
from tray_app.history import History, HistoryUnavailable
from tray_app.history.csv_io import ImportProblem, append_set_aside, export_csv, import_csv
from tray_app.history.report import FORMATS, stats_csv, stats_json, stats_text
from tray_app.history.statistics import collect, days_for, span_days
from tray_app.history.totals import Days
from tray_app.support.exit_codes import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from tray_app.support.i18n import _, ngettext
from tray_app.support.userfile import output_problem


def _open_existing(history_path: Path, err: TextIO) -> History | None:
    """The history file, or None if there is none yet (reading never creates one)."""
    if not Path(history_path).exists():
        return None
    return History.open(Path(history_path), on_notice=lambda m: print(m, file=err))


def _try_again(error: HistoryUnavailable) -> str:
    return _("{error}; try again in a moment").format(error=error)


def _chart_problem(chart_path: Path) -> str | None:
    """Why the chart can't be written there, before any work is done."""
    parent = chart_path.parent
    if chart_path.is_dir():
        return _("{path} is a folder; give a file name such as {example}").format(
            path=chart_path, example=chart_path / "week.png")
    if problem := output_problem(chart_path):
        return problem
    if not parent.is_dir():
        return _("the folder {folder} does not exist; create it first or choose another place"
                 ).format(folder=parent)
    return None


def run_stats(
    history_path: Path,
    settings: Settings,
    days: int = 7,
    fmt: str = "text",
    chart_path: Path | None = None,
    out: TextIO = sys.stdout,
    *,
    err: TextIO = sys.stderr,
    now: float | None = None,
    rule: Days | None = None,
    programme: Callable[[Path, Settings, float], Mapping[str, object]] | None = None,
) -> int:
    """`sitbreak stats [--days N] [--json | --csv] [--chart PATH.png]`; `programme` gives the
    programme's keys of the JSON (cli.programme.summary)."""
    if fmt not in FORMATS:
        print(_("unknown format {format}; use one of {formats}").format(
            format=repr(fmt), formats=", ".join(FORMATS)), file=err)
        return EXIT_USAGE
    if days < 1:
        print(_("{option} must be at least 1 (got {days})").format(option="--days", days=days),
              file=err)
        return EXIT_USAGE
    if chart_path is not None and (problem := _chart_problem(Path(chart_path))):
        print(_("can't write the chart: {problem}").format(problem=problem), file=err)
        return EXIT_USAGE
    now = time.time() if now is None else now
    rule = rule or days_for(settings)
    history = None
    try:
        history = _open_existing(history_path, err)
        span = max(7, span_days(history, rule, now))
        if days > span:
            print(_("showing {span} days, all of the history (asked for {days})").format(
                span=span, days=days), file=err)
            days = span
        shown, summary = collect(history, settings, days, now, rule)
    except HistoryUnavailable as e:
        print(_try_again(e), file=err)
        return EXIT_FAIL
    finally:
        if history is not None:
            history.close()
    extra: Mapping[str, object] | None = None
    if fmt != "csv" and programme is not None:
        try:
            extra = programme(history_path, settings, now)
        except HistoryUnavailable as e:
            print(_try_again(e), file=err)
            return EXIT_FAIL
    if fmt == "json":
        out.write(stats_json(shown, summary, extra) + "\n")
    elif fmt == "csv":
        out.write(stats_csv(shown))
    else:
        out.write(stats_text(shown, summary))
        if extra is not None:
            from tray_app.history.programme import programme_lines

            # Translators: the heading of the programme's lines in `sitbreak stats`
            out.write("\n" + _("Programme") + "\n"
                      + "".join(f"  {line}\n" for line in programme_lines(dict(extra))))
    if chart_path is not None:
        from tray_app.ui.windows.chart import (
            save_weekly_chart,  # Pillow only when a chart is wanted
        )

        try:
            save_weekly_chart(shown[-7:], Path(chart_path))
        except OSError as e:
            print(_("can't write the chart to {path}: {error}").format(path=chart_path, error=e),
                  file=err)
            return EXIT_FAIL
        print(_("chart written to {path}").format(path=chart_path), file=err)
    return EXIT_OK


def _export_problem(target: str, force: bool) -> str | None:
    if not target.strip():
        return _("give the name of the CSV file to write, e.g. {example}").format(
            example="`sitbreak history export week.csv`")
    path = Path(target)
    if path.is_dir():
        return _("{path} is a folder; give a file name such as {example}").format(
            path=path, example=path / "sitbreak-history.csv")
    if problem := output_problem(path):
        return problem
    if path.exists() and not force:
        return _("{path} already exists; add {option} to replace it").format(
            path=path, option="--force")
    if not path.parent.is_dir():
        return _("the folder {folder} does not exist").format(folder=path.parent)
    return None


def run_history_export(
    history_path: Path,
    target: str | Path,
    out: TextIO = sys.stdout,
    *,
    force: bool = False,
    err: TextIO = sys.stderr,
) -> int:
    """`sitbreak history export PATH.csv [--force]`: stream every event to a CSV file."""
    target = str(target)
    problem = _export_problem(target, force)
    if problem:
        print(_("not exported: {problem}").format(problem=problem), file=err)
        return EXIT_USAGE
    try:
        history = History.open(Path(history_path), on_notice=lambda m: print(m, file=err))
        try:
            n = export_csv(history, Path(target))
        finally:
            history.close()
    except (HistoryUnavailable, OSError) as e:
        print(_("export failed: {error}").format(error=e), file=err)
        return EXIT_FAIL
    print(ngettext("wrote {n} event to {path}", "wrote {n} events to {path}", n).format(
        n=n, path=target), file=out)
    return EXIT_OK


def _known_exercises(settings: Settings) -> frozenset[str] | None:
    """Ids of the built-in exercises and the user's own file; None if they can't be read
    (then no row is counted as naming an unknown exercise)."""
    from dataclasses import replace

    from tray_app.core.exercise import PLACES
    from tray_app.exercises.loader import load_catalogue

    every = replace(settings.exercises, exclude=(), places=tuple(PLACES))
    try:
        return frozenset(e.id for e in load_catalogue(every))
    except Exception:  # a damaged catalogue must not stop an import of the history
        return None


def run_history_import(
    history_path: Path,
    source: str | Path,
    settings: Settings,
    out: TextIO = sys.stdout,
    *,
    err: TextIO = sys.stderr,
    now: float | None = None,
) -> int:
    """`sitbreak history import FILE.csv`: add the rows not present yet, all or nothing; then
    fold every finished day, so statistics are fast at once."""
    path = Path(source)
    if not str(source).strip() or not path.is_file():
        print(_("not imported: {path} is not a file").format(path=repr(str(source))), file=err)
        return EXIT_USAGE
    now = time.time() if now is None else now
    days = days_for(settings)
    try:
        history = History.open(Path(history_path), on_notice=lambda m: print(m, file=err))
        try:
            added, skipped, checked = import_csv(
                history, path, days, known_exercises=_known_exercises(settings), now=now)
            # Fold now what the app would fold later a bit at each start (issue: stats were
            # slow for eight runs after importing years).
            history.settle(days.start(days.of(now)), days)
        finally:
            history.close()
    except ImportProblem as e:
        print(_("nothing imported from {path}: {problem}").format(path=path, problem=e),
              file=err)
        return EXIT_USAGE
    except (HistoryUnavailable, OSError, sqlite3.Error) as e:  # sqlite3's: rolled back
        print(_("import failed, nothing imported: {error}").format(error=e), file=err)
        return EXIT_FAIL
    print(ngettext("imported {n} event from {path}", "imported {n} events from {path}", added)
          .format(n=added, path=path) + "; "
          + _("skipped {n} already present").format(n=skipped), file=out)
    if checked.unknown_exercises:
        names = ", ".join(sorted(checked.unknown_exercises)[:10])
        n = sum(checked.unknown_exercises.values())
        more = ", ..." if len(checked.unknown_exercises) > 10 else ""
        print(ngettext("{n} of them names an exercise this catalogue does not have ({names}): "
                       "kept, and shown by its id in the statistics",
                       "{n} of them name exercises this catalogue does not have ({names}): "
                       "kept, and shown by their id in the statistics", n).format(
            n=n, names=names + more), file=out)
    return EXIT_OK


def parse_before(text: str | None) -> date | None:
    """--before's day; None for no --before; ValueError for an empty or unreadable date."""
    if text is None:
        return None
    if not text.strip():
        raise ValueError(_("{option} needs a date (YYYY-MM-DD); it was empty").format(
            option="--before"))
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{option} {text} is not a date; use YYYY-MM-DD").format(
            option="--before", text=repr(text))) from None


def _day_start(rule: Days, day: date) -> float:
    """When `day` begins; a day too far out for the calendar arithmetic (year 1, 9999) is
    before or after everything."""
    try:
        return rule.start(day)
    except (ValueError, OverflowError, OSError):
        return float("-inf") if day.year < 1970 else float("inf")


def run_history_clear(
    history_path: Path,
    before: str | None,
    yes: bool,
    confirm: Callable[[str], bool],
    out: TextIO = sys.stdout,
    *,
    settings: Settings,
    err: TextIO = sys.stderr,
    rule: Days | None = None,
) -> int:
    """`sitbreak history clear [--before DATE] [--yes]`.

    --before DATE deletes what the statistics count on days before DATE (days turn at the
    settings' day_starts), events and daily totals alike. Without --yes, `confirm(question)`
    must answer True.
    """
    try:
        day = parse_before(before)
    except ValueError as e:
        print(_("nothing deleted: {problem}").format(problem=e), file=err)
        return EXIT_USAGE
    if not Path(history_path).exists():
        print(_("there is no history to clear"), file=out)
        return EXIT_OK
    rule = rule or days_for(settings)
    before_wall = None if day is None else _day_start(rule, day)
    scope = _("before {day}").format(day=day.isoformat()) if day else _("(all of it)")
    try:
        history = History.open(Path(history_path), on_notice=lambda m: print(m, file=err))
        try:
            n = history.count(before_wall)
            first_day = history.first_day()
            has_totals = first_day is not None and (day is None or first_day < day)
            if n == 0 and not has_totals:
                print(_("no history {scope}; nothing to delete").format(scope=scope), file=out)
                return EXIT_OK
            # Translators: answered with y or n (the prompt adds "[y/N]"), in any language.
            question = ngettext(
                "Delete {n} history event and the daily totals {scope}? This can't be undone.",
                "Delete {n} history events and the daily totals {scope}? This can't be undone.",
                n).format(n=n, scope=scope)
            if not yes and not confirm(question):
                print(_("nothing deleted"), file=out)
                return EXIT_FAIL
            deleted = history.clear(before_wall, day)
        finally:
            history.close()
    except HistoryUnavailable as e:
        print(_("clear failed: {error}").format(error=e), file=err)
        return EXIT_FAIL
    print(ngettext("deleted {n} event and the daily totals {scope}",
                   "deleted {n} events and the daily totals {scope}", deleted).format(
        n=deleted, scope=scope), file=out)
    return EXIT_OK


def _set_aside_path(history_path: Path) -> Path:
    from tray_app.history.writer import SET_ASIDE

    return Path(history_path).with_name(Path(history_path).name + SET_ASIDE)


def run_history_check(history_path: Path, out: TextIO = sys.stdout, *,
                      err: TextIO = sys.stderr) -> int:
    """`sitbreak history check`: SQLite's quick_check; a damaged file is repaired (exit 1)."""
    if not Path(history_path).exists():
        print(_("there is no history file yet"), file=out)
        return EXIT_OK
    try:
        # What a repair kept and lost is printed below with the verdict, once.
        history = History.open(Path(history_path), on_notice=lambda m: None)
        try:
            result = history.check()
            aside = history.set_aside_unusable(
                lambda found: append_set_aside(found, _set_aside_path(history_path)))
            n = history.count()
        finally:
            history.close()
    except HistoryUnavailable as e:
        print(_("check failed: {error}").format(error=e), file=err)
        return EXIT_FAIL
    if aside:
        print(ngettext("{n} event the statistics can't use (from an older import) was moved "
                       "to {path}, with why",
                       "{n} events the statistics can't use (from an older import) were moved "
                       "to {path}, each with why", aside).format(
            n=aside, path=_set_aside_path(history_path)), file=out)
    if result != "ok" or history.notices:
        found = f" ({result})" if result != "ok" else ""
        print(ngettext("{path} was damaged{found}; now {n} event",
                       "{path} was damaged{found}; now {n} events", n).format(
            path=history_path, found=found, n=n), file=out)
        for notice in history.notices:
            print(notice, file=out)
        return EXIT_FAIL
    if aside:
        return EXIT_FAIL
    print(ngettext("{path}: OK ({n} event)", "{path}: OK ({n} events)", n).format(
        path=history_path, n=n), file=out)
    return EXIT_OK

"""The history as CSV: export (streamed, to a temporary name, then renamed) and import."""

from __future__ import annotations

import csv
import math
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tray_app.core.model import Kind, Row
from tray_app.history import rows as bounds
from tray_app.history.store import History
from tray_app.history.totals import Days
from tray_app.support.i18n import _, ngettext, number
from tray_app.support.userfile import open_private

CSV_HEADER = ("id", "time_utc", "time_local", "wall", "kind", "duration_s", "exercise_id",
              "category", "detail")


class ImportProblem(Exception):
    """A line of the file to import can't be read; nothing was written."""


class _Counted:
    """Passes export rows through, counting them; durations in whole seconds (rows from before
    they were rounded showed 393.00540686600004)."""

    def __init__(self, rows: Iterator[tuple]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[tuple]:
        for row in self.rows:
            self.n += 1
            seconds = row[5]
            yield (*row[:4], neutralise(row[4]),
                   round(seconds) if math.isfinite(seconds) else seconds,
                   *(neutralise(cell) for cell in row[6:]))


def export_csv(history: History, path: Path) -> int:
    """Write every event to `path` as CSV, oldest first; returns the number of rows.

    Rows are streamed (memory stays flat); the file appears under its name only when complete,
    and a failed export leaves nothing behind.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder")
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    counted = _Counted(history.export_rows())
    try:
        with open_private(tmp, "w") as f:
            out = csv.writer(f)
            out.writerow(CSV_HEADER)
            out.writerows(counted)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counted.n


# A spreadsheet runs a cell that starts with one of these (OWASP's CSV injection advice): the
# export puts a ' before it, and before a cell that already starts with ', so import can take
# exactly one off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_START = (*_FORMULA_START, "'")
_READ = frozenset({"wall", "time_utc", "kind", "duration_s", "exercise_id", "category",
                   "detail"})
MAX_NAMED = 20  # bad lines named one by one; the rest are counted
MAX_FIELD_CHARS = 1 << 20  # csv's own limit, raised so ours names the line instead
# A day holds at most a day of exercise (sums of imported rows, by statistics day).
_EXERCISE_MINUTE_KINDS = frozenset({Kind.EXERCISE, Kind.COMPLETED})


def neutralise(cell: object) -> object:
    """A text cell a spreadsheet would take for a formula, made plain text."""
    if isinstance(cell, str) and cell.startswith(_QUOTED_START):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """What neutralise() changed, undone."""
    if cell.startswith("'") and cell[1:].startswith(_QUOTED_START):
        return cell[1:]
    return cell


class _Lines:
    """The problems found in a file: the first MAX_NAMED named, the rest counted."""

    def __init__(self) -> None:
        self.named: list[str] = []
        self.more = 0

    def add(self, line: int, text: str) -> None:
        if len(self.named) < MAX_NAMED:
            self.named.append(_("line {n}: {problem}").format(n=line, problem=text))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.named)

    def raise_if_any(self) -> None:
        if not self.named:
            return
        total = len(self.named) + self.more
        more = "\n  " + ngettext("and {n} more line like these", "and {n} more lines like these",
                                 self.more).format(n=self.more) if self.more else ""
        raise ImportProblem(ngettext("{n} line can't be imported:", "{n} lines can't be imported:",
                                     total).format(n=total)
                            + "\n  " + "\n  ".join(self.named) + more)


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(_("{field} {value} is not a number").format(
            field=what, value=repr(text[:40]))) from None
    if not math.isfinite(value):
        raise ValueError(_("{field} {value} is not a finite number").format(
            field=what, value=repr(text[:40])))
    return value


def _wall(record: dict[str, str]) -> float:
    if record.get("wall", "").strip():
        return _number(record["wall"], "wall")
    text = record.get("time_utc", "").strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_("{field} {value} is not a date and time").format(
            field="time_utc", value=repr(text[:40]))) from None
    try:
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    except (OverflowError, ValueError):
        raise ValueError(_("{field} {value} is outside the dates sitbreak keeps").format(
            field="time_utc", value=repr(text[:40]))) from None


def _row(record: dict[str, str]) -> Row:
    """The row a line holds, or ValueError saying why it can't be read."""
    for name, value in record.items():
        if len(value) > bounds.MAX_DETAIL_CHARS:
            raise ValueError(_("{field} is {n} characters long (at most {most})").format(
                field=name, n=len(value), most=bounds.MAX_DETAIL_CHARS))
        if bounds.SURROGATE.search(value):
            raise ValueError(_("{field} is not UTF-8 text").format(field=name))
        if value.startswith("'"):
            record[name] = restore(value)
    kind = record["kind"].strip()
    if not kind:
        raise ValueError(_("{field} is empty").format(field="kind"))
    duration = record.get("duration_s", "").strip()
    return Row(
        kind=kind,
        wall=_wall(record),
        duration_s=_number(duration, "duration_s") if duration else 0.0,
        exercise_id=record.get("exercise_id") or None,
        category=record.get("category") or None,
        detail=record.get("detail") or None,
    )


class Checked:
    """Rows of an export, each checked as the app would have written it; iterate, then call
    finish() (ImportProblem naming every bad line, up to MAX_NAMED, then a count).

    `days` gives each row its statistics day (a day holds at most a day of exercise);
    `known_exercises`, when given, counts rows naming an exercise not in the catalogue (kept:
    an exercise removed since, or from the user's own file, is still history)."""

    def __init__(self, path: Path, days: Days | None = None, *,
                 known_exercises: frozenset[str] | None = None,
                 now: float | None = None, first_wall: float = bounds.IMPORT_FIRST_WALL) -> None:
        self.path = Path(path)
        self.days = days
        self.known = known_exercises
        self.first = first_wall
        self.last = (time.time() if now is None else now) + bounds.FUTURE_SLACK_S
        self.problems = _Lines()
        self.unknown_exercises: dict[str, int] = {}
        self._exercise_s: dict[object, float] = {}

    def __iter__(self) -> Iterator[Row]:
        old_limit = csv.field_size_limit(MAX_FIELD_CHARS)
        try:
            yield from self._read()
        finally:
            csv.field_size_limit(old_limit)

    def _read(self) -> Iterator[Row]:
        # surrogateescape: a byte that is not UTF-8 becomes a mark the line's check names,
        # instead of one UnicodeDecodeError for the whole file.
        with self.path.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as f:
            reader = csv.reader(f)
            try:
                names = next(reader, [])
            except csv.Error as err:
                raise ImportProblem(_("line {n}: {problem}").format(n=1, problem=err)) from None
            if "kind" not in names or not ({"wall", "time_utc"} & set(names)):
                shown = ", ".join(n[:40] for n in names[:12]) or _("nothing")
                raise ImportProblem(_("line {n}: {problem}").format(n=1, problem=_(
                    "not a sitbreak history export (the header needs kind and wall or "
                    "time_utc; it has {fields})").format(fields=shown)))
            wanted = [(n, i) for i, n in enumerate(names) if n in _READ]
            width = len(names)
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as err:
                    self.problems.add(reader.line_num, _("{error}; the file can't be read past "
                                                         "it").format(error=err))
                    return
                line = reader.line_num
                if len(fields) != width:
                    if not fields:
                        continue  # a blank line, as DictReader skipped them
                    self.problems.add(line, _("expected {n} fields, found {found}").format(
                        n=width, found=len(fields)))
                    continue
                record = {n: fields[i] for n, i in wanted}
                try:
                    row = _row(record)
                except ValueError as err:
                    self.problems.add(line, str(err))
                    continue
                why = bounds.problem(row, self.first, self.last) or self._day_problem(row)
                if why is not None:
                    self.problems.add(line, why)
                    continue
                if row.exercise_id and self.known is not None \
                        and row.exercise_id not in self.known:
                    self.unknown_exercises[row.exercise_id] = \
                        self.unknown_exercises.get(row.exercise_id, 0) + 1
                if not self.problems:
                    yield row

    def _day_problem(self, row: Row) -> str | None:
        if self.days is None or row.kind not in _EXERCISE_MINUTE_KINDS or not row.duration_s:
            return None
        day = self.days.of(row.wall)
        total = self._exercise_s.get(day, 0.0) + row.duration_s
        if total > bounds.MAX_BREAK_S:
            return _("{day} would hold {hours} hours of exercise (at most 24)").format(
                day=day, hours=number(total / 3600, 1))
        self._exercise_s[day] = total
        return None

    def finish(self) -> None:
        self.problems.raise_if_any()


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of an export (this version's or an earlier one's), as stored rows may be (any
    time sitbreak can store); raises ImportProblem naming the bad lines."""
    checked = Checked(path, first_wall=bounds.STORE_FIRST_WALL,
                      now=bounds.STORE_LAST_WALL - bounds.FUTURE_SLACK_S - 1)
    yield from checked
    checked.finish()


def import_csv(history: History, path: Path, days: Days, *,
               known_exercises: frozenset[str] | None = None,
               now: float | None = None) -> tuple[int, int, Checked]:
    """Add the rows of an export that are not in the history yet (same time, kind and
    exercise); one transaction, all or nothing: any bad line raises ImportProblem naming it.
    Returns (added, skipped, what was read)."""
    checked = Checked(path, days, known_exercises=known_exercises, now=now)

    def rows_then_verdict() -> Iterator[Row]:
        yield from checked
        checked.finish()  # raised inside the transaction: it is rolled back

    added, skipped = history.import_rows(rows_then_verdict(), days)
    return added, skipped, checked


_ROW_HEADER = ("wall", "kind", "duration_s", "exercise_id", "category", "detail")


def _cells(row: Row) -> tuple[object, ...]:
    return (row.wall, neutralise(row.kind), row.duration_s, neutralise(row.exercise_id or ""),
            neutralise(row.category or ""), neutralise(row.detail or ""))


def save_rows(rows: list[Row], path: Path) -> None:
    """Write rows in a form read_rows reads back (the same columns as an export, fewer of
    them); complete or not at all; readable by the user only."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open_private(tmp, "w") as f:
            out = csv.writer(f)
            out.writerow(_ROW_HEADER)
            out.writerows(_cells(r) for r in rows)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def append_set_aside(found: list[tuple[Row, str]], path: Path) -> None:
    """Add rows the history can't take to `path`, each with why (a `reason` column, which
    import ignores: once fixed by hand, the file imports)."""
    with open_private(path, "a", errors="backslashreplace") as f:  # whatever the row holds
        out = csv.writer(f)
        if f.tell() == 0:
            out.writerow((*_ROW_HEADER, "reason"))
        out.writerows((*_cells(r), why) for r, why in found)

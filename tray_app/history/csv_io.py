"""The history as CSV: export (streamed, to a temporary name, then renamed) and import."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tray_app.core.model import Row
from tray_app.history.store import History
from tray_app.history.totals import Days

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
            yield (*row[:5], round(seconds) if math.isfinite(seconds) else seconds, *row[6:])


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
        with tmp.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(CSV_HEADER)
            out.writerows(counted)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counted.n


def _number(text: str, what: str, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ImportProblem(f"line {line}: {what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ImportProblem(f"line {line}: {what} {text!r} is not a finite number")
    return value


def _wall(record: dict[str, str], line: int) -> float:
    if record.get("wall", "").strip():
        return _number(record["wall"], "wall", line)
    text = record.get("time_utc", "").strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ImportProblem(f"line {line}: time_utc {text!r} is not a date and time") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of an export (this version's or an earlier one's); raises ImportProblem naming the
    line of the first one that can't be read."""
    with Path(path).open(newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        names = reader.fieldnames or []
        if "kind" not in names or not ({"wall", "time_utc"} & set(names)):
            raise ImportProblem(
                "line 1: not a sitbreak history export (the header needs kind and wall or "
                f"time_utc; it has {', '.join(names) or 'nothing'})"
            )
        for record in reader:
            line = reader.line_num
            if None in record or any(v is None for v in record.values()):
                raise ImportProblem(f"line {line}: expected {len(names)} fields")
            kind = record["kind"].strip()
            if not kind:
                raise ImportProblem(f"line {line}: kind is empty")
            duration = record.get("duration_s", "").strip()
            yield Row(
                kind=kind,
                wall=_wall(record, line),
                duration_s=_number(duration, "duration_s", line) if duration else 0.0,
                exercise_id=record.get("exercise_id") or None,
                category=record.get("category") or None,
                detail=record.get("detail") or None,
            )


def import_csv(history: History, path: Path, days: Days) -> tuple[int, int]:
    """Add the rows of an export that are not in the history yet (same time, kind and
    exercise); one transaction. Returns (added, skipped); raises ImportProblem or OSError."""
    return history.import_rows(read_rows(path), days)


_ROW_HEADER = ("wall", "kind", "duration_s", "exercise_id", "category", "detail")


def save_rows(rows: list[Row], path: Path) -> None:
    """Write rows in a form read_rows reads back (the same columns as an export, fewer of
    them); complete or not at all."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(_ROW_HEADER)
            out.writerows((r.wall, r.kind, r.duration_s, r.exercise_id or "", r.category or "",
                           r.detail or "") for r in rows)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


"""The exercise families (progressions.toml): read, checked against the catalogue, and turned
into core.progression.Family records."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from typing import Any

from tray_app.core.exercise import Exercise
from tray_app.core.problems import Problem, ProblemsError
from tray_app.core.progression import MAX_LEVELS, MIN_LEVELS, Family, Level
from tray_app.core.tempo import WORK_HOLD_MAX_S
from tray_app.support.resources import DataFileError, packaged

PROGRESSIONS = ("exercises", "progressions.toml")
_LEVEL_KEYS = ("exercise", "reps", "hold", "tempo")


def parse_families(text: str, file: str, catalogue: Mapping[str, Exercise],
                   ) -> tuple[list[Family], list[Problem]]:
    """The families in `text` that are fine, and every problem: unknown exercise ids, too few
    or too many levels, a level that asks no more than the one before it, an exercise in two
    families."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [], [Problem(file, "", f"is not valid TOML: {exc}")]
    families: list[Family] = []
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    seen: set[str] = set()
    for n, raw in enumerate(data.get("family", []), 1):
        fid = raw.get("id") if isinstance(raw, dict) else None
        key = f"family {fid or n}"
        found = _family(raw, key, file, catalogue)
        if isinstance(found, list):
            problems += found
            continue
        if found.id in seen:
            problems.append(Problem(file, key, "the id is used twice", allowed="make ids unique"))
            continue
        seen.add(found.id)
        clash = [lv.exercise_id for lv in found.levels if owner.get(lv.exercise_id, found.id)
                 != found.id]
        if clash:
            problems.append(Problem(file, key, f"{clash[0]} is already in family "
                                    f"{owner[clash[0]]}", allowed="an exercise is in one family"))
            continue
        owner.update((lv.exercise_id, found.id) for lv in found.levels)
        families.append(found)
    extra = set(data) - {"family"}
    if extra:
        problems.append(Problem(file, ", ".join(sorted(extra)), "unknown table",
                                allowed="only [[family]] tables"))
    return families, problems


def _family(raw: Any, key: str, file: str, catalogue: Mapping[str, Exercise],
            ) -> Family | list[Problem]:
    def bad(message: str, allowed: str | None = None) -> list[Problem]:
        return [Problem(file, key, message, allowed=allowed)]

    if not isinstance(raw, dict):
        return bad("is not a table")
    fid, name, levels = raw.get("id"), raw.get("name"), raw.get("levels")
    if not isinstance(fid, str) or not fid or not isinstance(name, str) or not name:
        return bad("needs an id and a name (text)")
    if not isinstance(levels, list) or not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        return bad("needs a list of levels", allowed=f"{MIN_LEVELS} to {MAX_LEVELS} levels")
    out: list[Level] = []
    for i, lv in enumerate(levels, 1):
        where = f"{key} level {i}"
        if not isinstance(lv, dict) or set(lv) - set(_LEVEL_KEYS):
            return [Problem(file, where, "is not { exercise = ..., reps, hold, tempo }")]
        ex_id = lv.get("exercise")
        if ex_id not in catalogue:
            return [Problem(file, where, "names no exercise in the catalogue",
                            value=repr(ex_id))]
        numbers = {k: lv.get(k) for k in ("reps", "hold", "tempo")}
        for k, v in numbers.items():
            whole = k != "reps" or isinstance(v, int)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)
                                  or not whole or not 0 < v <= 120):
                return [Problem(file, f"{where} {k}", "must be a number above 0, at most 120",
                                value=repr(v))]
        level = Level(ex_id, numbers["reps"], numbers["hold"], numbers["tempo"])
        hold = numbers["hold"]
        if hold is not None and catalogue[ex_id].category != "stretch" and \
                hold > WORK_HOLD_MAX_S:
            return [Problem(file, f"{where} hold", "is longer than a work hold should be",
                            value=repr(hold), allowed=f"at most {WORK_HOLD_MAX_S:g} s "
                            "(short holds, more of them)")]
        if out and out[-1].exercise_id == ex_id and not _asks_more(
                out[-1], level, catalogue[ex_id]):
            return [Problem(file, where, "asks no more than the level before it",
                            allowed="a hold and a tempo never shorter, and more work in all")]
        if any(o.exercise_id == ex_id for o in out[:-1]) and out[-1].exercise_id != ex_id:
            return [Problem(file, where, f"goes back to {ex_id}", allowed="levels get harder")]
        out.append(level)
    return Family(fid, name, tuple(out))


def _effective(level: Level, ex: Exercise) -> tuple[float, float, float]:
    """The reps, hold and tempo a level asks of its exercise's first counted step."""
    step = next((s for s in ex.steps if s.tempo is not None or s.hold is not None), None)
    base = (step.reps or 1, step.hold or 0.0, step.tempo or 0.0) if step else (1, 0.0, 0.0)
    return (float(level.reps if level.reps is not None else base[0]),
            float(level.hold if level.hold is not None else base[1]),
            float(level.tempo if level.tempo is not None else base[2]))


def _asks_more(before: Level, after: Level, ex: Exercise) -> bool:
    """A hold and a tempo never shorter, and more work in all (fewer repetitions may be
    harder when each is slower or held longer)."""
    (r0, h0, t0), (r1, h1, t1) = _effective(before, ex), _effective(after, ex)
    return h1 >= h0 and t1 >= t0 and r1 * (h1 + t1) > r0 * (h0 + t0)


@cache
def builtin_families() -> tuple[Family, ...]:
    """The shipped families, checked against the shipped catalogue (a problem is a damaged
    install: DataFileError names the file). Read once per process."""
    path = packaged(PROGRESSIONS)
    if not path.is_file():
        raise DataFileError(path, "is missing")
    from tray_app.exercises.loader import read_builtin

    catalogue = {e.id: e for e in read_builtin()}
    families, problems = parse_families(path.read_text(encoding="utf-8"), str(path), catalogue)
    if problems:
        raise DataFileError(path, f"is damaged:\n{ProblemsError(problems)}")
    return tuple(families)

"""Load and check exercise catalogues: the built-in file plus the user's optional extra file.

Every problem in a file is collected before anything is raised, so the user fixes them all in
one go. Keys in problems count from 1, the way people do: `exercise[3].steps[2].seconds` is
the second step of the third exercise; once an exercise's id is known it is named instead:
`exercise 'dead-bug'.category`.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tray_app.core.exercise import BACK_BEND, CATEGORIES, PLACES, Exercise, Step
from tray_app.core.model import ExerciseSettings
from tray_app.core.problems import Problem, ProblemsError
from tray_app.core.tags import MEANS, exact_tags, needed
from tray_app.support.i18n import _
from tray_app.support.resources import CATALOGUE, DataFileError, packaged
from tray_app.support.userfile import Unreadable, read_user_text

BUILTIN_CATALOGUE = packaged(CATALOGUE)

REQUIRED = ("id", "name", "category", "where", "steps", "cue", "why")
OPTIONAL = ("cautions", "tags")
STEP_KEYS = ("text", "seconds", "reps", "tempo", "hold")
# The built-in catalogue is a few dozen KiB; a user's file this big is a mistake.
MAX_CATALOGUE_BYTES = 1 << 20
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A back-bend caution names the conditions the article links to the lumbar spine.
SPINE_CONDITIONS = ("spondylolisthesis", "stenosis")


def load_catalogue(settings: ExerciseSettings, *, builtin: Path | None = None) -> list[Exercise]:
    """The exercises the user wants: built-in plus `settings.extra`, minus exclusions.

    `settings.exclude` holds ids or tags; only exercises whose place is in `settings.places`
    are kept. Raises ProblemsError listing every problem in the files, or DataFileError when
    the shipped catalogue is missing or damaged.
    """
    if builtin is None:
        exercises, problems = read_builtin(), []
    else:
        exercises, problems = read_catalogue(builtin)
    if settings.extra:
        extra_path = Path(settings.extra).expanduser()
        extra, extra_problems = read_catalogue(extra_path, taken={e.id for e in exercises})
        exercises += extra
        problems += extra_problems
    if problems:
        raise ProblemsError(problems)
    return select(exercises, settings)


def select(exercises: Iterable[Exercise], settings: ExerciseSettings) -> list[Exercise]:
    """The exercises `settings` allow: a place in `places`, no id or tag in `exclude`."""
    excluded = set(settings.exclude)
    places = set(settings.places)
    return [
        e
        for e in exercises
        if e.id not in excluded and excluded.isdisjoint(e.tags) and e.where in places
    ]


def read_builtin() -> list[Exercise]:
    """The shipped catalogue. A problem in it is a damaged install (exit 1), not a mistake in
    the user's settings: DataFileError names the file."""
    if not BUILTIN_CATALOGUE.is_file():
        raise DataFileError(BUILTIN_CATALOGUE, "is missing")
    exercises, problems = read_catalogue(BUILTIN_CATALOGUE)
    if problems:
        raise DataFileError(BUILTIN_CATALOGUE, f"is damaged:\n{ProblemsError(problems)}")
    return exercises


def read_catalogue(
    path: Path, *, taken: Iterable[str] = ()
) -> tuple[list[Exercise], list[Problem]]:
    """Read one file: the exercises that are fine, and the problems found."""
    file = str(path)
    try:
        text = read_user_text(path, MAX_CATALOGUE_BYTES)  # never a FIFO or /dev/zero
    except FileNotFoundError:
        return [], [
            Problem(file, "", _("the exercise file does not exist"),
                    allowed=_("fix the path in [exercises] extra, or set it to \"\""))
        ]
    except Unreadable as err:
        return [], [Problem(file, "", _("the exercise file {problem}").format(problem=err),
                            allowed=_("fix the path in [exercises] extra, or set it to \"\""))]
    return parse_catalogue(text, file, taken=taken)


def parse_catalogue(
    text: str, file: str, *, taken: Iterable[str] = ()
) -> tuple[list[Exercise], list[Problem]]:
    """Parse and validate catalogue text; `file` names it in problems."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # Python 3.11's error has no line attribute; the line is only in the message.
        found = re.search(r"at line (\d+)", str(err))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        return [], [
            Problem(file, "", _("this is not valid TOML: {error}").format(error=message),
                    line=int(found.group(1)) if found else None)
        ]
    except RecursionError:
        return [], [Problem(file, "", _("this is nested too deeply to read (brackets inside "
                                        "brackets)"),
                            allowed=_("use the form of the built-in catalogue"))]
    return _Checker(file, text, set(taken)).catalogue(data)


class _Checker:
    """Walks parsed TOML and turns it into exercises, collecting problems on the way."""

    def __init__(self, file: str, text: str, taken: set[str]) -> None:
        self.file = file
        self.lines = text.splitlines()
        self.taken = taken
        self.problems: list[Problem] = []
        self.blocks = self._exercise_blocks()

    def catalogue(self, data: Mapping[str, Any]) -> tuple[list[Exercise], list[Problem]]:
        for key in data:
            if key != "exercise":
                self._unknown(key, ("exercise",), key, None)
        entries = data.get("exercise")
        if not isinstance(entries, list) or not entries:
            self.problems.append(
                Problem(self.file, "exercise", _("the file has no exercises"),
                        allowed=_("add one or more {tables} tables").format(
                            tables="[[exercise]]"))
            )
            return [], self.problems
        exercises: list[Exercise] = []
        for index, entry in enumerate(entries):
            exercise = self._exercise(index, entry)
            if exercise is not None:
                exercises.append(exercise)
        return exercises, self.problems

    # -- one exercise -------------------------------------------------------------------------

    def _exercise(self, index: int, entry: Any) -> Exercise | None:
        label = f"exercise[{index + 1}]"
        if not isinstance(entry, dict):
            self._add(label, _("must be a table"), repr(entry), None, index, None)
            return None
        before = len(self.problems)
        ident = entry.get("id")
        if isinstance(ident, str) and ID_PATTERN.match(ident) and ident not in self.taken:
            label = f"exercise '{ident}'"
        for key in entry:
            if key not in REQUIRED + OPTIONAL:
                self._unknown(f"{label}.{key}", REQUIRED + OPTIONAL, key, index)
        for key in REQUIRED:
            if key not in entry:
                self._add(f"{label}.{key}", _("is missing"), None, None, index, None)
        self._check_id(label, ident, index)
        strings = {k: self._text(label, k, entry.get(k), index) for k in ("name", "cue", "why")}
        category = self._choice(label, "category", entry.get("category"), CATEGORIES, index)
        where = self._choice(label, "where", entry.get("where"), PLACES, index, noun="place")
        steps = self._steps(label, entry.get("steps"), index)
        cautions = self._text_list(label, "cautions", entry.get("cautions", []), index)
        tags = self._text_list(label, "tags", entry.get("tags", []), index)
        if len(self.problems) == before:
            self._check_tags(label, where, steps, cautions, tags, index)
        if len(self.problems) > before:
            return None
        return Exercise(
            id=ident, name=strings["name"], category=category, where=where, steps=steps,
            cue=strings["cue"], why=strings["why"], cautions=cautions, tags=tags,
        )  # fmt: skip

    def _check_id(self, label: str, ident: Any, index: int) -> None:
        if ident is None:
            return  # reported as missing
        if not isinstance(ident, str) or not ID_PATTERN.match(ident):
            self._add(f"{label}.id", _("is not a valid id"), repr(ident),
                      _("use lower-case letters, digits and dashes, e.g. \"seated-march\""),
                      index, "id")
        elif ident in self.taken:
            self._add(f"{label}.id", _("is used by another exercise"), repr(ident),
                      _("every exercise needs its own id"), index, "id")
        else:
            self.taken.add(ident)

    def _check_tags(self, label: str, where: str, steps: tuple[Step, ...],
                    cautions: tuple[str, ...], tags: tuple[str, ...], index: int) -> None:
        """The written tag rule (core.tags): every tag the steps or the place need is there,
        a prop tag only where a step uses the prop, and a back-bend carries its caution."""
        need = needed(where, (s.text for s in steps))
        for tag, why in need.items():
            if tag not in tags:
                self._add(f"{label}.tags", _("{words} means the exercise {means}, but it is not "
                                             "tagged {tag}").format(words=repr(why),
                                                                    means=_(MEANS[tag]),
                                                                    tag=repr(tag)),
                          None, _("add {tag} to tags, so people who must avoid it can exclude "
                                  "it").format(tag=repr(tag)), index, "tags")
        for tag in exact_tags() & set(tags) - set(need):
            self._add(f"{label}.tags", _("tagged {tag} but no step uses a {prop}").format(
                tag=repr(tag), prop=tag), None,
                _("remove {tag} (it {means}), or name the {prop} in the step that uses it").format(
                    tag=repr(tag), means=_(MEANS[tag]), prop=tag), index, "tags")
        if BACK_BEND in tags and not any(
            c in caution.lower() for caution in cautions for c in SPINE_CONDITIONS
        ):
            self._add(f"{label}.cautions", _("a {tag} exercise needs a caution for people with "
                                             "spondylolisthesis or spinal stenosis").format(
                                                 tag=repr(BACK_BEND)), None,
                      _("e.g. \"Arches the lower back: skip it if you have spondylolisthesis or "
                      "spinal stenosis, unless your clinician says otherwise.\""), index,
                      "cautions")

    def _text(self, label: str, key: str, value: Any, index: int) -> str:
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self._add(f"{label}.{key}", _("must be a non-empty text"), repr(value), None, index,
                      key)
            return ""
        return value.strip()

    def _choice(self, label: str, key: str, value: Any, allowed: tuple[str, ...],
                index: int, noun: str = "") -> str:  # fmt: skip
        if value is None:
            return ""
        if value not in allowed:
            self._add(f"{label}.{key}", _("unknown {what}").format(what=noun or key), repr(value),
                      _allowed(str(value), allowed), index, key)
            return ""
        return str(value)

    def _text_list(self, label: str, key: str, value: Any, index: int) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            self._add(f"{label}.{key}", _("must be a list of texts"), repr(value),
                      _("e.g. [\"first\", \"second\"]"), index, key)
            return ()
        return tuple(v.strip() for v in value)

    def _steps(self, label: str, value: Any, index: int) -> tuple[Step, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            self._add(f"{label}.steps", _("needs at least one step"), repr(value),
                      _("steps = [{ text = \"...\", seconds = 30 }]"), index, "steps")
            return ()
        steps: list[Step] = []
        for number, step in enumerate(value, start=1):
            where = f"{label}.steps[{number}]"
            if not isinstance(step, dict):
                self._add(where, _("must be a table"), repr(step),
                          _("{ text = \"...\", seconds = 30 }"), index, "steps")
                continue
            for key in step:
                if key not in STEP_KEYS:
                    self._unknown(f"{where}.{key}", STEP_KEYS, key, index)
            text = step.get("text")
            if not isinstance(text, str) or not text.strip():
                message = _("is missing") if text is None else _("must be a non-empty text")
                self._add(f"{where}.text", message, None if text is None else repr(text),
                          None, index, "steps")
            counts = self._counts(where, step, index, number)
            if counts is None:
                continue
            reps, tempo, hold = counts
            probe = Step("", 0, reps, tempo, hold)
            seconds = step.get("seconds")
            if seconds is None and probe.work:
                seconds = math.ceil(probe.work)  # derived from the repetitions
            if seconds is None:
                self._add(f"{where}.seconds", _("is missing"), None,
                          _("give seconds, or reps with tempo or hold to derive them"),
                          index, "steps")
                continue
            if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds <= 0:
                self._add(f"{where}.seconds", _("must be a positive whole number of seconds"),
                          repr(seconds), _("e.g. 30"), index, "seconds", nth=number)
                continue
            if seconds < probe.work:
                self._add(f"{where}.seconds", _("is shorter than the work it holds: {work} = "
                                                "{seconds} s, so the last repetitions would "
                                                "be cut off").format(work=_work_text(probe),
                                                                     seconds=f"{probe.work:g}"),
                          repr(seconds), _("make seconds at least {n}, or do fewer "
                                           "repetitions").format(n=math.ceil(probe.work)),
                          index, "seconds", nth=number)
                continue
            if isinstance(text, str) and text.strip():
                steps.append(Step(text.strip(), seconds, reps, tempo, hold))
        return tuple(steps)

    def _counts(self, where: str, step: Mapping[str, Any], index: int,
                number: int) -> tuple[int | None, float | None, float | None] | None:  # fmt: skip
        """(reps, tempo, hold) of a step, or None after reporting a problem."""
        reps, tempo, hold = step.get("reps"), step.get("tempo"), step.get("hold")
        ok = True
        if reps is not None and (isinstance(reps, bool) or not isinstance(reps, int) or reps <= 0):
            self._add(f"{where}.reps", _("must be a positive whole number of repetitions"),
                      repr(reps), _("e.g. 8"), index, "reps", nth=number)
            ok = False
        for key, value in (("tempo", tempo), ("hold", hold)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float) or value <= 0
            ):
                self._add(f"{where}.{key}", _("must be a positive number of seconds"),
                          repr(value), _("e.g. 3 or 2.5"), index, key, nth=number)
                ok = False
        if ok and reps is not None and tempo is None and hold is None:
            self._add(f"{where}.reps", _("needs tempo (seconds one repetition takes) or hold "
                      "(seconds held in each)"), repr(reps), _("e.g. reps = 8, tempo = 4"),
                      index, "reps", nth=number)
            ok = False
        if not ok:
            return None
        return reps, None if tempo is None else float(tempo), None if hold is None else float(hold)

    # -- reporting ----------------------------------------------------------------------------

    def _unknown(self, key: str, known: tuple[str, ...], name: str, index: int | None) -> None:
        self._add(key, _("unknown key"), None, _allowed(name, known), index, name)

    def _add(self, key: str, message: str, value: str | None, allowed: str | None,
             index: int | None, toml_key: str | None, nth: int = 1) -> None:  # fmt: skip
        self.problems.append(
            Problem(self.file, key, message, value, allowed, self._line(index, toml_key, nth))
        )

    def _exercise_blocks(self) -> list[tuple[int, int]]:
        """(first, last) 0-based line ranges of each [[exercise]] table, in file order."""
        starts = [i for i, line in enumerate(self.lines) if line.strip() == "[[exercise]]"]
        return [
            (start, starts[n + 1] if n + 1 < len(starts) else len(self.lines))
            for n, start in enumerate(starts)
        ]

    def _line(self, index: int | None, key: str | None, nth: int = 1) -> int | None:
        """Best-effort 1-based line of `key` (its nth occurrence) inside exercise `index`."""
        if index is None:
            first, last = 0, len(self.lines)
        elif index < len(self.blocks):
            first, last = self.blocks[index]
        else:
            return None  # exercises written some other way (inline arrays): no line
        if key is None:
            return first + 1
        pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")
        seen = 0
        for number in range(first, last):
            if pattern.search(self.lines[number]):
                seen += 1
                if seen == nth:
                    return number + 1
        return first + 1 if index is not None else None


def _work_text(step: Step) -> str:
    each = " + ".join(
        text.format(s=f"{v:g}") for text, v in ((_("{s} s moving"), step.tempo),
                                                 (_("{s} s held"), step.hold)) if v
    )
    return f"{step.reps or 1} × ({each})"


def _allowed(value: str, allowed: tuple[str, ...]) -> str:
    """'allowed: a, b, c' plus a did-you-mean when the value is close to one of them."""
    text = _("allowed: {names}").format(names=", ".join(allowed))
    import difflib
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    if close:
        text = _("did you mean {word}? {allowed}").format(word=repr(close[0]), allowed=text)
    return text

"""`sitbreak rate`, `level`, `checkin` and `retest`, and the programme's part of `exercises
show` and `stats --json`. The rules are core.progression's and core.retest's; the commands
reach the running sitbreak through the control channel, as the window's buttons do."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tray_app.core.exercise import Exercise
from tray_app.core.model import Settings
from tray_app.core.progression import Family, Progress
from tray_app.support.i18n import _, ngettext, tr


def progress_of(history_path: Path, settings: Settings, now: float,
                ) -> tuple[Progress, tuple[Family, ...]]:
    """The user's progress from the history file, and the families."""
    from tray_app.exercises.progressions import builtin_families
    from tray_app.history import programme

    families = builtin_families()
    return programme.progress_of(history_path, families, settings, now)[0], families


def level_lines(exercise: Exercise, progress: Progress, families: tuple[Family, ...],
                now: float) -> list[str]:
    """What `exercises show` says of the exercise's family: its levels, the one in use, and a
    rest after "this hurt"."""
    from tray_app.core.progression import family_of, in_rotation
    from tray_app.support.i18n import duration

    fam = family_of(families).get(exercise.id)
    lines = []
    if fam is not None:
        fp = progress.family(fam.id)
        mine = [i for i, lv in enumerate(fam.levels, 1) if lv.exercise_id == exercise.id]
        span = f"{mine[0]}" if len(mine) == 1 else f"{mine[0]}-{mine[-1]}"
        lines.append(_("Family: {name} ({id}), level {span} of {top}; level in use: {level}")
                     .format(name=tr(fam.name), id=fam.id, span=span, top=fam.top,
                             level=fp.level))
    if not in_rotation(progress, exercise.id, now):
        left = progress.rested_until[exercise.id] - now
        days = int(-(-left // 86400))
        when = ngettext("{n} day", "{n} days", days).format(n=days) if days > 1 else duration(
            left)
        lines.append(_("Resting after 'this hurt': back in your breaks in {when}").format(
            when=when))
    return lines


def show_exercise(exercise: Exercise, history_path: Path, settings: Settings,
                  now: float | None = None) -> str:
    """`sitbreak exercises show ID`: the exercise at the level in use, with its family."""
    from tray_app.core.progression import in_use
    from tray_app.exercises import format as fmt

    now = time.time() if now is None else now
    try:
        progress, families = progress_of(history_path, settings, now)
    except Exception as exc:  # the history is busy or damaged: show the exercise as it is
        return fmt.show_text(exercise) + "\n\n" + _("(levels unknown: {error})").format(error=exc)
    shown = in_use(exercise, progress, families, {exercise.id: exercise}, now)
    extra = level_lines(exercise, progress, families, now)
    return fmt.show_text(shown) + ("\n\n" + "\n".join(extra) if extra else "")


def summary(history_path: Path, settings: Settings, now: float) -> dict[str, Any]:
    """The programme's part of `stats --json`."""
    from tray_app.exercises.progressions import builtin_families
    from tray_app.history import programme

    return programme.summary(history_path, builtin_families(), settings, now)


# --- commands -------------------------------------------------------------------------------


def request(args: argparse.Namespace) -> dict[str, Any]:
    """The control request of `rate`, `level`, `checkin` or `retest ITEM VALUE`."""
    name = args.command
    if name == "rate":
        req: dict[str, Any] = {"cmd": "rate", "rating": args.rating}
        if args.exercise_id:
            req["exercise_id"] = args.exercise_id
        return req
    if name == "level":
        return {"cmd": "level", "family": args.family, "answer": args.answer}
    if name == "checkin":
        return {"cmd": "checkin", "pain": args.pain}
    if args.value is None:
        from tray_app.support.exit_codes import UsageError

        raise UsageError(_("give the result: {command}").format(
            command=f"sitbreak retest {args.item} VALUE"))
    req = {"cmd": "retest", "item": args.item, "value": args.value}
    if args.side:
        req["side"] = args.side
    return req


def unknown_name(args: argparse.Namespace, settings: Callable[[], Settings]) -> str | None:
    """Why the exercise `rate` names or the family `level` names is not one sitbreak knows
    (a typo would otherwise be recorded as it is), or None."""
    import difflib

    if args.command == "rate" and args.exercise_id:
        from tray_app.core.exercise import PLACES
        from tray_app.core.model import ExerciseSettings
        from tray_app.exercises.loader import load_catalogue

        extra = settings().exercises.extra
        known = [e.id for e in load_catalogue(ExerciseSettings(places=PLACES, extra=extra))]
        name, listing = args.exercise_id, "`sitbreak exercises --all`"
        problem = _("no exercise with id {id}; {hint}{command} lists them")
    elif args.command == "level":
        from tray_app.exercises.progressions import builtin_families

        known = [f.id for f in builtin_families()]
        name, listing = args.family, "`sitbreak stats --json` (levels)"
        problem = _("no family with id {id}; {hint}{command} lists them")
    else:
        return None
    if name in known:
        return None
    close = difflib.get_close_matches(name, known, n=1)
    hint = _("did you mean {name}?").format(name=repr(close[0])) + " " if close else ""
    return problem.format(id=repr(name), hint=hint, command=listing)


def retest_text(settings: Settings) -> str:
    """`sitbreak retest` with no item: what the re-test asks for the places allowed."""
    from tray_app.core.retest import REPS, items_for

    lines = [_("The re-test (a few minutes; skip any item). Record each result with {command}:")
             .format(command="`sitbreak retest ITEM VALUE [--side left|right]`")]
    for item in items_for(settings.exercises.places):
        unit = _("reps") if item.unit == REPS else _("s")  # as the break window's re-test
        text = (_("{name} (each side), in {unit}.") if item.per_side else
                _("{name}, in {unit}.")).format(name=tr(item.name), unit=unit)
        lines.append(f"  {item.id}: {text} {tr(item.how)}")
    return "\n".join(lines)


def add_parsers(sub: Any, common: argparse.ArgumentParser,
                func: Callable[[argparse.Namespace], int]) -> None:
    """The programme's subcommands, each run by `func` (cli.commands.programme)."""
    from tray_app.core.progression import RATINGS
    from tray_app.core.retest import SIDES

    ra = sub.add_parser("rate", parents=[common],
                        help=_("rate an exercise: easy, fine, too-hard or hurt"))
    ra.add_argument("rating", choices=RATINGS,
                    help=_("hurt rests the exercise two weeks; too-hard and hurt go a level down"))
    ra.add_argument("exercise_id", nargs="?",
                    help=_("the exercise (default: the last one done)"))
    ra.set_defaults(func=func)
    lv = sub.add_parser("level", parents=[common],
                        help=_("answer 'ready for a harder version?' for a family"))
    lv.add_argument("family", help=_("the family's id, as `sitbreak stats --json` lists it"))
    lv.add_argument("answer", choices=("accept", "stay"),
                    help=_("accept moves up a level; stay asks again in two weeks"))
    lv.set_defaults(func=func)
    ci = sub.add_parser("checkin", parents=[common], help=_("record back pain now, 0-10"))
    ci.add_argument("pain", type=int, help=_("0 (none) to 10 (the worst imaginable)"))
    ci.set_defaults(func=func)
    rt = sub.add_parser("retest", parents=[common],
                        help=_("the monthly re-test: list it, or record one result"))
    rt.add_argument("item", nargs="?", help=_("the item's id (leave out to list them)"))
    rt.add_argument("value", nargs="?", type=float, help=_("repetitions or seconds"))
    rt.add_argument("--side", choices=SIDES, help=_("for an item measured per side"))
    rt.set_defaults(func=func)

"""The settings together with what they point at: the user's exercises file and the
exclusions. This is the one check behind check-settings, a start, a live reload and the
settings window, so all of them find the same mistakes."""

from __future__ import annotations

from pathlib import Path

from tray_app.core.model import Settings
from tray_app.core.problems import Problem, ProblemsError, pair_key
from tray_app.exercises.loader import read_builtin, read_catalogue, select
from tray_app.settings.files import read_settings_text
from tray_app.settings.validate import Report, by_line, check_text, cut, show
from tray_app.support.i18n import _


def check_all(text: str, file: str) -> Report:
    """check_text, plus the exercises file and every exclusion matched against the catalogue."""
    report = check_text(text, file)
    if report.bad & {"exercises.extra", "exercises.exclude"} or \
            any(p.key == "" for p in report.problems):
        return report
    report.problems = by_line(report.problems + exercise_problems(report, file))
    return report


def exercise_problems(report: Report, file: str) -> list[Problem]:
    ex = report.settings.exercises
    exercises, problems = read_builtin(), []
    out: list[Problem] = []
    if ex.extra:
        extra, extra_problems = read_catalogue(Path(ex.extra).expanduser(),
                                               taken={e.id for e in exercises})
        exercises += extra
        for p in extra_problems:
            if p.key == "" and p.line is None:  # the file itself: point at the key that names it
                out.append(Problem(file, "exercises.extra", p.message, value=f'"{cut(ex.extra)}"',
                                   allowed=p.allowed, line=report.lines.get("exercises.extra")))
            else:
                out.append(p)
    names = sorted({e.id for e in exercises} | {t for e in exercises for t in e.tags})
    for entry in ex.exclude:
        if entry not in names:
            import difflib
            close = difflib.get_close_matches(cut(entry), names, n=1, cutoff=0.6)
            hint = _("{command} lists the ids and tags").format(
                command="`sitbreak exercises --all`")
            if close:
                hint = _("did you mean '{word}'? {hint}").format(word=close[0], hint=hint)
            out.append(Problem(file, "exercises.exclude", _("matches no exercise id or tag"),
                               value=f'"{cut(entry)}"', allowed=hint,
                               line=report.lines.get("exercises.exclude")))
    if not out and ex.places and not select(exercises, ex):
        keys = pair_key("exercises.places", "exercises.exclude") if ex.exclude else \
            "exercises.places"
        out.append(Problem(
            file, keys, _("leave no exercise to offer: every break would be empty"),
            value=_("places {places}, exclude {exclude}").format(
                places=show(list(ex.places)), exclude=show(list(ex.exclude))),
            allowed=_("add a place or exclude fewer ids or tags; {command} lists them with "
                      "their places").format(command="`sitbreak exercises --all`"),
            line=min((report.lines[k] for k in ("exercises.places", "exercises.exclude")
                      if k in report.lines), default=None)))
    return problems + out


def load_checked(path: Path) -> Settings:
    """Read and check a settings file and its exercises; raises ProblemsError with them all."""
    try:
        report = check_all(read_settings_text(path), str(path))
    except (OSError, ValueError, RuntimeError) as exc:  # whatever else a path can raise
        raise ProblemsError([Problem(str(path), "", _("cannot be used ({error})").format(
            error=cut(str(exc), 200)), allowed=_("check the file and the paths in it"))]) from None
    if report.problems:
        raise ProblemsError(report.problems)
    return report.settings

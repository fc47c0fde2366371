"""Settings text -> checked values and every problem in it, each with file, line, key,
the bad value (cut short) and what is allowed."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from tray_app.core.duration import BadValue
from tray_app.core.model import Settings
from tray_app.core.problems import Problem, pair_key
from tray_app.settings.schema import SCHEMA, SECTIONS, build_section
from tray_app.support.i18n import N_, _, ngettext, tr

# Values and names longer than this are cut in messages (a 50 MB value made a 100 MB message).
SHOWN_CHARS = 60
BOM = "\ufeff"


@dataclass
class Report:
    """What checking a settings text found: settings built from the good values (defaults for
    the rest), the problems, the line of each key, and the raw values as written."""

    settings: Settings
    problems: list[Problem]
    lines: dict[str, int]
    raw: dict[str, Any] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def cut(text: str, limit: int = SHOWN_CHARS) -> str:
    """Cut short, control characters (a NUL, an escape sequence) written as \\xNN."""
    shown = text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", shown)


def show(value: Any) -> str:
    """A value as the user wrote it in TOML, cut short."""
    if isinstance(value, str):
        return f'"{cut(value)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        inner = ", ".join(show(v) for v in value[:8]) + (", …" if len(value) > 8 else "")
        return cut(f"[{inner}]", 4 * SHOWN_CHARS)
    return cut(repr(value))


def did_you_mean(word: str, choices: list[str], what: str = "keys") -> str:
    import difflib  # only for a mistake: not loaded by a running sitbreak that has none

    close = difflib.get_close_matches(word[:SHOWN_CHARS], choices, n=1, cutoff=0.6)
    known = ", ".join(choices)
    if close:
        return (_("did you mean '{word}'? Known sections: {known}") if what == "sections" else
                _("did you mean '{word}'? Known keys: {known}")).format(word=close[0], known=known)
    return (_("known sections: {known}") if what == "sections" else
            _("known keys: {known}")).format(known=known)


def key_lines(text: str) -> dict[str, int]:
    """Line numbers of sections and 'section.key' assignments (tomllib gives none)."""
    lines: dict[str, int] = {}
    section = ""
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            section = header[1]
            lines.setdefault(section, n)
            continue
        key = re.match(r"^([A-Za-z0-9_.-]+)\s*=", line)
        if key:
            lines.setdefault(f"{section}.{key[1]}" if section else key[1], n)
    return lines


def syntax_problem(text: str, file: str) -> Problem | None:
    """Why the text is not TOML at all, or None when it parses."""
    if text.startswith(BOM):
        return Problem(file, "", _("starts with an invisible byte order mark (BOM)"), line=1,
                       allowed=_("save the file as UTF-8 without BOM (most editors offer it "
                                 "under 'Save with encoding')"))
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return Problem(file, "", _("is not valid TOML: {error}").format(error=cut(str(exc), 200)),
                       line=int(m[1]) if m else None,
                       allowed=_("fix the syntax (quotes around strings, key = value, "
                                 "[section])"))
    except RecursionError:
        return Problem(file, "", _("is nested too deeply to read (brackets inside brackets)"),
                       allowed=_("every setting is a plain value or a flat list"))
    except ValueError as exc:  # an integer of more than 4300 digits
        return Problem(file, "", _("holds a number too long to read ({error})").format(
                           error=cut(str(exc), 80)),
                       allowed=_("every number in the settings has a few digits"))
    return None


def check_text(text: str, file: str = "settings.toml") -> Report:
    """Check a whole settings text; never raises for anything in the text."""
    lines = key_lines(text)
    broken = syntax_problem(text, file)
    if broken is not None:
        return Report(Settings(), [broken], lines)
    data = tomllib.loads(text)
    problems: list[Problem] = []
    raw: dict[str, Any] = {}
    bad: set[str] = set()
    sections: dict[str, dict[str, Any]] = {}
    for sname, body in data.items():
        if sname not in SCHEMA:
            problems.append(Problem(file, cut(sname), _("unknown section"),
                                    allowed=did_you_mean(sname, list(SCHEMA), "sections"),
                                    line=lines.get(sname)))
            continue
        if not isinstance(body, dict):
            problems.append(Problem(file, sname, _("must be a [section] of keys"),
                                    value=show(body), line=lines.get(sname),
                                    allowed=_("write it as [{section}]").format(section=sname)))
            bad.update(f"{sname}.{k}" for k in SCHEMA[sname])
            continue
        values: dict[str, Any] = {}
        for kname, value in body.items():
            dotted = f"{sname}.{kname}"
            spec = SCHEMA[sname].get(kname)
            if spec is None:
                problems.append(Problem(file, cut(dotted), _("unknown key"),
                                        allowed=did_you_mean(kname, list(SCHEMA[sname])),
                                        line=lines.get(dotted)))
                continue
            raw[dotted] = value
            try:
                values[kname] = spec.parse(value)
            except BadValue as exc:
                bad.add(dotted)
                problems.append(Problem(file, dotted, _("bad value"), value=show(value),
                                        allowed=tr(exc.args[0]), line=lines.get(dotted)))
        sections[sname] = values
    built = {name: build_section(name, sections.get(name, {})) for name in SECTIONS}
    settings = Settings(**built)
    problems += cross_key_problems(settings, file, lines, raw, bad)
    return Report(settings, by_line(problems), lines, raw, bad)


# More problems than this are counted, not listed: 20,000 unknown sections made a 4 MB
# message, a 7 MB notification and a 3.6 MB reply.
MAX_PROBLEMS = 30


MORE = N_("fix the ones above and check again to see the rest")


def _is_more(p: Problem) -> bool:
    return p.allowed == _(MORE)


def by_line(problems: list[Problem]) -> list[Problem]:
    """In the file's order, so they read top to bottom; whole-file ones first; at most
    MAX_PROBLEMS, then one line counting the rest."""
    hidden = sum(int(re.findall(r"\d+", p.message)[0]) for p in problems if _is_more(p))
    ordered = sorted((p for p in problems if not _is_more(p)), key=lambda p: p.line or 0)
    hidden += max(0, len(ordered) - MAX_PROBLEMS)
    shown = ordered[:MAX_PROBLEMS]
    if not hidden or not shown:
        return shown
    return [*shown, Problem(shown[0].file, "", ngettext(
        "and {n} more problem", "and {n} more problems", hidden).format(n=hidden),
        allowed=_(MORE))]


def _where(key: str, lines: dict[str, int], raw: dict[str, Any], default: str) -> str:
    if key in raw:
        return _("{key} = {value} on line {line}").format(key=key, value=show(raw[key]),
                                                          line=lines.get(key, "?"))
    return _("{key} is {value} (the default: it is not in the file)").format(key=key,
                                                                              value=default)


def _pair(file: str, a: str, b: str, message: str, allowed: str, lines: dict[str, int],
          raw: dict[str, Any], defaults: tuple[str, str]) -> Problem:
    """A rule between two keys: name both, give both lines, point at the one written first."""
    written = [k for k in (a, b) if k in lines]
    line = min((lines[k] for k in written), default=None)
    value = f"{_where(a, lines, raw, defaults[0])}; {_where(b, lines, raw, defaults[1])}"
    return Problem(file, pair_key(a, b), message, value=value, allowed=allowed, line=line)


def cross_key_problems(s: Settings, file: str, lines: dict[str, int], raw: dict[str, Any],
                       bad: set[str]) -> list[Problem]:
    """Rules between keys, checked only where both keys hold good values."""
    from tray_app.core.duration import short

    out: list[Problem] = []
    if not bad & {"breaks.heads_up", "sitting.break_after"} and \
            s.breaks.heads_up > 0 and s.breaks.heads_up >= s.sitting.break_after:
        out.append(_pair(
            file, "sitting.break_after", "breaks.heads_up",
            _("the heads-up must come before the break"),
            _("make breaks.heads_up shorter than {after} (or 0 to turn the heads-up off), or "
              "sitting.break_after longer than {heads_up}").format(
                after=short(s.sitting.break_after), heads_up=short(s.breaks.heads_up)),
            lines, raw,
            (f'"{short(s.sitting.break_after)}"', f'"{short(s.breaks.heads_up)}"')))
    if not bad & {"snooze.options", "snooze.max_per_break"} and \
            s.snooze.max_per_break > 0 and not s.snooze.options:
        out.append(_pair(
            file, "snooze.options", "snooze.max_per_break",
            _("snooze.options is empty but snooze.max_per_break allows snoozes"),
            _('give at least one duration, e.g. ["5m"], or set max_per_break = 0'), lines, raw,
            ("[]", str(s.snooze.max_per_break))))
    return out

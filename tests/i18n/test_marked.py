"""Issue 27: a user-facing text written in a converted module is marked for translation.

Read from the source (AST): in the modules listed below, a string literal or f-string in a place
the user reads (a help or description, a widget's text or title, a dialog, a menu label, words
drawn into a chart, a text a function returns; in the command line's modules also what is
printed, written, asked or raised as a usage error, and the lines of a `lines` list) must be
wrapped in `_()`, `N_()`, `ngettext()` or, in the pure core, `core.text.Text()`. The list grows
as modules are converted; the others are named in NOT_YET so nobody takes them for done.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "tray_app"

CONVERTED = (
    "core/menu.py",  # the tray menu's labels (translated by ui/tray/icon.py's to_pystray)
    "core/status.py",  # the status line (translated by the runtime's status)
    "core/machine.py",  # notification titles, bodies and buttons (the runtime translates)
    "cli/__init__.py",  # every command's help and description, argparse's errors
    "cli/programme.py",  # rate, level, checkin, retest: their help, levels, the re-test list
    "cli/commands.py",  # errors, usage errors, the history-clear confirmation
    "cli/history_commands.py",  # stats and history: results and error messages
    "cli/questions.py",  # the console's health questions (the language's y/n)
    "cli/relaunch.py",  # prints nothing today; listed so that a message it gains is marked
    "history/report.py",  # the `sitbreak stats` table (its --json/CSV field names are a contract)
    "ui/windows/chart.py",  # the words drawn into the weekly chart
    "ui/windows/programme_chart.py",  # the words drawn into the programme's chart
    "ui/windows/settings_window.py",  # the window's words, group titles and key labels
    "ui/windows/settings_form.py",  # the group titles (N_)
    "ui/windows/stats_window.py",  # the statistics window (its numbers in the locale's form)
    "core/stats.py",  # the statistics' definitions (WORDS)
    "core/ending.py",  # the closing screen or notification of a break (plural forms)
    "ui/tray/icon.py",  # About and the summary on a left click
    "ui/windows/questions_window.py",  # the first-run health questions (Question:2)
    "core/screening.py",  # what the answers leave out
    "core/safety.py",  # the safety line and its red flags (Text, listing)
    "ui/windows/break_screen.py",  # the break window's buttons, counts and keys
    "ui/windows/break_window.py",  # its own words: rating, re-test, check-in, closing screen
    "platform/autostart/desktop_entry.py",  # the launcher's keys, in every language
    "platform/autostart/choose.py",  # why no launch command is found
    "platform/autostart/desktops.py",  # which way fits the desktop, and the notes
    "platform/autostart/linux.py",  # what enable, disable and status say (XDG autostart)
    "platform/autostart/systemd.py",  # ... (the systemd user unit)
    "platform/autostart/macos.py",  # ... (the LaunchAgent)
    "platform/autostart/windows.py",  # ... (the Run key)
    "settings/schema.py",  # the range messages (its labels are extracted by xgettext's Key:2)
    "settings/validate.py",  # check-settings' and the settings window's problems
    "settings/full.py",  # ... about the exercises the settings name
    "settings/files.py",  # ... about the file itself
    "support/userfile.py",  # why a file the user named can't be read
    "core/problems.py",  # the words around a problem ("got ...")
    "core/guards.py",  # why a command is refused (sitbreak skip, snooze ...)
    "core/progression.py",  # a level's name and words, the clinician advice
    "core/retest.py",  # the re-test result checks
    "core/picker.py",  # what the settings cannot offer (exercises --check)
    "exercises/format.py",  # exercises list/show, the care lines (exercise texts: shown.py)
    "exercises/loader.py",  # an exercise file's problems
    "history/programme.py",  # the programme's lines in stats
    "history/csv_io.py",  # why lines of an import can't be imported
    "history/rows.py",  # ... (one row's values)
    "shell/prompts.py",  # the console's break prompt
    "shell/planner.py",  # the console's programme lines
)
# Still English only, each a job of its own (the report of issue 27 lists them).
NOT_YET = (
    # A broken install's own data file (progressions.toml is not the user's): English.
    "exercises/progressions.py",
)
MARKERS = {"_", "N_", "ngettext", "Text", "Plural"}
# Keyword arguments whose value the user reads.
SHOWN_KEYWORDS = {"help", "description", "text", "title", "label", "message", "allowed"}
# Calls whose positional arguments the user reads: the call's name -> which (by position).
SHOWN_POSITIONAL: dict[str, tuple[int, ...]] = {
    "title": (0,), "MenuItem": (0,), "askyesno": (0, 1), "askokcancel": (0, 1),
    "showerror": (0, 1), "showinfo": (0, 1), "showwarning": (0, 1),
    # Pillow's draw.text((x, y), TEXT) and the charts' helpers around it.
    "text": (1,), "_text_centered": (3,), "_vertical_text": (3,),
    # Exceptions whose text is a message for people (printed as they are).
    "UsageError": (0,), "NoLaunchCommand": (0,), "SystemLauncher": (0,),
    "ArgumentTypeError": (0,),
    # Problems, refusals and bad values: what the user reads of them.
    "Problem": (2, 4), "BadValue": (0,), "Refused": (0,), "Unreadable": (0,),
    "ImportProblem": (0,), "_add": (1, 3),
}
# In the command line's modules (and those they print), what is printed is shown too.
PRINTED: dict[str, tuple[int, ...]] = {
    "print": tuple(range(8)), "_err": (0,), "input": (0,), "error": (0,), "write": (0,),
}
PRINTING = ("cli/", "history/", "platform/autostart/", "shell/prompts.py")
# Modules whose functions return messages for people (besides the core's).
RETURNING = ("core/", "cli/", "history/report.py", "platform/autostart/")
# Lists of lines the command line prints: what is put in them is shown.
SHOWN_LISTS = {"lines"}
# Names, never translated: a text of only these (and punctuation) is not English.
NAMES = re.compile(r"\bsitbreak\b")
# A text that is a file's contents or a key, not words for people, says so on its line.
NOT_SHOWN = "# i18n: not shown"


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _plain_text(node: ast.expr) -> bool:
    """A literal or f-string with words in it: written in English where it stands."""
    if isinstance(node, ast.JoinedStr):  # its own words, not only what it fills in
        return any(_plain_text(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):  # f"{'day':<14}": a literal filled in
        return _plain_text(node.value)
    if isinstance(node, ast.BoolOp):  # x or "unknown"
        return any(_plain_text(v) for v in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in NAMES.sub("", node.value))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):  # "a" + f"b"
        return _plain_text(node.left) or _plain_text(node.right)
    if isinstance(node, ast.IfExp):  # "a" if x else "b"
        return _plain_text(node.body) or _plain_text(node.orelse)
    return False


def _items(node: ast.expr) -> list[ast.expr]:
    """What a list of shown lines is given: its elements, or a comprehension's element."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return list(node.elts)
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return [node.elt]
    return [node]


def _into_lines(node: ast.AST) -> list[ast.expr]:
    """The values put into a list of shown lines (`lines = [...]`, `lines += [...]`,
    `lines.append(...)`)."""
    if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in SHOWN_LISTS for t in node.targets):
        return _items(node.value)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None and (
            isinstance(node.target, ast.Name) and node.target.id in SHOWN_LISTS):
        return _items(node.value)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "extend")
            and isinstance(node.func.value, ast.Name) and node.func.value.id in SHOWN_LISTS):
        return [i for a in node.args for i in _items(a)]
    return []


def unmarked(source: str, filename: str = "<src>", returns: bool = True,
             prints: bool = True) -> list[str]:
    """'line: text' for each user-facing text in `source` that is not marked; `returns`: a
    returned text counts too (the core's functions return the texts the edges show);
    `prints`: what is printed counts too (the command line)."""
    exempt = {n for n, line in enumerate(source.splitlines(), 1) if NOT_SHOWN in line}
    positional = {**SHOWN_POSITIONAL, **(PRINTED if prints else {})}
    shown: list[ast.expr] = []
    for node in ast.walk(ast.parse(source, filename)):
        if prints:
            shown += _into_lines(node)
        if returns and isinstance(node, ast.Return) and node.value:
            shown.append(node.value)  # a text made here
        if not isinstance(node, ast.Call) or _name(node.func) in MARKERS:
            continue
        shown += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        which = positional.get(_name(node.func), ())
        shown += [a for i, a in enumerate(node.args) if i in which]
    return [f"{n.lineno}: {ast.unparse(n)[:70]}" for n in sorted(shown, key=lambda n: n.lineno)
            if _plain_text(n) and n.lineno not in exempt]


@pytest.mark.parametrize("module", CONVERTED)
def test_every_shown_text_is_marked(module: str) -> None:
    path = PKG / module
    found = unmarked(path.read_text(), str(path), returns=module.startswith(RETURNING),
                     prints=module.startswith(PRINTING))
    assert found == [], f"mark these with _() in {module}"


def test_the_scan_finds_unmarked_texts() -> None:
    source = (
        'p.add_argument("--x", help="does x")\n'
        'root.title(f"About sitbreak {v}")\n'
        'ttk.Button(f, text="Save")\n'
        'MenuItem("Quit", "quit")\n'
        'messagebox.askyesno("Changed", "Reload?")\n'
        'ok = [_("Fine"), MenuItem(Text("Quit"), "quit"), ttk.Label(f, text=_("x"), style="A")]\n'
        'def line(m):\n    return f"Sitting {m}"\n'
        'def fine(m):\n    return Text("Sitting {m}", m=m) if m else f"{m}"\n'
    )
    assert [line.split(":")[0] for line in unmarked(source)] == ["1", "2", "3", "4", "5", "5", "8"]


def test_the_scan_finds_what_the_command_line_prints() -> None:
    source = (
        '_err(f"no exercise with id {x!r}")\n'
        'print(f"{n} of them", file=err)\n'
        'raise UsageError("give a duration")\n'
        'print(f"sitbreak: {exc}", _("fine {x}").format(x=x), file=sys.stderr)\n'
        'input(f"{question} [y/N] ")\n'
        'parser.error(f"unrecognized arguments: {extra}")\n'
        'raise argparse.ArgumentTypeError(f"{text!r} is not a number")\n'
        'raise NoLaunchCommand(_("cannot find {python}").format(python=p))\n'
        'lines = ["The re-test:", _("fine")]\n'
        'lines.append(f"  {item.id}: {item.name}, in {item.unit}")\n'
        'lines += ["", f"Last 7 days ({a})"]\n'
        'lines.append("  by category " + ", ".join(parts))\n'
        'lines.append(_("  by category ") + ", ".join(parts))\n'
        'word = "enabled" if on else "disabled"\n'
        'def status(self):\n    return f"{word} ({self.path})"\n'
        'def state(self):\n    return "enabled" if on else _("disabled")\n'
        'def unit_text():\n    return "[Unit]\\n" + MARK  # i18n: not shown\n'
        'lines = [f"{\'day\':<14}{\'sitting\':>9}", f"{d.day:%a %Y-%m-%d}"[:14].ljust(14)]\n'
        'out.write("\\nProgramme\\n" + "".join(more))\n'
        'raise NoLaunchCommand(f"cannot find ({python or \'unknown\'})")\n'
        'def where(home):\n    return home / "applications" / f"{APP_ID}.desktop"\n'
    )
    assert [line.split(":")[0] for line in unmarked(source)] == [
        "1", "2", "3", "5", "6", "7", "9", "10", "11", "12", "18", "21", "22", "23"]
    # Outside the command line's modules print is not scanned (a log line, a test helper).
    assert unmarked('print(f"{n} of them")\n', prints=False) == []


def test_the_scan_finds_words_drawn_into_a_chart() -> None:
    source = (
        'draw.text((x, 16), "Time sitting per day", font=f, fill=TEXT)\n'
        'draw.text((x, y), f"{h} h", font=f, anchor="rm")\n'
        'draw.text((x, y), f"{v:g}", font=f, anchor="mb")\n'
        '_text_centered(draw, cx, y, f"{n} break" + ("" if n == 1 else "s"), f, T)\n'
        '_vertical_text(img, x, cy, "hours sitting", f)\n'
        'draw.text((x, y), _("{h} h").format(h=h), font=f)\n'
    )
    assert [line.split(":")[0] for line in unmarked(source, returns=False, prints=False)] == [
        "1", "2", "4", "5"]


def test_the_lists_name_real_modules() -> None:
    for module in (*CONVERTED, *NOT_YET):
        assert (PKG / module).exists(), module
    assert not set(CONVERTED) & set(NOT_YET)


def test_the_scan_finds_problems_refusals_and_bad_values() -> None:
    source = (
        'Problem(f, "k", "bad value", allowed="use x")\n'
        'raise Refused("no break is running")\n'
        'raise BadValue(f"use a number up to {n}")\n'
        'self._add(key, "is missing", None, "give it", 0, None)\n'
        'ok = [Problem(f, "k", _("bad"), allowed=_("use")), Refused(Text("no"))]\n'
    )
    found = [line.split(":")[0] for line in unmarked(source, returns=False, prints=False)]
    assert sorted(found) == ["1", "1", "2", "3", "4", "4"]

"""Issue 27: a user-facing text written in a converted module is marked for translation.

Read from the source (AST): in the modules listed below, a string literal or f-string in a place
the user reads (a help or description, a widget's text or title, a dialog, a menu label, a text
a function returns) must be
wrapped in `_()`, `N_()`, `ngettext()` or, in the pure core, `core.text.Text()`. The list grows
as modules are converted; the others are named in NOT_YET so nobody takes them for done.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "tray_app"

CONVERTED = (
    "core/menu.py",  # the tray menu's labels (translated by ui/tray/icon.py's to_pystray)
    "core/status.py",  # the status line (translated by the runtime's status)
    "core/machine.py",  # notification titles, bodies and buttons (the runtime translates)
    "cli/__init__.py",  # every command's help and description
    "cli/programme.py",  # rate, level, checkin, retest: their help
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
)
# Still English only, each a job of its own (the report of issue 27 lists them).
NOT_YET = (
    "settings/schema.py",  # range messages (its labels are extracted by xgettext's Key:2)
    "core/progression.py",  # the programme's lines (levels, ratings): statistics, CLI
    "core/retest.py",  # the result checks' messages (the items' names and steps are Text)
    "cli/commands.py",  # its commonest outputs are marked, not yet all (print is not scanned)
    "cli/history_commands.py",  # its results are marked, its error messages not yet
    "cli/questions.py",  # the console's health questions: English, so answers stay y/n
    "exercises/",
)
MARKERS = {"_", "N_", "ngettext", "Text", "Plural"}
# Keyword arguments whose value the user reads.
SHOWN_KEYWORDS = {"help", "description", "text", "title", "label", "message"}
# Calls whose positional arguments the user reads: the call's name -> how many.
SHOWN_POSITIONAL = {"title": 1, "MenuItem": 1, "askyesno": 2, "askokcancel": 2,
                    "showerror": 2, "showinfo": 2, "showwarning": 2}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _plain_text(node: ast.expr) -> bool:
    """A literal or f-string with words in it: written in English where it stands."""
    if isinstance(node, ast.JoinedStr):  # its own words, not only what it fills in
        return any(_plain_text(v) for v in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.BinOp):  # "a" + f"b"
        return _plain_text(node.left) or _plain_text(node.right)
    return False


def unmarked(source: str, filename: str = "<src>", returns: bool = True) -> list[str]:
    """'line: text' for each user-facing text in `source` that is not marked; `returns`: a
    returned text counts too (the core's functions return the texts the edges show)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if returns and isinstance(node, ast.Return) and node.value and _plain_text(node.value):
            found.append(f"{node.lineno}: {ast.unparse(node.value)[:70]}")  # a text made here
        if not isinstance(node, ast.Call) or _name(node.func) in MARKERS:
            continue
        shown = [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        shown += node.args[:SHOWN_POSITIONAL.get(_name(node.func), 0)]
        found += [f"{n.lineno}: {ast.unparse(n)[:70]}" for n in shown if _plain_text(n)]
    return found


@pytest.mark.parametrize("module", CONVERTED)
def test_every_shown_text_is_marked(module: str) -> None:
    path = PKG / module
    found = unmarked(path.read_text(), str(path), returns=module.startswith("core/"))
    assert found == [], f"mark these with _() in {module}"


def test_the_scan_finds_unmarked_texts() -> None:
    source = (
        'p.add_argument("--x", help="does x")\n'
        'root.title(f"sitbreak {v}")\n'
        'ttk.Button(f, text="Save")\n'
        'MenuItem("Quit", "quit")\n'
        'messagebox.askyesno("Changed", "Reload?")\n'
        'ok = [_("Fine"), MenuItem(Text("Quit"), "quit"), ttk.Label(f, text=_("x"), style="A")]\n'
        'def line(m):\n    return f"Sitting {m}"\n'
        'def fine(m):\n    return Text("Sitting {m}", m=m) if m else f"{m}"\n'
    )
    assert [line.split(":")[0] for line in unmarked(source)] == ["1", "2", "3", "4", "5", "5", "8"]


def test_the_lists_name_real_modules() -> None:
    for module in (*CONVERTED, *NOT_YET):
        assert (PKG / module).exists(), module
    assert not set(CONVERTED) & set(NOT_YET)

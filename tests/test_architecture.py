"""Import direction, read from the source: the core stays pure, adapters stay apart."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "tray_app"


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module)
    return out


def modules(folder: str) -> list[Path]:
    return sorted((PKG / folder).rglob("*.py"))


# Which part of tray_app may import which (a part is a top-level module or package; an entry may
# also name one module inside a part). Everything may import the core and the shared helpers.
# An adapter never imports another adapter: what it needs from one is passed in by app.py.
SHARED = {"__init__", "paths", "resources", "localtime", "logging_setup", "child_env", "userfile",
          "exit_codes"}
EVERYTHING = {"*"}
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    # The shell: scheduler thread and runtime; adapters are handed in.
    "timer": set(),
    "runtime": {"timer"},
    # Adapters.
    "settings": {"exercises"},  # check-settings also checks the exercises file it names
    "exercises": set(),
    "history": set(),
    "platform": set(),
    "instance": set(),
    "ui": set(),
    "break_prompt": {"exercises", "ui.window_protocol"},  # the break window's wire format
    "stats_report": set(),
    "no_network": set(),  # the run command refuses TLS before APScheduler loads asyncio
    "tray_health": {"platform"},  # the tray's dock and desktop-loss watch, from X and D-Bus
    # Launches the statistics window (a child process) with the history's numbers.
    "stats_window_launcher": {"history", "stats_report", "ui"},
    # The composition root and the command line wire everything.
    "app": EVERYTHING,
    "cli": EVERYTHING,
    "__main__": {"cli"},
}
# Tk windows run as their own processes and read the files they edit themselves.
WINDOW_PROCESSES: dict[str, set[str]] = {
    "ui/settings_window.py": {"settings", "exercises"},
    "ui/settings_form.py": {"settings"},
    "ui/break_window.py": {"exercises.pictures"},  # draws the pictures, so the app needn't
}


def part_of(path: Path) -> str:
    return path.relative_to(PKG).parts[0].removesuffix(".py")


def allowed(path: Path, name: str) -> bool:
    """May `path` import module `name` (a tray_app.* name)?"""
    rel = path.relative_to(PKG).as_posix()
    allow = MAY_IMPORT[part_of(path)] | WINDOW_PROCESSES.get(rel, set())
    inner = name.split(".")[1:]
    if not inner:
        return True  # `import tray_app` / `from tray_app import __version__`
    target = inner[0]
    if target in SHARED or target == "core" or target == part_of(path) or allow == EVERYTHING:
        return True
    return any(".".join(inner[: len(a.split("."))]) == a for a in allow)


def test_every_part_is_in_the_import_table() -> None:
    parts = {part_of(p) for p in PKG.rglob("*.py")} - SHARED
    assert parts <= set(MAY_IMPORT), f"say what these may import: {parts - set(MAY_IMPORT)}"


def test_parts_import_only_what_the_table_allows() -> None:
    bad = sorted(
        f"{path.relative_to(PKG)} imports {name}"
        for path in PKG.rglob("*.py")
        for name in imports(path)
        if name.startswith("tray_app.") and not allowed(path, name)
    )
    assert not bad, "\n".join(bad)


def test_no_relative_imports() -> None:
    bad = [
        f"{path.relative_to(PKG)}:{node.lineno}"
        for path in PKG.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert not bad, f"relative imports (use tray_app.…): {bad}"


def test_core_imports_only_the_standard_library_and_itself() -> None:
    bad = {}
    for path in modules("core"):
        for name in imports(path):
            top = name.split(".")[0]
            if name.startswith("tray_app.core") or name == "__future__":
                continue
            if top in sys.stdlib_module_names:
                continue
            bad.setdefault(path.name, []).append(name)
    assert not bad, f"the core imports outside the standard library: {bad}"


CLOCKS = {"time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns",
          "process_time", "now", "today", "utcnow", "localtime", "gmtime", "ctime"}


def clock_reads(tree: ast.AST) -> list[str]:
    """Calls like `time.monotonic()` and imports like `from time import monotonic`."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in CLOCKS):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            for alias in node.names:
                if alias.name in CLOCKS:
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
    return found


def test_core_never_reads_a_clock() -> None:
    bad = {p.name: clock_reads(ast.parse(p.read_text())) for p in modules("core")}
    assert not {k: v for k, v in bad.items() if v}


def test_the_clock_check_sees_a_clock_imported_by_name() -> None:
    assert clock_reads(ast.parse("from time import monotonic\nnow = monotonic()\n"))
    assert clock_reads(ast.parse("import datetime\nd = datetime.date.today()\n"))
    assert not clock_reads(ast.parse("from datetime import date, timedelta\n"))


def test_platform_and_ui_do_not_import_each_other() -> None:
    for path in modules("platform"):
        assert not any(n.startswith("tray_app.ui") for n in imports(path)), path.name
    for path in modules("ui"):
        assert not any(n.startswith("tray_app.platform") for n in imports(path) if n), path.name


def test_only_the_cli_and_app_wire_everything() -> None:
    for path in PKG.rglob("*.py"):
        if path.parent.name == "cli" or path.name in ("app.py", "__main__.py"):
            continue
        assert not any(n.startswith("tray_app.cli") for n in imports(path)), path
        assert "tray_app.app" not in imports(path), path


def test_runtime_imports_no_ui_or_platform_code() -> None:
    names = imports(PKG / "runtime.py")
    assert not any(n.startswith(("tray_app.ui", "tray_app.platform", "tkinter", "pystray"))
                   for n in names)


def test_the_tray_process_never_imports_tk() -> None:
    for path in PKG.rglob("*.py"):
        if path.name in ("break_window.py", "stats_window.py", "settings_window.py"):
            continue
        assert "tkinter" not in {n.split(".")[0] for n in imports(path)}, path

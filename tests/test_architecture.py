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


def module_name(path: Path) -> str:
    """`tray_app/ui/tray/icon.py` -> `ui.tray.icon` (a package's __init__ is the package)."""
    parts = list(path.relative_to(PKG).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# The layout by role. A module belongs to the longest part its name starts with, and may import
# its own part, the core, `ports` and `support`, and what its line below adds. The core itself
# imports only the core (and the standard library, checked below).
EVERYTHING = {"*"}
MAY_IMPORT: dict[str, set[str]] = {
    "": set(),  # tray_app/__init__.py: the version and the app's name
    "core": set(),  # pure rules; see the tests below
    "ports": set(),  # the Protocols adapters fill and the shell uses
    "support": set(),  # small helpers everyone shares: paths, resources, logging, exit codes
    # Adapters: one folder each, none imports another.
    "exercises": set(),
    "history": set(),
    "settings": {"exercises"},  # checking settings also checks the exercises file they name
    "platform": set(),  # one folder per capability; see test_platform_capabilities_stay_apart
    "ui": set(),  # icons.py: drawn at build time
    "ui.tray": {"ui.launch"},  # the tray opens the settings window
    "ui.launch": {"ui.windows.protocol"},  # starts the Tk windows; speaks the break window's wire
    "ui.windows": {"settings", "exercises", "history"},  # own processes: read what they show
    # The shell: owner thread, runtime, control channel, planner and prompts. Adapters are
    # handed in by the composition root.
    "shell": {"exercises", "ui.windows.protocol"},  # the prompt plans from the catalogue
    "shell.compose": EVERYTHING,  # the composition root: picks and wires the adapters
    "cli": EVERYTHING,  # parses, then hands over to the composition root or a handler
    "__main__": {"cli"},
}
ALWAYS = {"core", "ports", "support"}
# Inside platform/, what every capability may share.
PLATFORM_SHARED = {"dbus", "x11", "wayland", "session.kind"}


def part_of(name: str) -> str:
    """The longest part of MAY_IMPORT that module `name` (no tray_app. prefix) belongs to."""
    fits = [p for p in MAY_IMPORT if p and (name == p or name.startswith(p + "."))]
    return max(fits, key=len) if fits else ""


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def allowed(path: Path, name: str) -> bool:
    """May `path` import module `name` (a tray_app.* name)?"""
    me = module_name(path)
    target = name.removeprefix("tray_app").removeprefix(".")
    part = part_of(me)
    if part == "core":
        return within(target, "core")
    if not target:
        return True  # `import tray_app` / `from tray_app import __version__`
    allow = MAY_IMPORT[part]
    return (allow == EVERYTHING or (within(target, part) and part != "")
            or any(within(target, a) for a in ALWAYS | allow))


def test_every_module_belongs_to_a_part() -> None:
    top = {module_name(p).split(".")[0] for p in PKG.rglob("*.py")}
    assert top <= {p.split(".")[0] for p in MAY_IMPORT}, top


def test_parts_import_only_what_the_table_allows() -> None:
    bad = sorted(
        f"{path.relative_to(PKG)} imports {name}"
        for path in PKG.rglob("*.py")
        for name in imports(path)
        if name.startswith("tray_app") and not allowed(path, name)
    )
    assert not bad, "\n".join(bad)


def test_the_table_refuses_what_it_should() -> None:
    ui_tray, core = PKG / "ui" / "tray" / "icon.py", PKG / "core" / "machine.py"
    assert not allowed(ui_tray, "tray_app.platform.idle.choose")
    assert not allowed(core, "tray_app.support.paths")
    assert not allowed(PKG / "history" / "store.py", "tray_app.settings")
    assert allowed(ui_tray, "tray_app.ui.launch.settings_window")
    assert not allowed(PKG / "shell" / "runtime.py", "tray_app.ui.tray.icon")


def test_platform_capabilities_stay_apart() -> None:
    """A capability folder imports only itself and the helpers all of them share."""
    bad = []
    for path in modules("platform"):
        mine = [*module_name(path).split("."), ""][1]
        for name in imports(path):
            if not name.startswith("tray_app.platform."):
                continue
            target = name.removeprefix("tray_app.platform.")
            if not (within(target, mine) or any(within(target, s) for s in PLATFORM_SHARED)):
                bad.append(f"{path.relative_to(PKG)} imports {name}")
    assert not bad, bad


MODULES = {".".join(("tray_app", module_name(p))).rstrip(".") for p in PKG.rglob("*.py")}


def all_imports(path: Path) -> set[str]:
    """Every tray_app module `path` imports, at any depth (inside functions too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from pkg import submodule` names the submodule; anything else names `pkg` itself.
            subs = {f"{node.module}.{a.name}" for a in node.names} & MODULES
            out.update(subs or {node.module})
            if len(subs) < len(node.names):
                out.add(node.module)
    return {n for n in out if n.startswith("tray_app")}


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    graph = {module_name(p): p for p in PKG.rglob("*.py")}
    edges = {m: {n.removeprefix("tray_app.") for n in all_imports(p)} & set(graph) - {m}
             for m, p in graph.items()}
    cycles, done = [], set()

    def visit(m: str, trail: list[str]) -> None:
        if m in trail:
            cycles.append([*trail[trail.index(m):], m])
            return
        if m in done:
            return
        for n in sorted(edges[m]):
            visit(n, [*trail, m])
        done.add(m)

    for m in sorted(graph):
        visit(m, [])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


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


def test_only_the_cli_and_the_composition_root_wire_everything() -> None:
    """The command line starts the process (shell.run), and only that uses the root."""
    for path in PKG.rglob("*.py"):
        name = module_name(path)
        if not within(name, "cli") and name != "__main__":
            assert not any(n.startswith("tray_app.cli") for n in all_imports(path)), path
            assert "tray_app.shell.run" not in all_imports(path), path
        if name != "shell.run":
            assert "tray_app.shell.compose" not in all_imports(path), path


def test_the_owner_thread_and_runtime_import_no_ui_or_platform_code() -> None:
    for name in ("runtime.py", "owner.py"):
        names = imports(PKG / "shell" / name)
        assert not any(n.startswith(("tray_app.ui", "tray_app.platform", "tkinter", "pystray"))
                       for n in names), name


def test_only_the_window_processes_import_tk() -> None:
    for path in PKG.rglob("*.py"):
        if within(module_name(path), "ui.windows"):
            continue
        assert "tkinter" not in {n.split(".")[0] for n in all_imports(path)}, path

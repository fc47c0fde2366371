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


def test_core_never_reads_a_clock() -> None:
    clocks = {"time", "monotonic", "perf_counter", "now", "today", "utcnow", "localtime"}
    for path in modules("core"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in clocks, f"{path.name} reads a clock"


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

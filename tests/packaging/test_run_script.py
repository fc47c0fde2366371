"""Issue 25 bug 8: `scripts/run` reinstalled with pip on every start (8 s to `status`, against
1.6 s for `sitbreak run`). It installs on the first run and when pyproject.toml or
scripts/bootstrap change, not otherwise. Run on a copy whose bootstrap and sitbreak only say
they ran, so the real environment is never touched."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def checkout(tmp: Path) -> Path:
    (tmp / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "run", tmp / "scripts" / "run")
    (tmp / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    boot = tmp / "scripts" / "bootstrap"
    boot.write_text("#!/bin/sh\necho bootstrap >> calls\nmkdir -p .venv/bin\n"
                    "printf '#!/bin/sh\\necho sitbreak \"$@\" >> calls\\n' > .venv/bin/sitbreak\n"
                    "chmod +x .venv/bin/sitbreak\n")
    boot.chmod(0o755)
    return tmp


def run(tree: Path) -> list[str]:
    subprocess.run([str(tree / "scripts" / "run"), "--console"], check=True, timeout=30,
                   cwd="/")
    lines = (tree / "calls").read_text().splitlines()
    (tree / "calls").unlink()
    return lines


def test_it_installs_once_and_again_only_when_the_project_changes(tmp_path: Path) -> None:
    tree = checkout(tmp_path)
    assert run(tree) == ["bootstrap", "sitbreak run --console"]
    assert run(tree) == ["sitbreak run --console"]  # no reinstall
    with (tree / "pyproject.toml").open("a") as f:
        f.write("dependencies = ['new']\n")
    assert run(tree) == ["bootstrap", "sitbreak run --console"]
    (tree / ".venv" / "bin" / "sitbreak").unlink()  # a broken environment is rebuilt
    assert run(tree) == ["bootstrap", "sitbreak run --console"]

"""Drive an installed `sitbreak` ($SITBREAK_COMMAND) from `/`, as a new user would."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox, workdir

COMMAND = os.environ.get("SITBREAK_COMMAND", "")

needs_installed = pytest.mark.skipif(
    not COMMAND,
    reason="needs an installed sitbreak in SITBREAK_COMMAND (scripts/check-wheel, "
    "scripts/check-deb)",
)


def run(box: Sandbox, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`sitbreak ARGS` from the root folder with the sandbox's private XDG folders."""
    return subprocess.run(
        [COMMAND, *args], env=box.env, cwd=workdir(box.root), capture_output=True, text=True,
        timeout=timeout, check=False,
    )


def interpreter() -> str:
    """The Python the installed script runs on (its `#!` line)."""
    first = Path(COMMAND).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#!"), first
    return shlex.split(first[2:])[0]


def installed_file(*parts: str) -> Path:
    """Where the installed package keeps one of its data files."""
    # The Debian launcher puts its private module folder on sys.path itself.
    private = re.findall(r'sys\.path\.insert\(0, "([^"]+)"\)', Path(COMMAND).read_text())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(private)) if private else None
    out = subprocess.run(
        [interpreter(), "-c",
         "import sys, tray_app.support.resources as r; print(r.packaged(tuple(sys.argv[1:])))",
         *parts],
        cwd="/", capture_output=True, text=True, check=True, timeout=30, env=env,
    )
    return Path(out.stdout.strip())

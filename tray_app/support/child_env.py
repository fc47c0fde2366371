"""Environment for the short-lived window processes (`python -m tray_app.ui...`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import tray_app

# The folder holding the tray_app package (site-packages, or a checkout).
PACKAGE_ROOT = str(Path(tray_app.__file__).resolve().parent.parent)


def child_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default os.environ) with this copy of tray_app importable by the child.

    Without it a checkout started from another folder (not pip-installed) gives the child
    "No module named 'tray_app'".
    """
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
    return env

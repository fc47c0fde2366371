"""bench/fault_figures.py, the README's reliability figures, runs clean: nothing crashes and no
confirmed row is lost (rows on a damaged page are counted, not failed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_fault_figures_run_clean() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "fault_figures.py")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "import: hostile CSV lines" in done.stdout

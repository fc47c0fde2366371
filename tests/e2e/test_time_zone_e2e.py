"""The app under a TZ that is not a zoneinfo name: POSIX allows a zone spelled out as an offset,
and some users set one. tzlocal (which APScheduler asks for the local zone) refuses those."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("zone", ["UTC-3", "<+0530>-5:30", "Europe/Berlin"])
def test_it_runs_and_takes_a_break_in_any_time_zone(tmp_path: Path, zone: str) -> None:
    box = Sandbox(tmp_path, extra_env={"TZ": zone})
    cfg = quick_settings(tmp_path / "s.toml", break_after="50m")
    proc = box.start("--console", "--no-window", "--config", str(cfg))
    try:
        box.wait_running(proc)
        assert box.cli("break-now").returncode == 0
        box.wait_state("on_break", timeout=10)
    finally:
        assert stop(proc) == 0

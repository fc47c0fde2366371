"""The running app on sway: sitting stops counting without input and starts again on input."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.wayland import Sway

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]

SPEED = 10  # the app's clock: 1 real second is 10 s, so its 60 s heartbeat is 6 s


def test_sitting_stops_without_input_and_restarts_on_a_pointer_move(
    tmp_path: Path, sway: Sway
) -> None:
    box = Sandbox(tmp_path / "app", extra_env={**sway.app_env(),
                                               "SITBREAK_CLOCK_SPEED": str(SPEED)})
    # Idle for 30 s of the app's time (3 real seconds) ends the stretch.
    cfg = quick_settings(tmp_path / "s.toml", break_after="30m", idle_reset="30s")
    proc = box.start("--console", "--no-window", "--config", str(cfg))
    try:
        box.wait_running(proc)
        st = box.status()
        assert st["idle_source"] == "wayland-kde-idle", st.get("idle_reason")
        assert st["idle_sees_input"] is True
        assert "org_kde_kwin_idle" in st["idle_reason"]
        box.wait_state("sitting", timeout=30)
        for _ in range(2):
            away = box.wait_state("away", timeout=30)  # no input at all: not sitting
            assert away["sitting_seconds"] == 0
            sway.move_pointer(10, 10)
            sitting = box.wait_state("sitting", timeout=30)
            assert sitting["idle_sees_input"] is True
    finally:
        assert stop(proc) == 0, box.output()

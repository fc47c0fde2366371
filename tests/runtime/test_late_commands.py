"""Issue 26 item 7: with the X server frozen, `pause 10m` was reported failed ("internal
error:" and nothing) and applied when X resumed, while `status` answered with the old state
and no hint. Now the reply says it may still be applied, and status counts the commands the
owner thread has not done yet until they are."""

from __future__ import annotations

import threading

import pytest

from tests.desktop import wait_for
from tests.runtime.test_runtime import fast, real
from tray_app.core.events import Pause
from tray_app.shell.control import handle_request


def test_a_command_not_done_in_time_is_counted_in_status_until_done() -> None:
    rt, ad = real(fast(0.3))
    frozen = threading.Event()
    ad.prompt.block = frozen  # type: ignore[attr-defined]  # the owner stuck in the window
    rt.start()
    try:
        wait_for(lambda: ad.prompt.opened, timeout=5, what="the owner to get stuck")  # type: ignore
        with pytest.raises(TimeoutError):
            rt.call(Pause(seconds=600.0), timeout=0.2)
        st = handle_request(rt, {"cmd": "status"})["status"]
        assert st["commands_not_done_yet"] == 1 and st["state"] != "paused"
        frozen.set()  # X resumes
        wait_for(lambda: rt.status()["state"] == "paused", timeout=5, what="the late pause")
        assert "commands_not_done_yet" not in rt.status()
    finally:
        frozen.set()
        rt.stop()

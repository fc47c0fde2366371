"""`sitbreak quit` is answered before the app lets its process end.

The control channel answers from daemon threads, which die with the process; run_app stops the
control server first, so that stop must wait for replies still being written.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from tests.fakes import exercise
from tests.runtime.test_runtime import faked, fast
from tray_app.core.events import BreakPlanned
from tray_app.core.model import Phase
from tray_app.shell.control import handle_request
from tray_app.shell.control_channel import ControlServer, control_address
from tray_app.shell.runtime import Runtime


def test_quit_reply_is_sent_before_the_control_server_stops(tmp_path: Path) -> None:
    for _ in range(10):  # one start after another, as a user quits and starts again
        rt, _ad, _timer = faked(fast(3600.0))

        def slow_tail(request: dict, rt: Runtime = rt) -> dict:
            reply = handle_request(rt, request)
            time.sleep(0.02)  # the reply is still being written when the stop is requested
            return reply

        server = ControlServer(tmp_path, slow_tail)
        server.start()
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(control_address(tmp_path))
        client.sendall(b'{"cmd": "quit"}\n')
        assert rt.wait(5)  # what run_app waits on; it then stops the server, then the process
        server.stop()
        client.setblocking(False)  # the process would be gone now: the reply must be here
        try:
            data = client.recv(65536)
        except BlockingIOError:
            data = b""
        client.close()
        rt.stop()
        assert json.loads(data)["ok"] is True



def test_a_stop_mid_break_records_every_second_done_not_those_until_the_last_tick() -> None:
    """Issue 26: X died mid-break and the app stopped: the exercise row held only the seconds
    up to the core's last tick (a ring step or a status request), not those until the stop."""
    rt, ad, timer = faked(fast(100.0), heartbeat=3600.0)
    routine = (exercise("squat", 60, category="hip-extensors"),)
    ad.prompt.plan = lambda state: BreakPlanned(routine)  # type: ignore[attr-defined]
    timer.advance(100.0)
    ad.notifier.handler("start")  # type: ignore[attr-defined, misc]
    timer.run_pending()
    assert rt.state.phase is Phase.ON_BREAK
    timer.now += 25.0  # the owner sleeps: no wake falls due before the stop
    rt.stop()
    done = [r.duration_s for r in ad.history.rows if r.kind == "exercise"]  # type: ignore
    assert sum(done) == 25.0, ad.history.rows  # type: ignore[attr-defined]

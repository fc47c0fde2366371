"""The one place sitbreak installs signal handlers: SIGTERM and SIGINT stop, SIGHUP looks again.

The console waits on them with `stop_signals`; the tray passes what a stop means there (and
which SIGTERM to ignore) to `handle_stop_signals` from the composition root.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

from tray_app.shell.runtime import Runtime

log = logging.getLogger(__name__)


def handle_stop_signals(on_stop: Callable[[], None], on_hup: Callable[[], None],
                        spare_term: Callable[[], bool] = lambda: False) -> None:
    """SIGTERM and SIGINT call `on_stop` (unless `spare_term()` says this SIGTERM is not for
    us); SIGHUP calls `on_hup`."""

    def stop(signum: int, _frame: Any) -> None:
        if signum == signal.SIGTERM and spare_term():
            log.info("SIGTERM from GDBus: the session bus closed; carrying on")
            return
        log.info("signal %s: stopping", signum)
        on_stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: on_hup())


def wait_for_signals(runtime: Runtime) -> None:
    """Block the main thread until a signal or a `quit` asks to stop (console mode)."""
    with stop_signals(runtime) as wait:
        wait()


@contextlib.contextmanager
def stop_signals(runtime: Runtime) -> Iterator[Callable[[], None]]:
    """Install the signal handlers; yields the wait that returns once a stop is requested.

    A plain Event.wait() could sleep through SIGTERM for good: when the kernel hands the
    signal to another thread, the main thread's lock wait is never interrupted, so the Python
    handler never runs. Python's wakeup fd turns a signal on any thread into a byte on a pipe,
    and a stop request writes one too, so select() sees either, whenever it came.
    """
    # run_app stops everything once the wait returns
    handle_stop_signals(runtime.request_stop, lambda: runtime.post_tick())
    if sys.platform == "win32":  # no select() on pipes there
        yield lambda: _wait_polling(runtime)
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    old = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    runtime.when_stop_requested(lambda: _poke(write_fd))

    def wait() -> None:
        while not runtime.wait(0):
            select.select([read_fd], [], [])
            with contextlib.suppress(BlockingIOError):
                os.read(read_fd, 512)

    try:
        yield wait
    finally:
        signal.set_wakeup_fd(old)
        os.close(read_fd)
        os.close(write_fd)


def _wait_polling(runtime: Runtime) -> None:
    while not runtime.wait(1.0):
        pass


def _poke(fd: int) -> None:
    with contextlib.suppress(OSError):  # full (already poked) or closed (already done)
        os.write(fd, b"\0")

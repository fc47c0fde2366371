"""Console mode stops on SIGTERM even when the kernel hands the signal to another thread."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import signal, sys, threading
    sys.path.insert(0, sys.argv[1])
    from tray_app.shell.signals import stop_signals

    class Stub:
        def __init__(self):
            self.event = threading.Event()
            self.listeners = []
        def wait(self, timeout=None):
            return self.event.wait(timeout)
        def request_stop(self):
            self.event.set()
            for f in self.listeners:
                f()
        def when_stop_requested(self, f):
            self.listeners.append(f)
        def post_tick(self):
            pass

    # A thread that takes SIGTERM for the process, as any of sitbreak's threads may.
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # main only, from here on
    with stop_signals(Stub()) as wait:
        print("ready", flush=True)  # the handlers are in place from here on
        wait()
    print("stopped", flush=True)
""")


def test_sigterm_taken_by_another_thread_still_ends_the_wait() -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(ROOT)], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=5)
    finally:
        proc.kill()
    assert out.strip() == "stopped"

"""The long-running process refuses TLS (tray_app.support.no_network); the code there copes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=60, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_after_refusing_tls_the_scheduler_runs_and_ssl_cannot_load() -> None:
    out = run_python("""
        import threading
        from tray_app.support.no_network import refuse_tls
        print(refuse_tls())
        import datetime
        from apscheduler.schedulers.background import BackgroundScheduler
        ran = threading.Event()
        scheduler = BackgroundScheduler(timezone=datetime.UTC)  # as shell.owner makes it
        scheduler.add_job(ran.set)
        scheduler.start()
        print(ran.wait(10))
        scheduler.shutdown()
        try:
            import ssl
        except ImportError:
            print("refused")
        print(any("libssl" in line for line in open("/proc/self/maps")))
    """)
    assert out.split() == ["True", "True", "refused", "False"]


def test_a_process_that_already_loaded_ssl_is_left_alone() -> None:
    out = run_python("""
        import ssl
        from tray_app.support.no_network import refuse_tls
        print(refuse_tls())
        import sys
        print(sys.modules["ssl"] is ssl)
    """)
    assert out.split() == ["False", "True"]

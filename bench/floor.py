"""The floor: the least a pystray + APScheduler program costs, to measure sitbreak against.

    python bench/floor.py console|xorg|gtk|appindicator

One APScheduler BackgroundScheduler with one 5 s job that does nothing, and (unless `console`)
one pystray icon named like sitbreak's, on the given backend. Runs until SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
import threading


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "xorg"
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler()
    scheduler.add_job(lambda: None, "interval", seconds=5)
    scheduler.start()
    if backend == "console":
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        stopped.wait()
        return
    os.environ["PYSTRAY_BACKEND"] = backend
    import pystray
    from PIL import Image

    icon = pystray.Icon("sitbreak", Image.new("RGBA", (22, 22), (40, 140, 90, 255)), "floor")
    icon.run()


if __name__ == "__main__":
    main()

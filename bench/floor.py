"""The floor: the least a pystray + APScheduler program costs, to measure sitbreak against.

    python bench/floor.py console|xorg|gtk|appindicator|sni

One APScheduler BackgroundScheduler with one 5 s job that does nothing, and (unless `console`)
one pystray icon named like sitbreak's, on the given backend. Runs until SIGTERM. `sni` is
sitbreak's own StatusNotifierItem backend (tray_app/ui/tray/sni) with a one-entry menu: pystray
has none, so that floor is ours, measured for comparison with pystray's.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "xorg"
    import datetime

    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone=datetime.UTC)  # as shell.owner makes it
    scheduler.add_job(lambda: None, "interval", seconds=5)
    scheduler.start()
    if backend == "console":
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        stopped.wait()
        return
    if backend == "sni":
        sni_floor()
        return
    os.environ["PYSTRAY_BACKEND"] = backend
    import pystray
    from PIL import Image

    icon = pystray.Icon("sitbreak", Image.new("RGBA", (22, 22), (40, 140, 90, 255)), "floor")
    icon.run()


def sni_floor() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["PYSTRAY_BACKEND"] = "dummy"  # pystray loads no backend of its own
    import pystray
    from PIL import Image

    from tray_app.platform.tray.host import open_sni_bus
    from tray_app.ui.tray.sni.item import Icon

    icon = Icon("sitbreak", Image.new("RGBA", (32, 32), (40, 140, 90, 255)), "floor",
                pystray.Menu(pystray.MenuItem("Quit", lambda icon, _item: icon.stop())))
    icon.open_bus = lambda: open_sni_bus(os.environ)
    icon.run()


if __name__ == "__main__":
    main()

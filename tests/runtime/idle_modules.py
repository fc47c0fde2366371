"""Run `sitbreak ARGS` as the real command does and write what the app holds once it idles.

    IDLE_OUT=OUT.json python tests/runtime/idle_modules.py run [--console] [--config PATH]

Like `sitbreak`, this parses its command line and then starts afresh (tray_app.cli.relaunch:
same pid, same command), so what is written is what users' processes hold. Once `status`
answers (and, with IDLE_AFTER_BREAK=1 set, once a break has been started, shown for three
seconds and marked done), it waits a second and writes {"modules": sorted names of the modules
loaded, "libraries": sorted names of the shared libraries mapped, "started_afresh": bool}, then
sends `quit`. Used by test_idle_imports.py.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tray_app.cli import main, relaunch
from tray_app.shell.control_channel import NotRunning, send_command
from tray_app.support import paths

STARTED_AFRESH = relaunch.ENV in os.environ  # read before main() takes it out


def mapped_libraries() -> list[str]:
    names = set()
    for line in Path("/proc/self/maps").read_text().splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and ".so" in parts[5]:
            names.add(Path(parts[5].strip()).name)
    return sorted(names)


def watch(out: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if send_command(paths.runtime_dir(), {"cmd": "status"}).get("ok"):
                break
        except (NotRunning, OSError, ValueError):
            pass
        time.sleep(0.05)
    if os.environ.get("IDLE_AFTER_BREAK") == "1":
        assert send_command(paths.runtime_dir(), {"cmd": "break-now"}).get("ok")
        time.sleep(3.0)  # the window opens and shows its first exercise
        assert send_command(paths.runtime_dir(), {"cmd": "done"}).get("ok")
    time.sleep(1.0)  # the start-up threads (history, tray, watchers) have done their first work
    gc.collect()
    modules = sorted(name for name, module in sys.modules.items() if module is not None)
    out.write_text(json.dumps({"modules": modules, "libraries": mapped_libraries(),
                               "started_afresh": STARTED_AFRESH}))
    send_command(paths.runtime_dir(), {"cmd": "quit"})


if __name__ == "__main__":
    threading.Thread(target=watch, args=(Path(os.environ["IDLE_OUT"]),), daemon=True).start()
    sys.exit(main())

"""Start the settings window as a child process and follow what it reports (no Tk here).

The tray and `sitbreak settings` both use this: the child shows the window (or raises the one
already open) and reports "saved"; the caller then asks the app to re-read the file at once
and, if the window changed it, switches start at login.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from tray_app.support.child_env import child_env

# The first window of a session draws every field; under load that can take a few seconds.
SHOWN_TIMEOUT_S = 20.0


def start(path: Path, autostart: bool | None, runtime_dir: Path | None = None,
          env: dict[str, str] | None = None, python: str = sys.executable
          ) -> subprocess.Popen[str]:
    argv = [python, "-m", "tray_app.ui.windows.settings_window", str(path)]
    if autostart is not None:
        argv += ["--autostart", "on" if autostart else "off"]
    if runtime_dir is not None:
        argv += ["--runtime-dir", str(runtime_dir)]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True,
                            encoding="utf-8", env=child_env(env))


class Follower:
    """Reads the child's JSON lines on a thread; `opened()` waits for the window to appear."""

    def __init__(self, proc: subprocess.Popen[str],
                 on_saved: Callable[[bool | None], None],
                 on_event: Callable[[dict], None] | None = None) -> None:
        self.proc = proc
        self.on_saved = on_saved
        self.on_event = on_event
        self._first: queue.Queue[str] = queue.Queue()
        self.thread = threading.Thread(target=self._read, name="settings-window", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if not isinstance(msg, dict):
                continue
            if self.on_event is not None:
                self.on_event(msg)
            event = msg.get("event")
            if event in ("shown", "raised"):
                self._first.put(event)
            elif event == "saved":
                self.on_saved(msg.get("autostart"))
        self._first.put("ended")
        self.proc.wait()

    def opened(self, timeout: float = SHOWN_TIMEOUT_S) -> bool:
        """True once the window is on screen (or an open one was raised)."""
        try:
            return self._first.get(timeout=timeout) in ("shown", "raised")
        except queue.Empty:
            return False

    def wait(self) -> int:
        self.thread.join()
        return self.proc.wait()


def open_window(path: Path, on_saved: Callable[[bool | None], None],
                autostart: bool | None = None, env: dict[str, str] | None = None) -> bool:
    """Open (or raise) the window and follow it in the background; False if it cannot show."""
    try:
        follower = Follower(start(path, autostart, env=env), on_saved)
    except OSError:
        return False
    return follower.opened()

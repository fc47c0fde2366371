"""Runs the break window as a child process and relays its events; never imports Tk.

    win = BreakWindowProcess(on_event=queue.put)
    win.open(request, view)    # the exercises it may show, and the break as it is now
    win.show(view)             # whenever the break changes
    ...                        # on_event gets {"event": "shown"}, {"event": "intent", ...}
    # a child that exits by itself without a "close" intent: {"event": "crashed", ...}

The child takes the keyboard after a pause in typing and says "focused"; with a `focuser`
(platform.focus, from the composition root) this process then asks the compositor to focus the
window (sway/Hyprland: an XWayland window cannot take the focus itself) and checks that it has
it: the "focused" event carries `keyboard` (true, false, or null when the desktop cannot tell)
and `detail`, and without the keyboard the child is told (SIGUSR2) to say how to reach it.

`on_event` runs on a background thread; hand the event to the owner thread, do not act on
it there. "crashed" is delivered after the child has exited and `is_open` is already False,
so a handler may open the next window straight away. After `close()` nothing more is delivered.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from tray_app.core.session import BreakView
from tray_app.support.child_env import child_env
from tray_app.ui.windows.protocol import (
    BreakRequest,
    ProtocolError,
    parse_event,
    request_from_dict,
    request_to_json,
    view_line,
)

log = logging.getLogger(__name__)

CHILD_MODULE = "tray_app.ui.windows.break_window"
EXIT_GRACE_S = 5.0  # how long a child may take to exit after its close intent
STDERR_KEEP = 4000  # characters of the child's stderr kept for the crash report


class Focuser(Protocol):
    """platform.focus's focuser: focus(pid) returns a Focus (focused, detail, visible)."""

    name: str

    def focus(self, pid: int) -> Any: ...


class BreakWindowProcess:
    """One break window at a time, in its own process."""

    def __init__(
        self,
        on_event: Callable[[dict[str, Any]], None],
        python: str = sys.executable,
        env: Mapping[str, str] | None = None,
        focuser: Focuser | None = None,
    ) -> None:
        self._on_event = on_event
        self._focuser = focuser
        self._python = python
        self._env = dict(env) if env is not None else None
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._cancel = threading.Event()  # per child: set by close() to silence its reader

    @property
    def is_open(self) -> bool:
        """True from open() until the child has exited (or close() was called)."""
        with self._lock:
            return self._proc is not None

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        with self._lock:
            return self._proc.pid if self._proc is not None else None

    def open(self, request: BreakRequest | Mapping[str, Any], view: BreakView) -> None:
        """Start the window showing `view`; raise RuntimeError if one is already open.

        A dict request is validated first, so a malformed one fails here with
        ui.windows.protocol.ProtocolError instead of as a crashed child.
        """
        if not isinstance(request, BreakRequest):
            request = request_from_dict(dict(request))
        payload = request_to_json(request) + view_line(view)
        with self._lock:
            if self._proc is not None:
                raise RuntimeError("a break window is already open")
            cancel = threading.Event()
            self._cancel = cancel
            proc = subprocess.Popen(
                [self._python, "-m", CHILD_MODULE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=child_env(self._env),
            )
            self._proc = proc
            self._reader = threading.Thread(
                target=self._read, args=(proc, payload, cancel), name="break-window", daemon=True
            )
            self._reader.start()

    def show(self, view: BreakView) -> bool:
        """Send the open window a new view; False when no window is open to take it."""
        with self._lock:
            proc = self._proc
            if proc is None or proc.stdin is None:
                return False
            try:
                proc.stdin.write(view_line(view))
                proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                return False  # it is exiting; its reader reports how
        return True

    def finish(self, end: str) -> bool:
        """Give the open window its closing screen (`end`, a protocol.end_line) and let it go:
        it closes itself, nothing more is delivered, and it is no longer this client's."""
        with self._lock:
            proc = self._proc
            if proc is None or proc.stdin is None or proc.poll() is not None:
                return False
            self._cancel.set()
            self._proc = None
            try:
                proc.stdin.write(end)
                proc.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                return False
        return True

    def raise_window(self) -> bool:
        """Ask the open window to come to the front (SIGUSR1); False when none is open."""
        with self._lock:
            proc = self._proc
            if proc is None or proc.poll() is not None or not hasattr(signal, "SIGUSR1"):
                return False
            try:
                proc.send_signal(signal.SIGUSR1)
            except OSError:
                return False
        if self._focuser is not None:  # sway/Hyprland: lifting alone neither shows nor focuses
            threading.Thread(target=self._check_focus, args=(proc, {"event": "focused"}),
                             name="break-window-focus", daemon=True).start()
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Close the window if open (SIGTERM, then SIGKILL); no further events are sent."""
        with self._lock:
            proc, reader = self._proc, self._reader
            self._cancel.set()
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        if reader is not None and reader is not threading.current_thread():
            reader.join(timeout)
        with self._lock:
            if self._proc is proc:
                self._proc = None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the child has exited and its final event was delivered."""
        with self._lock:
            reader = self._reader
        if reader is None:
            return True
        reader.join(timeout)
        return not reader.is_alive()

    # --- the reader thread ------------------------------------------------------------------

    def _deliver(self, event: dict[str, Any], cancel: threading.Event) -> None:
        # A window let go shows its closing screen: only a rating (of the last exercise) still
        # counts from it.
        if cancel.is_set() and event.get("intent") != "rate":
            return
        try:
            self._on_event(event)
        except Exception:  # a faulty handler must not kill the reader
            log.exception("break window event handler failed on %r", event)

    def _read(self, proc: subprocess.Popen[str], payload: str, cancel: threading.Event) -> None:
        stderr_parts: list[str] = []
        # stderr on its own thread, so a chatty child can never block on a full pipe
        err_thread = threading.Thread(
            target=_drain, args=(proc, stderr_parts), name="break-window-stderr", daemon=True
        )
        err_thread.start()
        assert proc.stdin is not None and proc.stdout is not None
        with self._lock, contextlib.suppress(BrokenPipeError, OSError, ValueError):
            proc.stdin.write(payload)  # stdin stays open: later views follow on it
            proc.stdin.flush()
        closed = False
        for line in proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                event = parse_event(line)
            except ProtocolError as exc:
                log.warning("break window: %s", exc)
                continue
            if event["event"] == "intent" and event["intent"] == "close":
                closed = True
            if event["event"] == "focused" and not cancel.is_set():
                event = self._check_focus(proc, event)
            self._deliver(event, cancel)
        try:
            returncode = proc.wait(EXIT_GRACE_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            returncode = proc.wait()
        err_thread.join(EXIT_GRACE_S)
        with self._lock:
            if self._proc is proc:
                self._proc = None
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.close()
        if returncode == 0 and closed:
            return  # the user closed it: the intent said so already
        self._deliver({
            "event": "crashed",
            "returncode": returncode,
            "stderr": "".join(stderr_parts)[-STDERR_KEEP:],
        }, cancel)

    def _check_focus(self, proc: subprocess.Popen[str], event: dict[str, Any]) -> dict[str, Any]:
        """The child took the keyboard as far as it can: make the compositor give it, check,
        log the truth, and without it have the child say how to reach the window."""
        if self._focuser is None:
            return event
        try:
            got = self._focuser.focus(proc.pid)
        except Exception as exc:  # an adapter bug must not end the reader
            log.exception("focusing the break window failed")
            got = None
            detail = f"focusing failed: {exc}"
        focused = got.focused if got is not None else None
        detail = got.detail if got is not None else detail
        event = dict(event, keyboard=focused, via=self._focuser.name, detail=detail)
        if got is not None and got.visible is False:
            event["visible"] = False
        if focused:
            log.info("break window has the keyboard (%s)", detail)
            return event
        log.warning("break window %s the keyboard (%s): it says how to reach it",
                    "did not get" if focused is False else "may not have", detail)
        if hasattr(signal, "SIGUSR2") and proc.poll() is None:
            with contextlib.suppress(OSError):
                os.kill(proc.pid, signal.SIGUSR2)
        return event


def _drain(proc: subprocess.Popen[str], parts: list[str]) -> None:
    assert proc.stderr is not None
    with contextlib.suppress(ValueError, OSError):
        for chunk in proc.stderr:
            parts.append(chunk)
            if sum(len(p) for p in parts) > 4 * STDERR_KEEP:
                del parts[: len(parts) // 2]  # keep the tail; that is where tracebacks end

"""Idle time from the Wayland compositor: ext-idle-notify-v1, org_kde_kwin_idle, or swayidle.

The protocols do not answer "how long idle?": they say "idle" once no input came for a chosen
timeout, and "resumed" on the next input. With a short timeout (STEP_S) that is enough: while
idle, input stopped STEP_S before the "idle" event; otherwise it was under STEP_S ago (0).

- ext-idle-notify-v1 (KWin 5.27+, sway 1.8+, Hyprland, labwc, niri, COSMIC): version 2's
  `get_input_idle_notification` counts input only, so a playing video that inhibits idle (to
  keep the screen on) does not count as the user being there; version 1 counts inhibitors.
- org_kde_kwin_idle (KWin 5, sway 1.7, older wlroots compositors): counts idle inhibitors.
- swayidle, as a child process, where the in-process client cannot be used.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping

from tray_app.platform.idle.health import InputVisibility
from tray_app.platform.wayland.client import WaylandClient, shared
from tray_app.platform.wayland.wire import Reader, WaylandError, socket_path, uint

log = logging.getLogger(__name__)

STEP_S = 1  # the idle timeout asked for; the precision of idle_seconds below it
EXT = "ext_idle_notifier_v1"
KDE = "org_kde_kwin_idle"
INHIBITORS_COUNT = "a playing video that keeps the screen on counts as sitting"


class EventIdleSource:
    """Idle seconds from "idle"/"resumed" news (any thread), read by the owner thread."""

    connection = None  # no X connection to share

    def __init__(self, name: str, label: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.visibility = InputVisibility(label)
        self._clock = clock
        self._input_at: float | None = None  # when input stopped, while idle
        self._lost = False

    @property
    def sees_input(self) -> bool:
        return self.visibility.sees_input

    def idled(self) -> None:
        self._input_at = self._clock() - STEP_S

    def resumed(self) -> None:
        self._input_at = None

    def lost(self, why: str) -> None:
        log.warning("%s stopped: %s", self.name, why)
        self._lost = True

    def idle_seconds(self) -> float | None:
        if self._lost:
            return self.visibility.note(None)
        since = self._input_at
        return self.visibility.note(0.0 if since is None else max(0.0, self._clock() - since))


def _on_event(source: EventIdleSource) -> Callable[[int, Reader], None]:
    # Both protocols: event 0 is idle(d), event 1 is resumed.
    return lambda opcode, _args: source.idled() if opcode == 0 else source.resumed()


def probe(env: Mapping[str, str]) -> tuple[EventIdleSource | None, str]:
    """An idle source from the compositor's own protocol, or None and why not. Never raises."""
    try:
        client = shared(env)
    except (WaylandError, OSError) as exc:
        return None, f"Wayland: {exc}"
    try:
        return _watch(client)
    except (WaylandError, OSError, KeyError) as exc:
        return None, f"Wayland idle protocols failed: {exc}"


def _watch(client: WaylandClient) -> tuple[EventIdleSource | None, str]:
    conn, step_ms = client.conn, uint(STEP_S * 1000)
    # New ids must reach the compositor in the order they are taken: bind the seat first.
    seat = uint(client.seat())
    if client.has(EXT):
        version = min(client.version(EXT), 2)
        notifier = conn.bind(EXT, version)
        if version >= 2:
            source = EventIdleSource("wayland-ext-idle-notify",
                                     "the compositor's ext-idle-notify-v1 (input only)")
            why = "Wayland ext-idle-notify-v1, input only (a playing video is not input)"
            opcode = 2  # get_input_idle_notification(id, timeout, seat)
        else:
            source = EventIdleSource("wayland-ext-idle-notify",
                                     "the compositor's ext-idle-notify-v1")
            why = f"Wayland ext-idle-notify-v1 version 1 ({INHIBITORS_COUNT})"
            opcode = 1  # get_idle_notification(id, timeout, seat)
        oid = conn.new_object(_on_event(source))
        conn.send(notifier, opcode, uint(oid), step_ms, seat)
    elif client.has(KDE):
        manager = conn.bind(KDE, 1)
        source = EventIdleSource("wayland-kde-idle", "the compositor's org_kde_kwin_idle")
        why = f"Wayland org_kde_kwin_idle ({INHIBITORS_COUNT})"
        oid = conn.new_object(_on_event(source))
        conn.send(manager, 0, uint(oid), seat, step_ms)  # get_idle_timeout
    else:
        client.release_if_unused()
        return None, "Wayland: the compositor offers neither ext-idle-notify-v1 nor " \
                     "org_kde_kwin_idle"
    client.on_lost(source.lost)
    client.start()
    return source, why


class SwayidleSource(EventIdleSource):
    """swayidle as a child: it prints "idle"/"resume" lines we read in a thread."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        super().__init__("swayidle", "swayidle")
        self.proc = proc
        threading.Thread(target=self._read, name="swayidle", daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            word = line.strip()
            if word == "idle":
                self.idled()
            elif word == "resume":
                self.resumed()
            elif word:
                log.debug("swayidle: %s", word)
        self.lost(f"swayidle exited ({self.proc.wait()})")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(2)


def probe_swayidle(env: Mapping[str, str], settle_s: float = 0.3
                   ) -> tuple[SwayidleSource | None, str]:
    """swayidle running against this display, or None and why not. Never raises."""
    binary = shutil.which("swayidle", path=env.get("PATH"))
    if binary is None:
        return None, "swayidle: not installed"
    path = socket_path(env)
    if path is None or not os.path.exists(path):
        return None, f"swayidle: no Wayland display at {path or 'WAYLAND_DISPLAY (unset)'}"
    try:
        proc = subprocess.Popen(
            [binary, "timeout", str(STEP_S), "echo idle", "resume", "echo resume"],
            env=dict(env), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
    except OSError as exc:
        return None, f"swayidle: {exc}"
    try:
        proc.wait(settle_s)  # it exits at once when the compositor has no idle protocol
    except subprocess.TimeoutExpired:
        source = SwayidleSource(proc)
        atexit.register(source.close)  # it would otherwise outlive us until its next event
        return source, f"swayidle ({INHIBITORS_COUNT})"
    err = (proc.stdout.read() if proc.stdout else "").strip().splitlines()
    return None, f"swayidle exited: {err[-1] if err else proc.returncode}"

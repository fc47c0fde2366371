"""One look at the camera, the microphone and screen sharing, shared by their three hold probes.

The runtime asks the holds only when a break is near or held, once a second at most; a look
is kept for `cache_s` so the three probes and `status` share one scan of /proc and one call
to pw-dump or pactl. Each kind is looked at only while its setting is on. Never raises: a
look that fails counts as "not in a call" and `status` says why.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tray_app.core.model import MeetingSettings
from tray_app.support.i18n import N_

log = logging.getLogger(__name__)

CACHE_S = 3.0
KINDS = ("camera", "microphone", "screen_sharing")
# The hold reasons `status` shows (held_by), by kind.
REASONS = {"camera": N_("camera in use"), "microphone": N_("microphone in use"),
           "screen_sharing": N_("screen sharing")}


class MeetingProbe:
    """Three hold probes (`probes()`), each True while its kind is in use."""

    def __init__(self, settings: Callable[[], MeetingSettings], env: Mapping[str, str],
                 pw_dump: str | None, pactl: str | None, how: str, cache_s: float = CACHE_S,
                 clock: Callable[[], float] = time.monotonic, proc: Path | None = None) -> None:
        """`pw_dump`, `pactl`: the programs to ask (None: not usable here); `how` says so."""
        self._settings = settings
        self._env = dict(env)
        self._pw_dump = pw_dump
        self._pactl = pactl
        self.how = how
        self._cache_s = cache_s
        self._clock = clock
        self._proc = proc
        self._lock = threading.Lock()
        self._at: float | None = None
        self._found: dict[str, list[str]] = {k: [] for k in KINDS}
        self._problem: str | None = None

    def probes(self) -> dict[str, Callable[[], bool]]:
        """The hold probes, by the reason `status` shows while each holds a break."""
        return {REASONS[k]: (lambda k=k: bool(self._look()[k])) for k in KINDS}

    def _look(self) -> dict[str, list[str]]:
        with self._lock:
            now = self._clock()
            if self._at is None or now - self._at >= self._cache_s:
                self._at = now
                try:
                    self._found, self._problem = self._scan(self._settings())
                except Exception as exc:  # a probe must never break the runtime
                    log.debug("meeting check failed", exc_info=True)
                    self._found, self._problem = {k: [] for k in KINDS}, f"check failed ({exc})"
            return self._found

    def _scan(self, s: MeetingSettings) -> tuple[dict[str, list[str]], str | None]:
        # Each reader loads at its first look, near a break, and only where it is used (no
        # PulseAudio reader beside PipeWire): the idle tray process does without them.
        found: dict[str, list[str]] = {k: [] for k in KINDS}
        problems: list[str] = []
        graph: list[dict[str, Any]] | None = None
        if self._pw_dump and (s.microphone or s.screen_sharing or s.camera):
            from tray_app.platform.meetings import pipewire

            try:
                graph = pipewire.dump(self._pw_dump, self._env)
            except OSError as exc:
                problems.append(str(exc))
        if s.camera:
            from tray_app.platform.meetings import camera

            found["camera"] = camera.users(s.camera_devices, self._proc or camera.PROC)
            if graph is not None:
                found["camera"] += pipewire.camera_streams(graph)
        if s.microphone:
            if graph is not None:
                found["microphone"] = pipewire.microphone_users(graph)
            elif self._pactl:
                from tray_app.platform.meetings import pulse

                try:
                    found["microphone"] = pulse.microphone_users(self._pactl, self._env)
                except OSError as exc:
                    problems.append(str(exc))
        if s.screen_sharing and graph is not None:
            found["screen_sharing"] = pipewire.screen_casts(graph)
        return found, "; ".join(problems) or None

    def status(self) -> dict[str, Any]:
        """The `meetings` part of `status --json`: what the last look found, by whom, and how
        we look. It does not look again: status is read often, and looks happen only while a
        break is near or held."""
        s = self._settings()
        with self._lock:
            found, at, problem = self._found, self._at, self._problem
        out: dict[str, Any] = {"how": self.how, "problem": problem,
                               "looked_s_ago": None if at is None else
                               round(self._clock() - at, 1)}
        for k in KINDS:
            out[k] = ("; ".join(found[k]) or "not in use") if getattr(s, k) else "not watched"
        return out

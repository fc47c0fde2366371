"""Play a cue without waiting for it: a short child process per sound, checked afterwards.

`play()` is called on the runtime's owner thread, so it only starts the player and returns; the
exit of the one before is read at the next `play()` or `status()`. A player that fails is
dropped (the next one is used from then on) and `status` says why; with none left, sitbreak is
silent and says so.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tray_app.platform.sound.players import Backend, Command

log = logging.getLogger(__name__)

# The freedesktop theme's sounds for each cue, most fitting first (spec names).
THEME_NAMES: dict[str, tuple[str, ...]] = {
    "start": ("message-new-instant", "bell"),
    "step": ("bell", "dialog-information"),
    "end": ("complete", "bell"),
}
LONGEST_S = 15.0  # a player still running after this is stuck: it is stopped
STDERR_CHARS = 300


class SoundPlayer:
    """Plays the cue sounds through the first backend that works; never raises."""

    def __init__(self, backends: list[tuple[Backend, str]], why: str, shipped: Path | None,
                 env: Mapping[str, str] = os.environ, theme_name: str | None = None,
                 spawn: Callable[..., Any] = subprocess.Popen,
                 clock: Callable[[], float] | None = None) -> None:
        """`backends`: (backend, program path) in order of preference; `shipped`: the folder
        with sitbreak-<cue>.wav, used where the theme lacks a sound or the player plays WAV
        only; `theme_name`: None asks the desktop at the first sound."""
        import time

        self._backends = list(backends)
        self._why = why
        self._shipped = shipped
        self._env = dict(env)
        self._theme = theme_name
        self._spawn = spawn
        self._clock = clock or time.monotonic
        self._sounds: dict[tuple[str, bool], tuple[Path, str] | None] = {}
        self._running: list[tuple[Any, Backend, float]] = []
        self.problem: str | None = None
        self.last: str | None = None

    @property
    def backend(self) -> Backend | None:
        return self._backends[0][0] if self._backends else None

    def play(self, cue: str, volume: float) -> None:
        """Start playing `cue` ("start", "step", "end") at `volume` (0..1); returns at once."""
        try:
            self._reap()
            if volume <= 0:
                return
            while self._backends:
                backend, program = self._backends[0]
                if self._start(backend, program, cue, volume):
                    return
        except Exception:  # a sound must never break the break
            log.exception("playing the %s sound failed", cue)

    def _start(self, backend: Backend, program: str, cue: str, volume: float) -> bool:
        """True when the player started (or there is nothing to play); False drops it."""
        found = self._sound(cue, backend.plays_ogg)
        if found is None:
            self.last = f"{cue}: no sound file (the theme has none and the shipped ones are " \
                        "missing)"
            return True
        path, where = found
        wav = None
        if backend.name == "aplay" and path.suffix == ".wav":
            from tray_app.platform.sound.wave import scaled  # only for aplay: no volume option

            wav = scaled(path.read_bytes(), volume)
        cmd: Command = backend.build(program, path, volume, wav)
        try:
            proc = self._spawn(cmd.argv, stdin=subprocess.PIPE if cmd.stdin else
                               subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=self._env, start_new_session=True)
        except OSError as exc:
            self._drop(f"{backend.name} could not be started ({exc})")
            return False
        if cmd.stdin is not None:
            try:
                proc.stdin.write(cmd.stdin)  # under a pipe's 64 KiB: does not block
                proc.stdin.close()
            except OSError:
                pass  # the player died at once: its exit status says why at the next reap
        self._running.append((proc, backend, self._clock()))
        self.last = f"{cue}: {path.name} ({where}) at {round(volume * 100)}% via {backend.name}"
        log.debug("sound %s", self.last)
        return True

    def _sound(self, cue: str, ogg_ok: bool) -> tuple[Path, str] | None:
        key = (cue, ogg_ok)
        if key not in self._sounds:
            self._sounds[key] = self._look_up(cue, ogg_ok)
        return self._sounds[key]

    def _look_up(self, cue: str, ogg_ok: bool) -> tuple[Path, str] | None:
        from tray_app.platform.sound import theme  # at the first sound, not in the idle app

        if ogg_ok:
            if self._theme is None:
                self._theme = theme.desktop_theme(self._env)
            found = theme.find(THEME_NAMES.get(cue, ()), self._theme, self._env)
            if found is not None and found.path is not None:
                return found.path, f"{found.theme} sound theme"
        if self._shipped is not None:
            path = self._shipped / f"sitbreak-{cue}.wav"
            if path.is_file():
                return path, "shipped with sitbreak"
        return None

    def _reap(self) -> None:
        """Read the exit of players that finished; stop those that hang."""
        still: list[tuple[Any, Backend, float]] = []
        for proc, backend, started in self._running:
            code = proc.poll()
            if code is None:
                if self._clock() - started > LONGEST_S:
                    proc.kill()
                    proc.wait(1)
                    self._drop(f"{backend.name} did not finish within {LONGEST_S:g} s")
                    continue
                still.append((proc, backend, started))
                continue
            err = proc.stderr.read().decode(errors="replace").strip() if proc.stderr else ""
            if proc.stderr:
                proc.stderr.close()
            if code != 0 and self.backend is backend:
                self._drop(f"{backend.name} failed with exit code {code}"
                           + (f": {err[:STDERR_CHARS]}" if err else ""))
        self._running = still

    def _drop(self, problem: str) -> None:
        gone = self._backends.pop(0)[0] if self._backends else None
        following = self.backend
        self.problem = problem + (f"; using {following.name} now" if following else
                                  "; no other player works here, so breaks are silent")
        log.warning("sound: %s", self.problem)
        if gone is not None and following is None:
            self._why = f"silent: {problem}"

    def status(self) -> dict[str, Any]:
        """The `sound` part of `status --json`."""
        self._reap()
        b = self.backend
        return {
            "player": f"{b.name} ({b.server})" if b is not None else None,
            "why": self._why,
            "problem": self.problem,
            "last": self.last,
        }

    def close(self) -> None:
        """Let sounds still playing finish on their own; read those that already did."""
        self._reap()

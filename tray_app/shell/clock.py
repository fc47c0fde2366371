"""The runtime's time source: the real clocks, or the same clocks running N times faster.

`SITBREAK_CLOCK_SPEED=N` (a number above 0; 1 or unset is the real clock) makes the running
app live N simulated seconds in every real second, from the moment its runtime is made:

- `mono()` and `wall()` advance N times faster than the real monotonic and wall clocks (each
  scaled on its own, so a suspend's wall-minus-monotonic gap still shows, N times larger);
- a wake T simulated seconds away fires after T/N real seconds (`real_seconds`, used by the
  owner thread's scheduler for every wake it arms);
- idle seconds read from the platform are scaled by N too (`idle`), so 2 real seconds without
  input read as 2N simulated seconds.

It is a real code path of the app, not a test double: `bench/day_bench.py` and the end-to-end
tests run `sitbreak run` with it to live a working day in minutes. With settings scaled to
match (a break every few minutes instead of 50), N=60 turns an 8-hour day into 8 minutes.
Everything outside the runtime (timeouts, the control channel, windows' own animation, the
history writer's checkpoints unless given these clocks) still runs in real time.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tray_app.support.localtime import utc_offset

log = logging.getLogger(__name__)

SPEED_ENV = "SITBREAK_CLOCK_SPEED"
MAX_SPEED = 100_000.0  # a day in under a second is more than any use asks for


@dataclass
class Clock:
    """The three readings a Tick needs, in real time; tests and benchmarks may swap it."""

    mono: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time

    @property
    def speed(self) -> float:
        """Simulated seconds per real second."""
        return 1.0

    def utc_offset(self, wall: float) -> int:
        return utc_offset(wall)

    def real_seconds(self, simulated_s: float) -> float:
        """How long `simulated_s` seconds of this clock take in real time."""
        return simulated_s

    def idle(self, real_idle_s: float | None) -> float | None:
        """Idle seconds as this clock counts them, from the platform's real ones."""
        return real_idle_s


class AcceleratedClock(Clock):
    """`base_mono` and `base_wall` running `speed` times faster from the moment it is made."""

    def __init__(
        self,
        speed: float,
        base_mono: Callable[[], float] = time.monotonic,
        base_wall: Callable[[], float] = time.time,
    ) -> None:
        if not (math.isfinite(speed) and 0 < speed <= MAX_SPEED):
            raise ValueError(f"clock speed must be above 0 and at most {MAX_SPEED:g}, "
                             f"not {speed!r}")
        self._speed = float(speed)
        self._base_mono = base_mono
        self._base_wall = base_wall
        self._mono0 = base_mono()
        self._wall0 = base_wall()
        super().__init__(mono=self._sim_mono, wall=self._sim_wall)

    @property
    def speed(self) -> float:
        return self._speed

    def _sim_mono(self) -> float:
        return self._mono0 + (self._base_mono() - self._mono0) * self._speed

    def _sim_wall(self) -> float:
        return self._wall0 + (self._base_wall() - self._wall0) * self._speed

    def real_seconds(self, simulated_s: float) -> float:
        return simulated_s / self._speed

    def idle(self, real_idle_s: float | None) -> float | None:
        return None if real_idle_s is None else real_idle_s * self._speed

    def __repr__(self) -> str:
        return f"AcceleratedClock(speed={self._speed:g})"


def speed_from(environ: Mapping[str, str]) -> float:
    """The speed `SITBREAK_CLOCK_SPEED` asks for; 1.0 when unset. Raises ValueError if bad."""
    text = environ.get(SPEED_ENV, "").strip()
    if not text:
        return 1.0
    try:
        speed = float(text)
    except ValueError:
        raise ValueError(f"{SPEED_ENV}={text!r} is not a number") from None
    if not (math.isfinite(speed) and 0 < speed <= MAX_SPEED):
        raise ValueError(f"{SPEED_ENV}={text!r} must be above 0 and at most {MAX_SPEED:g}")
    return speed


def default_clock(environ: Mapping[str, str] | None = None) -> Clock:
    """The runtime's clock: real, or accelerated when `SITBREAK_CLOCK_SPEED` asks for it.

    A bad value is logged and the real clock used: a typo must never stop the app.
    """
    env = os.environ if environ is None else environ
    try:
        speed = speed_from(env)
    except ValueError as exc:
        log.error("%s; using the real clock", exc)
        return Clock()
    if speed == 1.0:
        return Clock()
    log.warning("the clock runs %gx faster than real time (%s)", speed, SPEED_ENV)
    return AcceleratedClock(speed)

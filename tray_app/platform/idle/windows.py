"""Idle time on Windows: GetLastInputInfo against the tick counter (ctypes, loaded lazily)."""

from __future__ import annotations

import ctypes
from collections.abc import Callable

TICK_WRAP = 2**32  # LASTINPUTINFO.dwTime is a 32-bit GetTickCount value


def idle_ms(last_input_tick: int, now_tick64: int) -> int:
    """Milliseconds between the last input and now, across the 49.7-day 32-bit wrap."""
    return (now_tick64 - last_input_tick) % TICK_WRAP


def _last_input_tick() -> int | None:
    class LASTINPUTINFO(ctypes.Structure):
        _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32)]

    info = LASTINPUTINFO()
    info.cbSize = ctypes.sizeof(LASTINPUTINFO)
    user32 = ctypes.windll.user32  # type: ignore[attr-defined]  # only exists on Windows
    if not user32.GetLastInputInfo(ctypes.byref(info)):
        return None
    return int(info.dwTime)


def _tick_count64() -> int:
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    kernel32.GetTickCount64.restype = ctypes.c_uint64
    return int(kernel32.GetTickCount64())


class WindowsIdleSource:
    """Idle seconds from the Win32 API; the two OS calls can be injected for tests."""

    name = "windows"
    sees_input = True
    connection = None
    visibility = None

    def __init__(
        self,
        last_input_tick: Callable[[], int | None] = _last_input_tick,
        tick_count64: Callable[[], int] = _tick_count64,
    ) -> None:
        self._last_input_tick = last_input_tick
        self._tick_count64 = tick_count64

    def idle_seconds(self) -> float | None:
        """Seconds since the last input anywhere in this session, or None if the call failed."""
        try:
            last = self._last_input_tick()
            if last is None:
                return None
            return idle_ms(last, self._tick_count64()) / 1000.0
        except Exception:
            return None


def probe() -> tuple[WindowsIdleSource | None, str]:
    """The Windows source if GetLastInputInfo answers. Never raises."""
    source = WindowsIdleSource()
    if source.idle_seconds() is None:
        return None, "GetLastInputInfo failed"
    return source, "Windows GetLastInputInfo"

"""Idle time on macOS: CGEventSourceSecondsSinceLastEventType (ctypes, loaded lazily)."""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Callable

HID_SYSTEM_STATE = 1  # kCGEventSourceStateHIDSystemState: real hardware input only
ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType
_LIBRARIES = (
    "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices",
    "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics",
)


def _seconds_since_last_event() -> float:
    for path in (*_LIBRARIES, ctypes.util.find_library("ApplicationServices")):
        if not path:
            continue
        try:
            lib = ctypes.cdll.LoadLibrary(path)
        except OSError:
            continue
        fn = lib.CGEventSourceSecondsSinceLastEventType
        fn.restype = ctypes.c_double
        fn.argtypes = [ctypes.c_uint32, ctypes.c_uint32]
        return float(fn(HID_SYSTEM_STATE, ANY_INPUT_EVENT))
    raise OSError("CoreGraphics not found")


def clean_seconds(value: float) -> float | None:
    """The OS value as idle seconds, or None when it is not a usable number."""
    if math.isnan(value) or math.isinf(value) or value < 0:
        return None
    return value


class MacIdleSource:
    """Idle seconds from CoreGraphics; the OS call can be injected for tests."""

    name = "macos"
    sees_input = True
    connection = None
    visibility = None

    def __init__(self, seconds_since: Callable[[], float] = _seconds_since_last_event) -> None:
        self._seconds_since = seconds_since

    def idle_seconds(self) -> float | None:
        """Seconds since the last keyboard/mouse event, or None if CoreGraphics failed."""
        try:
            return clean_seconds(float(self._seconds_since()))
        except Exception:
            return None


def probe() -> tuple[MacIdleSource | None, str]:
    """The macOS source if CoreGraphics answers. Never raises."""
    source = MacIdleSource()
    if source.idle_seconds() is None:
        return None, "CGEventSourceSecondsSinceLastEventType failed"
    return source, "macOS CGEventSourceSecondsSinceLastEventType"

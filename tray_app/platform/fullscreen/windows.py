"""Is a fullscreen app, a presentation or a busy state active on Windows? (ctypes, lazy)."""

from __future__ import annotations

import ctypes
from collections.abc import Callable

# QUERY_USER_NOTIFICATION_STATE values that mean "do not pop anything up now".
QUNS_BUSY = 2  # a fullscreen app is running
QUNS_RUNNING_D3D_FULL_SCREEN = 3
QUNS_PRESENTATION_MODE = 4
QUIET_STATES = frozenset({QUNS_BUSY, QUNS_RUNNING_D3D_FULL_SCREEN, QUNS_PRESENTATION_MODE})


def _query_state() -> int | None:
    state = ctypes.c_int(0)
    shell32 = ctypes.windll.shell32  # type: ignore[attr-defined]  # only exists on Windows
    if shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:  # HRESULT S_OK is 0
        return None
    return int(state.value)


class WindowsFullscreenProbe:
    """Asks SHQueryUserNotificationState; the call can be injected for tests."""

    def __init__(self, query: Callable[[], int | None] = _query_state) -> None:
        self._query = query

    def is_fullscreen_focused(self) -> bool:
        """True for a fullscreen app, Direct3D game or presentation. Never raises."""
        try:
            return self._query() in QUIET_STATES
        except Exception:
            return False

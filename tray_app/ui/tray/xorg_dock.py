"""Getting pystray's xorg icon into the tray, and back in when a tray host (re)appears.

pystray's xorg backend asks the tray host to dock the icon when it is shown and when its
picture changes, and nothing else. A host that starts after sitbreak (a panel at login) then
showed no icon until the picture next changed, which with the shipped 50 minutes could be many
minutes; and trayer, just started, sometimes drops the first request, which left the icon out
for good. So after showing, and whenever a tray host appears, the icon's window is checked and
the request repeated, with growing gaps, until the window sits in the tray.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from tray_app.ports import XConnection

log = logging.getLogger(__name__)

DOCK_CHECKS_S = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # gaps between checks; then only on a new host


class XorgDock:
    """When to check the xorg icon's docking, and the check itself (on the tray's worker)."""

    def __init__(
        self,
        icon: Any,
        x11: XConnection | None,
        clock: Callable[[], float] = time.monotonic,
        gaps: Sequence[float] = DOCK_CHECKS_S,
    ) -> None:
        self.icon = icon
        self.x11 = x11  # None: no way to look, so the request is simply repeated
        self.clock = clock
        self.gaps = tuple(gaps)
        self._lock = threading.Lock()
        self._shown = False
        self._due: float | None = None
        self._next_gap = 0

    def shown(self) -> None:
        """The icon is visible (pystray asked once): look after the first gap."""
        with self._lock:
            self._shown = True
            self._schedule(0, self.gaps[0] if self.gaps else None)

    def host_changed(self) -> None:
        """A tray host appeared: look now (safe from any thread)."""
        with self._lock:
            if self._shown:
                self._schedule(0, 0.0)

    def timeout(self) -> float | None:
        """Seconds until the next check is due, or None if none is planned."""
        with self._lock:
            return None if self._due is None else max(0.0, self._due - self.clock())

    def check_if_due(self) -> None:
        """On the tray's worker thread: if a check is due, look, and ask again if not docked."""
        with self._lock:
            if self._due is None or self.clock() < self._due:
                return
            self._due = None
        if self.docked():
            return
        try:
            self.icon._show()  # pystray's own request to the current tray host
        except Exception:
            log.info("asking the tray host to dock the icon failed", exc_info=True)
        with self._lock:
            if self._next_gap < len(self.gaps):
                self._schedule(self._next_gap, self.gaps[self._next_gap])

    def docked(self) -> bool:
        """True once the icon's window has a parent other than the root (the tray's socket)."""
        if self.x11 is None or getattr(self.icon, "_window", None) is None:
            return False

        def in_tray(disp: Any) -> bool:
            tree = disp.create_resource_object("window", self.icon._window.id).query_tree()
            return bool(tree.parent.id != tree.root.id)

        return self.x11.run(in_tray, False, "tray dock check")

    def _schedule(self, gap_index: int, delay: float | None) -> None:
        self._due = None if delay is None else self.clock() + delay
        self._next_gap = gap_index + 1

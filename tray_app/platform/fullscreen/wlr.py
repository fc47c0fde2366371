"""Fullscreen on wlroots compositors (sway, Hyprland, labwc, river, Wayfire, niri):
wlr-foreign-toplevel-management-unstable-v1.

The compositor announces every window (native and XWayland) as a toplevel handle and sends its
states after each change, closed by a `done` event: "activated" (it has focus) and "fullscreen".
A toplevel with both is what the user is looking at and fills the screen. The shared Wayland
reader thread keeps the states current; `is_fullscreen_focused` only reads them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from tray_app.platform.wayland.client import WaylandClient, shared
from tray_app.platform.wayland.wire import Reader, WaylandError

log = logging.getLogger(__name__)

MANAGER = "zwlr_foreign_toplevel_manager_v1"
ACTIVATED, FULLSCREEN = 2, 3  # zwlr_foreign_toplevel_handle_v1.state
# Events of the manager and of a handle.
TOPLEVEL, FINISHED = 0, 1
APP_ID, STATE, DONE, CLOSED = 1, 4, 5, 6
DESTROY = 7  # handle request


class WlrFullscreenProbe:
    """True while a toplevel is both activated and fullscreen."""

    def __init__(self, client: WaylandClient) -> None:
        self.client = client
        self._lock = threading.Lock()
        self._pending: dict[int, set[int]] = {}  # states sent since the handle's last `done`
        self._states: dict[int, set[int]] = {}  # as of each handle's last `done`
        self._app_ids: dict[int, str] = {}
        self.lost_why: str | None = None

    @property
    def why(self) -> str:
        """For `status`: how fullscreen is seen, or that it stopped being seen."""
        text = "wlr-foreign-toplevel-management (the focused window's fullscreen state)"
        return f"{text}: stopped ({self.lost_why})" if self.lost_why else text

    def is_fullscreen_focused(self) -> bool:
        with self._lock:
            return any({ACTIVATED, FULLSCREEN} <= s for s in self._states.values())

    def focused_fullscreen(self) -> str | None:
        """The app id of the activated fullscreen toplevel, for the log (None if none)."""
        with self._lock:
            return next((self._app_ids.get(h, "?") for h, s in self._states.items()
                         if {ACTIVATED, FULLSCREEN} <= s), None)

    def _on_manager(self, opcode: int, args: Reader) -> None:
        if opcode == TOPLEVEL:
            handle = args.uint()
            self.client.conn.listen(handle, lambda op, a: self._on_handle(handle, op, a))
        elif opcode == FINISHED:
            self._lose("the compositor stopped sending its windows")

    def _on_handle(self, handle: int, opcode: int, args: Reader) -> None:
        if opcode == STATE:
            self._pending[handle] = set(args.uints())
        elif opcode == APP_ID:
            self._app_ids[handle] = args.string()
        elif opcode == DONE:
            with self._lock:
                self._states[handle] = self._pending.get(handle, set())
        elif opcode == CLOSED:
            with self._lock:
                self._states.pop(handle, None)
            self._pending.pop(handle, None)
            self._app_ids.pop(handle, None)
            self.client.conn.send(handle, DESTROY)

    def _lose(self, why: str) -> None:
        log.warning("fullscreen detection stopped: %s", why)
        self.lost_why = why
        with self._lock:
            self._states.clear()


def probe(env: Mapping[str, str]) -> tuple[WlrFullscreenProbe | None, str]:
    """A probe when the compositor offers the protocol, else None and why. Never raises."""
    try:
        client = shared(env)
        if not client.has(MANAGER):
            client.release_if_unused()
            return None, f"the compositor does not offer {MANAGER}"
        found = WlrFullscreenProbe(client)
        client.conn.bind(MANAGER, min(client.version(MANAGER), 3), found._on_manager)
        client.on_lost(found._lose)
        client.start()
        return found, found.why
    except (WaylandError, OSError, KeyError) as exc:
        return None, f"Wayland: {exc}"

"""sway IPC: `[pid=N] focus`, then the tree says whether that window has the focus.

The i3 IPC wire: "i3-ipc", payload length and message type (native-endian uint32), payload.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from typing import Any

from tray_app.platform.focus.common import Focus

MAGIC = b"i3-ipc"
HEADER = struct.Struct("=6sII")
RUN_COMMAND, GET_TREE = 0, 4
SETTLE_S = 1.0  # how long the tree may take to show the focus change


class IpcError(Exception):
    """The compositor's socket failed or answered something else than IPC."""


class SwayIpc:
    """One request/reply conversation with the compositor's IPC socket."""

    def __init__(self, path: str, timeout: float = 2.0) -> None:
        self.path, self.timeout = path, timeout

    def request(self, kind: int, payload: str = "") -> Any:
        data = payload.encode()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(self.timeout)
                sock.connect(self.path)
                sock.sendall(HEADER.pack(MAGIC, len(data), kind) + data)
                magic, length, _kind = HEADER.unpack(_read(sock, HEADER.size))
                if magic != MAGIC:
                    raise IpcError(f"{self.path} does not speak i3/sway IPC")
                return json.loads(_read(sock, length))
        except (OSError, ValueError, struct.error) as exc:
            raise IpcError(f"{self.path}: {exc}") from exc


def _read(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise IpcError("the compositor closed its IPC socket")
        buf += chunk
    return buf


def windows_of(tree: dict[str, Any], pid: int) -> list[dict[str, Any]]:
    """The tree's windows (tiled or floating) belonging to process `pid`."""
    found: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("pid") == pid:
            found.append(node)
        for child in node.get("nodes", []) + node.get("floating_nodes", []):
            walk(child)

    walk(tree)
    return found


def fullscreen_windows(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """Windows in fullscreen mode (1: on their output, 2: global)."""
    found: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("fullscreen_mode") and node.get("type") in ("con", "floating_con"):
            found.append(node)
        for child in node.get("nodes", []) + node.get("floating_nodes", []):
            walk(child)

    walk(tree)
    return found


class SwayFocuser:
    """Focus through sway's IPC ($SWAYSOCK), checked in its tree."""

    name = "sway"

    def __init__(self, socket_path: str, clock: Any = time.monotonic,
                 sleep: Any = time.sleep) -> None:
        self.ipc = SwayIpc(socket_path)
        self.clock, self.sleep = clock, sleep

    def focus(self, pid: int) -> Focus:
        try:
            return self._focus(pid)
        except IpcError as exc:
            return Focus(None, f"sway IPC failed: {exc}")

    def _focus(self, pid: int) -> Focus:
        reply = self.ipc.request(RUN_COMMAND, f"[pid={pid}] focus")
        said = reply[0] if isinstance(reply, list) and reply else {}
        if not said.get("success", False):
            error = said.get("error", reply)
            return Focus(False, f"sway refused `[pid={pid}] focus`: {error}")
        deadline = self.clock() + SETTLE_S
        while True:
            tree = self.ipc.request(GET_TREE)
            mine = windows_of(tree, pid)
            if any(w.get("focused") for w in mine):
                visible = all(w.get("visible", True) for w in mine if w.get("focused"))
                return Focus(True, "sway: the window is focused", visible)
            if self.clock() >= deadline:
                break
            self.sleep(0.05)
        if not mine:
            return Focus(False, f"sway has no window of process {pid}")
        full = [w for w in fullscreen_windows(tree) if w.get("pid") != pid]
        if full:
            names = ", ".join(repr(w.get("name")) for w in full)
            return Focus(False, f"sway kept the focus on the fullscreen window {names}",
                         visible=False)
        return Focus(False, "sway did not focus the window")

"""Hyprland: `dispatch focuswindow pid:N` on its request socket, then `j/activewindow` says
which window has the focus. The socket is $XDG_RUNTIME_DIR/hypr/$SIGNATURE/.socket.sock
(Hyprland 0.40+) or /tmp/hypr/$SIGNATURE/.socket.sock (older)."""

from __future__ import annotations

import json
import socket
from collections.abc import Mapping
from pathlib import Path

from tray_app.platform.focus.common import Focus


def socket_path(env: Mapping[str, str]) -> Path | None:
    """The request socket of the running Hyprland, or None."""
    sig = env.get("HYPRLAND_INSTANCE_SIGNATURE", "").strip()
    if not sig or "/" in sig:
        return None
    places = [Path("/tmp/hypr")]
    if env.get("XDG_RUNTIME_DIR"):
        places.insert(0, Path(env["XDG_RUNTIME_DIR"]) / "hypr")
    for base in places:
        path = base / sig / ".socket.sock"
        if path.exists():
            return path
    return None


class HyprlandFocuser:
    """Focus through Hyprland's request socket, checked with its active window."""

    name = "hyprland"

    def __init__(self, path: Path, timeout: float = 2.0) -> None:
        self.path, self.timeout = path, timeout

    def _request(self, text: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(self.timeout)
            sock.connect(str(self.path))
            sock.sendall(text.encode())
            parts = []
            while chunk := sock.recv(65536):  # Hyprland closes after one reply
                parts.append(chunk)
        return b"".join(parts).decode(errors="replace")

    def focus(self, pid: int) -> Focus:
        try:
            said = self._request(f"dispatch focuswindow pid:{pid}").strip()
            if said != "ok":
                return Focus(False, f"Hyprland refused focuswindow pid:{pid}: {said}")
            active = json.loads(self._request("j/activewindow") or "{}")
        except (OSError, ValueError) as exc:
            return Focus(None, f"Hyprland's socket {self.path} failed: {exc}")
        if active.get("pid") == pid:
            return Focus(True, "Hyprland: the window is the active window")
        if active.get("fullscreen"):
            return Focus(False, f"Hyprland kept the focus on the fullscreen window "
                                f"{active.get('title')!r}", visible=False)
        return Focus(False, f"Hyprland's active window is {active.get('title')!r}, not ours")

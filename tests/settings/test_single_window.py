"""One settings window per user: the first claims the socket, a second one raises it."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.desktop import wait_for
from tray_app.ui.windows.settings_window import SOCKET_NAME, SingleWindow


def test_a_second_claim_pokes_the_first(tmp_path: Path) -> None:
    first = SingleWindow(tmp_path)
    assert first.claim()
    try:
        assert not SingleWindow(tmp_path).claim()
        wait_for(first.poked, timeout=5, what="the first window to be asked to come forward")
    finally:
        first.release()
    assert not (tmp_path / SOCKET_NAME).exists()


def test_a_stale_socket_file_is_taken_over(tmp_path: Path) -> None:
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(tmp_path / SOCKET_NAME))
    stale.close()  # the file stays, nobody listens (a window that was killed)
    window = SingleWindow(tmp_path)
    try:
        assert window.claim()
    finally:
        window.release()

"""Notification policy, console/multi/null notifiers and detect() without a desktop."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tray_app.platform.dbus.address import session_bus_address
from tray_app.platform.notify.choose import detect
from tray_app.platform.notify.common import (
    MultiNotifier,
    NullNotifier,
    SerialWorker,
    default_action,
    expire_ms,
)
from tray_app.platform.notify.console import ConsoleNotifier, format_line
from tray_app.ports import Action

ROOT = Path(__file__).resolve().parents[2]

START = Action("start", "Start break")
SNOOZE = Action("snooze-300", "Snooze 5 min")


def test_expiry_policy() -> None:
    assert expire_ms("break_due", has_actions=True) == 0
    assert expire_ms("break_due", has_actions=False) == 60_000
    assert 15_000 <= expire_ms("heads_up", True) <= 20_000
    assert 15_000 <= expire_ms("posture", False) <= 20_000
    assert expire_ms("info", False) > 0


def test_default_action_is_start_for_a_break() -> None:
    assert default_action("break_due", [SNOOZE, START]) == "start"
    assert default_action("heads_up", [SNOOZE]) == "snooze-300"
    assert default_action("break_due", []) is None


def test_console_line() -> None:
    out = io.StringIO()
    n = ConsoleNotifier(out)
    n.notify("break_due", "Break due", "Stand up\nand stretch", [START, SNOOZE])
    n.notify("posture", "Sit tall", "")
    n.close()
    assert out.getvalue().splitlines() == [
        "[sitbreak] Break due: Stand up and stretch (actions: Start break, Snooze 5 min)",
        "[sitbreak] Sit tall",
    ]
    assert format_line("T", "b") == "[sitbreak] T: b"


class Broken:
    name = "broken"

    def notify(self, *args: object) -> None:
        raise RuntimeError("boom")

    def close(self) -> None:
        raise RuntimeError("boom")

    def set_action_handler(self, handler: object) -> None:
        raise RuntimeError("boom")


def test_console_never_raises_on_a_closed_stream() -> None:
    out = io.StringIO()
    out.close()
    ConsoleNotifier(out).notify("info", "T", "b")  # logged, not raised


def test_multi_forwards_and_survives_a_broken_one(caplog: pytest.LogCaptureFixture) -> None:
    out = io.StringIO()
    multi = MultiNotifier([Broken(), ConsoleNotifier(out)])
    assert multi.name == "broken+console"
    with caplog.at_level(logging.ERROR):
        multi.notify("info", "Hello", "there")
        multi.close()
        multi.set_action_handler(print)
    assert out.getvalue() == "[sitbreak] Hello: there\n"
    assert "broken notifier failed in notify" in caplog.text


def test_null_notifier_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        NullNotifier().notify("info", "Hello", "there")
    assert "Hello: there" in caplog.text


def test_serial_worker_runs_in_order_and_survives_errors() -> None:
    seen: list[int] = []
    worker = SerialWorker("test")
    worker.submit(lambda: seen.append(1))
    worker.submit(lambda: 1 / 0)
    worker.submit(lambda: seen.append(2))
    assert worker.flush(5)
    worker.stop()
    assert seen == [1, 2]


def test_bus_address_from_env(tmp_path: Path) -> None:
    assert session_bus_address({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}) == "unix:path=/x"
    assert session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    (tmp_path / "bus").touch()
    assert session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) == f"unix:path={tmp_path}/bus"


def test_detect_without_a_bus_logs_instead(tmp_path: Path) -> None:
    notifier, reason = detect({"PATH": str(tmp_path)}, None, platform="linux")
    assert isinstance(notifier, NullNotifier)
    assert reason == "no notifications: no D-Bus session bus"


def test_detect_with_a_dead_bus_address_tries_plyer(tmp_path: Path, monkeypatch) -> None:
    # A socket nobody listens on: D-Bus unusable from here, but plyer's notify-send might be.
    fake = tmp_path / "notify-send"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    env = {"PATH": str(tmp_path), "DBUS_SESSION_BUS_ADDRESS": f"unix:path={tmp_path}/none"}
    monkeypatch.setattr("tray_app.platform.notify.plyer_backend.os.path.isdir", lambda p: False)
    notifier, reason = detect(env, None, platform="linux")
    assert notifier.name == "plyer"
    assert reason.startswith("plyer (")
    assert "; D-Bus not used: " in reason


def test_plyer_is_not_imported_when_notify_send_does_the_work(tmp_path: Path) -> None:
    """Issue 15: PlyerNotifier runs notify-send itself without dbus-python, so importing
    plyer (~40 facade modules) to check it only cost memory."""
    fake = tmp_path / "notify-send"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    code = (
        "import sys; from tray_app.platform.notify.choose import detect; "
        f"n, why = detect({{'PATH': {str(tmp_path)!r}, "
        f"'DBUS_SESSION_BUS_ADDRESS': 'unix:path={tmp_path}/none'}}, None, platform='linux'); "
        "print(why.split(';')[0], 'plyer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True, cwd=ROOT)
    if "dbus-python" in out.stdout:
        pytest.skip("dbus-python is installed here: plyer does the work")
    assert out.stdout.split() == ["plyer", "(notify-send)", "False"]


def test_detect_elsewhere_uses_plyer() -> None:
    notifier, reason = detect({}, None, platform="win32")
    assert notifier.name == "plyer"
    assert reason == "plyer (plyer)"

"""FreedesktopNotifier against a real dunst on a private D-Bus session."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import Bus, Display, dbus_session, dunst, dunst_config, require, wait_for
from tests.gnome import BUS_CONFIG
from tray_app.platform.notify.choose import detect, status_of
from tray_app.platform.notify.common import NullNotifier
from tray_app.platform.notify.freedesktop import FreedesktopNotifier
from tray_app.ports import Action

pytestmark = pytest.mark.desktop

START = Action("start", "Start break")
SNOOZE = Action("snooze-300", "Snooze 5 min")
SKIP = Action("skip", "Skip")


class Monitor:
    """`dbus-monitor` on the notification interface, parsed into calls and signals."""

    def __init__(self, bus: Bus) -> None:
        exe = require("dbus-monitor")
        self.proc = subprocess.Popen(
            [exe, "--address", bus.address, "interface='org.freedesktop.Notifications'"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # dbus-monitor turns into a monitor by dropping its name: from then on it sees all.
        wait_for(lambda: any("member=NameLost" in ln for ln in self.lines), what="dbus-monitor")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)

    def messages(self, member: str) -> list[list[str]]:
        """Each message with this member, as its argument lines (indented, stripped)."""
        found: list[list[str]] = []
        current: list[str] | None = None
        for line in list(self.lines):
            if not line.startswith(" "):
                current = [] if f"member={member}" in line else None
                if current is not None:
                    found.append(current)
            elif current is not None:
                current.append(line.strip())
        return found

    def notify_calls(self) -> list[dict[str, object]]:
        """Notify calls as dicts: app, replaces, icon, summary, body, actions, hints, timeout."""
        calls = []
        for args in self.messages("Notify"):
            text = "\n".join(args)
            if not re.search(r"^int32 -?\d+$", text, re.M):
                continue  # still being printed
            scalars = re.findall(r'^(string|uint32|int32) "?(.*?)"?$', text, re.M)
            # Top-level scalars come in order; array items are also "string" lines, so split.
            head, rest = text.split("array [", 1)
            actions_part, hints_part = rest.split("]", 1)
            top = re.findall(r'^(?:string|uint32) "?(.*?)"?$', head, re.M)
            hints = dict(
                re.findall(r'string "([^"]+)"\s*\n?\s*variant\s+\w+ "?([^"\n]*)"?', hints_part)
            )
            calls.append({
                "app": top[0], "replaces": int(top[1]), "icon": top[2],
                "summary": top[3], "body": top[4],
                "actions": re.findall(r'^string "(.*)"$', actions_part, re.M),
                "hints": hints, "timeout": int(scalars[-1][1]),
            })
        return calls


@pytest.fixture
def monitor(session_bus: Bus) -> Iterator[Monitor]:
    mon = Monitor(session_bus)
    yield mon
    mon.stop()


PICK_SNOOZE = """#!/bin/sh
# Stands in for dmenu: dunst writes one line per action; pick the snooze one.
grep 'snooze-300' | head -n 1
"""


@pytest.fixture
def dunst_env(display: Display, session_bus: Bus, tmp_path: Path) -> Iterator[dict[str, str]]:
    require("dunstctl")
    script = tmp_path / "pick"
    script.write_text(PICK_SNOOZE)
    script.chmod(0o755)
    with dunst(display, session_bus, dunst_config(tmp_path, str(script))):
        yield display.env(DBUS_SESSION_BUS_ADDRESS=session_bus.address)


def _dunstctl(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(["dunstctl", *args], env=env, capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _displayed(env: dict[str, str]) -> int:
    return int(_dunstctl(env, "count", "displayed").strip())


def test_notify_content_replace_and_default_action(
    dunst_env: dict[str, str], monitor: Monitor, tmp_path: Path
) -> None:
    icon = str(tmp_path / "sitbreak.png")
    notifier, reason = detect(dunst_env, icon)
    assert isinstance(notifier, FreedesktopNotifier), reason
    assert reason == "freedesktop notifications over D-Bus (running)"
    clicked: list[str] = []
    notifier.set_action_handler(clicked.append)
    try:
        notifier.notify("heads_up", "Break soon", "One minute left", [SNOOZE])
        assert notifier.flush()
        first = notifier.current_id
        assert first > 0
        notifier.notify("break_due", "Break due", "Stand up for two minutes", [START, SNOOZE])
        assert notifier.flush()
        assert notifier.current_id == first  # replaced, not stacked
        wait_for(lambda: len(monitor.notify_calls()) == 2, what="two Notify calls")
        heads_up, due = monitor.notify_calls()
        assert heads_up["app"] == "sitbreak"
        assert heads_up["replaces"] == 0
        assert heads_up["icon"] == icon
        assert heads_up["timeout"] == 15_000
        assert heads_up["hints"] == {  # normal: GNOME shows no banner for low urgency
            "urgency": "1", "desktop-entry": "sitbreak", "category": "x-sitbreak.heads_up",
            "transient": "true",
        }
        assert due["hints"]["urgency"] == "1" and "transient" not in due["hints"]
        assert due["replaces"] == first
        assert (due["summary"], due["body"]) == ("Break due", "Stand up for two minutes")
        assert due["actions"] == [
            "default", "Start break", "start", "Start break", "snooze-300", "Snooze 5 min"
        ]
        assert due["timeout"] == 0
        assert _displayed(dunst_env) == 1

        _dunstctl(dunst_env, "action", "0")  # a plain click: the default action
        wait_for(lambda: clicked, what="the action handler")
        assert clicked == ["start"]
    finally:
        notifier.stop()


def test_named_action_through_the_context_menu(dunst_env: dict[str, str]) -> None:
    notifier = FreedesktopNotifier("", bus_address=dunst_env["DBUS_SESSION_BUS_ADDRESS"])
    clicked: list[str] = []
    closed: list[str] = []
    notifier.set_action_handler(clicked.append)
    notifier.set_close_handler(closed.append)
    try:
        notifier.notify("break_due", "Break due", "Time to move", [START, SNOOZE, SKIP])
        assert notifier.flush()
        wait_for(lambda: _displayed(dunst_env) == 1, what="dunst to show it")
        _dunstctl(dunst_env, "context")  # our dmenu stand-in picks "Snooze 5 min"
        wait_for(lambda: clicked, what="the action handler")
        assert clicked == ["snooze-300"]
    finally:
        notifier.stop()


def test_close_withdraws_and_reports(dunst_env: dict[str, str]) -> None:
    notifier = FreedesktopNotifier("", bus_address=dunst_env["DBUS_SESSION_BUS_ADDRESS"])
    closed: list[str] = []
    notifier.set_close_handler(closed.append)
    try:
        notifier.notify("posture", "Sit tall", "Shoulders back")
        assert notifier.flush()
        wait_for(lambda: _displayed(dunst_env) == 1, what="dunst to show it")
        notifier.close()
        assert notifier.flush()
        assert notifier.current_id == 0
        wait_for(lambda: _displayed(dunst_env) == 0, what="dunst to drop it")
        wait_for(lambda: closed, what="the close handler")
        assert closed == ["closed"]
    finally:
        notifier.stop()




@pytest.fixture
def bare_bus(tmp_path: Path) -> Iterator[Bus]:
    """A session bus without service files, so nothing can be activated on it."""
    config = tmp_path / "bare-bus.conf"
    config.write_text(BUS_CONFIG.format(listen=f"unix:dir={tmp_path}", servicedir=""))
    with dbus_session(config) as bus:
        yield bus


def test_no_service_falls_back_and_never_raises(bare_bus: Bus) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": bare_bus.address, "PATH": "/usr/bin:/bin"}
    notifier, reason = detect(env, None, platform="linux")
    assert isinstance(notifier, NullNotifier)
    assert reason == "no notifications: no org.freedesktop.Notifications service on the session bus"
    notifier.notify("break_due", "Break due", "x", [START])

    # Built directly (e.g. the service went away after detect): logged, never raised.
    direct = FreedesktopNotifier("", bus_address=bare_bus.address, call_timeout=2)
    try:
        direct.notify("break_due", "Break due", "x", [START])
        direct.close()
        assert direct.flush(10)
        assert direct.current_id == 0
    finally:
        direct.stop()


# ---- issue 26, item 13: status stays true when the daemon or the session bus dies


def _shown_on(display: Display, bus: Bus) -> int:
    out = subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True,
                         env=display.env(DBUS_SESSION_BUS_ADDRESS=bus.address), timeout=10)
    return int(out.stdout.strip() or -1)


def test_status_follows_the_daemon_and_the_bus(
    display: Display, bare_bus: Bus, tmp_path: Path
) -> None:
    why = "freedesktop notifications over D-Bus (running)"
    config = dunst_config(tmp_path)
    with dunst(display, bare_bus, config) as daemon:
        notifier = FreedesktopNotifier("", bus_address=bare_bus.address, call_timeout=2)
        status = status_of(notifier, why)
        try:
            notifier.notify("break_due", "Break due", "Time to move", [START])
            assert notifier.flush()
            assert notifier.current_id > 0
            assert notifier.status() == {"ok": True, "problem": None}
            assert status() == why

            daemon.kill()  # the daemon dies with our break prompt on screen
            daemon.wait(5)
            wait_for(lambda: not notifier.status()["ok"], what="the notifier to see it go")
            problem = notifier.status()["problem"]
            assert "notification daemon" in problem and "org.freedesktop.Notifications" in problem
            assert "(running)" not in status() and problem in status()

            # Shown while no daemon is there: not shown, said in the log, status stays false.
            notifier.notify("posture", "Sit tall", "Shoulders back")
            assert notifier.flush()
            assert not notifier.status()["ok"]
        except BaseException:
            notifier.stop()
            raise
    # A daemon comes back: status is true again and the unanswered prompt is shown again.
    try:
        with dunst(display, bare_bus, config):
            wait_for(lambda: notifier.status()["ok"], what="the notifier to see the new daemon")
            assert status() == why
            wait_for(lambda: _shown_on(display, bare_bus) == 1, what="the prompt shown again")

            os.kill(bare_bus.pid, signal.SIGKILL)  # the session bus itself dies
            wait_for(lambda: not notifier.status()["ok"], what="the notifier to see the bus end")
            assert "session bus" in notifier.status()["problem"]
            notifier.notify("posture", "Sit tall", "Shoulders back")  # never raises
            assert notifier.flush(10)
            assert not notifier.status()["ok"]
    finally:
        notifier.stop()

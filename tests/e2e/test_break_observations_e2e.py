"""Issue 10's eight observations, each tried the way it was found: the real app in its tray
(Xvfb, openbox, trayer, dunst on a private bus), answered from the window, the notification
and the command line. The window is read from its own debug events (SITBREAK_WINDOW_DEBUG=1,
which the app logs with --verbose)."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.desktop import (
    Display,
    background,
    dbus_session,
    dunst,
    dunst_config,
    require,
    tray_manager_ready,
    wait_for,
    xvfb,
)
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tray_app.core.ending import END_SCREEN_S

pytestmark = [pytest.mark.desktop, pytest.mark.e2e]

# Stands in for dmenu: dunst writes one line per action ("#Start break (Time to move) [2,start]");
# print the one whose key the test wrote to the file next to this script.
PICK = """#!/bin/sh
grep -F ",$(cat "$(dirname "$0")/choice")]" | head -n 1
"""
WINDOW_LOG = "break window: "


@dataclass
class Desk:
    display: Display
    env: dict[str, str]
    box: Sandbox
    proc: subprocess.Popen[str]
    tmp: Path

    # --- the window, read from what it says it drew ----------------------------------------

    def window_events(self, name: str) -> list[dict[str, Any]]:
        out = []
        for line in self.box.output().splitlines():
            if WINDOW_LOG in line:
                event = json.loads(line.split(WINDOW_LOG, 1)[1])
                if event.get("event") == name:
                    out.append(event)
        return out

    def windows(self) -> list[str]:
        return self.display.run("xdotool", "search", "--onlyvisible", "--name", "^Time to move$",
                                check=False).split()

    def wait_window(self) -> str:
        return wait_for(lambda: (self.windows() or [None])[0], timeout=20, interval=0.1,
                        what="the break window")

    def focused(self) -> None:
        n = len(self.window_events("focused"))
        wait_for(lambda: len(self.window_events("focused")) >= max(1, n), timeout=15,
                 what="the window to take the keyboard")

    def last_view(self) -> dict[str, Any]:
        views = self.window_events("view")
        assert views, "the window drew no view"
        return views[-1]

    def fresh_layout(self) -> dict[str, list[int]] | None:
        """The buttons' places, once laid out after the last view was drawn."""
        layout: dict[str, list[int]] | None = None
        for line in self.box.output().splitlines():
            if WINDOW_LOG not in line:
                continue
            event = json.loads(line.split(WINDOW_LOG, 1)[1])
            if event.get("event") == "view":
                layout = None  # the buttons may move: wait for the next layout
            elif event.get("event") == "layout":
                layout = event["widgets"]
        return layout

    def click(self, widget: str) -> None:
        layout = wait_for(lambda: (self.fresh_layout() or {}).get(widget) and self.fresh_layout(),
                          timeout=5, what=f"the {widget} button laid out")
        x, y, w, h = layout[widget]
        self.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")

    def key(self, *keys: str) -> None:
        self.display.run("xdotool", "key", "--delay", "60", *keys)

    def close_window(self) -> None:
        """What the title bar's close button does: openbox sends WM_DELETE_WINDOW."""
        wid = self.windows()[0]
        self.display.run("xdotool", "windowactivate", "--sync", wid, check=False)
        self.key("alt+F4")

    # --- the notification ------------------------------------------------------------------

    def dunstctl(self, *args: str) -> str:
        out = subprocess.run(["dunstctl", *args], env=self.env, capture_output=True, text=True,
                             timeout=10, check=False)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    def shown_notifications(self) -> int:
        return int(self.dunstctl("count", "displayed"))

    def answer_notification(self, key: str) -> None:
        (self.tmp / "choice").write_text(key)
        self.dunstctl("context")

    # --- history ---------------------------------------------------------------------------

    def kinds(self) -> list[str]:
        con = sqlite3.connect(self.box.history)
        try:
            return [r[0] for r in con.execute("SELECT kind FROM events ORDER BY id")]
        finally:
            con.close()

    def rows(self, kind: str) -> list[tuple[Any, ...]]:
        con = sqlite3.connect(self.box.history)
        try:
            return con.execute("SELECT exercise_id, category, duration_s FROM events "
                               "WHERE kind = ? ORDER BY id", (kind,)).fetchall()
        finally:
            con.close()


@contextlib.contextmanager
def desk(tmp_path: Path, speed: float = 1, **sections: dict[str, object]) -> Iterator[Desk]:
    """The app in its tray on a desktop a new user might have, due a break 3 s after start
    (of the app's time: `speed` runs its clock faster, SITBREAK_CLOCK_SPEED)."""
    require("xdotool")
    require("dunstctl")
    openbox, trayer = require("openbox"), require("trayer")
    script = tmp_path / "pick"
    script.write_text(PICK)
    script.chmod(0o755)
    (tmp_path / "choice").write_text("start")
    cfg = quick_settings(tmp_path / "s.toml", **sections)
    with xvfb() as d, dbus_session() as bus, dunst(d, bus, dunst_config(tmp_path, str(script))):
        env = d.env(DBUS_SESSION_BUS_ADDRESS=bus.address)
        with background([openbox, "--sm-disable"], env), \
                background([trayer, "--edge", "top", "--align", "right", "--widthtype", "pixel",
                            "--width", "100", "--height", "24"], env):
            wait_for(lambda: tray_manager_ready(d), what="trayer to own the tray selection")
            box = Sandbox(tmp_path, extra_env={
                "DISPLAY": d.name, "DBUS_SESSION_BUS_ADDRESS": bus.address,
                "SITBREAK_WINDOW_DEBUG": "1", "NO_AT_BRIDGE": "1",
                "SITBREAK_CLOCK_SPEED": f"{speed:g}"})
            proc = box.start("--verbose", "--config", str(cfg))
            try:
                box.wait_running(proc)
                yield Desk(d, env, box, proc, tmp_path)
            finally:
                assert stop(proc) == 0


def due_with_window(s: Desk) -> None:
    s.box.wait_state("break_due", timeout=20)
    s.wait_window()
    s.focused()
    wait_for(lambda: s.shown_notifications() == 1, timeout=10, what="the break notification")


def countdown(s: Desk) -> list[str]:
    return [t["clock"] for t in s.window_events("tick")]


# --- 1 -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_obs1_start_from_the_notification_runs_the_open_windows_countdown(tmp_path: Path
                                                                           ) -> None:
    with desk(tmp_path) as s:
        due_with_window(s)
        assert s.last_view()["running"] is False and countdown(s) == []
        s.answer_notification("start")
        s.box.wait_state("on_break", timeout=10)
        # the open window's countdown runs: it says so itself, within a second of the start
        wait_for(lambda: len(set(countdown(s))) >= 1, timeout=1.5, interval=0.05,
                 what="the window's countdown to start")
        wait_for(lambda: len(set(countdown(s))) >= 3, timeout=5, what="the countdown to run")
        clocks = countdown(s)
        assert clocks[0] > clocks[-1]  # "0:30" > "0:28": counting down
        assert s.last_view()["running"] is True and "done" in s.last_view()["buttons"]
        # and the notification whose choice no longer applies is gone
        wait_for(lambda: s.shown_notifications() == 0, timeout=1.5, interval=0.1,
                 what="the break notification to be withdrawn")
        assert len(s.windows()) == 1


# --- 2 -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_obs2_window_closed_first_then_start_opens_a_running_window_and_no_stale_notice(
        tmp_path: Path) -> None:
    with desk(tmp_path, snooze={"options": ["1m"], "max_per_break": 0}) as s:
        due_with_window(s)
        s.close_window()
        wait_for(lambda: not s.windows(), timeout=10, what="the window to close")
        assert s.box.status()["state"] == "break_due"  # no snoozes left: it stays due
        assert s.shown_notifications() == 1  # the break notification still applies
        s.answer_notification("start")
        s.box.wait_state("on_break", timeout=10)
        s.wait_window()
        wait_for(lambda: s.window_events("view") and s.last_view()["running"], timeout=10,
                 what="the new window to show the running break")
        wait_for(lambda: s.shown_notifications() == 0, timeout=1.5, interval=0.1,
                 what="no notification left on screen")
    assert "window_closed" in s.kinds() and "window_failed" not in s.kinds()
    assert "closed unexpectedly" not in s.box.output()


# --- 3 -----------------------------------------------------------------------------------------


def on_break_for(s: Desk, seconds: float) -> None:
    """Wait until the running break is `seconds` old on the app's own clock."""
    wait_for(lambda: (s.box.status()["break"] or {}).get("seconds_done", 0) >= seconds,
             timeout=20, interval=0.05, what=f"{seconds:g} s of the break")


@pytest.mark.slow
def test_obs3_done_soon_after_start_ends_early(tmp_path: Path) -> None:
    # At 30x a 10-minute break: Done after 40 s of it (4 real seconds at 1x) is early.
    with desk(tmp_path, speed=30, breaks={"heads_up": "0", "length": "10m"},
              sitting={"break_after": "30s", "idle_reset": "5m"}) as s:
        due_with_window(s)
        s.key("Return")  # Start
        s.box.wait_state("on_break", timeout=10)
        wait_for(lambda: "done" in s.last_view()["buttons"], timeout=5, what="a Done button")
        on_break_for(s, 40)
        s.click("done")
        s.box.wait_state("sitting", timeout=10)
        # Done shows the closing screen, which closes itself after END_SCREEN_S.
        wait_for(lambda: not s.windows(), timeout=END_SCREEN_S + 10, what="the window to close")
    assert "completed" not in s.kinds()
    (early,) = s.rows("ended_early")
    assert 40 <= early[2] <= 120
    assert s.rows("exercise") and all(r[0] and 0 < r[2] <= 120 for r in s.rows("exercise")[:1])


@pytest.mark.slow
def test_obs3_strict_mode_offers_no_done_and_refuses_it(tmp_path: Path) -> None:
    with desk(tmp_path, speed=30, breaks={"heads_up": "0", "strict": True, "length": "10m"},
              sitting={"break_after": "30s", "idle_reset": "5m"}) as s:
        due_with_window(s)
        s.key("Return")
        s.box.wait_state("on_break", timeout=10)
        wait_for(lambda: s.last_view()["running"], timeout=5, what="the running view")
        on_break_for(s, 60)  # a minute into the break: Done is still not offered
        buttons = s.last_view()["buttons"]
        assert "done" not in buttons and "skip" not in buttons
        out = s.box.cli("done")
        assert out.returncode == 4 and "strict mode" in out.stderr
        assert s.box.status()["state"] == "on_break"
    assert "completed" not in s.kinds() and "ended_early" not in s.kinds()


# --- 4 -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_obs4_tab_to_skip_and_enter_skips(tmp_path: Path) -> None:
    with desk(tmp_path, snooze={"options": ["1m"], "max_per_break": 2}) as s:
        due_with_window(s)
        keys = s.last_view()["keys"]
        assert "Enter or Space" in keys and "Esc or S" in keys and "Tab" in keys
        s.key("Tab", "Tab")  # Start -> Snooze 1 min -> Skip
        wait_for(lambda: [e["widget"] for e in s.window_events("focus")][-1:] == ["skip"],
                 timeout=5, what="the focus on Skip")
        s.key("Return")
        s.box.wait_state("sitting", timeout=10)
    assert "skipped" in s.kinds() and "started" not in s.kinds()


@pytest.mark.slow
def test_obs4_s_does_not_snooze_a_started_break(tmp_path: Path) -> None:
    with desk(tmp_path) as s:
        due_with_window(s)
        s.key("Return")
        s.box.wait_state("on_break", timeout=10)
        wait_for(lambda: s.last_view()["running"], timeout=5, what="the running view")
        s.key("s")
        time.sleep(1.5)
        assert s.box.status()["state"] == "on_break"
        s.key("Escape")  # Esc still snoozes, as the window says
        s.box.wait_state("snoozed", timeout=10)


# --- 5 -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_obs5_another_exercise_in_the_second_exercise_keeps_the_first(tmp_path: Path) -> None:
    # At 10x: the break's own steps pass ten times faster; the person's keys do not.
    with desk(tmp_path, speed=10, breaks={"heads_up": "0", "length": "3m"},
              sitting={"break_after": "1h", "idle_reset": "5m"}) as s:
        assert s.box.cli("break-now").returncode == 0
        s.wait_window()
        s.focused()
        brk = s.box.status()["break"]
        assert len(brk["routine"]) >= 2, brk
        first, second = brk["routine"][:2]
        for _ in range(40):  # Enter through the first exercise, step by step
            if s.box.status()["break"]["index"] == 1:
                break
            step = s.box.status()["break"]["step"]
            s.key("Return")
            wait_for(lambda step=step: (b := s.box.status()["break"])["index"] == 1
                     or b["step"] != step, timeout=5, what="the next step")
        assert s.box.status()["break"]["index"] == 1
        done_at = s.box.status()["break"]["seconds_done"]
        on_break_for(s, done_at + 10)  # some time on the second exercise
        s.click("another")
        wait_for(lambda: s.box.status()["break"]["routine"][1] != second, timeout=5,
                 what="the second exercise swapped")
        brk = s.box.status()["break"]
        assert brk["routine"][0] == first and brk["index"] == 1 and brk["started"]
        on_break_for(s, brk["seconds_done"] + 5)  # a little of the new exercise too
        assert s.box.cli("done").returncode == 0
    done = [r[0] for r in s.rows("exercise")]
    assert done[:2] == [first, second] and len(done) == 3


# --- 6 -----------------------------------------------------------------------------------------


def test_obs6_break_now_is_not_refused_and_closing_is_not_a_failure(tmp_path: Path) -> None:
    with desk(tmp_path, sitting={"break_after": "1h", "idle_reset": "5m"}) as s:
        assert s.box.cli("break-now").returncode == 0
        s.wait_window()
        wait_for(lambda: s.window_events("view") and s.last_view()["running"], timeout=10,
                 what="the window to show the running break")
        time.sleep(1)
        assert "refused" not in s.box.output()
        s.focused()
        s.close_window()
        s.box.wait_state("snoozed", timeout=10)  # closing is like Esc
    assert "window_closed" in s.kinds() and "window_failed" not in s.kinds()


# --- 7 -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_obs7_put_off_before_due_break_now_while_paused_and_honest_counts(tmp_path: Path
                                                                          ) -> None:
    with desk(tmp_path, sitting={"break_after": "1h", "idle_reset": "5m"},
              breaks={"heads_up": "1m"}) as s:
        out = s.box.cli("snooze", "30m")  # before a meeting, long before the heads-up
        assert out.returncode == 0, out.stderr
        st = s.box.status()
        assert st["state"] == "snoozed" and st["next_break_in_seconds"] > 80 * 60
        assert s.box.cli("pause", "1h").returncode == 0
        assert s.box.cli("break-now").returncode == 0  # ends the pause, starts the break
        assert s.box.status()["state"] == "on_break"
        time.sleep(2)
        assert s.box.cli("snooze").returncode == 0  # started, then snoozed
        stats = json.loads(s.box.cli("stats", "--days", "1", "--json").stdout)
    today = stats["days"][-1]
    assert today["breaks_started"] == 1 and today["breaks_taken"] == 0
    assert today["snoozed"] == 2

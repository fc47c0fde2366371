"""The break window on a real X server (Xvfb), driven with xdotool like a person would.

The window is a view: these tests send it views as the core would and read the intents it
writes back; it must never move on by itself.
"""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.desktop import Display, require, wait_for, xvfb
from tests.fakes import exercise as core_exercise
from tests.ui.sample_views import OFFERED, RUNNING
from tray_app.core.session import BreakView
from tray_app.ui.launch.break_window import BreakWindowProcess
from tray_app.ui.windows.protocol import DEBUG_ENV, BreakRequest, ExerciseSpec

pytestmark = pytest.mark.desktop

TITLE = "Time to move"


@pytest.fixture(scope="module")
def screen() -> Iterator[Display]:
    """One Xvfb for the whole file: every test closes its window, and start-up costs time."""
    require("xdotool")
    with xvfb() as d:
        yield d


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    """Three busy, clearly different PNG frames."""
    out = tmp_path_factory.mktemp("frames")
    paths = []
    for i in range(3):
        img = Image.new("RGB", (160, 120), ((90 * i) % 256, 60, 200 - 60 * i))
        draw = ImageDraw.Draw(img)
        for k in range(60):
            colour = ((k * 37 + i * 80) % 256, (k * 91) % 256, (k * 13 + i * 50) % 256)
            draw.rectangle([(k * 7) % 150, (k * 5) % 110, (k * 7) % 150 + 12, (k * 5) % 110 + 9],
                           fill=colour)
        path = out / f"frame{i}.png"
        img.save(path)
        paths.append(str(path))
    return tuple(paths)


def exercise(ex_id: str, seconds: tuple[int, ...], frames: tuple[str, ...] = ()) -> ExerciseSpec:
    return ExerciseSpec.from_exercise(core_exercise(ex_id, *seconds), frames)


def make_request(frames: tuple[str, ...] = (), **kw: Any) -> BreakRequest:
    base: dict[str, Any] = {
        "exercises": (exercise("march", (60, 60, 60), frames), exercise("bridge", (60,)),
                      exercise("chin-tucks", (30,))),
        "safety": "Stop if anything hurts.",
        "title": TITLE,
        "focus_wait_max": 0.0,  # tests that type want the focus at once
    }
    base.update(kw)
    return BreakRequest(**base)


class Window:
    """A break window child plus everything it said, with the time each line arrived."""

    def __init__(self, display: Display, env: dict[str, str] | None = None) -> None:
        self.display = display
        self.events: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.seen: list[tuple[float, dict[str, Any]]] = []
        self.layout: dict[str, list[int]] = {}
        self.client = BreakWindowProcess(
            lambda e: self.events.put((time.monotonic(), e)),
            env=env or display.env(**{DEBUG_ENV: "1"}),
        )

    def open(self, req: BreakRequest, view: BreakView = OFFERED) -> Window:
        self.client.open(req, view)
        return self

    def show(self, view: BreakView) -> dict[str, Any]:
        """Send a view and wait until the window has drawn it."""
        assert self.client.show(view)
        return self.next_where("view", index=view.index, step=view.step, running=view.running)

    def next(self, name: str, timeout: float = 10.0) -> dict[str, Any]:
        """The next event called `name`; the ones before it are kept in `seen`."""
        return self.next_timed(name, timeout)[1]

    def next_timed(self, name: str, timeout: float = 10.0) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                stamp, event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no {name!r} event within {timeout}s; saw {self.names()}")
            self.seen.append((stamp, event))
            if event["event"] == "layout":
                self.layout = event["widgets"]
            if event["event"] == name:
                return stamp, event
            if event["event"] == "crashed":
                pytest.fail(f"window crashed with {event} while waiting for {name!r}")

    def next_where(self, name: str, timeout: float = 10.0, **fields: Any) -> dict[str, Any]:
        """The next event called `name` whose fields have the given values."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(name, max(0.1, deadline - time.monotonic()))
            if all(event.get(k) == v for k, v in fields.items()):
                return event

    def intent(self, timeout: float = 10.0) -> dict[str, Any]:
        event = self.next("intent", timeout)
        return {k: v for k, v in event.items() if k != "event"}

    def no_intent(self, wait: float = 0.6) -> None:
        time.sleep(wait)
        while not self.events.empty():
            stamp, event = self.events.get()
            self.seen.append((stamp, event))
            assert event["event"] != "intent", f"unexpected {event}"

    def names(self) -> list[str]:
        return [e["event"] for _, e in self.seen]

    def ready(self) -> Window:
        """Wait until the window is laid out and has the keyboard focus."""
        self.next("layout")
        self.next("focused")
        return self

    def click(self, widget: str) -> None:
        x, y, w, h = self.layout[widget]
        self.display.run("xdotool", "mousemove", str(x + w // 2), str(y + h // 2), "click", "1")

    def key(self, *keys: str) -> None:
        self.display.run("xdotool", "key", "--delay", "30", *keys)

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def window(screen: Display) -> Iterator[Window]:
    win = Window(screen)
    yield win
    win.close()
    # The next test on this display finds its own window first, not one still going away
    # (on a loaded machine the X server can take a while to drop a closed client's window).
    wait_for(lambda: not window_ids(screen), what="the window to go")


def window_ids(display: Display) -> list[str]:
    out = display.run("xdotool", "search", "--onlyvisible", "--name", f"^{TITLE}$", check=False)
    return out.split()


def window_geometry(display: Display, wid: str) -> tuple[int, int, int, int]:
    geo = display.run("xdotool", "getwindowgeometry", "--shell", wid)
    vals = dict(line.split("=") for line in geo.split())
    x, y, w, h = (int(vals[k]) for k in ("X", "Y", "WIDTH", "HEIGHT"))
    return x, y, w, h


# --- appearing ------------------------------------------------------------------------------


def test_window_appears_within_a_second(screen: Display, frames: tuple[str, ...]) -> None:
    timings = []
    # best of two: the first Python + Tk start on a cold machine also pays for disk reads
    for _ in range(2):
        win = Window(screen)
        start = time.monotonic()
        win.open(make_request(frames))
        wait_for(lambda: window_ids(screen), timeout=10, interval=0.01, what="the window")
        timings.append(time.monotonic() - start)
        win.next("shown")
        win.close()
        wait_for(lambda: not window_ids(screen), what="the window to go")
    assert min(timings) < 1.0, f"window took {timings} s to appear"


def test_window_is_centred_and_on_top(window: Window, screen: Display) -> None:
    window.open(make_request()).ready()
    wid = window_ids(screen)[0]
    x, y, w, h = window_geometry(screen, wid)
    assert abs((x + w / 2) - 640) <= 2 and abs((y + h / 2) - 400) <= 2
    state = screen.run(require("xprop"), "-id", wid, "_NET_WM_STATE", check=False)
    assert "_NET_WM_STATE_ABOVE" in state


# --- a view of the core ---------------------------------------------------------------------


def test_buttons_send_intents_and_change_nothing_by_themselves(window: Window) -> None:
    window.open(make_request()).ready()
    window.click("start")
    assert window.intent() == {"intent": "start"}
    window.no_intent()
    assert "tick" not in window.names()  # not started until the core says so
    view = window.show(RUNNING)
    assert view["buttons"][:2] == ["start", "done"]
    window.next("layout")
    window.click("done")
    assert window.intent() == {"intent": "done", "exercise_id": "march", "step": 0}
    window.click("snooze_600")
    assert window.intent() == {"intent": "snooze", "seconds": 600}
    window.click("another")
    assert window.intent() == {"intent": "another", "exercise_id": "march"}


@pytest.mark.slow
def test_a_start_from_elsewhere_runs_the_open_windows_countdown(window: Window) -> None:
    """Issue 10, observation 1: the window said "press Enter to begin" with its timer stuck."""
    window.open(make_request()).ready()
    window.no_intent(0.3)
    sent = time.monotonic()
    assert window.client.show(RUNNING)  # the notification's Start, as the core answers it
    first = window.next_where("tick", step=0)
    assert time.monotonic() - sent < 1.0
    later = window.next_where("tick", timeout=5, step=0, clock="0:57")
    assert first["clock"] in ("1:00", "0:59") and later["progress"] > first["progress"]


def test_the_next_step_comes_from_the_core(window: Window) -> None:
    window.open(make_request(), replace(RUNNING, step_left_s=1.2)).ready()
    window.next_where("tick", clock="0:00", timeout=5)
    window.no_intent(0.5)  # ran out: it waits for the core, it does not move on
    view = window.show(replace(RUNNING, index=1, step=0, step_seconds=60, step_left_s=60))
    assert view["index"] == 1
    ex = [e for _, e in window.seen if e["event"] == "exercise"][-1]  # drawn before the view
    assert ex["id"] == "bridge" and ex["position"] == "2 of 2"


def test_strict_running_break_shows_no_done_or_skip(window: Window) -> None:
    strict = replace(RUNNING, strict=True, allowed=("close", "pause", "snooze"))
    window.open(make_request(), strict).next("layout")
    view = window.next("view") if "view" not in window.names() else None
    buttons = {k for k in window.layout if k not in ("picture", "progress", "clock", "step",
                                                     "keys")}
    assert buttons == {"snooze_300", "snooze_600"}, (buttons, view)


# --- keys -----------------------------------------------------------------------------------


def test_enter_starts_and_the_keys_are_shown(window: Window) -> None:
    window.open(make_request()).ready()
    drawn = [e for _, e in window.seen if e["event"] == "view"][-1]
    assert "Enter or Space" in drawn["keys"] and "Esc or S: Snooze 5 min" in drawn["keys"]
    window.key("Return")
    assert window.intent() == {"intent": "start"}
    window.show(RUNNING)
    window.key("Return")  # focus stays on the first button, now Next
    assert window.intent() == {"intent": "next", "exercise_id": "march", "step": 0}


def test_tab_to_skip_and_enter_skips(window: Window) -> None:
    """Issue 10, observation 4: Tab to Skip and Enter started the exercise instead."""
    window.open(make_request()).ready()
    window.key("Tab", "Tab", "Tab")  # Start -> Snooze 5 -> Snooze 10 -> Skip
    window.next_where("focus", widget="skip")
    window.key("Return")
    assert window.intent() == {"intent": "skip"}


def test_space_presses_the_focused_button_once(window: Window) -> None:
    window.open(make_request()).ready()
    window.key("Tab")
    window.next_where("focus", widget="snooze_300")
    window.key("space")
    assert window.intent() == {"intent": "snooze", "seconds": 300}
    window.no_intent()


@pytest.mark.parametrize("key", ["s", "Escape"])
def test_s_and_escape_snooze_before_start(window: Window, key: str) -> None:
    window.open(make_request()).ready()
    window.key(key)
    assert window.intent() == {"intent": "snooze", "seconds": 300}


def test_s_does_not_snooze_a_started_break_but_escape_does(window: Window) -> None:
    """Issue 10, observation 4: S snoozed even a break the user had just started."""
    window.open(make_request(), RUNNING).ready()
    window.key("s")
    window.no_intent()
    window.key("Escape")
    assert window.intent() == {"intent": "snooze", "seconds": 300}


def test_escape_does_nothing_without_snoozes(window: Window) -> None:
    none_left = replace(OFFERED, allowed=("close", "pause", "skip", "start"), snooze_options=())
    window.open(make_request(), none_left).ready()
    window.key("Escape")
    window.no_intent()


def test_closing_through_the_window_manager_is_an_intent_not_a_crash(
        window: Window, screen: Display) -> None:
    """Issue 10, observation 6: the close button was recorded as window_failed."""
    from Xlib import X, display
    from Xlib.protocol import event

    window.open(make_request()).ready()
    wid = int(window_ids(screen)[0])
    conn = display.Display(screen.name)
    try:  # what a window manager sends when the user clicks the close button
        protocols = conn.intern_atom("WM_PROTOCOLS")
        delete = conn.intern_atom("WM_DELETE_WINDOW")
        target = conn.create_resource_object("window", wid)
        msg = event.ClientMessage(window=target, client_type=protocols,
                                  data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        target.send_event(msg, event_mask=X.NoEventMask)
        # A round trip, not a flush: closing right after a flush lost the message about one
        # time in three on a loaded machine (pytest -n 2), and the test waited for nothing.
        conn.sync()
    finally:
        conn.close()
    assert window.intent() == {"intent": "close"}
    assert window.client.wait(5)
    assert "crashed" not in window.names()
    window.no_intent(0.3)
    assert "crashed" not in window.names()


def test_picture_is_drawn_and_animated(window: Window, screen: Display,
                                       frames: tuple[str, ...], tmp_path: Path) -> None:
    require("import")
    window.open(make_request(frames)).ready()
    x, y, w, h = window.layout["picture"]

    def grab() -> Image.Image:
        png = subprocess.run(
            ["import", "-window", "root", "-crop", f"{w}x{h}+{x}+{y}", "png:-"],
            env=screen.env(), capture_output=True, check=True, timeout=10,
        ).stdout
        return Image.open(io.BytesIO(png)).convert("RGB")

    first = grab()
    colours = first.getcolors(maxcolors=100_000) or []
    assert len(colours) >= 30, f"picture area looks blank: {len(colours)} colours"
    # the next frame comes about a second later
    wait_for(lambda: grab().tobytes() != first.tobytes(), timeout=4, interval=0.2,
             what="the picture to change frame")


def test_the_window_draws_pictures_the_request_only_names_a_folder_for(
        window: Window, tmp_path: Path) -> None:
    """The app sends no frames, only where to cache them: the window draws them itself."""
    pictures = tmp_path / "pictures"
    window.open(make_request(pictures_dir=str(pictures))).ready()
    shown = [e for _, e in window.seen if e["event"] == "exercise"][-1]
    assert shown["id"] == "march" and shown["frames"] >= 2
    assert len(list(pictures.glob("march-*.png"))) == shown["frames"]
    assert not list(pictures.glob("bridge-*.png"))  # the others wait until they are shown


# --- focus ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_waits_for_a_pause_in_typing_before_taking_focus(screen: Display) -> None:
    screen.run("xdotool", "mousemove", "0", "0")  # keep the pointer off the window
    typing = subprocess.Popen(
        ["xdotool", "key", "--delay", "100", *["shift"] * 15], env=screen.env()
    )
    win = Window(screen)
    try:
        win.open(make_request(focus_wait_max=10.0))
        win.next("shown")
        wid = window_ids(screen)[0]
        if typing.poll() is None:  # still typing: the window must not have grabbed the keys
            assert "focused" not in win.names()
            assert screen.run("xdotool", "getwindowfocus", check=False).strip() != wid
        typing.wait(10)
        typed_until = time.monotonic()
        focused_at, _ = win.next_timed("focused", 10)
        assert focused_at - typed_until >= 1.2, "took focus before a 1.5 s pause in typing"
        wait_for(lambda: screen.run("xdotool", "getwindowfocus").strip() == wid,
                 timeout=3, what="the window to hold the focus")
    finally:
        if typing.poll() is None:
            typing.kill()
        win.close()


def test_gives_up_waiting_after_focus_wait_max(screen: Display) -> None:
    screen.run("xdotool", "mousemove", "0", "0")
    typing = subprocess.Popen(
        ["xdotool", "key", "--delay", "100", *["shift"] * 30], env=screen.env()
    )
    win = Window(screen)
    try:
        win.open(make_request(focus_wait_max=0.5))
        shown_at, _ = win.next_timed("shown")
        focused_at, _ = win.next_timed("focused", 10)
        # it took the keyboard while the typing went on: it stopped waiting for a pause
        assert typing.poll() is None, "typing ended too early for this test to mean anything"
        assert focused_at - shown_at >= 0.4
    finally:
        typing.kill()
        typing.wait()
        win.close()


def test_a_click_takes_focus_at_once(screen: Display) -> None:
    screen.run("xdotool", "mousemove", "0", "0")
    typing = subprocess.Popen(
        ["xdotool", "key", "--delay", "100", *["shift"] * 30], env=screen.env()
    )
    win = Window(screen)
    try:
        win.open(make_request(focus_wait_max=10.0))
        win.next("layout")
        assert "focused" not in win.names()
        win.click("picture")  # the user reached for the window: no need to wait
        win.next("focused", 5)
        assert typing.poll() is None, "typing ended too early for this test to mean anything"
    finally:
        typing.kill()
        typing.wait()
        win.close()


# --- the client -----------------------------------------------------------------------------


def test_only_one_window_per_client(window: Window) -> None:
    window.open(make_request()).next("shown")
    with pytest.raises(RuntimeError, match="already open"):
        window.client.open(make_request(), OFFERED)
    window.close()
    assert not window.client.is_open


def test_client_reports_a_killed_window(window: Window) -> None:
    window.open(make_request()).next("shown")
    pid = window.client.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    crash = window.next("crashed")
    assert crash["returncode"] == -signal.SIGKILL
    assert not window.client.is_open


def test_client_reports_a_window_that_exits_with_an_error(screen: Display) -> None:
    win = Window(screen, env=screen.env(DISPLAY=":4999"))  # no such display: Tk cannot start
    win.open(make_request())
    crash = win.next("crashed")
    assert crash["returncode"] not in (0, None)
    assert "cannot open a window" in crash["stderr"]


def test_close_ends_the_window_quietly(window: Window, screen: Display) -> None:
    window.open(make_request()).next("shown")
    window.close()
    assert not window.client.is_open
    wait_for(lambda: not window_ids(screen), what="the window to go")
    assert window.events.empty()


def test_a_window_manager_does_not_hand_it_the_keyboard_on_map() -> None:
    """Openbox focuses new windows; while the user types ours must stay unfocused."""
    openbox = require("openbox")
    require("xprop")
    with xvfb() as d:
        wm = subprocess.Popen([openbox], env=d.env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        win = Window(d)
        try:
            wait_for(lambda: d.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK",
                                   check=False).count("window id") > 0,
                     what="openbox to manage the screen")
            d.run("xdotool", "mousemove", "0", "0")
            typing = subprocess.Popen(["xdotool", "key", "--delay", "100", *["shift"] * 12],
                                      env=d.env())
            win.open(make_request(focus_wait_max=10.0))
            win.next("layout")
            wid = window_ids(d)[0]
            still_typing = typing.poll() is None
            focus = d.run("xdotool", "getwindowfocus", check=False).strip()
            typing.wait(10)
            assert still_typing, "typing ended before the window showed; the check proved nothing"
            assert focus != wid, "the window manager gave the new window the keyboard"
            win.next("focused", 10)
            wait_for(lambda: d.run("xdotool", "getwindowfocus").strip() == wid, timeout=3,
                     what="the window to hold the focus after the pause")
            win.key("s")
            assert win.intent() == {"intent": "snooze", "seconds": 300}
        finally:
            win.close()
            wm.terminate()
            wm.wait(5)

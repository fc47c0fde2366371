"""The break window on a real X server (Xvfb), driven with xdotool like a person would."""

from __future__ import annotations

import io
import os
import queue
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.desktop import Display, require, wait_for, xvfb
from tray_app.ui.break_client import BreakWindowProcess
from tray_app.ui.window_protocol import DEBUG_ENV, BreakRequest, ExerciseSpec, StepSpec

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
    return ExerciseSpec(
        id=ex_id,
        name=f"Exercise {ex_id}",
        category="psoas-strength",
        where="chair",
        steps=tuple(StepSpec(f"{ex_id} step {i + 1}", s) for i, s in enumerate(seconds)),
        cue="Sit tall and breathe out as you lift.",
        frames=frames,
    )


def make_request(frames: tuple[str, ...] = (), **kw: Any) -> BreakRequest:
    base: dict[str, Any] = {
        "exercises": (exercise("march", (60, 60, 60), frames), exercise("bridge", (60,))),
        "snooze_options": (300, 600),
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

    def open(self, req: BreakRequest) -> Window:
        self.client.open(req)
        return self

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
            if event["event"] in ("crashed", "result"):
                pytest.fail(f"window ended with {event} while waiting for {name!r}")

    def next_where(self, name: str, **fields: Any) -> dict[str, Any]:
        """The next event called `name` whose fields have the given values."""
        deadline = time.monotonic() + 10.0
        while True:
            event = self.next(name, max(0.1, deadline - time.monotonic()))
            if all(event.get(k) == v for k, v in fields.items()):
                return event

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

    def result(self, timeout: float = 10.0) -> dict[str, Any]:
        return self.next("result", timeout)

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def window(screen: Display) -> Iterator[Window]:
    win = Window(screen)
    yield win
    win.close()


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
    window.click("done")
    window.result()


# --- buttons --------------------------------------------------------------------------------


def test_start_next_and_finish_buttons(window: Window) -> None:
    window.open(make_request()).ready()
    window.click("start")
    assert window.next("started")["exercise_id"] == "march"
    assert window.next("tick")["step"] == 0
    window.click("start")  # now "Next"
    assert window.next("tick")["step"] == 1
    window.click("start")
    assert window.next("tick")["step"] == 2
    window.click("start")  # "Finish" on the last step
    res = window.result()
    assert res["action"] == "done" and res["steps_done"] == 3 and res["exercise_id"] == "march"


def test_done_button(window: Window) -> None:
    window.open(make_request(started=True)).ready()
    assert "started" in window.names()  # "take a break now" begins at once
    window.click("done")
    res = window.result()
    assert res["action"] == "done" and res["snooze_seconds"] is None
    assert res["category"] == "psoas-strength" and res["steps_done"] == 0


@pytest.mark.parametrize("seconds", [300, 600])
def test_snooze_buttons(window: Window, seconds: int) -> None:
    window.open(make_request()).ready()
    window.click(f"snooze_{seconds}")
    res = window.result()
    assert res["action"] == "snooze" and res["snooze_seconds"] == seconds


def test_skip_button(window: Window) -> None:
    window.open(make_request()).ready()
    window.click("skip")
    assert window.result()["action"] == "skip"


def test_another_exercise_cycles(window: Window) -> None:
    window.open(make_request()).ready()
    window.click("another")
    window.next("layout")  # laid out again for the new exercise
    window.click("another")
    window.next("layout")
    window.click("another")
    window.next("layout")
    window.click("start")
    assert window.next("started")["exercise_id"] == "bridge"
    window.click("done")
    res = window.result()
    assert res["exercise_id"] == "bridge" and res["action"] == "done"


def test_strict_mode_has_no_skip(window: Window) -> None:
    window.open(make_request(can_skip=False)).ready()
    assert "skip" not in window.layout and "done" in window.layout
    window.click("done")
    window.result()


def test_no_snoozes_left_disables_snooze(window: Window) -> None:
    window.open(make_request(snooze_options=())).ready()
    assert "snooze_300" not in window.layout
    window.click("snooze")  # disabled: nothing happens, so the Done click below is the answer
    window.click("done")
    assert window.result()["action"] == "done"


def test_closing_through_the_window_manager(window: Window, screen: Display) -> None:
    from Xlib import X, display
    from Xlib.protocol import event

    window.open(make_request()).ready()
    wid = int(window_ids(screen)[0])
    conn = display.Display(screen.name)
    try:
        protocols = conn.intern_atom("WM_PROTOCOLS")
        delete = conn.intern_atom("WM_DELETE_WINDOW")
        target = conn.create_resource_object("window", wid)
        msg = event.ClientMessage(window=target, client_type=protocols,
                                  data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        target.send_event(msg, event_mask=X.NoEventMask)
        conn.flush()
    finally:
        conn.close()
    assert window.result()["action"] == "closed"


# --- keys -----------------------------------------------------------------------------------


def test_enter_starts_advances_and_finishes(window: Window) -> None:
    window.open(make_request()).ready()
    window.key("Return")
    window.next("started")
    window.key("Return")
    assert window.next("tick", 5)["step"] in (0, 1)
    window.key("Return", "Return")
    res = window.result()
    assert res["action"] == "done" and res["steps_done"] == 3


@pytest.mark.parametrize("key", ["s", "Escape"])
def test_s_and_escape_snooze_with_the_first_option(window: Window, key: str) -> None:
    window.open(make_request()).ready()
    window.key(key)
    res = window.result()
    assert res["action"] == "snooze" and res["snooze_seconds"] == 300


def test_escape_does_nothing_without_snoozes(window: Window) -> None:
    window.open(make_request(snooze_options=())).ready()
    window.key("Escape", "s")
    window.click("skip")  # events are handled in order: a snooze would have come first
    assert window.result()["action"] == "skip"


def test_tab_reaches_every_control_and_space_presses(window: Window) -> None:
    window.open(make_request()).ready()
    buttons = ["start", "done", "snooze_300", "snooze_600", "skip", "another"]
    reached = [window.next("focus")["widget"]]  # focus starts on Start
    for _ in buttons[1:]:
        window.key("Tab")
        reached.append(window.next("focus")["widget"])
    assert reached == buttons
    window.key("shift+Tab")  # back one, to Skip
    assert window.next("focus")["widget"] == "skip"
    window.key("space")
    assert window.result()["action"] == "skip"


# --- the routine ----------------------------------------------------------------------------


def test_countdown_runs_and_the_routine_ends_by_itself(window: Window) -> None:
    req = make_request(exercises=(exercise("quick", (1, 2)),), started=True)
    window.open(req)
    window.next("started")
    t0, first = window.next_timed("tick")
    assert (first["step"], first["clock"]) == (0, "0:01")
    t1, second = window.next_timed("tick")
    assert (second["step"], second["clock"]) == (1, "0:02")
    _, third = window.next_timed("tick")
    assert (third["step"], third["clock"]) == (1, "0:01")
    assert third["progress"] > second["progress"] > first["progress"] - 1e-9
    res = window.result()
    assert res["action"] == "done" and res["steps_done"] == 2
    assert 2.5 <= res["elapsed_seconds"] <= 6
    assert 0.7 <= t1 - t0 <= 3, "the first step should last about one second"
    window.client.wait(5)
    assert not window.client.is_open


# --- routines of several exercises ---------------------------------------------------------


def routine_request(frames: tuple[str, ...], *exercises: ExerciseSpec, **kw: Any) -> BreakRequest:
    return make_request(exercises=exercises, routine=2, **kw)


def test_a_routine_runs_to_the_end_by_itself(window: Window, frames: tuple[str, ...]) -> None:
    first = exercise("march", (1, 1), frames[:2])
    second = exercise("bridge", (2,), frames)
    window.open(routine_request(frames, first, second, exercise("spare", (9,)), started=True))
    shown = window.next("exercise")
    assert shown == {"event": "exercise", "index": 0, "id": "march", "name": "Exercise march",
                     "position": "1 of 2", "frames": 2}
    assert window.next("started")["exercise_id"] == "march"
    ticks = [window.next("tick")]
    while ticks[-1]["exercise"] == 0:
        ticks.append(window.next("tick"))
    steps = [(t["exercise"], t["step"]) for t in ticks]
    # (0, 1) is expected in between, but a stalled loop on a busy machine may jump it
    assert steps[0] == (0, 0) and steps[-1] == (1, 0) and steps == sorted(steps)
    # the second exercise came on show by itself: its name, position and pictures
    assert [e for _, e in window.seen if e["event"] == "exercise"][-1] == {
        "event": "exercise", "index": 1, "id": "bridge", "name": "Exercise bridge",
        "position": "2 of 2", "frames": 3,
    }
    assert ticks[-1]["clock"] == "0:02"
    # one progress bar over both exercises: 2 of 4 s done when the second one begins
    assert 0.45 <= ticks[-1]["progress"] <= 0.6
    res = window.result()
    assert res["action"] == "done" and res["steps_done"] == 3
    assert (res["exercise_id"], res["category"]) == ("march", "psoas-strength")
    assert [e["exercise_id"] for e in res["exercises"]] == ["march", "bridge"]
    march, bridge = (e["seconds"] for e in res["exercises"])
    assert 1.8 <= march <= 3.0 and 1.8 <= bridge <= 3.0
    assert res["elapsed_seconds"] == pytest.approx(march + bridge, abs=0.5)
    assert [e for _, e in window.seen if e["event"] == "started"] == [
        {"event": "started", "exercise_id": "march"}
    ]


def test_done_in_the_middle_of_the_second_exercise(window: Window) -> None:
    first, second = exercise("march", (1,)), exercise("plank", (2, 2, 2))
    window.open(routine_request((), first, second, started=True))
    window.next_where("exercise", index=1)
    window.next("layout")  # laid out again for the second exercise
    window.click("done")
    res = window.result()
    assert res["action"] == "done"
    assert [e["exercise_id"] for e in res["exercises"]] == ["march", "plank"]
    march, plank = (e["seconds"] for e in res["exercises"])
    assert 0.9 <= march <= 2.0
    assert 0 <= plank < 5.9, "the second exercise was cut short, not run to its end"
    assert res["steps_done"] in (1, 2, 3)


def test_enter_walks_through_the_routine(window: Window) -> None:
    window.open(routine_request((), exercise("march", (60, 60)), exercise("plank", (60,))))
    window.ready()
    window.key("Return")
    window.next("started")
    window.key("Return")  # march, step 2
    window.next_where("tick", exercise=0, step=1)
    window.key("Return")  # over the boundary: plank, step 1
    assert window.next_where("exercise", index=1)["position"] == "2 of 2"
    assert window.next_where("tick", exercise=1, step=0)["progress"] == pytest.approx(
        120 / 180, abs=0.02)
    window.key("Return")  # Finish
    res = window.result()
    assert res["action"] == "done" and res["steps_done"] == 3
    assert [e["exercise_id"] for e in res["exercises"]] == ["march", "plank"]


def test_another_exercise_replaces_the_whole_routine(window: Window) -> None:
    req = routine_request((), exercise("march", (60,)), exercise("plank", (60,)),
                          exercise("bridge", (60,)), started=True)
    window.open(req).ready()
    assert "started" in window.names()
    window.click("another")
    shown = window.next_where("exercise", id="bridge")
    assert shown["index"] == 0 and shown["position"] == ""  # a routine of one now
    window.next("layout")
    window.click("start")  # back in the not-started view: this starts the swapped-in one
    assert window.next("started")["exercise_id"] == "bridge"
    window.click("done")
    res = window.result()
    assert res["exercise_id"] == "bridge"
    assert [e["exercise_id"] for e in res["exercises"]] == ["bridge"]


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
    window.click("done")
    window.result()


# --- focus ----------------------------------------------------------------------------------


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
        assert typing.poll() is None, "typing ended too early for this test to mean anything"
        assert 0.4 <= focused_at - shown_at <= 2.5
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
        window.client.open(make_request())
    window.next("layout")
    window.click("done")
    window.result()
    window.client.wait(5)
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
            assert win.result()["action"] == "snooze"
        finally:
            win.close()
            wm.terminate()
            wm.wait(5)

"""The guided break window: a short-lived Tk child process.

Run as `python -m tray_app.ui.break_window`; it reads one BreakRequest (JSON) on stdin and
writes JSON lines on stdout (see tray_app.ui.window_protocol). The tray process never imports
this module, so Tk is only ever loaded here.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import sys
import time
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any, TextIO

from tray_app.ui.window_protocol import (
    DEBUG_ENV,
    BreakRequest,
    BreakResult,
    ExerciseDone,
    ExerciseSpec,
    ProtocolError,
    event_line,
    request_from_json,
    result_to_dict,
    snooze_label,
)

TYPING_PAUSE_MS = 1500  # a pause this long means the user is not mid-sentence
FOCUS_POLL_MS = 100
TICK_MS = 100
FRAME_MS = 1000


class BreakSession:
    """The routine's state, without Tk: which exercise, which step, how long is left.

    A routine is one or more exercises run back to back: when an exercise's last step ends
    the next exercise's first step begins. Every method takes `now` (monotonic seconds) so
    tests can drive it without a clock.
    """

    def __init__(self, req: BreakRequest) -> None:
        self.req = req
        self.choice = 0  # 0: the requested routine; k: the k-th alternative after it
        self.routine: tuple[ExerciseSpec, ...] = req.exercises[: req.routine]
        self.ex_index = 0  # position of the running exercise in the routine
        self.started = False
        self.finished = False
        self.step_index = 0  # step within the running exercise
        self.steps_done = 0  # across the whole routine
        self._step_started = 0.0
        self._routine_started: float | None = None
        # when each exercise begun so far began and ended (None while it runs)
        self._begins: list[float] = []
        self._ends: list[float | None] = []

    @property
    def alternatives(self) -> tuple[ExerciseSpec, ...]:
        """The single exercises "Another exercise" can swap in, in order."""
        return self.req.exercises[self.req.routine :]

    @property
    def exercise(self) -> ExerciseSpec:
        """The exercise on show."""
        return self.routine[self.ex_index]

    @property
    def total_seconds(self) -> int:
        """Length of the whole routine."""
        return sum(ex.seconds for ex in self.routine)

    @property
    def is_last_step(self) -> bool:
        """True while the routine's final step (of its final exercise) is running."""
        return (
            self.ex_index == len(self.routine) - 1
            and self.step_index == len(self.exercise.steps) - 1
        )

    def start(self, now: float) -> bool:
        """Begin the routine at its first step; False when it was already running."""
        if self.started or self.finished:
            return False
        self.started = True
        self.ex_index = 0
        self.step_index = 0
        self.steps_done = 0
        self._step_started = now
        self._routine_started = now
        self._begins, self._ends = [now], [None]
        return True

    def advance(self, now: float) -> None:
        """What Enter / Next does: start, go to the next step (crossing into the next
        exercise after an exercise's last step), or finish after the routine's last step."""
        if self.finished:
            return
        if not self.started:
            self.start(now)
            return
        self.steps_done += 1
        if self.step_index < len(self.exercise.steps) - 1:
            self.step_index += 1
        elif self.ex_index < len(self.routine) - 1:
            self._ends[-1] = now
            self._begins.append(now)
            self._ends.append(None)
            self.ex_index += 1
            self.step_index = 0
        else:
            self._ends[-1] = now
            self.finished = True
            return
        self._step_started = now

    def tick(self, now: float) -> None:
        """Let time pass; steps whose countdown has run out advance by themselves."""
        if not self.started or self.finished:
            return
        # a loop, not an if: a stalled event loop may have slept through several steps
        while not self.finished:
            ends = self._step_started + self.exercise.steps[self.step_index].seconds
            if now < ends:
                return
            self.advance(ends)

    def step_left(self, now: float) -> float:
        """Seconds left in the current step (the whole first step before the routine starts)."""
        step = self.exercise.steps[self.step_index]
        if not self.started:
            return float(step.seconds)
        if self.finished:
            return 0.0
        return max(0.0, step.seconds - (now - self._step_started))

    def progress(self, now: float) -> float:
        """Share of the whole routine done, 0.0 to 1.0."""
        if self.finished:
            return 1.0
        if not self.started:
            return 0.0
        steps = self.exercise.steps
        before = sum(ex.seconds for ex in self.routine[: self.ex_index])
        before += sum(s.seconds for s in steps[: self.step_index])
        here = steps[self.step_index].seconds - self.step_left(now)
        return min(1.0, (before + here) / self.total_seconds)

    def another(self) -> ExerciseSpec:
        """Swap the whole routine for the next alternative (cycling back to the requested
        routine after the last one); a swap returns to the not-started view.

        Returns the first exercise now on show. Without alternatives nothing changes.
        """
        options = 1 + len(self.alternatives)
        if options == 1:
            return self.exercise
        self.choice = (self.choice + 1) % options
        if self.choice == 0:
            self.routine = self.req.exercises[: self.req.routine]
        else:
            self.routine = (self.alternatives[self.choice - 1],)
        self.ex_index = 0
        self.started = False
        self.finished = False
        self.step_index = 0
        self.steps_done = 0
        self._routine_started = None
        self._begins, self._ends = [], []
        return self.exercise

    def exercises_done(self, now: float) -> tuple[ExerciseDone, ...]:
        """Each exercise begun so far, in order, with the seconds spent on it up to `now`."""
        out = []
        for ex, begin, end in zip(self.routine, self._begins, self._ends, strict=False):
            spent = (now if end is None else end) - begin
            out.append(ExerciseDone(ex.id, ex.category, round(max(0.0, spent), 2)))
        return tuple(out)

    def result(self, action: str, now: float, snooze_seconds: int | None = None) -> BreakResult:
        """The final answer for `action`, with the steps done and the routine's time so far."""
        elapsed = 0.0 if self._routine_started is None else now - self._routine_started
        first = self.routine[0]
        return BreakResult(
            action=action,
            exercise_id=first.id,
            category=first.category,
            steps_done=self.steps_done,
            elapsed_seconds=round(max(0.0, elapsed), 2),
            snooze_seconds=snooze_seconds,
            exercises=self.exercises_done(now),
        )


def format_clock(seconds: float) -> str:
    """Countdown text: whole seconds rounded up, as m:ss."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def focus_due(idle_ms: int | None, waited_s: float, wait_max_s: float) -> bool:
    """Whether to take keyboard focus now.

    Take it after a pause in typing, or once the longest wait is over. Without an idle
    reading (no X screensaver extension) a plain 1.5 s wait stands in for the pause.
    """
    if waited_s >= wait_max_s:
        return True
    if idle_ms is None:
        return waited_s * 1000 >= TYPING_PAUSE_MS
    return idle_ms >= TYPING_PAUSE_MS


class _X11:
    """The bits of X11 Tk cannot tell: input idle time and the monitor layout.

    python-xlib is imported lazily and every failure degrades to None/no-op, so the
    window still works on a server without the extensions (or on another platform).
    """

    def __init__(self) -> None:
        self.display: Any = None
        try:
            from Xlib import display as xdisplay

            self.display = xdisplay.Display()
        except Exception:
            self.display = None

    def idle_ms(self) -> int | None:
        """Milliseconds since the last key or pointer input, or None when unknown."""
        if self.display is None:
            return None
        try:
            return int(self.display.screen().root.screensaver_query_info().idle)
        except Exception:
            return None

    def monitors(self) -> list[tuple[int, int, int, int]]:
        """Monitor rectangles (x, y, width, height) from Xinerama/RandR; empty when unknown."""
        if self.display is None:
            return []
        try:
            if not self.display.has_extension("XINERAMA") or not self.display.xinerama_is_active():
                return []
            return [(m.x, m.y, m.width, m.height)
                    for m in self.display.xinerama_query_screens().screens]
        except Exception:
            return []

    def close(self) -> None:
        """Drop the connection."""
        if self.display is not None:
            with contextlib.suppress(Exception):
                self.display.close()


class BreakWindow:
    """The Tk window around a BreakSession; writes events through `emit`."""

    def __init__(
        self,
        root: tk.Tk,
        req: BreakRequest,
        emit: Callable[[dict[str, Any]], None],
        debug: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root
        self.req = req
        self.emit = emit
        self.debug = debug
        self.clock = clock
        self.session = BreakSession(req)
        self.result: BreakResult | None = None
        self.x11: _X11 | None = None
        self._frames: list[tk.PhotoImage] = []
        self._frame_index = 0
        self._frame_job: str | None = None
        self._shown_at: float | None = None
        self._focused = False
        self._last_tick: tuple[int, int, str] | None = None
        self._on_show: tuple[int, int] | None = None  # (choice, position) drawn last
        self.buttons: dict[str, ttk.Button] = {}
        self._build()
        self._refresh()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        root = self.root
        root.title(self.req.title)
        root.resizable(False, False)
        root.protocol("WM_DELETE_WINDOW", lambda: self.finish("closed"))
        style = ttk.Style(root)
        with contextlib.suppress(tk.TclError):
            style.theme_use("clam")  # its focus ring is clearly visible
        style.configure("Name.TLabel", font=("TkDefaultFont", 16, "bold"))
        style.configure("Clock.TLabel", font=("TkFixedFont", 22, "bold"))
        style.configure("Small.TLabel", font=("TkDefaultFont", 9))
        style.configure("Position.TLabel", font=("TkDefaultFont", 11, "bold"))
        style.configure("TButton", focusthickness=2, focuscolor="#1c5fb8")

        wrap = root.winfo_fpixels("4.6i")  # inches, so the layout follows the screen's DPI
        pad = int(root.winfo_fpixels("0.12i"))
        body = ttk.Frame(root, padding=pad)
        body.pack(fill="both", expand=True)
        head = ttk.Frame(body)
        head.pack(fill="x")
        self.name_label = ttk.Label(head, style="Name.TLabel", wraplength=wrap)
        self.name_label.pack(side="left", anchor="w")
        # "1 of 2" beside the name while a routine of several exercises is on show
        self.position_label = ttk.Label(head, style="Position.TLabel")
        self.position_label.pack(side="right", anchor="e")
        self.where_label = ttk.Label(body, style="Small.TLabel", wraplength=wrap)
        self.where_label.pack(anchor="w")
        self.picture = ttk.Label(body, anchor="center")
        self.picture.pack(pady=pad // 2)
        self.step_label = ttk.Label(body, wraplength=wrap, justify="left")
        self.step_label.pack(anchor="w", fill="x")
        row = ttk.Frame(body)
        row.pack(fill="x", pady=(pad // 2, 0))
        self.clock_label = ttk.Label(row, style="Clock.TLabel")
        self.clock_label.pack(side="left")
        self.count_label = ttk.Label(row, style="Small.TLabel")
        self.count_label.pack(side="right")
        self.progress = ttk.Progressbar(body, mode="determinate", maximum=1000)
        self.progress.pack(fill="x", pady=(2, pad // 2))
        self.cue_label = ttk.Label(body, wraplength=wrap, font=("TkDefaultFont", 10, "italic"))
        self.cue_label.pack(anchor="w")
        self.safety_label = ttk.Label(
            body, text=self.req.safety, style="Small.TLabel", wraplength=wrap
        )
        self.safety_label.pack(anchor="w", pady=(pad // 2, 0))

        bar = ttk.Frame(body)
        bar.pack(fill="x", pady=(pad, 0))
        # fixed width: the button keeps its place when "Start" becomes "Next"
        self._add_button(bar, "start", "Start", self.on_enter, width=8)
        self._add_button(bar, "done", "Done", lambda: self.finish("done"))
        if self.req.snooze_options:
            for seconds in self.req.snooze_options:
                self._add_button(
                    bar, f"snooze_{seconds}", snooze_label(seconds),
                    lambda s=seconds: self.finish("snooze", s),
                )
        else:
            self._add_button(bar, "snooze", "Snooze", lambda: None).state(["disabled"])
        if self.req.can_skip:
            self._add_button(bar, "skip", "Skip", lambda: self.finish("skip"))
        if self.session.alternatives:
            self._add_button(bar, "another", "Another exercise", self.on_another)

        for seq in ("<Return>", "<KP_Enter>"):
            root.bind(seq, lambda _e: self.on_enter())
        for seq in ("<Key-s>", "<Key-S>", "<Escape>"):
            root.bind(seq, lambda _e: self.on_snooze_key())

    def _add_button(
        self, parent: ttk.Frame, name: str, text: str, command: Callable[[], object],
        width: int | None = None,
    ) -> ttk.Button:
        button = ttk.Button(parent, text=text, command=command, takefocus=True)
        if width is not None:
            button.configure(width=width)
        button.pack(side="left", padx=(0, 4))
        if self.debug:
            button.bind("<FocusIn>", lambda _e, n=name: self.emit({"event": "focus", "widget": n}))
        self.buttons[name] = button
        return button

    def _show_exercise(self) -> None:
        """Draw the running (or first) exercise of the routine: name, place, cue, picture."""
        s = self.session
        ex = s.exercise
        self._on_show = (s.choice, s.ex_index)
        self.name_label.configure(text=ex.name)
        self.where_label.configure(text=" · ".join(p for p in (ex.where, ex.category) if p))
        self.cue_label.configure(text=ex.cue)
        count = len(s.routine)
        self.position_label.configure(text=f"{s.ex_index + 1} of {count}" if count > 1 else "")
        self._load_frames(ex)
        if self.debug:
            self.emit({"event": "exercise", "index": s.ex_index, "id": ex.id,
                       "name": self.name_label.cget("text"),
                       "position": self.position_label.cget("text"),
                       "frames": len(self._frames)})
            if self._shown_at is not None:  # the first layout is sent once the window maps
                self.root.after_idle(self.emit_layout)

    def _load_frames(self, ex: ExerciseSpec) -> None:
        """Load the picture frames; scale big ones down so the window fits small screens."""
        self._frames = []
        limit = self.root.winfo_fpixels("2.4i")
        for path in ex.frames:
            try:
                img = tk.PhotoImage(file=path)
            except tk.TclError:
                continue  # a missing frame costs the picture, never the break
            factor = math.ceil(max(img.width(), img.height()) / limit)
            self._frames.append(img.subsample(factor) if factor > 1 else img)
        self._frame_index = 0
        if self._frames:
            self.picture.configure(image=self._frames[0], text="")
        else:
            self.picture.configure(image="", text="")

    # --- showing and focus ------------------------------------------------------------------

    def show(self) -> None:
        """Place the window centred on the pointer's monitor, on top, and map it unfocused."""
        root = self.root
        root.update_idletasks()
        self.x11 = _X11() if root.tk.call("tk", "windowingsystem") == "x11" else None
        monitors = self.x11.monitors() if self.x11 is not None else []
        if not monitors:
            monitors = [(0, 0, root.winfo_screenwidth(), root.winfo_screenheight())]
        w, h = root.winfo_reqwidth(), root.winfo_reqheight()
        x, y = centred(w, h, monitors, root.winfo_pointerxy())
        root.geometry(f"+{x}+{y}")
        # "active" sets WM_HINTS input=False, so the window manager maps us without
        # handing over the keyboard; _take_focus switches back once the user pauses
        root.wm_focusmodel("active")
        root.bind_all("<ButtonPress>", lambda _e: self._take_focus(), add="+")
        root.attributes("-topmost", True)
        root.bind("<Map>", self._on_map)
        root.deiconify()

    def _on_map(self, event: tk.Event) -> None:
        if event.widget is not self.root or self._shown_at is not None:
            return
        self._shown_at = self.clock()
        self.emit({"event": "shown"})
        if self.req.started and self.session.start(self.clock()):
            self._emit_started()
        self.root.after(TICK_MS, self._tick)
        self._frame_job = self.root.after(FRAME_MS, self._next_frame)
        self.root.after_idle(self._after_shown)

    def _after_shown(self) -> None:
        if self.debug:
            self.emit_layout()
        self._poll_focus()

    def _poll_focus(self) -> None:
        if self._focused or self.result is not None or self._shown_at is None:
            return
        idle = self.x11.idle_ms() if self.x11 is not None else None
        if focus_due(idle, self.clock() - self._shown_at, self.req.focus_wait_max):
            self._take_focus()
        else:
            self.root.after(FOCUS_POLL_MS, self._poll_focus)

    def _take_focus(self) -> None:
        """Take the keyboard: after a typing pause, or at once when the user clicks us."""
        if self._focused or self.result is not None:
            return
        self._focused = True
        self.root.wm_focusmodel("passive")  # from now on the window manager may focus us
        self.root.lift()
        self.root.focus_force()
        self.buttons["start"].focus_set()
        self.emit({"event": "focused"})

    def emit_layout(self) -> None:
        """Debug aid for tests: widget rectangles in root-window coordinates."""
        self.root.update_idletasks()
        widgets: dict[str, ttk.Widget] = {
            **self.buttons,
            "picture": self.picture,
            "progress": self.progress,
            "clock": self.clock_label,
            "step": self.step_label,
        }
        rects = {
            name: [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()]
            for name, w in widgets.items()
        }
        self.emit({"event": "layout", "widgets": rects})

    # --- running ----------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.result is not None:
            return
        self.session.tick(self.clock())
        if self.session.finished:
            self.finish("done")
            return
        self._refresh()
        self.root.after(TICK_MS, self._tick)

    def _next_frame(self) -> None:
        if len(self._frames) > 1:
            self._frame_index = (self._frame_index + 1) % len(self._frames)
            self.picture.configure(image=self._frames[self._frame_index])
        self._frame_job = self.root.after(FRAME_MS, self._next_frame)

    def _refresh(self) -> None:
        s, now = self.session, self.clock()
        if (s.choice, s.ex_index) != self._on_show:  # a new routine, or the next exercise
            self._show_exercise()
        steps = s.exercise.steps
        step = steps[s.step_index]
        if s.started:
            self.step_label.configure(text=step.text)
            self.clock_label.configure(text=format_clock(s.step_left(now)))
            self.count_label.configure(text=f"Step {s.step_index + 1} of {len(steps)}")
            self.buttons["start"].configure(text="Finish" if s.is_last_step else "Next")
        else:
            self.step_label.configure(text=f"First: {step.text}")
            self.clock_label.configure(text=format_clock(s.total_seconds))
            count = sum(len(ex.steps) for ex in s.routine)
            exercises = f"{len(s.routine)} exercises · " if len(s.routine) > 1 else ""
            self.count_label.configure(text=f"{exercises}{count} steps · press Enter to begin")
            self.buttons["start"].configure(text="Start")
        self.progress.configure(value=round(s.progress(now) * 1000))
        if self.debug and s.started:
            shown = (s.ex_index, s.step_index, self.clock_label.cget("text"))
            if shown != self._last_tick:  # only changes, so tests can follow the countdown
                self._last_tick = shown
                self.emit({"event": "tick", "exercise": shown[0], "step": shown[1],
                           "clock": shown[2], "progress": round(s.progress(now), 3)})

    def _emit_started(self) -> None:
        self.emit({"event": "started", "exercise_id": self.session.routine[0].id})

    def on_enter(self) -> None:
        """Start, next step (into the next exercise after an exercise's last step), or finish
        on the routine's last step."""
        if self.result is not None:
            return
        was_started = self.session.started
        self.session.advance(self.clock())
        if self.session.finished:
            self.finish("done")
            return
        if not was_started:
            self._emit_started()
        self._refresh()

    def on_snooze_key(self) -> None:
        """S and Esc snooze with the first remaining option; with none left they do nothing."""
        if self.req.snooze_options:
            self.finish("snooze", self.req.snooze_options[0])

    def on_another(self) -> None:
        """Swap the routine for the next alternative exercise, back in the not-started view."""
        if self.result is not None:
            return
        self.session.another()
        self._on_show = None  # redraw even if the swap landed on the same position
        self._last_tick = None
        self._refresh()

    def finish(self, action: str, snooze_seconds: int | None = None) -> None:
        """Record the one result and close the window; later calls are ignored."""
        if self.result is not None:
            return
        self.result = self.session.result(action, self.clock(), snooze_seconds)
        if self.x11 is not None:
            self.x11.close()
        self.root.destroy()


def centred(
    width: int,
    height: int,
    monitors: list[tuple[int, int, int, int]],
    pointer: tuple[int, int],
) -> tuple[int, int]:
    """Top-left corner that centres a window on the monitor holding the pointer.

    `monitors` are (x, y, width, height); a pointer on none of them (or unknown, -1/-1)
    picks the first. A window larger than the monitor keeps its top-left corner on it.
    """
    px, py = pointer
    mx, my, mw, mh = next(
        (m for m in monitors if m[0] <= px < m[0] + m[2] and m[1] <= py < m[1] + m[3]),
        monitors[0],
    )
    return mx + max(0, (mw - width) // 2), my + max(0, (mh - height) // 2)


def _writer(out: TextIO) -> Callable[[dict[str, Any]], None]:
    def emit(event: dict[str, Any]) -> None:
        # a vanished parent must not turn into a traceback in the user's face
        with contextlib.suppress(BrokenPipeError, ValueError):
            out.write(event_line(event))
            out.flush()

    return emit


def run(req: BreakRequest, out: TextIO) -> BreakResult:
    """Show the window for `req` until the user answers; write events to `out`."""
    emit = _writer(out)
    root = tk.Tk(className="sitbreak")
    root.withdraw()  # build unseen, then place and map once
    window = BreakWindow(root, req, emit, debug=os.environ.get(DEBUG_ENV) == "1")
    window.show()
    root.mainloop()
    result = window.result
    if result is None:  # the Tk loop ended another way (e.g. the display went away)
        result = window.session.result("closed", time.monotonic())
    emit(result_to_dict(result))
    return result


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process: read the request, run the window, exit 0."""
    del argv
    # the parent closes the window with SIGTERM; leave quietly, the parent expects no result
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    try:
        req = request_from_json(sys.stdin.read())
    except ProtocolError as exc:
        print(f"sitbreak break window: bad request: {exc}", file=sys.stderr)
        return 2
    try:
        run(req, sys.stdout)
    except tk.TclError as exc:
        print(f"sitbreak break window: cannot open a window: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())

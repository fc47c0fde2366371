"""The guided break window: a Tk child process that shows the break the core holds.

Run as `python -m tray_app.ui.windows.break_window`; it reads a BreakRequest and then views as JSON
lines on stdin and writes the user's intents as JSON lines on stdout (see
tray_app.ui.windows.protocol). It never decides on its own that a break started, moved on or
ended: it draws what it is sent (tray_app.ui.windows.break_screen) and counts down between views.
The tray process never imports this module, so Tk is only ever loaded here.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import signal
import sys
import threading
import time
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any, TextIO

from tray_app.core.exercise import category_name, place_name
from tray_app.core.progression import RATING_LABELS, RATINGS
from tray_app.core.session import BreakView
from tray_app.support.i18n import N_, _, ngettext, tr
from tray_app.ui.windows.break_screen import Button, Screen, format_clock
from tray_app.ui.windows.protocol import (
    DEBUG_ENV,
    BreakRequest,
    EndScreen,
    ExerciseSpec,
    ProtocolError,
    checkin_intent,
    end_from_line,
    event_line,
    intent,
    level_intent,
    rate_intent,
    request_from_json,
    retest_intent,
    view_from_line,
)

TYPING_PAUSE_MS = 1500  # a pause this long means the user is not mid-sentence
FOCUS_POLL_MS = 100
TICK_MS = 100
# A key that would end the break (Done) is not taken this soon after the step on show changed
# by itself: the Enter was meant for what was there before (issue 25, bug 6).
KEY_GRACE_S = 1.0
# Set by SIGUSR1 (sitbreak launched again while the break is on): come to the front.
RAISE = threading.Event()
# Set by SIGUSR2: the tray found that the desktop did not give this window the keyboard (an
# XWayland window on sway can set its X focus and still get no keys). The key hints make way
# for how to reach the window, until a click on it.
NO_KEYBOARD = threading.Event()
# Also sent where the desktop cannot say (GNOME, KDE on Wayland): true either way.
NO_KEYBOARD_LINE = N_("The keys work here once this window has the keyboard: click it first.")


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
    """The Tk window: draws the Screen for the latest view and writes intents through `emit`."""

    def __init__(
        self,
        root: tk.Tk,
        req: BreakRequest,
        view: BreakView,
        emit: Callable[[dict[str, Any]], None],
        debug: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root
        self.req = req
        self.emit = emit
        self.debug = debug
        self.clock = clock
        self.screen = Screen(req, view, clock())
        # Views, then the closing screen (EndScreen); None: the parent is gone.
        self.views: queue.Queue[BreakView | EndScreen | None] = queue.Queue()
        self._end_at: float | None = None  # the closing screen is up, until then
        self.closed = False
        self.x11: _X11 | None = None
        self._frames: list[tk.PhotoImage] = []
        self._drawn: dict[str, tuple[str, ...]] = {}  # exercise id -> frames drawn here
        self._frame_index = 0
        self._shown_at: float | None = None
        self._focused = False
        self._last_tick: tuple[int, int, str] | None = None
        self._on_show: str | None = None  # the exercise drawn last
        self._buttons_shown: list[Button] = []
        self._step_on_show: tuple[int, int, bool] | None = None
        self._step_changed_at = clock()
        self._measuring = False  # drawing sample views to find the window's size
        self.buttons: dict[str, ttk.Button] = {}
        self._rated: dict[str, str] = {}  # exercise id -> the rating sent
        self._build()
        self._draw_view()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        root = self.root
        root.title(self.req.title)
        root.resizable(False, False)
        root.protocol("WM_DELETE_WINDOW", self.close)
        style = ttk.Style(root)
        with contextlib.suppress(tk.TclError):
            style.theme_use("clam")  # its focus ring is clearly visible
        style.configure("Name.TLabel", font=("TkDefaultFont", 16, "bold"))
        style.configure("Clock.TLabel", font=("TkFixedFont", 22, "bold"))
        style.configure("Small.TLabel", font=("TkDefaultFont", 9))
        style.configure("Position.TLabel", font=("TkDefaultFont", 11, "bold"))
        style.configure("Care.TLabel", foreground="#8a3b12")
        # The programme's small buttons: beside the clock, so the window grows no taller.
        style.configure("Rate.TButton", padding=(3, 0), font=("TkDefaultFont", 9))
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
        # A fixed area for the pictures (at most 2.4 in, see _load_frames), so a taller or
        # missing picture never changes the window's size.
        has_pictures = bool(self.req.pictures_dir) or any(s.frames for s in self.req.exercises)
        area = ttk.Frame(body, height=int(root.winfo_fpixels("2.4i")) if has_pictures else 1)
        area.pack(fill="x", pady=pad // 2)
        area.pack_propagate(False)
        self.picture = ttk.Label(area, anchor="center")
        self.picture.pack(expand=True)
        self._build_programme(body, area if has_pictures else None)
        self.step_label = ttk.Label(body, wraplength=wrap, justify="left")
        self.step_label.pack(anchor="w", fill="x")
        # The exercise's own cautions and tags, before Start and on its first step.
        self.care_label = ttk.Label(body, wraplength=wrap, justify="left", style="Care.TLabel")
        self.care_label.pack(anchor="w", fill="x")
        row = ttk.Frame(body)
        row.pack(fill="x", pady=(pad // 2, 0))
        self.clock_label = ttk.Label(row, style="Clock.TLabel")
        self.clock_label.pack(side="left")
        self.count_label = ttk.Label(row, style="Small.TLabel")
        self.count_label.pack(side="right")
        self._build_rating(row, pad)
        self.progress = ttk.Progressbar(body, mode="determinate", maximum=1000)
        self.progress.pack(fill="x", pady=(2, pad // 2))
        self.cue_label = ttk.Label(body, wraplength=wrap, font=("TkDefaultFont", 10, "italic"))
        self.cue_label.pack(anchor="w")
        self.safety_label = ttk.Label(
            body, text=self.req.safety, style="Small.TLabel", wraplength=wrap
        )
        self.safety_label.pack(anchor="w", pady=(pad // 2, 0))
        self.bar = ttk.Frame(body)
        self.bar.pack(fill="x", pady=(pad, 0))
        self.keys_label = ttk.Label(body, style="Small.TLabel", wraplength=wrap)
        self.keys_label.pack(anchor="w", pady=(pad // 2, 0))

        # Space presses the focused button by ttk's own binding; Enter is made to do the same
        for seq in ("<Return>", "<KP_Enter>"):
            root.bind(seq, self._on_enter)
        root.bind("<Escape>", lambda _e: self._press(self.screen.escape()))
        for seq in ("<Key-s>", "<Key-S>"):
            root.bind(seq, lambda _e: self._press(self.screen.s_key()))

    def _build_rating(self, parent: ttk.Frame, pad: int, side: str = "left") -> None:
        """One optional tap for the exercise on show: easy, fine, too hard, this hurt (keys
        1-4). The buttons never take the focus and never move the break on."""
        row = ttk.Frame(parent)
        row.pack(side=side, anchor="w", padx=(pad if side == "left" else 0, 0),
                 pady=(pad // 2, 0))
        self.rate_label = ttk.Label(row, style="Small.TLabel", width=12)
        self.rate_label.pack(side="left")
        self.rate_buttons: dict[str, ttk.Button] = {}
        for n, rating in enumerate(RATINGS, 1):
            widget = ttk.Button(row, text=f"{n} {tr(RATING_LABELS[rating])}", takefocus=False,
                                style="Rate.TButton", command=lambda r=rating: self._rate(r))
            widget.pack(side="left", padx=(2, 0))
            self.rate_buttons[rating] = widget
            self.root.bind(f"<Key-{n}>", lambda _e, r=rating: self._rate(r))

    def _build_programme(self, body: ttk.Frame, area: ttk.Frame | None) -> None:
        """The break's other questions, when it has them: a harder version of the exercise on
        show (accept or stay), the re-test, back pain 0-10. Optional, never in the break's
        way: a column beside the picture, so the window grows no taller (below the buttons
        when there is no picture area)."""
        self.offer_buttons: list[ttk.Button] = []
        self._answered: set[str] = set()
        self.retest_button: ttk.Button | None = None
        self.checkin_buttons: list[ttk.Button] = []
        req = self.req
        if not (req.offers or req.retest or req.checkin):
            return
        column = ttk.Frame(area if area is not None else body)
        if area is not None:
            column.place(relx=1.0, rely=0.0, anchor="ne")
        else:
            column.pack(fill="x")
        wrap = self.root.winfo_fpixels("1.8i")

        def label(text: str = "") -> ttk.Label:
            widget = ttk.Label(column, style="Small.TLabel", text=text, wraplength=wrap)
            widget.pack(anchor="w", pady=(4, 0))
            return widget

        def button(parent: ttk.Frame, text: str, command: Callable[[], None],
                   **kw: Any) -> ttk.Button:
            return ttk.Button(parent, text=text, takefocus=False, style="Rate.TButton",
                              command=command, **kw)

        if req.offers:
            self.offer_label = label()
            for text, accept in ((_("Harder next time"), True), (_("Stay at this level"), False)):
                widget = button(column, text, lambda a=accept: self._answer(a))
                widget.pack(anchor="w", fill="x")
                self.offer_buttons.append(widget)
        if req.retest:
            self.retest_label = label(_("Re-test due (skippable):"))
            self.retest_button = button(column, _("Re-test…"), self._open_retest)
            self.retest_button.pack(anchor="w", fill="x")
        if req.checkin:
            self.checkin_label = label(_("Back pain now, 0-10:"))
            grid = ttk.Frame(column)
            grid.pack(anchor="w")
            for pain in range(11):
                widget = button(grid, str(pain), lambda p=pain: self._check_in(p), width=2)
                widget.grid(row=pain // 6, column=pain % 6)
                self.checkin_buttons.append(widget)

    def _offer_target(self) -> str | None:
        """The family whose harder version goes with the exercise on show, if not answered."""
        spec = self.screen.spec
        family = self.req.offers.get(spec.id) if spec is not None else None
        return family if family is not None and family not in self._answered else None

    def _draw_offer(self) -> None:
        if not self.offer_buttons:
            return
        family = self._offer_target()
        self.offer_label.configure(
            text="" if family is None else _("Ready for a harder version?"))
        for widget in self.offer_buttons:
            widget.state(["!disabled" if family is not None else "disabled"])

    def _answer(self, accept: bool) -> None:
        family = self._offer_target()
        if family is None or self.closed:
            return
        self._answered.add(family)
        self.emit(level_intent(family, accept))
        self._draw_offer()

    def _open_retest(self) -> None:
        """A small form: each item of the re-test (core.retest) with what to do and a field
        for the result; empty fields are skipped. Save sends each result as `retest`."""
        from tray_app.core.retest import BY_ID, REPS, SIDES, check_result, side_name

        top = tk.Toplevel(self.root, name="retest")
        top.title(_("Re-test"))
        top.transient(self.root)
        wrap = self.root.winfo_fpixels("4.2i")
        frame = ttk.Frame(top, padding=10)
        frame.pack(fill="both", expand=True)
        entries: dict[tuple[str, str | None], tk.StringVar] = {}
        for item_id in self.req.retest:
            item = BY_ID.get(item_id)
            if item is None:
                continue
            unit = _("reps") if item.unit == REPS else _("s")
            ttk.Label(frame, text=f"{tr(item.name)} ({unit})", style="Position.TLabel").pack(
                anchor="w", pady=(6, 0))
            ttk.Label(frame, text=tr(item.how), wraplength=wrap, justify="left").pack(anchor="w")
            row = ttk.Frame(frame)
            row.pack(anchor="w")
            for side in (SIDES if item.per_side else (None,)):
                if side is not None:
                    ttk.Label(row, text=tr(side_name(side))).pack(side="left", padx=(0, 2))
                var = tk.StringVar()
                name = f"{item_id}_{side}" if side else item_id
                ttk.Entry(row, textvariable=var, width=6, name=name).pack(side="left",
                                                                          padx=(0, 8))
                entries[(item_id, side)] = var
        error = ttk.Label(frame, style="Care.TLabel", wraplength=wrap)
        error.pack(anchor="w")

        def save() -> None:
            results, problems = [], []
            for (item_id, side), var in entries.items():
                text = var.get().strip()
                if not text:
                    continue  # skipped
                try:
                    value = float(text)
                except ValueError:
                    problems.append(_("{item}: {text} is not a number").format(
                        item=tr(BY_ID[item_id].name), text=repr(text)))
                    continue
                problem = check_result(item_id, value, side)
                if problem:
                    problems.append(tr(problem))
                else:
                    results.append((item_id, value, side))
            if problems:
                error.configure(text="\n".join(problems))
                return
            for item_id, value, side in results:
                self.emit(retest_intent(item_id, value, side))
            self.retest_label.configure(text=ngettext(
                "Re-test: {n} result saved.", "Re-test: {n} results saved.", len(results)
            ).format(n=len(results)))
            top.destroy()

        bar = ttk.Frame(frame)
        bar.pack(fill="x", pady=(8, 0))
        ttk.Button(bar, text=_("Save"), command=save, name="save").pack(side="left")
        ttk.Button(bar, text=_("Not now"), command=top.destroy, name="skip").pack(
            side="left", padx=(4, 0))
        if self.debug:  # where each field and button is, for tests that type into them
            top.update_idletasks()
            top.after(200, lambda: self.emit({"event": "retest", "widgets": {
                w.winfo_name(): [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(),
                                 w.winfo_height()]
                for w in _descendants(top) if isinstance(w, ttk.Entry | ttk.Button)}}))

    def _check_in(self, pain: int) -> None:
        if self.closed:
            return
        self.emit(checkin_intent(pain))
        self.checkin_label.configure(
            text=_("Back pain {pain} of 10: noted, thank you.").format(pain=pain))
        for widget in self.checkin_buttons:
            widget.state(["disabled"])

    def _rating_target(self) -> ExerciseSpec | None:
        """What a rating is about: the exercise on show, or on the closing screen the last."""
        return self.screen.spec if self._end_at is not None else self.screen.rating_target()

    def _draw_rating(self) -> None:
        target = self._rating_target()
        if target is None:
            text, state = _("Rate it: 1-4"), "disabled"
        elif target.id in self._rated:
            rated = tr(RATING_LABELS[self._rated[target.id]]).lower()
            text, state = _("Rated: {rating}").format(rating=rated), "!disabled"
        else:
            text, state = _("How is it?"), "!disabled"
        self.rate_label.configure(text=text)
        for widget in self.rate_buttons.values():
            widget.state([state])

    def _rate(self, rating: str) -> None:
        """Send the rating (the same command as `sitbreak rate`); the break goes on as it was."""
        target = self._rating_target()
        if target is None or self.closed:
            return
        self._rated[target.id] = rating
        self.emit(rate_intent(rating, target.id))
        self._draw_rating()
        if self.debug and self._end_at is None:  # the label's new text moved the buttons
            self.root.after_idle(self.emit_layout)

    def _draw_buttons(self) -> None:
        """Show exactly the buttons the view allows, keeping the focus where it was."""
        wanted = self.screen.buttons()
        if wanted == self._buttons_shown:
            return
        focus = self.root.focus_get()
        focused = next((n for n, b in self.buttons.items() if b is focus), None)
        for button in self.buttons.values():
            button.destroy()
        self.buttons = {}
        for b in wanted:
            widget = ttk.Button(self.bar, text=b.label, takefocus=True,
                                command=lambda b=b: self._press(b))
            if b.name == "start":
                widget.configure(width=8)  # keeps its place when "Start" becomes "Next"
            widget.pack(side="left", padx=(0, 4))
            # Space presses the focused button (ttk's own binding), through the same check
            widget.bind("<Key-space>", lambda _e, b=b: self._key_press(b))
            if self.debug:
                widget.bind("<FocusIn>",
                            lambda _e, n=b.name: self.emit({"event": "focus", "widget": n}))
            self.buttons[b.name] = widget
        self._buttons_shown = wanted
        if self._focused:
            name = focused if focused in self.buttons else self.screen.first_focus()
            if name is not None:
                self.buttons[name].focus_set()
            else:
                self.root.focus_set()

    def _show_exercise(self) -> None:
        """Draw the exercise on show: name, place, cue, picture."""
        spec = self.screen.spec
        self._on_show = spec.id if spec is not None else ""
        ex = spec.exercise if spec is not None else None
        self.name_label.configure(text=ex.name if ex is not None else _("Movement break"))
        where = " · ".join(tr(p) for p in (place_name(ex.where), category_name(ex.category))
                           if p) if ex is not None else ""
        self.where_label.configure(text=where)
        self.cue_label.configure(text=ex.cue if ex is not None else "")
        self.position_label.configure(text=self.screen.position())
        self._load_frames(spec)
        if self.debug:
            self.emit({"event": "exercise", "index": self.screen.view.index,
                       "id": self._on_show, "name": self.name_label.cget("text"),
                       "position": self.position_label.cget("text"),
                       "frames": len(self._frames)})

    def _frame_paths(self, spec: ExerciseSpec) -> tuple[str, ...]:
        """The spec's frames, else the pictures drawn (once, cached on disk) in this process."""
        if spec.frames or not self.req.pictures_dir:
            return spec.frames
        if spec.id not in self._drawn:
            from pathlib import Path

            from tray_app.exercises.pictures import cached_frames

            try:
                drawn = cached_frames(spec.exercise, Path(self.req.pictures_dir))
                self._drawn[spec.id] = tuple(str(p) for p in drawn)
            except Exception as exc:  # a picture that cannot be drawn costs the picture only
                print(f"sitbreak break window: cannot draw {spec.id}: {exc}", file=sys.stderr)
                self._drawn[spec.id] = ()
        return self._drawn[spec.id]

    def _load_frames(self, spec: ExerciseSpec | None) -> None:
        """Load the picture frames; scale big ones down so the window fits small screens."""
        self._frames = []
        if self._measuring:  # the picture area has a fixed size: no need to draw them
            return
        limit = self.root.winfo_fpixels("2.4i")
        for path in self._frame_paths(spec) if spec is not None else ():
            try:
                img = tk.PhotoImage(file=path)
            except tk.TclError:
                continue  # a missing frame costs the picture, never the break
            factor = math.ceil(max(img.width(), img.height()) / limit)
            self._frames.append(img.subsample(factor) if factor > 1 else img)
        self._frame_index = 0
        self.picture.configure(image=self._frames[0] if self._frames else "", text="")

    # --- showing and focus ------------------------------------------------------------------

    def show(self) -> None:
        """Place the window centred on the pointer's monitor, on top, and map it unfocused."""
        root = self.root
        root.update_idletasks()
        self.x11 = _X11() if root.tk.call("tk", "windowingsystem") == "x11" else None
        monitors = self.x11.monitors() if self.x11 is not None else []
        if not monitors:
            monitors = [(0, 0, root.winfo_screenwidth(), root.winfo_screenheight())]
        w, h = self._fixed_size()
        x, y = centred(w, h, monitors, root.winfo_pointerxy())
        # A fixed size: the window never grows on Start or between steps, so stays centred.
        root.geometry(f"{w}x{h}+{x}+{y}")
        # "active" sets WM_HINTS input=False, so the window manager maps us without
        # handing over the keyboard; _take_focus switches back once the user pauses
        root.wm_focusmodel("active")
        root.bind_all("<ButtonPress>", lambda _e: self._take_focus(), add="+")
        root.bind_all("<ButtonPress>", lambda _e: NO_KEYBOARD.clear(), add="+")  # focused now
        root.attributes("-topmost", True)
        root.bind("<Map>", self._on_map)
        root.deiconify()

    def _fixed_size(self) -> tuple[int, int]:
        """The largest size any view of this break needs (Screen.sample_views), found by
        drawing each unseen; the real view is drawn again after."""
        root, sc = self.root, self.screen
        real, received, emit = sc.view, sc.received, self.emit
        w, h = root.winfo_reqwidth(), root.winfo_reqheight()
        self._measuring, self.emit = True, lambda _event: None
        try:
            for view in sc.sample_views():
                sc.update(view, received)
                self._draw_view()
                root.update_idletasks()
                w, h = max(w, root.winfo_reqwidth()), max(h, root.winfo_reqheight())
        finally:
            self._measuring, self.emit = False, emit
            sc.update(real, received)
            self._on_show = None  # draw the real exercise, with its pictures
            self._draw_view()
        return w, h

    def _on_map(self, event: tk.Event) -> None:
        if event.widget is not self.root or self._shown_at is not None:
            return
        self._shown_at = self.clock()
        self.emit({"event": "shown"})
        self.root.after(TICK_MS, self._tick)
        self.root.after_idle(self._after_shown)

    def _after_shown(self) -> None:
        if self.debug:
            self.emit_layout()
        self._poll_focus()

    def _poll_focus(self) -> None:
        if self._focused or self.closed or self._shown_at is None:
            return
        idle = self.x11.idle_ms() if self.x11 is not None else None
        if focus_due(idle, self.clock() - self._shown_at, self.req.focus_wait_max):
            self._take_focus()
        else:
            self.root.after(FOCUS_POLL_MS, self._poll_focus)

    def _take_focus(self) -> None:
        """Take the keyboard: after a typing pause, or at once when the user clicks us."""
        if self._focused or self.closed:
            return
        self._focused = True
        self.root.wm_focusmodel("passive")  # from now on the window manager may focus us
        self.root.lift()
        self.root.focus_force()
        name = self.screen.first_focus()
        if name is not None:
            self.buttons[name].focus_set()
        self.emit({"event": "focused"})

    def emit_layout(self) -> None:
        """Debug aid for tests: widget rectangles in root-window coordinates."""
        self.root.update_idletasks()
        widgets: dict[str, tk.Widget] = {
            **self.buttons,
            "picture": self.picture,
            "progress": self.progress,
            "clock": self.clock_label,
            "step": self.step_label,
            "keys": self.keys_label,
        }
        rects = {
            name: [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()]
            for name, w in widgets.items()
        }
        rating = {f"rate_{r}": w for r, w in self.rate_buttons.items()}
        rating.update({f"offer_{i}": w for i, w in enumerate(self.offer_buttons)})
        rating.update({f"pain_{i}": w for i, w in enumerate(self.checkin_buttons)})
        if self.retest_button is not None:
            rating["retest"] = self.retest_button
        rating = {n: [w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height()]
                  for n, w in rating.items()}
        self.emit({"event": "layout", "widgets": rects, "rating": rating})

    # --- running ----------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.closed:
            return
        latest: BreakView | None = None
        gone = False
        while True:
            try:
                item = self.views.get_nowait()
            except queue.Empty:
                break
            if item is None:
                gone = True
            else:
                latest = item
        if gone:  # the parent went away: so does its view
            self.closed = True
            self.root.destroy()
            return
        if RAISE.is_set():  # sitbreak was launched again: show the break
            RAISE.clear()
            self.root.deiconify()
            self.root.lift()
            self.root.attributes("-topmost", True)
        if isinstance(latest, EndScreen):
            self._show_end(latest)
            latest = None
        if self._end_at is not None:
            self._end_tick()
            return
        if self.keys_label.cget("text") != self._keys_text():  # SIGUSR2, or a click after it
            self.keys_label.configure(text=self._keys_text())
        if latest is not None:
            on_show = (latest.index, latest.step, latest.running)
            if on_show != self._step_on_show:
                self._step_on_show, self._step_changed_at = on_show, self.clock()
            self.screen.update(latest, self.clock())
            self._draw_view()
        else:
            self._draw_time()
        self.root.after(TICK_MS, self._tick)

    def _keys_text(self) -> str:
        return _(NO_KEYBOARD_LINE) if NO_KEYBOARD.is_set() else self.screen.keys_text()

    def _draw_frame(self, now: float) -> None:
        """The picture frame the step's tempo and holds call for (Screen.frame)."""
        if len(self._frames) <= 1:
            return
        index = self.screen.frame(now, len(self._frames))
        if index != self._frame_index:
            self._frame_index = index
            self.picture.configure(image=self._frames[index])

    def _draw_view(self) -> None:
        sc = self.screen
        spec = sc.spec
        if (spec.id if spec is not None else "") != self._on_show:
            self._show_exercise()
        self.position_label.configure(text=sc.position())
        self.step_label.configure(text=sc.step_text())
        self.care_label.configure(text=sc.care_text())
        self.count_label.configure(text=sc.count_text())
        self.keys_label.configure(text=self._keys_text())
        self._draw_buttons()
        self._draw_rating()
        self._draw_offer()
        self._last_tick = None
        if self.debug:
            v = sc.view
            self.emit({"event": "view", "index": v.index, "step": v.step, "running": v.running,
                       "buttons": [b.name for b in sc.buttons()],
                       "care": self.care_label.cget("text"),
                       "keys": self.keys_label.cget("text")})
            if self._shown_at is not None:  # where the buttons are now (the first comes on map)
                self.root.after_idle(self.emit_layout)
        self._draw_time()

    def _draw_time(self) -> None:
        sc, now = self.screen, self.clock()
        self.clock_label.configure(text=format_clock(sc.step_left(now)))
        self.count_label.configure(text=sc.count_text(now))  # with the rep under way
        self._draw_frame(now)
        self.progress.configure(value=round(sc.progress(now) * 1000))
        if self.debug and sc.view.running:
            shown = (sc.view.index, sc.view.step, self.clock_label.cget("text"))
            if shown != self._last_tick:  # only changes, so tests can follow the countdown
                self._last_tick = shown
                self.emit({"event": "tick", "exercise": shown[0], "step": shown[1],
                           "clock": shown[2], "progress": round(sc.progress(now), 3),
                           "frame": self._frame_index, "count": self.count_label.cget("text")})

    def _on_enter(self, _event: tk.Event) -> str:
        """Enter: press the focused button (Start or Next when none has focus)."""
        focused = self.root.focus_get()
        name = next((n for n, w in self.buttons.items() if w is focused), None)
        if name is None:
            name = self.screen.first_focus()
        return self._key_press(next((b for b in self._buttons_shown if b.name == name), None))

    def _key_press(self, button: Button | None) -> str:
        """Enter or Space on `button`; one that would end the break is not taken right after
        the step on show changed by itself (the key was meant for what was there before)."""
        if button is not None and self.screen.ends_break(button) and (
            self.clock() - self._step_changed_at < KEY_GRACE_S
        ):
            if self.debug:
                self.emit({"event": "ignored", "widget": button.name})
            return "break"
        self._press(button)
        return "break"

    def _press(self, button: Button | None) -> None:
        """Send the button's intent; the core answers with a new view (or closes us)."""
        if button is None or self.closed or self._end_at is not None:
            return
        self.emit(intent(button.intent, self.screen.view, button.seconds))

    # --- the closing screen -----------------------------------------------------------------

    def _show_end(self, end: EndScreen) -> None:
        """The break is over: what was done, today, the next break; it closes itself."""
        root = self.root
        pad = int(root.winfo_fpixels("0.3i"))
        cover = ttk.Frame(root, padding=pad)
        cover.place(x=0, y=0, relwidth=1, relheight=1)  # over the break, same size and place
        wrap = max(200, root.winfo_width() - 2 * pad)
        ttk.Label(cover, text=end.title, style="Name.TLabel", wraplength=wrap).pack(anchor="w")
        for line in end.lines:
            ttk.Label(cover, text=line, wraplength=wrap, justify="left").pack(
                anchor="w", pady=(pad // 3, 0))
        bar = ttk.Frame(cover)
        bar.pack(side="bottom", fill="x")
        if self.screen.spec is not None:  # the last exercise can still be rated here
            self._build_rating(cover, pad, side="top")
            self._end_at = self.clock() + end.seconds
            self._draw_rating()
        self._end_note = ttk.Label(bar, style="Small.TLabel")
        self._end_note.pack(side="left")
        close = ttk.Button(bar, text=_("Close"), command=self._end_close)
        close.pack(side="right")
        if self._focused:
            close.focus_set()
        for seq in ("<Return>", "<KP_Enter>", "<Escape>"):
            root.bind(seq, lambda _e: self._end_close())
        self._end_at = self.clock() + end.seconds
        if self.debug:
            self.emit({"event": "end", "title": end.title, "lines": list(end.lines)})

    def _end_tick(self) -> None:
        assert self._end_at is not None
        left = self._end_at - self.clock()
        if left <= 0:
            self._end_close()
            return
        self._end_note.configure(
            text=_("Closes by itself in {seconds} s").format(seconds=math.ceil(left)))
        self.root.after(TICK_MS, self._tick)

    def _end_close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.emit({"event": "ended"})
        if self.x11 is not None:
            self.x11.close()
        self.root.destroy()

    def close(self) -> None:
        """The window's close button: the user's choice, said as an intent, then gone."""
        if self.closed:
            return
        self.closed = True
        self.emit(intent("close", self.screen.view))
        if self.x11 is not None:
            self.x11.close()
        self.root.destroy()


def _descendants(widget: tk.Misc) -> list[tk.Misc]:
    out = []
    for child in widget.winfo_children():
        out += [child, *_descendants(child)]
    return out


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


def _read_views(stream: TextIO, req: BreakRequest,
                out: queue.Queue[BreakView | EndScreen | None]) -> None:
    """The reader thread: views (then the closing screen) from the parent, in order; None once
    the parent is gone."""
    for line in stream:
        if not line.strip():
            continue
        try:
            end = end_from_line(line)
            out.put(end if end is not None else view_from_line(line, req))
        except ProtocolError as exc:
            print(f"sitbreak break window: ignoring a bad view: {exc}", file=sys.stderr)
    out.put(None)


def run(req: BreakRequest, view: BreakView, stream: TextIO, out: TextIO) -> None:
    """Show the window for `req` until it is closed; views come on `stream`."""
    emit = _writer(out)
    root = tk.Tk(className="sitbreak")
    root.withdraw()  # build unseen, then place and map once
    window = BreakWindow(root, req, view, emit, debug=os.environ.get(DEBUG_ENV) == "1")
    threading.Thread(target=_read_views, args=(stream, req, window.views), daemon=True).start()
    window.show()
    root.mainloop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process: read the request and first view, run the window."""
    del argv
    # the parent closes the window with SIGTERM; leave quietly
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    if hasattr(signal, "SIGUSR1"):  # sitbreak launched again: come to the front
        signal.signal(signal.SIGUSR1, lambda *_: RAISE.set())
    if hasattr(signal, "SIGUSR2"):  # the desktop did not give this window the keyboard
        signal.signal(signal.SIGUSR2, lambda *_: NO_KEYBOARD.set())
    try:
        req = request_from_json(sys.stdin.readline())
        view = view_from_line(sys.stdin.readline(), req)
    except ProtocolError as exc:
        print(f"sitbreak break window: bad request: {exc}", file=sys.stderr)
        return 2
    try:
        run(req, view, sys.stdin, sys.stdout)
    except tk.TclError as exc:
        print(f"sitbreak break window: cannot open a window: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The statistics window: today's numbers and the weekly chart, in a short-lived Tk process.

Run as `python -m tray_app.ui.windows.stats_window`. It reads one JSON request on stdin:
  {"title": "...", "today": {<one day of stats_json's "days">}, "chart_png": "/path.png"}
(plus "problem": "..." when the history could not be read, and "programme": [lines] and
"programme_png" for the programme's levels, ratings, check-ins and re-tests, shown in a second
tab). The tray starts it through
`python -m tray_app.ui.windows.stats_job`, which builds that request in the child process.
and writes JSON lines on stdout: {"event": "shown"} once mapped, {"event": "closed"} last.
Esc, Enter, the Close button and the window manager's close all end it with exit status 0.
"""

from __future__ import annotations

import json
import sys
import tkinter as tk
from pathlib import Path
from typing import Any, TextIO

from tray_app.core.stats import WORDS
from tray_app.support.i18n import N_, _, duration, number, tr

SUB = "  "  # a row that details the one above it is indented
# (label, key, how to show the value) for the numbers block, in reading order; the labels are
# marked here and translated where shown.
ROWS: tuple[tuple[str, str, str], ...] = (
    (N_("Time sitting"), "sitting_seconds", "duration"),
    (N_("Sitting stretches"), "stretches", "count"),
    (N_("Longest stretch"), "longest_stretch_seconds", "duration"),
    (N_("Breaks offered"), "breaks_offered", "count"),
    (SUB + N_("offered again"), "reoffers", "count"),
    (N_("Breaks started"), "breaks_started", "count"),
    (N_("Breaks taken"), "breaks_taken", "count"),
    (SUB + N_("with you standing"), "breaks_standing", "count"),
    (SUB + N_("completed"), "completed", "count"),
    (SUB + N_("ended early"), "ended_early", "count"),
    (N_("Snoozed"), "snoozed", "count"),
    (N_("Skipped"), "skipped", "count"),
    (N_("Got up on your own"), "natural_breaks", "count"),
    (N_("Posture reminders"), "posture_nudges", "count"),
)


def label_text(label: str) -> str:
    """A row's label in the user's language, indented as in ROWS."""
    name = label.lstrip()
    return label[:len(label) - len(name)] + _(name)


def format_value(value: Any, how: str) -> str:
    """A number as the window shows it, in the language's form."""
    if not isinstance(value, int | float):
        return "–"
    return duration(round(float(value) / 60) * 60) if how == "duration" else number(int(value))


def definitions() -> str:
    """What the words mean, as the window lists them under the numbers."""
    labels = {key: _(label.strip()) for label, key, _how in ROWS}
    # Only the first letter raised: str.capitalize() would lower German nouns ("Pausen").
    return "\n".join(f"{(w := labels.get(key, key))[:1].upper()}{w[1:]}: {tr(text)}."
                     for key, text in WORDS.items())


def _emit(out: TextIO, event: str) -> None:
    out.write(json.dumps({"event": event}) + "\n")
    out.flush()


class StatsWindow:
    """The window itself; `run()` returns when it is closed."""

    def __init__(self, request: dict[str, Any], out: TextIO) -> None:
        self.out = out
        self.root = tk.Tk(className="sitbreak-stats")
        self.root.title(str(request.get("title") or _("sitbreak statistics")))
        self._closed = False
        self._build(request)
        self.root.protocol("WM_DELETE_WINDOW", self.close)
        for key in ("<Escape>", "<Return>", "<KP_Enter>"):
            self.root.bind(key, lambda _e: self.close())
        self.root.bind("<Map>", self._on_map, add="+")
        self._shown = False

    def _build(self, request: dict[str, Any]) -> None:
        today = request.get("today") or {}
        programme = [str(x) for x in request.get("programme") or []]
        self.tabs = None
        if programme:  # two tabs: the week, and the programme (issue 24)
            from tkinter import ttk

            self.tabs = ttk.Notebook(self.root)
            self.tabs.pack(fill="both", expand=True)
        frame = tk.Frame(self.tabs or self.root, padx=16, pady=12)
        if self.tabs is not None:
            self.tabs.add(frame, text=_("Today and this week"))
            self._programme_tab(programme, request.get("programme_png"))
        else:
            frame.pack(fill="both", expand=True)
        heading = _("Today") + (f" ({today['date']})" if today.get("date") else "")
        problem = request.get("problem")
        if problem:  # the history could not be read: say so rather than show zeros as facts
            heading = _("The history could not be read: {problem}").format(problem=problem)
        tk.Label(frame, text=heading, font=("DejaVu Sans", 14 if not problem else 10, "bold"),
                 wraplength=560, justify="left").grid(
            row=0, column=0, columnspan=2, sticky="w", pady=(0, 6)
        )
        numbers = tk.Frame(frame)
        numbers.grid(row=1, column=0, sticky="nw", padx=(0, 20))
        for i, (label, key, how) in enumerate(ROWS):
            tk.Label(numbers, text=label_text(label), anchor="w").grid(row=i, column=0,
                                                                       sticky="w")
            tk.Label(numbers, text=format_value(today.get(key), how), anchor="e",
                     font=("DejaVu Sans", 10, "bold")).grid(row=i, column=1, sticky="e",
                                                           padx=(12, 0))
        by_cat = today.get("exercise_minutes_by_category") or {}
        if by_cat:
            text = "\n".join(f"{cat}: {duration(m * 60)}" for cat, m in by_cat.items())
        else:
            text = _("No exercises finished yet today.")
        tk.Label(numbers, text=text, justify="left", anchor="w", pady=8).grid(
            row=len(ROWS), column=0, columnspan=2, sticky="w"
        )
        tk.Label(numbers, text=definitions(), justify="left", anchor="w", wraplength=330,
                 font=("DejaVu Sans", 8)).grid(row=len(ROWS) + 1, column=0, columnspan=2,
                                               sticky="w")

        self.chart: tk.PhotoImage | None = None
        chart_path = request.get("chart_png")
        try:
            if chart_path and Path(chart_path).exists():
                self.chart = tk.PhotoImage(file=str(chart_path))
        except tk.TclError:
            self.chart = None
        if self.chart is not None:
            tk.Label(frame, image=self.chart, borderwidth=1, relief="solid").grid(
                row=1, column=1, sticky="n"
            )
        else:
            tk.Label(frame, text=_("The weekly chart is not available.")).grid(row=1, column=1)

        self.close_button = tk.Button(frame, text=_("Close"), width=10, command=self.close,
                                      default="active")
        self.close_button.grid(row=2, column=1, sticky="e", pady=(10, 0))
        self.close_button.focus_set()

    def _programme_tab(self, lines: list[str], chart_png: object) -> None:
        """Levels, ratings, check-ins and re-tests in words, and their chart."""
        assert self.tabs is not None
        tab = tk.Frame(self.tabs, padx=16, pady=12)
        self.tabs.add(tab, text=_("Programme"))
        tk.Label(tab, text="\n".join(lines), justify="left", anchor="w",
                 wraplength=880).pack(anchor="w")
        self.programme_chart: tk.PhotoImage | None = None
        try:
            if chart_png and Path(str(chart_png)).exists():
                self.programme_chart = tk.PhotoImage(file=str(chart_png))
        except tk.TclError:
            self.programme_chart = None
        if self.programme_chart is not None:
            tk.Label(tab, image=self.programme_chart, borderwidth=1, relief="solid").pack(
                anchor="w", pady=(8, 0))

    def _on_map(self, _event: tk.Event) -> None:
        if not self._shown:
            self._shown = True
            self.root.focus_force()
            self.close_button.focus_set()
            _emit(self.out, "shown")

    def close(self) -> None:
        """Report "closed" once and end the Tk loop."""
        if self._closed:
            return
        self._closed = True
        _emit(self.out, "closed")
        self.root.destroy()

    def run(self) -> None:
        """Show the window until it is closed."""
        self.root.mainloop()
        if not self._closed:  # the window died some other way; still answer
            self._closed = True
            _emit(self.out, "closed")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process; exit status 0 once closed, 2 on a bad request."""
    del argv
    try:
        request = json.loads(sys.stdin.read() or "{}")
        if not isinstance(request, dict):
            raise ValueError("the request must be a JSON object")
    except ValueError as err:
        print(f"stats window: bad request: {err}", file=sys.stderr)
        return 2
    return show(request, sys.stdout)


def show(request: dict[str, Any], out: TextIO) -> int:
    """Show the window for `request` until it is closed; 1 if no window can open."""
    try:
        window = StatsWindow(request, out)
    except tk.TclError as err:  # no display, most likely
        print(f"stats window: can't open a window: {err}", file=sys.stderr)
        return 1
    window.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())

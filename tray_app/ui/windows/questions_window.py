"""The first-run health questions as a window, in a short-lived Tk process.

Run as `python -m tray_app.ui.windows.questions_window SETTINGS_PATH`. It shows the safety text
and one tick box per question (core.screening), ticked as the settings stand, and writes the
answers itself (settings.answers): "Save" writes them, "Skip for now" only marks the questions
as seen; closing the window leaves everything as it was, so they are offered at the next start.
The running app picks the change up from the file. JSON lines on stdout for tests:
{"event": "shown"}, {"event": "saved", "exclude": [...]}, {"event": "skipped"},
{"event": "closed"}.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tkinter as tk
from pathlib import Path
from tkinter import ttk
from typing import Any

from tray_app.core.problems import ProblemsError
from tray_app.core.safety import SAFETY_LINE
from tray_app.core.screening import QUESTIONS, summary
from tray_app.settings.answers import current_answers, save_answers
from tray_app.support.i18n import _, tr


def _emit(event: dict[str, Any]) -> None:
    with contextlib.suppress(BrokenPipeError, ValueError):  # nobody listens: works the same
        print(json.dumps(event), flush=True)


class QuestionsWindow:
    def __init__(self, root: tk.Tk, path: Path) -> None:
        self.root, self.path = root, path
        root.title(_("sitbreak: a few questions before you start"))
        root.resizable(False, False)
        wrap = root.winfo_fpixels("5i")
        pad = int(root.winfo_fpixels("0.12i"))
        body = ttk.Frame(root, padding=pad)
        body.pack(fill="both", expand=True)
        ttk.Label(body, text=_("So that sitbreak leaves out moves that may not suit you, tick "
                               "what applies. Nothing leaves this computer."), wraplength=wrap,
                  justify="left").pack(anchor="w")
        ttk.Label(body, text=tr(SAFETY_LINE), wraplength=wrap, justify="left",
                  foreground="#8a3b12").pack(anchor="w", pady=(pad // 2, pad // 2))
        now = current_answers(path)
        self.vars: dict[str, tk.BooleanVar] = {}
        for q in QUESTIONS:
            var = tk.BooleanVar(value=now[q.id])
            ttk.Checkbutton(body, text=_(q.text), variable=var,  # xgettext -kQuestion:2
                            command=self._show_summary).pack(anchor="w")
            self.vars[q.id] = var
        self.summary = ttk.Label(body, wraplength=wrap, justify="left")
        self.summary.pack(anchor="w", pady=(pad // 2, 0))
        ttk.Label(body, text=_("Change these later in Settings (Never offer), or with "
                               "`sitbreak exercises questions`."), wraplength=wrap,
                  justify="left").pack(anchor="w")
        bar = ttk.Frame(body)
        bar.pack(fill="x", pady=(pad, 0))
        save = ttk.Button(bar, text=_("Save"), command=self.save)
        save.pack(side="left")
        ttk.Button(bar, text=_("Skip for now"), command=self.skip).pack(side="left", padx=4)
        self.error = ttk.Label(body, wraplength=wrap, foreground="#b00020")
        self.error.pack(anchor="w")
        root.protocol("WM_DELETE_WINDOW", self.close)
        root.bind("<Escape>", lambda _e: self.close())
        root.bind("<Map>", self._on_map)
        self._shown = False
        self._show_summary()
        save.focus_set()

    def answers(self) -> dict[str, bool]:
        return {k: v.get() for k, v in self.vars.items()}

    def _show_summary(self) -> None:
        self.summary.configure(text=tr(summary(self.answers())))

    def _on_map(self, event: tk.Event) -> None:
        if event.widget is self.root and not self._shown:
            self._shown = True
            _emit({"event": "shown", "answers": self.answers()})

    def save(self) -> None:
        self._write(self.answers())

    def skip(self) -> None:
        self._write(None)

    def _write(self, answers: dict[str, bool] | None) -> None:
        try:
            exclude = save_answers(self.path, answers)
        except (ProblemsError, OSError) as exc:
            self.error.configure(text=_("Could not save: {problem}").format(problem=exc))
            return
        _emit({"event": "saved", "exclude": list(exclude)} if answers is not None
              else {"event": "skipped"})
        self.close()

    def close(self) -> None:
        _emit({"event": "closed"})
        self.root.destroy()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tray_app.ui.windows.questions_window SETTINGS_PATH",
              file=sys.stderr)
        return 2
    try:
        root = tk.Tk(className="sitbreak")
    except tk.TclError as exc:
        print(f"sitbreak questions window: cannot open a window: {exc}", file=sys.stderr)
        return 3
    QuestionsWindow(root, Path(args[0]))
    root.mainloop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

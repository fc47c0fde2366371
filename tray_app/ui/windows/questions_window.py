"""The first-run health questions as a window, in a short-lived Tk process.

Run as `python -m tray_app.ui.windows.questions_window SETTINGS_PATH`. It shows the safety text
and one tick box per question (core.screening), ticked as the settings stand, and writes the
answers itself (settings.answers): "Save" writes them, "Skip for now" only marks the questions
as seen; closing the window leaves everything as it was, so they are offered at the next start.
The running app picks the change up from the file. JSON lines on stdout for tests:
{"event": "shown"}, {"event": "saved", "exclude": [...]}, {"event": "skipped"},
{"event": "closed"}.

The Settings window opens the same questions in a dialog of its own (`QuestionsWindow(top,
answers=..., use=...)`): ticked as its "Never offer" field stands, they hand the answers back
to the form ("Use these answers"), whose Save writes them with the rest, and whose Cancel drops
them; the dialog has Cancel in place of "Skip for now".
"""

from __future__ import annotations

import contextlib
import json
import sys
import tkinter as tk
from collections.abc import Callable, Mapping
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


Emit = Callable[[dict[str, Any]], None]


class QuestionsWindow:
    """The first run's window with `path` (Save and Skip write the file); the Settings window's
    dialog with `answers` (ticked so) and `use` (called with the answers on Save) instead."""

    def __init__(self, root: tk.Tk | tk.Toplevel, path: Path | None = None, *,
                 answers: Mapping[str, bool] | None = None,
                 use: Callable[[dict[str, bool]], None] | None = None,
                 emit: Emit = _emit) -> None:
        self.root, self.path, self.use, self.emit = root, path, use, emit
        in_settings = path is None
        root.title(_("sitbreak: health questions") if in_settings
                   else _("sitbreak: a few questions before you start"))
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
        now = current_answers(path) if path is not None else dict(answers or {})
        self.vars: dict[str, tk.BooleanVar] = {}
        for q in QUESTIONS:
            var = tk.BooleanVar(value=now.get(q.id, not q.excludes_on))
            ttk.Checkbutton(body, text=_(q.text), variable=var,  # xgettext -kQuestion:2
                            command=self._show_summary).pack(anchor="w")
            self.vars[q.id] = var
        self.summary = ttk.Label(body, wraplength=wrap, justify="left")
        self.summary.pack(anchor="w", pady=(pad // 2, 0))
        later = (_("These answers change \"Never offer\" in the settings; the settings "
                   "window's Save keeps them, its Cancel drops them.") if in_settings
                 else _("Change these later in Settings (Health questions…), or with "
                        "`sitbreak exercises questions`."))
        ttk.Label(body, text=later, wraplength=wrap, justify="left").pack(anchor="w")
        bar = ttk.Frame(body)
        bar.pack(fill="x", pady=(pad, 0))
        save = ttk.Button(bar, text=_("Use these answers") if in_settings else _("Save"),
                          command=self.save, default="active")
        save.pack(side="left")
        ttk.Button(bar, text=_("Cancel") if in_settings else _("Skip for now"),
                   command=self.close if in_settings else self.skip).pack(side="left", padx=4)
        self.error = ttk.Label(body, wraplength=wrap, foreground="#b00020")
        self.error.pack(anchor="w")
        root.protocol("WM_DELETE_WINDOW", self.close)
        root.bind("<Escape>", lambda _e: self.close())
        for key in ("<Return>", "<KP_Enter>"):  # as in the Settings window: Enter saves
            root.bind(key, lambda _e: self.save())
        root.bind("<Map>", self._on_map)
        self._shown = False
        self._show_summary()
        save.focus_set()
        self.save_button = save

    def answers(self) -> dict[str, bool]:
        return {k: v.get() for k, v in self.vars.items()}

    def _show_summary(self) -> None:
        self.summary.configure(text=tr(summary(self.answers())))

    def _on_map(self, event: tk.Event) -> None:
        if event.widget is self.root and not self._shown:
            self._shown = True
            self.emit({"event": "shown", "answers": self.answers()})

    def save(self) -> None:
        if self.use is not None:  # the Settings window's form takes them; its Save writes
            self.emit({"event": "used", "answers": self.answers()})
            self.use(self.answers())
            self.close()
            return
        self._write(self.answers())

    def skip(self) -> None:
        self._write(None)

    def _write(self, answers: dict[str, bool] | None) -> None:
        if self.path is None:  # the Settings window's dialog writes nothing itself
            return
        try:
            exclude = save_answers(self.path, answers)
        except (ProblemsError, OSError) as exc:
            self.error.configure(text=_("Could not save: {problem}").format(problem=exc))
            return
        self.emit({"event": "saved", "exclude": list(exclude)} if answers is not None
                  else {"event": "skipped"})
        self.close()

    def close(self) -> None:
        self.emit({"event": "closed"})
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

"""The settings window: every key of the settings file, grouped as the file is, checked as you
type by the same validator as `sitbreak check-settings`, saved with comments kept.

Run as `python -m tray_app.ui.windows.settings_window PATH [--autostart on|off] [--runtime-dir DIR]`
(`sitbreak settings` and the tray's "Settings…" do that). One window per user: a second one
asks the first to come to the front and exits. It writes JSON lines on stdout:
  {"event": "shown"} once mapped, {"event": "raised"} (a window was already open),
  {"event": "checked", "problems": {key: text}, "other": [...], "save_enabled": bool} after each
  check, {"event": "saved", "autostart": true|false|null}, and {"event": "closed"} last.
Keyboard: Tab moves through every field in file order, Enter saves, Esc cancels. The Exercises
group's "Health questions…" (also Alt and its underlined letter) asks the first-run questions
again in a dialog, ticked as "Never offer" stands; their answers change that field and
"Health questions answered" in the form, and Save writes them with the rest (settings.answers).
Its events: {"event": "questions-shown", "answers": {...}}, "questions-used", "questions-closed".
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from tkinter import messagebox, ttk
from typing import Any, TextIO

from tray_app.core.exercise import Exercise, category_name
from tray_app.core.problems import ProblemsError
from tray_app.core.screening import answers_from
from tray_app.core.tags import MEANS
from tray_app.settings import ChangedOnDisk, read_settings_text, write_settings
from tray_app.settings.answers import answered
from tray_app.settings.docs import default_text, default_values, explanations
from tray_app.support import i18n
from tray_app.support.i18n import _, tr
from tray_app.ui.windows.settings_form import CHOICE_KINDS, GROUPS, TEXT_KINDS, Field, Form

SOCKET_NAME = "settings-window.sock"
POLL_MS = 200
WRAP = 330  # pixels of explanation text per line
ERROR_COLOUR = "#b00020"
PREVIEW_PX = 96


class SingleWindow:
    """A Unix socket in the runtime folder: bound by the open window, poked by a second one."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SOCKET_NAME
        self.sock: socket.socket | None = None

    def claim(self) -> bool:
        """True if this process is the one window; False after raising the open one."""
        if not hasattr(socket, "AF_UNIX"):
            return True
        for _attempt in range(3):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.bind(str(self.path))  # binding is the claim: two at once cannot both win
            except OSError:
                sock.close()
                if self._raise_other():
                    return False
                self.path.unlink(missing_ok=True)  # nobody listens: a stale socket file
                continue
            sock.listen(4)
            sock.setblocking(False)
            self.sock = sock
            return True
        return True  # cannot tell: better a second window than none

    def _raise_other(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as other:
                other.settimeout(2)
                other.connect(str(self.path))
                other.sendall(b"raise\n")
            return True
        except OSError:
            return False

    def poked(self) -> bool:
        if self.sock is None:
            return False
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return False
        conn.close()
        return True

    def release(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.path.unlink(missing_ok=True)


class SettingsWindow:
    """The window; `run()` returns when it is closed (saved or cancelled)."""

    def __init__(self, path: Path, out: TextIO, autostart: bool | None,
                 single: SingleWindow | None = None) -> None:
        self.path = path
        self.out = out
        self.single = single
        self.autostart_initial = autostart
        self.defaults_text = default_text()
        self._load()  # a missing or unreadable file is said before any window is made
        self.root = tk.Tk(className="sitbreak-settings")
        self.root.title(_("sitbreak settings, {path}").format(path=path))
        self.root.protocol("WM_DELETE_WINDOW", self.cancel)
        style = ttk.Style(self.root)
        if "clam" in style.theme_names():
            style.theme_use("clam")  # its focus ring is clearly visible
        style.configure("Error.TLabel", foreground=ERROR_COLOUR)
        style.configure("Note.TLabel", foreground="#555555")
        self.vars: dict[str, Any] = {}
        self.widgets: dict[str, tk.Widget] = {}
        self.errors: dict[str, ttk.Label] = {}
        self._closed = False
        self.questions: tk.Toplevel | None = None
        self._build()
        self.root.bind("<Escape>", lambda _e: self.cancel())
        self.root.bind("<Return>", lambda _e: self.save())
        self.root.bind("<KP_Enter>", lambda _e: self.save())
        self.root.after(POLL_MS, self._poll)

    # --- model ------------------------------------------------------------------------------

    def _load(self) -> None:
        text = read_settings_text(self.path)
        self.form = Form(text, str(self.path), default_values(self.defaults_text),
                         explanations(self.defaults_text))
        self.exercises = _catalogue(self.form)
        i18n.follow_setting(str(self.form.initial.get("general.language") or ""))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.form.fields:
            var = self.vars[f.key]
            if isinstance(var, dict):  # check boxes: name -> BooleanVar
                out[f.key] = tuple(n for n, v in var.items() if v.get())
            elif isinstance(var, tk.Listbox):
                names = self._exclude_names
                out[f.key] = tuple(names[i] for i in var.curselection())
            else:
                out[f.key] = var.get()
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            var = self.vars.get(key)
            if isinstance(var, dict):
                for name, bv in var.items():
                    bv.set(name in value)
            elif isinstance(var, tk.Listbox):
                for name in value:  # e.g. a tag from the health questions no exercise has
                    if name not in self._exclude_names:
                        self._exclude_names.append(name)
                        var.insert("end", f"tag: {name}" if name in MEANS else f"{name} (unknown)")
                var.selection_clear(0, "end")
                for i, name in enumerate(self._exclude_names):
                    if name in value:
                        var.selection_set(i)
            elif var is not None:
                var.set(value)
        self.check()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        root = self.root
        outer = ttk.Frame(root, padding=8)
        outer.pack(fill="both", expand=True)
        self.banner = ttk.Label(outer, style="Error.TLabel", wraplength=620, justify="left")
        self.banner.pack(fill="x")
        # What the settings as they stand cannot offer (places, exclusions, break length).
        self.coverage_label = ttk.Label(outer, wraplength=620, justify="left")
        self.coverage_label.pack(fill="x")
        body = ttk.Frame(outer)
        body.pack(fill="both", expand=True)
        self.canvas = tk.Canvas(body, highlightthickness=0, width=700, height=560)
        bar = ttk.Scrollbar(body, orient="vertical", command=self.canvas.yview)
        self.canvas.configure(yscrollcommand=bar.set)
        bar.pack(side="right", fill="y")
        self.canvas.pack(side="left", fill="both", expand=True)
        self.inner = ttk.Frame(self.canvas)
        inner_id = self.canvas.create_window((0, 0), window=self.inner, anchor="nw")
        self.canvas.bind("<Configure>", lambda e: self.canvas.itemconfigure(
            inner_id, width=max(e.width, self.inner.winfo_reqwidth())))
        self.inner.bind("<Configure>", lambda _e: self.canvas.configure(
            scrollregion=self.canvas.bbox("all")))
        for seq, step in (("<Button-4>", -3), ("<Button-5>", 3)):
            root.bind_all(seq, lambda _e, s=step: self.canvas.yview_scroll(s, "units"))
        first: tk.Widget | None = None
        for section, english in GROUPS:
            title = _(english)
            group = ttk.LabelFrame(self.inner, text=title, padding=6)
            group.pack(fill="x", padx=4, pady=4)
            group.columnconfigure(0, minsize=150)
            group.columnconfigure(1, weight=1)
            row = 0
            for f in self.form.fields:
                if f.key.startswith(section + "."):
                    widget = self._field(group, row, f)
                    first = first or widget
                    row += 2
            if section == "exercises":
                self._questions_button(group, row)
                row += 1
            ttk.Button(group, text=_("Restore defaults: {group}").format(group=title),
                       command=lambda s=section: self.restore(s)).grid(
                row=row, column=1, sticky="w", pady=(4, 0))
        if self.autostart_initial is not None:
            group = ttk.LabelFrame(self.inner, text=_("Start at login"), padding=6)
            group.pack(fill="x", padx=4, pady=4)
            self.autostart_var = tk.BooleanVar(value=self.autostart_initial)
            box = ttk.Checkbutton(group, text=_("Start sitbreak when I log in"),
                                  variable=self.autostart_var, command=self.check)
            box.grid(row=0, column=0, sticky="w")
            self._follow_focus(box)
        buttons = ttk.Frame(outer, padding=(0, 8, 0, 0))
        buttons.pack(fill="x")
        self.save_button = ttk.Button(buttons, text=_("Save"), command=self.save, default="active")
        self.save_button.pack(side="right")
        ttk.Button(buttons, text=_("Cancel"), command=self.cancel).pack(side="right", padx=6)
        if self.form.broken is not None:
            fix = _("Fix the file in an editor.")
            self.banner.configure(text=f"{self.form.broken}\n{fix}")
        self.check()
        self.first = first

    def _field(self, group: ttk.LabelFrame, row: int, f: Field) -> tk.Widget:
        initial = self.form.initial[f.key]
        label = ttk.Label(group, text=_(f.spec.label))  # marked in settings/schema.py
        label.grid(row=row, column=0, sticky="nw", padx=(0, 8), pady=(4, 0))
        kind = f.spec.kind
        name = f.key.replace(".", "_")
        widget: tk.Widget
        if kind in TEXT_KINDS:
            var: Any = tk.StringVar(value=initial)
            widget = ttk.Entry(group, textvariable=var, width=24, name=name)
            var.trace_add("write", lambda *_: self.check())
            widget.bind("<Control-a>", _select_all)
        elif kind == "bool":
            var = tk.BooleanVar(value=bool(initial))
            widget = ttk.Checkbutton(group, variable=var, command=self.check, name=name,
                                     text=_("on"))
        elif kind in CHOICE_KINDS:
            choices = CHOICE_KINDS[kind]
            widget = ttk.Frame(group, name=name)
            var = {}
            for n in choices:
                var[n] = tk.BooleanVar(value=n in initial)
                box = ttk.Checkbutton(widget, text=n, variable=var[n], command=self.check)
                box.pack(side="left", padx=(0, 4))
                self._follow_focus(box)
        else:  # names: the catalogue's ids and tags
            widget = self._exclude_list(group, initial, name)
            var = widget.listbox  # type: ignore[attr-defined]
        self.vars[f.key] = var
        widget.grid(row=row, column=1, sticky="nw", pady=(4, 0))
        target = widget.winfo_children()[0] if kind in CHOICE_KINDS else widget
        if kind == "names":
            target = var
        label.bind("<Button-1>", lambda _e, w=target: w.focus_set())  # the label goes with it
        self._follow_focus(target)
        target.bind("<FocusIn>", lambda _e, k=f.key: self.emit({"event": "focus", "key": k}),
                    add="+")
        error = ttk.Label(group, style="Error.TLabel", wraplength=240, justify="left")
        error.grid(row=row, column=2, sticky="nw", padx=(8, 0), pady=(4, 0))
        self.errors[f.key] = error
        # The explanation is settings.toml's comment (scripts/update_translations extracts it).
        note = " · ".join(t for t in (tr(f.spec.unit), _(f.explanation) if f.explanation else "")
                          if t)
        ttk.Label(group, text=note, style="Note.TLabel", wraplength=WRAP, justify="left").grid(
            row=row + 1, column=1, columnspan=2, sticky="w")
        self.widgets[f.key] = target
        return target

    def _exclude_list(self, group: ttk.LabelFrame, initial: tuple[str, ...], name: str
                      ) -> ttk.Frame:
        frame = ttk.Frame(group, name=name)
        tags = sorted({t for e in self.exercises for t in e.tags})
        self._exclude_names = [e.id for e in self.exercises] + tags
        self._exclude_names += [n for n in initial if n not in self._exclude_names]
        lines = [f"{tr(e.name)} ({e.id}; {tr(category_name(e.category))}"
                 f"{'; ' if e.tags else ''}{', '.join(e.tags)})"
                 for e in self.exercises] + [_("tag: {tag}").format(tag=t) for t in tags]
        lines += [_("{name} (unknown)").format(name=n) for n in self._exclude_names[len(lines):]]
        box = tk.Listbox(frame, selectmode="multiple", height=6, width=40, exportselection=False,
                         activestyle="dotbox")
        for line in lines:
            box.insert("end", line)
        for i, n in enumerate(self._exclude_names):
            if n in initial:
                box.selection_set(i)
        box.pack(side="left")
        self.preview = ttk.Label(frame)
        self.preview.pack(side="left", padx=6)
        self._images: list[tk.PhotoImage] = []
        box.bind("<<ListboxSelect>>", lambda _e: self.check())
        for seq in ("<KeyRelease-Up>", "<KeyRelease-Down>", "<ButtonRelease-1>", "<FocusIn>"):
            box.bind(seq, lambda _e: self._show_preview(), add="+")
        frame.listbox = box  # type: ignore[attr-defined]
        return frame

    def _questions_button(self, group: ttk.LabelFrame, row: int) -> None:
        text = _("Health questions…")
        self.questions_button = ttk.Button(group, text=text, command=self.ask_questions,
                                           underline=0)
        self.questions_button.grid(row=row, column=1, sticky="w", pady=(4, 0))
        self._follow_focus(self.questions_button)
        self.questions_button.bind(
            "<FocusIn>", lambda _e: self.emit({"event": "focus-button", "name": "questions"}),
            add="+")
        letter = accelerator(text)
        if letter:  # Alt and the underlined letter, from any field of the window
            self.root.bind("<Alt-KeyPress>", lambda e: self._alt_key(e, letter), add="+")

    def _alt_key(self, event: tk.Event, letter: str) -> str | None:
        if letter not in (event.char.lower(), event.keysym.lower()):
            return None
        self.questions_button.focus_set()
        self.ask_questions()
        return "break"

    def ask_questions(self) -> None:
        """The health questions in a modal dialog, ticked as the form's "Never offer" stands
        (unsaved edits included); their answers go into the form, never straight to the file."""
        if self._closed:
            return
        if self.questions is not None and self.questions.winfo_exists():
            self.questions.lift()
            return
        from tray_app.ui.windows.questions_window import QuestionsWindow

        top = tk.Toplevel(self.root)
        top.transient(self.root)
        self.questions = top
        dialog = QuestionsWindow(
            top, answers=answers_from(self.values()["exercises.exclude"]),
            use=self.use_answers,
            emit=lambda e: self.emit({**e, "event": "questions-" + str(e["event"])}))
        top.bind("<Destroy>", lambda e: self._questions_closed(e, top), add="+")
        try:
            top.wait_visibility()  # a grab needs the dialog on screen
            top.grab_set()
            top.focus_force()
            dialog.save_button.focus_set()
        except tk.TclError:
            pass  # closed before it was shown, or another grab: still usable

    def use_answers(self, answers: dict[str, bool]) -> None:
        """The dialog's answers into the form: only "Never offer" and "Health questions
        answered" change (as the first run sets them); other unsaved edits stay."""
        self.set_values(answered(self.values()["exercises.exclude"], answers))

    def _questions_closed(self, event: tk.Event, top: tk.Toplevel) -> None:
        if event.widget is not top or self._closed:
            return
        self.questions = None
        self.root.focus_force()
        self.questions_button.focus_set()

    def _show_preview(self) -> None:
        box: tk.Listbox = self.vars["exercises.exclude"]
        index = box.index("active")
        if not 0 <= index < len(self.exercises):
            self.preview.configure(image="")
            return
        try:
            from tray_app.exercises.pictures import cached_frames
            from tray_app.support.paths import cache_dir

            png = cached_frames(self.exercises[index], cache_dir() / "pictures", PREVIEW_PX)[0]
            self._images = [tk.PhotoImage(file=str(png))]
            self.preview.configure(image=self._images[0])
        except Exception:
            self.preview.configure(image="")  # a missing picture costs the preview only

    def _follow_focus(self, widget: tk.Widget) -> None:
        widget.bind("<FocusIn>", lambda _e, w=widget: self._scroll_to(w), add="+")

    def _scroll_to(self, widget: tk.Widget) -> None:
        self.root.update_idletasks()
        total = max(1, self.inner.winfo_height())
        top = widget.winfo_rooty() - self.inner.winfo_rooty()
        view_top, view_bottom = (v * total for v in self.canvas.yview())
        height = widget.winfo_height()
        if top < view_top or top + height > view_bottom:
            self.canvas.yview_moveto(max(0.0, (top - 40) / total))

    # --- checking and saving -------------------------------------------------------------

    def check(self) -> bool:
        """Run the validator on the file as it would be saved; True if it may be saved."""
        if self.form.broken is not None:
            per_key, other = {}, [str(self.form.broken)]
        else:
            try:
                per_key, other = self.form.problems(self.values())
            except Exception as exc:  # tomlkit refused a value: say so, never crash
                per_key, other = {}, [f"cannot apply these values: {exc}"]
        for key, label in self.errors.items():
            label.configure(text=per_key.get(key, ""))
        if self.form.broken is None:
            self.banner.configure(text="\n".join(other))
        ok = not per_key and not other
        self.save_button.state(["!disabled"] if ok else ["disabled"])
        try:
            changes = self.form.changes(self.values())
        except Exception:
            changes = {}
        coverage = self._coverage() if ok else []
        self.coverage_label.configure(
            text="\n".join(_("Cannot offer: {what}").format(what=tr(c)) for c in coverage))
        self.emit({"event": "checked", "problems": per_key, "other": other,
                   "save_enabled": not self.save_button.instate(["disabled"]),
                   "changes": changes, "coverage": coverage})
        return ok

    def _coverage(self) -> list[str]:
        """What the values on show cannot offer (exercises.format.coverage_lines)."""
        from tray_app.exercises.format import coverage_lines
        from tray_app.settings import parse_settings

        try:
            return coverage_lines(self.exercises, parse_settings(self.form.new_text(self.values())))
        except Exception:  # a value tomlkit or the checker refuses: reported above already
            return []

    def restore(self, section: str) -> None:
        self.set_values({k: v for k, v in self.form.defaults.items()
                         if k.startswith(section + ".")})

    def save(self) -> None:
        if self._closed or not self.check():
            return
        autostart = None
        if self.autostart_initial is not None and \
                self.autostart_var.get() != self.autostart_initial:
            autostart = bool(self.autostart_var.get())
        try:
            write_settings(self.path, self.form.changes(self.values()),
                           expected_text=self.form.text)
        except ChangedOnDisk:
            if messagebox.askyesno(
                _("The settings file changed"),
                _("{path} was changed by something else while this window was open.\n\n"
                  "Reload it? The changes made in this window will be lost. "
                  "(No keeps the window open and the file as it is.)").format(path=self.path),
                parent=self.root):
                self.reload()
            return
        except (ProblemsError, OSError) as exc:
            self.banner.configure(text=_("Not saved: {problem}").format(problem=exc))
            return
        self.emit({"event": "saved", "autostart": autostart})
        self.close()

    def reload(self) -> None:
        self._load()
        self.set_values(dict(self.form.initial))

    def cancel(self) -> None:
        self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.emit({"event": "closed"})
        self.root.destroy()

    def emit(self, obj: dict[str, Any]) -> None:
        try:
            self.out.write(json.dumps(obj) + "\n")
            self.out.flush()
        except (OSError, ValueError):
            pass  # nobody is listening any more: the window still works

    def _poll(self) -> None:
        if self._closed:
            return
        if self.single is not None and self.single.poked():
            self.raise_window()
        self.root.after(POLL_MS, self._poll)

    def raise_window(self) -> None:
        self.root.deiconify()
        self.root.lift()
        self.root.attributes("-topmost", True)
        self.root.after(300, lambda: self.root.attributes("-topmost", False))
        self.root.focus_force()

    def run(self) -> None:
        self.root.update_idletasks()
        self.root.after_idle(self._shown)
        self.root.mainloop()

    def _shown(self) -> None:
        self.root.focus_force()
        if self.first is not None:
            self.first.focus_set()
            if isinstance(self.first, ttk.Entry):
                self.first.selection_range(0, "end")  # as Tab does: typing replaces it
        self.emit({"event": "shown"})


def accelerator(label: str) -> str:
    """The letter Alt goes with for a button whose first character is underlined (as
    translated): lower case, or "" when the label starts with no letter or digit."""
    first = label[:1]
    return first.lower() if first.isalnum() else ""


def _select_all(event: tk.Event) -> str:
    event.widget.selection_range(0, "end")
    event.widget.icursor("end")
    return "break"  # not Tk's own Ctrl+A (to the line start)


def _catalogue(form: Form) -> list[Exercise]:
    """Built-in exercises plus the user's own file, for the exclusion list (best effort)."""
    from tray_app.exercises.loader import BUILTIN_CATALOGUE, read_catalogue

    exercises, _ = read_catalogue(BUILTIN_CATALOGUE)
    extra = form.initial.get("exercises.extra")
    if isinstance(extra, str) and extra.strip():
        more, _ = read_catalogue(Path(extra).expanduser(), taken={e.id for e in exercises})
        exercises += more
    return exercises


def main(argv: list[str] | None = None, out: TextIO = sys.stdout,
         runtime_dir: Callable[[], Path] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tray_app.ui.windows.settings_window")
    parser.add_argument("path", type=Path)
    parser.add_argument("--autostart", choices=("on", "off"))
    parser.add_argument("--runtime-dir", type=Path)
    args = parser.parse_args(argv)
    folder = args.runtime_dir
    if folder is None:
        from tray_app.support.paths import runtime_dir as default_runtime_dir

        folder = (runtime_dir or default_runtime_dir)()
    single = SingleWindow(folder)
    if not single.claim():
        out.write(json.dumps({"event": "raised"}) + "\n")
        out.flush()
        return 0
    try:
        autostart = None if args.autostart is None else args.autostart == "on"
        try:
            window = SettingsWindow(args.path, out, autostart, single)
        except ProblemsError as exc:
            print(tr(exc.text()), file=sys.stderr)
            return 2
        except tk.TclError as exc:
            print("sitbreak: " + _("cannot open the settings window: {error}").format(error=exc),
                  file=sys.stderr)
            return 1
        window.run()
    finally:
        single.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The first-run health questions: each answer excludes tags; terminal, window and start."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop import Display, wait_for
from tray_app.cli.questions import OFFER_ENV, ask, hint, offer_at_start
from tray_app.core.exercise import PLACES
from tray_app.core.model import ExerciseSettings
from tray_app.core.safety import SAFETY_LINE
from tray_app.core.screening import QUESTIONS, answers_from, apply_answers
from tray_app.core.tags import MEANS
from tray_app.exercises.loader import load_catalogue, read_builtin
from tray_app.settings import load_settings

ALL = read_builtin()
NOTHING = {q.id: not q.excludes_on for q in QUESTIONS}  # answers that leave nothing out


def test_every_answer_leaves_out_something_by_a_tag_the_rule_knows() -> None:
    seen: set[str] = set()
    for q in QUESTIONS:
        assert set(q.tags) <= set(MEANS), q.id
        assert not seen & set(q.tags), f"{q.id}: a tag belongs to one question only"
        seen |= set(q.tags)
        exclude = apply_answers((), {q.id: q.excludes_on})
        kept = load_catalogue(ExerciseSettings(places=PLACES, exclude=exclude))
        assert len(kept) < len(ALL), q.id
        assert not any(set(q.tags) & set(e.tags) for e in kept), q.id
    assert {"supine", "abdominal-load", "deep-hip-flexion", "deep-knee-bend", "nerve-tension",
            "wrist-load", "balance", "back-bend", "desk", "wall"} <= seen


def test_answers_add_and_remove_only_their_own_tags() -> None:
    mine = ("dead-bug", "my-own-tag")
    yes = apply_answers(mine, {"knees": True, "desk": False})
    assert set(yes) == {*mine, "deep-knee-bend", "kneeling", "desk"}
    assert answers_from(yes)["knees"] is True and answers_from(yes)["desk"] is False
    assert apply_answers(yes, {"knees": False, "desk": True}) == mine
    assert apply_answers(yes, {}) == yes  # nothing answered, nothing changed


def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


def test_the_terminal_asks_writes_and_asks_again(tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    out = io.StringIO()
    # pregnant: yes; the rest Enter (the answers as the settings stand), then no desk
    replies = "y\n" + "\n" * (len(QUESTIONS) - 3) + "maybe\nn\n\n"
    assert ask(path, io.StringIO(replies), out) == 0
    text = out.getvalue()
    assert " ".join(SAFETY_LINE.split()) in " ".join(text.split())
    assert "Please answer y or n." in text
    ex = load_settings(path).exercises
    assert ex.screened and set(ex.exclude) == {"supine", "abdominal-load", "desk"}
    kept = load_catalogue(ex)
    assert not any({"supine", "abdominal-load", "desk"} & set(e.tags) for e in kept)
    # Again, changing one answer: the others stay.
    replies = "n\n" + "\n" * (len(QUESTIONS) - 1)
    assert ask(path, io.StringIO(replies), io.StringIO()) == 0
    assert load_settings(path).exercises.exclude == ("desk",)


def test_skip_marks_them_seen_and_changes_nothing(tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    assert ask(path, io.StringIO(""), io.StringIO(), skip=True) == 0
    ex = load_settings(path).exercises
    assert ex.screened and ex.exclude == ()
    # End of input part-way through is a skip of the rest, never a crash.
    assert ask(path, io.StringIO("y\n"), io.StringIO()) == 0
    assert load_settings(path).exercises.exclude == ("supine", "abdominal-load")


def test_the_app_offers_them_at_start_until_answered(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = settings_file(tmp_path)
    monkeypatch.setenv(OFFER_ENV, "1")
    offer_at_start(path, console=True, no_window=False)
    assert hint() in capsys.readouterr().err
    ask(path, io.StringIO(""), io.StringIO(), skip=True)
    offer_at_start(path, console=True, no_window=False)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv(OFFER_ENV, "0")
    offer_at_start(settings_file(tmp_path / "other"), console=True, no_window=False)
    assert capsys.readouterr().err == ""


@pytest.mark.desktop
def test_the_window_saves_the_ticked_answers(display: Display, tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", f"""
import tkinter as tk, sys
from pathlib import Path
from tray_app.ui.windows.questions_window import QuestionsWindow
root = tk.Tk()
w = QuestionsWindow(root, Path({str(path)!r}))
w.vars["sciatica"].set(True)
w.vars["wall"].set(False)
root.after(300, w.save)
root.mainloop()
"""], env=display.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert '"event": "shown"' in out and '"event": "saved"' in out and '"closed"' in out
    wait_for(path.exists, what="the settings file")
    ex = load_settings(path).exercises
    assert ex.screened and set(ex.exclude) == {"nerve-tension", "wall"}


@pytest.mark.slow
@pytest.mark.e2e
def test_a_first_console_start_says_how_to_answer_them(tmp_path: Path) -> None:
    from tests.e2e.sitbreak_proc import Sandbox, stop

    sandbox = Sandbox(tmp_path, {OFFER_ENV: "1"})
    proc = sandbox.start("--console")
    try:
        sandbox.wait_running(proc)
        assert hint() in sandbox.output()
    finally:
        stop(proc)
    # Skipped once, never offered again.
    assert sandbox.cli("exercises", "questions", "--skip").returncode == 0
    proc = sandbox.start("--console")
    try:
        sandbox.wait_running(proc)
        assert hint() not in sandbox.output()
    finally:
        stop(proc)


@pytest.mark.desktop
def test_a_first_start_on_a_desktop_opens_the_questions_window(
        display: Display, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from tests.desktop import require

    require("xdotool")
    monkeypatch.setenv(OFFER_ENV, "1")
    monkeypatch.setenv("DISPLAY", display.name)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    offer_at_start(settings_file(tmp_path), console=False, no_window=False)

    def found() -> list[str]:
        out = display.run("xdotool", "search", "--onlyvisible", "--name",
                          "a few questions before you start", check=False)
        return out.split()

    windows = wait_for(found, timeout=20, what="the questions window")
    display.run("xdotool", "windowclose", windows[0], check=False)
    wait_for(lambda: not found(), timeout=10, what="the window to close")
    assert not load_settings_or_none(settings_file(tmp_path)), "closing answers nothing"


def load_settings_or_none(path: Path) -> object:
    return load_settings(path).exercises.screened if path.exists() else None

"""`sitbreak exercises questions`: the first-run health questions in a terminal, and the
offer of them when the app starts (a window on a desktop, a hint on a console)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from tray_app.core.problems import ProblemsError
from tray_app.core.safety import SAFETY_LINE
from tray_app.core.screening import QUESTIONS, summary
from tray_app.settings.answers import current_answers, is_screened, save_answers
from tray_app.support.exit_codes import EXIT_OK, EXIT_USAGE
from tray_app.support.i18n import N_, _, tr

# "0" turns the offer at start off (the test suite sets it: its apps start on fresh configs).
OFFER_ENV = "SITBREAK_QUESTIONS"
HINT = N_("answer a few health questions so that moves which may not suit you are left out: "
          "{command} ({skip} to skip them)")
YES, NO = ("y", "yes"), ("n", "no")  # English answers work in every language


def _yes_no() -> tuple[str, str, set[str], set[str]]:
    """The short yes and no the prompt shows, and every answer taken as each."""
    # Translators: the one-letter answer "yes" typed at the console's health questions
    yes = _("y")
    # Translators: the one-letter answer "no" typed at the console's health questions
    no = _("n")
    # Translators: the word "yes" typed at the console's health questions
    yes_word = _("yes")
    # Translators: the word "no" typed at the console's health questions
    no_word = _("no")
    return yes, no, {*YES, yes, yes_word.lower()}, {*NO, no, no_word.lower()}


def hint() -> str:
    """How to answer the questions in a terminal (printed where no window can ask)."""
    return _(HINT).format(command="`sitbreak exercises questions`", skip="`--skip`")


def ask(path: Path, inp: TextIO, out: TextIO, *, skip: bool = False) -> int:
    """Ask every question on `out`, read answers from `inp`, save them; Enter keeps the
    answer the settings hold now, and end of input skips the rest."""
    try:
        answers: dict[str, bool] | None = None
        if not skip:
            print(tr(SAFETY_LINE), file=out)
            yes, no, _yes, _no = _yes_no()
            print(_("Answer {yes} or {no}; Enter keeps the answer in [brackets].").format(
                yes=yes, no=no), file=out)
            answers = {}
            now = current_answers(path)
            for q in QUESTIONS:
                answer = _one(_(q.text), now[q.id], inp, out)
                if answer is None:
                    break
                answers[q.id] = answer
        exclude = save_answers(path, answers)
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE
    print(tr(summary(answers)) if answers else _("Skipped: nothing changed."), file=out)
    print(_("Saved in {path} ([exercises] exclude = {exclude}). Change it any time in Settings "
            "(Health questions…) or by running {command} again.").format(
                path=path, exclude=list(exclude), command="`sitbreak exercises questions`"),
          file=out)
    return EXIT_OK


def _one(text: str, now: bool, inp: TextIO, out: TextIO) -> bool | None:
    yes, no, yes_words, no_words = _yes_no()
    while True:
        print(f"{text} [{yes if now else no}] ", end="", file=out, flush=True)
        line = inp.readline()
        if not line:
            print(file=out)
            return None
        word = line.strip().lower()
        if not word:
            return now
        if word in yes_words or word in no_words:
            return word in yes_words
        print(_("Please answer {yes} or {no}.").format(yes=yes, no=no), file=out)


def offer_at_start(path: Path, console: bool, no_window: bool) -> None:
    """At start, until the questions were answered or skipped: open the questions window on
    a desktop (it writes the answers itself; the app picks them up), else print how to
    answer them. Never stops the app from starting."""
    if os.environ.get(OFFER_ENV) == "0":
        return
    try:
        if is_screened(path):
            return
    except ProblemsError:
        return  # the app's own start reports a broken file
    desktop = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if console or no_window or not desktop:
        print(f"sitbreak: {hint()}", file=sys.stderr, flush=True)
        return
    from tray_app.support.child_env import child_env

    try:
        subprocess.Popen([sys.executable, "-m", "tray_app.ui.windows.questions_window",
                          str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         env=child_env(), start_new_session=True)
    except OSError as exc:
        print("sitbreak: " + _("could not open the health questions ({error}); {hint}").format(
            error=exc, hint=hint()), file=sys.stderr, flush=True)

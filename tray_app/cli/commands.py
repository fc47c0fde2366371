"""One handler per subcommand; each returns the exit code. Heavy imports stay inside handlers."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tray_app.core.problems import ProblemsError
from tray_app.support import paths
from tray_app.support.exit_codes import EXIT_FAIL, EXIT_NOT_RUNNING, EXIT_OK, EXIT_USAGE, UsageError
from tray_app.support.i18n import _, tr
from tray_app.support.resources import default_settings_file

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable


def _err(text: str) -> None:
    print(f"sitbreak: {text}", file=sys.stderr)


def settings_path(args: argparse.Namespace) -> Path:
    return args.config if args.config else paths.settings_file()


def load_user_settings(args: argparse.Namespace):
    """Settings for commands that only read them; the default file stands in on first run."""
    from tray_app.settings import load_settings

    path = settings_path(args)
    if not args.config and not path.exists() and not path.is_symlink():
        path = default_settings_file()
    return load_settings(path)


# --- run -----------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from tray_app.cli.relaunch import run_app, start_afresh
    from tray_app.shell.run_options import RunOptions

    options = RunOptions(config=args.config, verbose=bool(args.verbose),
                         console=bool(args.console), no_window=bool(args.no_window))
    if not args.config:  # the first-run health questions, until answered or skipped; here,
        # before starting afresh, so the idle app never holds what asking them needs
        from tray_app.cli.questions import offer_at_start

        offer_at_start(paths.settings_file(), options.console, options.no_window)
    if getattr(args, "may_start_afresh", False):
        start_afresh(options)  # returns only where the process cannot be replaced
    return run_app(options)


# --- control commands ----------------------------------------------------------------------------


def _send(request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    from tray_app.shell.control_channel import NotRunning, send_command

    try:
        reply = send_command(paths.runtime_dir(), request)
    except NotRunning:
        print(_("sitbreak is not running"), file=sys.stderr)
        return EXIT_NOT_RUNNING, {}
    except TimeoutError as exc:  # busy past the timeout, or no answer: says if it may apply
        _err(str(exc))
        return EXIT_FAIL, {}
    except (OSError, ValueError) as exc:
        _err(_("could not reach the running sitbreak: {error}").format(error=exc))
        return EXIT_FAIL, {}
    if not reply.get("ok"):
        _err(str(reply.get("error") or _("the command failed")))
        return int(reply.get("code", EXIT_FAIL)), reply
    if reply.get("warning"):
        _err(str(reply["warning"]))
    return EXIT_OK, reply


def _report(code: int, reply: dict[str, Any]) -> int:
    if code == EXIT_OK and "status" in reply:
        print(reply["status"]["line"])
    return code


def status(args: argparse.Namespace) -> int:
    code, reply = _send({"cmd": "status"})
    if code != EXIT_OK:
        return code
    st = reply["status"]
    if args.json:
        print(json.dumps(st, indent=2))
    else:
        line = st["line"]
        if not st.get("idle_sees_input", True):
            line += " " + _("(input not visible: counting wall time)")
        print(line)
    return EXIT_OK


def simple(args: argparse.Namespace) -> int:
    return _report(*_send({"cmd": args.cmd}))


def programme(args: argparse.Namespace) -> int:
    """`rate`, `level`, `checkin`, `retest` (cli.programme): sent to the running sitbreak."""
    from tray_app.cli import programme as prog

    try:
        if args.command == "retest" and args.item is None:
            print(prog.retest_text(load_user_settings(args)))
            return EXIT_OK
        if problem := prog.unknown_name(args, lambda: load_user_settings(args)):
            _err(problem)
            return EXIT_USAGE
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE
    return _report(*_send(prog.request(args)))


def _duration(words: list[str] | str | None, limits: tuple[float, float]) -> float | None:
    """Seconds from the words after the command ("1 min" may arrive as two words)."""
    from tray_app.core.duration import BadValue, parse_duration_within

    if not words:
        return None
    text = words if isinstance(words, str) else " ".join(words)
    try:
        return parse_duration_within(text, *limits)
    except BadValue as exc:
        raise UsageError(_("bad duration {text}: {error}").format(
            text=repr(text[:60]), error=tr(exc.args[0]))) from None


def snooze(args: argparse.Namespace) -> int:
    from tray_app.core.limits import SNOOZE_S

    seconds = _duration(args.duration, SNOOZE_S)
    return _report(*_send({"cmd": "snooze", "seconds": seconds}))


def until_wall(hhmm: str, now: dt.datetime | None = None) -> float:
    """The next local occurrence of HH:MM, as epoch seconds."""
    from tray_app.settings import parse_clock

    minutes = parse_clock(hhmm)
    now = now or dt.datetime.now().astimezone()
    target = now.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(
        minutes=minutes
    )
    if target <= now:
        target += dt.timedelta(days=1)
    return target.timestamp()


def pause(args: argparse.Namespace) -> int:
    from tray_app.core.limits import PAUSE_S
    from tray_app.settings import BadValue

    request: dict[str, Any] = {"cmd": "pause"}
    if args.until is not None and args.duration:
        raise UsageError(_("give a duration or {until}, not both").format(
            until="--until HH:MM"))
    if args.until is not None:  # --until '' is a mistake, not "pause for ever"
        try:
            request["until_wall"] = until_wall(args.until)
        except BadValue as exc:
            raise UsageError(_("bad time {text}: {error}").format(
                text=repr(args.until), error=tr(exc.args[0]))) from None
    else:
        request["seconds"] = _duration(args.duration, PAUSE_S)
    return _report(*_send(request))


# --- settings ------------------------------------------------------------------------------------


def check_settings(args: argparse.Namespace) -> int:
    from tray_app.settings.full import load_checked

    path = args.path or settings_path(args)
    first_run = not (args.path or args.config or path.exists() or path.is_symlink())
    try:
        if first_run:  # sitbreak writes the defaults at first start: check those instead
            load_checked(default_settings_file())
            print(_("{path}: not made yet; the default settings it will start with are OK")
                  .format(path=path))
            return EXIT_OK
        load_checked(path)  # the user's exercises file and exclusions too
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE
    print(_("{path}: OK").format(path=path))
    return EXIT_OK


def settings(args: argparse.Namespace) -> int:
    """Open the settings window on the user's file; returns when it is closed."""
    from tray_app.settings import ensure_user_file
    from tray_app.ui.launch.settings_window import Follower, start

    path = settings_path(args)
    try:
        if not args.config:
            ensure_user_file(path)
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE
    entry = _autostart_entry()
    enabled = entry.is_enabled() if entry is not None else None

    def saved(autostart: bool | None) -> None:
        if autostart is not None and entry is not None:
            try:
                print(entry.enable(default_launch()) if autostart else entry.disable())
            except Exception as exc:  # no launch command, a read-only folder, ...
                _err(_("could not change start at login: {error}").format(error=exc))
        from tray_app.shell.control_channel import NotRunning, send_command

        # The running app applies the file now, not at its next look; if none runs, fine.
        with contextlib.suppress(NotRunning, OSError, ValueError):
            send_command(paths.runtime_dir(), {"cmd": "reload"})
        if not args.json:
            print(_("saved {path}").format(path=path))

    def relay(msg: dict) -> None:
        print(json.dumps(msg), flush=True)

    follower = Follower(start(path, enabled), saved, relay if args.json else None)
    code = follower.wait()
    return code if code in (EXIT_OK, EXIT_USAGE) else EXIT_FAIL


def _autostart_entry():
    try:
        from tray_app.platform.autostart import choose as auto

        return auto.detect()
    except Exception:
        return None


def default_launch() -> list[str]:
    from tray_app.platform.autostart import choose as auto

    return auto.default_command()


# --- exercises -----------------------------------------------------------------------------------


def exercises(args: argparse.Namespace) -> int:
    from tray_app.core.exercise import CATEGORIES, PLACES
    from tray_app.core.model import ExerciseSettings
    from tray_app.exercises import format as fmt
    from tray_app.exercises.loader import load_catalogue

    if getattr(args, "exercises_command", None) == "questions":
        from tray_app.cli.questions import ask

        return ask(settings_path(args), sys.stdin, sys.stdout, skip=args.skip)
    try:
        settings = load_user_settings(args)
        ex_settings = settings.exercises
        if args.all or getattr(args, "exercises_command", None) == "show":
            ex_settings = ExerciseSettings(
                places=PLACES, exclude=(), extra=ex_settings.extra
            )
        catalogue = load_catalogue(ex_settings)
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE
    if args.check:
        everything = load_catalogue(ExerciseSettings(places=PLACES, extra=ex_settings.extra))
        print(fmt.check_text(everything, settings))
        return EXIT_OK
    if getattr(args, "exercises_command", None) == "show":
        found = [e for e in catalogue if e.id == args.id]
        if not found:
            _err(_("no exercise with id {id}; {command} lists them").format(
                id=repr(args.id), command="`sitbreak exercises --all`"))
            return EXIT_USAGE
        from tray_app.cli.programme import show_exercise

        print(show_exercise(found[0], paths.history_file(), settings))  # at the level in use
        return EXIT_OK
    if args.category and args.category not in CATEGORIES:
        _err(_("unknown category {category}; use one of {categories}").format(
            category=repr(args.category), categories=", ".join(CATEGORIES)))
        return EXIT_USAGE
    if args.json:
        print(fmt.list_json(catalogue, args.category))
    else:
        print(fmt.list_text(catalogue, args.category))
    return EXIT_OK


# --- statistics and history ----------------------------------------------------------------------


def stats(args: argparse.Namespace) -> int:
    from tray_app.cli.history_commands import run_stats

    try:
        settings = load_user_settings(args)
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE
    from tray_app.cli.programme import summary

    fmt = "json" if args.json else "csv" if args.csv else "text"
    return run_stats(paths.history_file(), settings, args.days, fmt, args.chart,
                     programme=summary)


def history(args: argparse.Namespace) -> int:
    from tray_app.cli import history_commands as hc

    command = args.history_command
    if command == "export":
        return hc.run_history_export(paths.history_file(), args.path, force=args.force)
    if command == "check":
        return hc.run_history_check(paths.history_file())
    try:
        settings = load_user_settings(args)  # where days turn: schedule.day_starts
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE
    if command == "import":
        return hc.run_history_import(paths.history_file(), args.path, settings)

    return hc.run_history_clear(
        paths.history_file(), args.before, args.yes, confirm_deletion, settings=settings
    )


def confirm_deletion(question: str, ask: Callable[[str], str] = input,
                     stdin: TextIO | None = None) -> bool:
    """`question [y/N]` asked in the terminal, in the language (its y and yes, and English's,
    say yes; anything else no); no terminal, no deletion."""
    stdin = sys.stdin if stdin is None else stdin
    if not stdin or not stdin.isatty():
        _err(_("not deleting without confirmation: add {option}").format(option="--yes"))
        return False
    from tray_app.cli.questions import _yes_no  # the words the health questions take

    yes, no, yes_words, _no_words = _yes_no()
    return ask(f"{question} [{yes}/{no.upper()}] ").strip().lower() in yes_words


# --- desktop integration -------------------------------------------------------------------------


def autostart(args: argparse.Namespace) -> int:
    from tray_app.platform.autostart import choose as auto

    entry = auto.detect()
    if args.action == "enable":
        try:
            command = auto.default_command()
        except auto.NoLaunchCommand as exc:
            _err(str(exc))
            return EXIT_FAIL
        using = getattr(args, "using", None)
        if using and not hasattr(entry, "unit"):
            _err(_("{option} is for Linux only").format(option="--using"))
            return EXIT_USAGE
        print(entry.enable(command, using=using) if using else entry.enable(command))
    elif args.action == "disable":
        print(entry.disable())
    else:
        on = _("autostart is enabled ({where})") if entry.is_enabled() else _(
            "autostart is disabled ({where})")
        print(on.format(where=entry.location))
        if hasattr(entry, "unit"):  # Linux: which way, and what the session still needs
            print(entry.status())
    return EXIT_OK


def install_desktop(args: argparse.Namespace) -> int:
    from tray_app.platform.autostart.choose import NoLaunchCommand, default_command
    from tray_app.platform.autostart.desktop_entry import SystemLauncher
    from tray_app.platform.autostart.desktop_entry import install_desktop as install
    from tray_app.support.resources import icons_dir

    try:
        command = default_command()
        written = install(command, icons_dir())
    except (NoLaunchCommand, SystemLauncher) as exc:
        _err(str(exc))
        return EXIT_FAIL
    for path in written:
        print(_("wrote {path}").format(path=path))
    return EXIT_OK


def uninstall_desktop(args: argparse.Namespace) -> int:
    from tray_app.platform.autostart.desktop_entry import uninstall_desktop as uninstall

    removed = uninstall()
    for path in removed:
        print(_("removed {path}").format(path=path))
    if not removed:
        print(_("nothing to remove: install-desktop has not added sitbreak to your menu"))
    return EXIT_OK

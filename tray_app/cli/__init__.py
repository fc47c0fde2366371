"""The `sitbreak` command line: parse, dispatch, print. Nothing imports this module.

Exit codes are in tray_app.support.exit_codes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tray_app import __version__
from tray_app.cli import relaunch
from tray_app.support.exit_codes import EXIT_FAIL, EXIT_OK, EXIT_USAGE, UsageError
from tray_app.support.i18n import N_, _, ngettext
from tray_app.support.resources import DataFileError

if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    # Here, not at the top: `run`, started afresh (cli.relaunch), never loads the parser.
    import argparse

    from tray_app.cli import commands

    # argparse's own words ("usage:", "options", its errors) through sitbreak's catalogue.
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, metavar="PATH",
        help=_("settings file (default: the one in your config folder)"),
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
        help=_("also log to the terminal"),
    )
    parser = argparse.ArgumentParser(
        prog="sitbreak",
        description=_("Notices how long you have really been sitting and offers short hip, "
        "core and posture exercise breaks."),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"sitbreak {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _describe(sub)

    run = sub.add_parser("run", parents=[common], help=_("start sitbreak (tray, or console)"))
    run.add_argument("--console", action="store_true",
                     help=_("no tray: print reminders and prompts in this terminal"))
    run.add_argument("--no-window", action="store_true",
                     help=_("never open the break window; prompt in the terminal/notifications"))
    run.set_defaults(func=commands.run)

    st = sub.add_parser("status", parents=[common], help=_("what the running sitbreak sees"))
    st.add_argument("--json", action="store_true", help=_("machine-readable output"))
    st.set_defaults(func=commands.status)

    sn = sub.add_parser("snooze", parents=[common], help=_("put the due break off"))
    sn.add_argument("duration", nargs="*",
                    help=_('e.g. "5m" or 5 min (default: the first snooze option)'))
    sn.set_defaults(func=commands.snooze)

    for name, helptext in (
        ("break-now", _("start a break now")),
        ("skip", _("skip the due break")),
        ("done", _("mark the current break as done")),
        ("resume", _("end a pause")),
        ("reload", _("re-read the settings file now")),
        ("quit", _("stop the running sitbreak")),
    ):
        p = sub.add_parser(name, parents=[common], help=helptext)
        p.set_defaults(func=commands.simple, cmd=name)

    pa = sub.add_parser("pause", parents=[common], help=_("stop counting for a while"))
    pa.add_argument("duration", nargs="*",
                    help=_('e.g. "30m", 2 h (default: until resumed)'))
    pa.add_argument("--until", metavar="HH:MM", help=_("pause until this time of day"))
    pa.set_defaults(func=commands.pause)

    cs = sub.add_parser("check-settings", parents=[common], help=_("validate a settings file"))
    cs.add_argument("path", nargs="?", type=Path, help=_("file to check (default: yours)"))
    cs.set_defaults(func=commands.check_settings)

    se = sub.add_parser("settings", parents=[common],
                        help=_("open the settings window (one per user)"))
    se.add_argument("--json", action="store_true",
                    help=_("print what the window reports (shown, checked, saved, closed)"))
    se.set_defaults(func=commands.settings)

    ex = sub.add_parser("exercises", parents=[common], help=_("list the exercise catalogue"))
    ex.add_argument("--category", help=_("only this category"))
    ex.add_argument("--json", action="store_true", help=_("machine-readable output"))
    ex.add_argument("--all", action="store_true",
                    help=_("ignore exercises.places and exercises.exclude"))
    ex.add_argument("--check", action="store_true",
                    help=_("say what your places, exclusions and break length cannot offer"))
    ex_sub = ex.add_subparsers(dest="exercises_command", metavar="show|questions")
    _describe(ex_sub)
    show = ex_sub.add_parser("show", parents=[common], help=_("print one exercise's steps"))
    show.add_argument("id", help=_("the exercise's id, as `sitbreak exercises` lists it"))
    qs = ex_sub.add_parser("questions", parents=[common],
                           help=_("the health questions that leave out moves that may not "
                                  "suit you"))
    qs.add_argument("--skip", action="store_true", help=_("mark them answered, change nothing"))
    ex.set_defaults(func=commands.exercises)

    sts = sub.add_parser("stats", parents=[common], help=_("sitting and break statistics"))
    sts.add_argument("--days", type=_days, default=7, help=_("how many days (default 7)"))
    fmt = sts.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true",
                     help=_("machine-readable output: each day, and the week against the "
                            "one before"))
    fmt.add_argument("--csv", action="store_true",
                     help=_("one row per day, for a spreadsheet"))
    sts.add_argument("--chart", type=Path, metavar="PATH.png", help=_("draw the weekly chart"))
    sts.set_defaults(func=commands.stats)

    hi = sub.add_parser("history", parents=[common],
                        help=_("export, import, clear or check the history"))
    hi_sub = hi.add_subparsers(dest="history_command", metavar="{export,import,clear,check}",
                               required=True)
    _describe(hi_sub)
    he = hi_sub.add_parser("export", parents=[common], help=_("write every event to a CSV file"))
    he.add_argument("path", help=_("the CSV file to write"))
    he.add_argument("--force", action="store_true", help=_("replace the file if it exists"))
    him = hi_sub.add_parser("import", parents=[common],
                            help=_("add the events of an exported CSV file"))
    him.add_argument("path", help=_("a CSV file `sitbreak history export` wrote"))
    hc = hi_sub.add_parser("clear", parents=[common], help=_("delete history"))
    hc.add_argument("--before", metavar="YYYY-MM-DD", help=_("only what comes before this day"))
    hc.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    hi_sub.add_parser("check", parents=[common],
                      help=_("check the history file for damage (and repair it)"))
    hi.set_defaults(func=commands.history)

    from tray_app.cli import programme

    programme.add_parsers(sub, common, commands.programme)

    au = sub.add_parser("autostart", parents=[common], help=_("start sitbreak at login"))
    au.add_argument("action", choices=("enable", "disable", "status"),
                    help=_("turn starting at login on or off, or say whether it is on"))
    au.add_argument("--using", choices=("xdg", "systemd"),
                    help=_("Linux: enable through an XDG autostart entry or a systemd user unit "
                         "(graphical-session.target) instead of what fits the desktop"))
    au.set_defaults(func=commands.autostart)

    idesk = sub.add_parser("install-desktop", parents=[common],
                           help=_("add sitbreak to the application menu"))
    idesk.set_defaults(func=commands.install_desktop)
    udesk = sub.add_parser("uninstall-desktop", parents=[common],
                           help=_("remove what install-desktop added"))
    udesk.set_defaults(func=commands.uninstall_desktop)
    return parser


def _describe(sub: argparse._SubParsersAction) -> None:
    """Each command's own page (`sitbreak pause --help`) opens with its one-line help."""
    add = sub.add_parser

    def add_parser(name: str, **kwargs: object) -> argparse.ArgumentParser:
        if "help" in kwargs and "description" not in kwargs:
            text = str(kwargs["help"])
            kwargs["description"] = text[:1].upper() + text[1:] + "."
        return add(name, **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign]


def _days(text: str) -> int:
    """--days in the app's own words rather than argparse's "invalid int value"."""
    import argparse

    try:
        days = int(text)
    except ValueError:
        days = 0
    if days < 1:
        raise argparse.ArgumentTypeError(
            _("{text} is not a number of days; give a whole number, 1 or more, e.g. {example}")
            .format(text=repr(text), example="--days 30"))
    return days


# Commands whose words are a duration: "-1m" is a (bad) duration, not an unknown option.
DURATION_COMMANDS = ("pause", "snooze")


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:  # this process's own command line
        options = relaunch.resumed()
        if options is not None:  # `run`, started afresh with its options parsed
            return dispatch(lambda: relaunch.run_app(options))
    args = parse(argv)
    if args is None:
        return EXIT_USAGE
    args.config = getattr(args, "config", None)
    args.verbose = getattr(args, "verbose", False)
    # Only the real command line may replace the process; a caller's main([...]) never does.
    args.may_start_afresh = argv is None
    return dispatch(lambda: args.func(args))


def dispatch(command: Callable[[], int | None]) -> int:
    """Run a command's handler; its exit code, or the one for what it raised."""
    try:
        return int(command() or 0)
    except UsageError as exc:
        print(f"sitbreak: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataFileError as exc:  # a damaged install, whatever the command
        print(f"sitbreak: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def parse(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The parsed command line, or None after printing the help (no command given).

    The parsers die here: `run` lasts as long as the app, and every subcommand's parser
    (~0.1 MiB) would otherwise stay alive in main's frame all that time.
    """
    follow_language_setting(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "command", None) in DURATION_COMMANDS and all(
        w.startswith("-") and w[1:2].isdigit() for w in extra
    ):
        args.duration = [*args.duration, *extra]  # the duration check says what is wrong
    elif extra:
        parser.error(_("unrecognized arguments: %s") % " ".join(extra))
    if not hasattr(args, "func"):
        parser.print_help()
        return None
    return args


def follow_language_setting(argv: Sequence[str]) -> None:
    """Speak the settings file's `[general] language` from the help on: read cheaply, before
    the parser is built, from `--config PATH` if given, else the user's file. Any problem is
    ignored here; the command that loads the settings reports a broken file."""
    import tomllib

    from tray_app.support import paths

    path = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--config" and i + 1 < len(argv):
            path = argv[i + 1]
        elif word.startswith("--config="):
            path = word.partition("=")[2]
    try:
        with open(path or paths.settings_file(), "rb") as f:
            language = tomllib.load(f)["general"]["language"]
    except (OSError, ValueError, KeyError, TypeError):  # TOMLDecodeError is a ValueError
        return
    if isinstance(language, str) and language:
        from tray_app.support import i18n

        i18n.follow_setting(language)


if __name__ == "__main__":
    sys.exit(main())


# argparse's texts a user sees, so that xgettext offers them to translators.
ARGPARSE_TEXTS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("unrecognized arguments: %s"),
    N_("expected one argument"),
)

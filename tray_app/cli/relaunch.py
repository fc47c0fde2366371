"""`sitbreak run` starts afresh once its command line is parsed (POSIX).

The app runs all day, but the command line's parser (argparse, gettext and every subcommand's
handler, ~0.3 MiB) is done with once `run` has its options. So the process execs the very
command it was started with (same pid, same name for `ps` and `pkill`, same interpreter
options) with the parsed options in SITBREAK_RUN, and the fresh interpreter goes straight to
the app. Where exec is not possible (Windows, a frozen build, an exec that fails) the app runs
in this process as before.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from tray_app.shell.run_options import RunOptions

ENV = "SITBREAK_RUN"


def run_app(options: RunOptions) -> int:
    """The app itself, in this process."""
    from tray_app.support.no_network import refuse_tls

    refuse_tls()  # before anything imports APScheduler (and so asyncio)
    from tray_app.shell.run import run_app as run

    return run(options)


def start_afresh(options: RunOptions) -> None:
    """Replace this process by the same command with `options` handed over; returns only
    where that cannot be done."""
    if os.name != "posix" or getattr(sys, "frozen", False):
        return
    path, argv = same_command()
    fields = {**asdict(options), "config": None if options.config is None else str(options.config)}
    env = {**os.environ, ENV: json.dumps({"argv": sys.argv[1:], "options": fields})}
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    try:
        os.execve(path, argv, env)
    except OSError:
        return  # e.g. the script was removed meanwhile: this process runs the app


def same_command() -> tuple[str, list[str]]:
    """The program and argv that started this process."""
    script = sys.argv[0]
    original = sys.orig_argv
    if len(original) > 1 and original[1] == script and _is_script(script):
        # The kernel reads its #! line again, and the process keeps the script's name.
        return script, [script, *sys.argv[1:]]
    return sys.executable, [sys.executable, *original[1:]]


def _is_script(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"#!" and os.access(path, os.X_OK)
    except OSError:
        return False


def resumed() -> RunOptions | None:
    """The options handed over by start_afresh, or None if this process was not started so.

    The variable is taken out of the environment, so nothing the app starts inherits it.
    """
    raw = os.environ.pop(ENV, None)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        if data["argv"] != sys.argv[1:]:
            return None  # left over in an environment, not handed to this command
        fields = data["options"]
        return RunOptions(
            config=None if fields["config"] is None else Path(fields["config"]),
            verbose=bool(fields["verbose"]),
            console=bool(fields["console"]),
            no_window=bool(fields["no_window"]),
        )
    except (ValueError, KeyError, TypeError):
        return None

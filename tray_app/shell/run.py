"""`sitbreak run`: the process from start to exit. Settings, the one-instance lock, the control
channel and the runtime start here, in order, and stop in reverse; `compose` picks the parts.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from tray_app.core.problems import ProblemsError
from tray_app.shell import compose
from tray_app.shell.compose import say
from tray_app.shell.run_options import RunOptions
from tray_app.shell.signals import wait_for_signals
from tray_app.support import paths
from tray_app.support.exit_codes import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from tray_app.support.i18n import tr
from tray_app.support.logging_setup import setup_logging

log = logging.getLogger(__name__)


def _present(runtime_dir: Path) -> str:
    """Launched while sitbreak runs (the menu, autostart): have the running one show itself,
    since a line on stderr is seen by nobody there. Says what happened."""
    from tray_app.shell.control_channel import send_command

    try:
        reply = send_command(runtime_dir, {"cmd": "present"})
    except Exception as exc:  # not answering: the message alone has to do
        return f"it did not answer ({exc})"
    if reply.get("shown") == "window":
        return "brought its break window to the front"
    return f"showed its status in a notification: {reply.get('status', {}).get('line', '')}"


def run_app(args: RunOptions) -> int:
    """Run until asked to stop; returns the exit code."""
    from tray_app.shell.control_channel import ControlServer
    from tray_app.shell.instance import AlreadyRunning, InstanceLock
    from tray_app.support.resources import check_install

    check_install()  # a damaged install stops here, before anything is written
    log_file = setup_logging(paths.log_dir(), args.verbose)
    settings_path: Path = args.config or paths.settings_file()
    first_run = not args.config and not settings_path.exists()
    try:
        settings = compose.first_settings(settings_path, made_if_missing=not args.config)
    except ProblemsError as exc:
        print(tr(exc.text()), file=sys.stderr)
        return EXIT_USAGE

    try:
        runtime_dir = paths.runtime_dir(on_notice=say)
    except PermissionError as exc:
        say(str(exc))
        return EXIT_FAIL
    # A second lock in the state folder: removing the runtime folder lets no second one in.
    lock = InstanceLock(runtime_dir, also=paths.state_dir())
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        print(f"{exc}; {_present(runtime_dir)}", file=sys.stderr)
        return EXIT_FAIL
    log.info("sitbreak starting (log %s, settings %s)", log_file, settings_path)

    tray_host, tray_why = compose.pick_tray(args.console)
    console = tray_host is None
    runtime, starters, stoppers = compose.build_runtime(settings, settings_path, console,
                                                        args.no_window)
    runtime.adapters.details["tray"] = tray_why
    runtime.adapters.details["tray_docked"] = False  # the tray's TrayHealth keeps it true
    server = ControlServer(runtime_dir, compose.control_handler(runtime), on_moved=lock.renew)
    try:
        server.start()
        runtime.start()
        for start in starters:
            start()
        if first_run:  # where the icon is and what happens next, once the tray has settled
            compose.welcome_later(runtime, tray_host)
        if tray_host is None:
            say(f"running in the console ({runtime.status()['line']}); Ctrl-C quits")
            wait_for_signals(runtime)
        else:
            compose.run_tray_until_quit(runtime, tray_host, settings_path, args.no_window)
    finally:
        server.stop()
        runtime.stop()
        for stop in stoppers:
            try:
                stop()
            except Exception:
                log.exception("stopping %r failed", stop)
        lock.release()
        log.info("sitbreak stopped")
    return EXIT_OK

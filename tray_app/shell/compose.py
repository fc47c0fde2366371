"""The composition root: the one place that picks adapters and wires them to the runtime."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tray_app.core.commands import BadCommand, command_event
from tray_app.core.events import BreakPlanned, HistoryNotSaved
from tray_app.core.problems import ProblemsError
from tray_app.core.state import Refused
from tray_app.history.writer import HistoryWriter
from tray_app.shell.runtime import WATCHED_HEARTBEAT_S, Adapters, Runtime
from tray_app.support import paths
from tray_app.support.exit_codes import EXIT_REFUSED, EXIT_USAGE
from tray_app.support.logging_setup import setup_logging

if TYPE_CHECKING:
    from tray_app.shell.run_options import RunOptions

log = logging.getLogger(__name__)

# How long a command waits for its history row to be written before saying it is not.
UNSAVED_WAIT_S = 0.05


def say(text: str) -> None:
    """A one-off message for the person at the terminal (and the log)."""
    print(f"sitbreak: {text}", file=sys.stderr, flush=True)


def run_app(args: RunOptions) -> int:
    from tray_app.settings import ensure_user_file
    from tray_app.settings.full import load_checked
    from tray_app.shell.instance import AlreadyRunning, ControlServer, InstanceLock
    from tray_app.support.resources import check_install

    check_install()  # a damaged install stops here, before anything is written
    log_file = setup_logging(paths.log_dir(), args.verbose)
    settings_path: Path = args.config or paths.settings_file()
    try:
        if not args.config and ensure_user_file(settings_path):
            say(f"wrote the default settings to {settings_path}")
        settings = load_checked(settings_path)  # the exercises file it names, too
    except ProblemsError as exc:
        print(exc, file=sys.stderr)
        return 2

    try:
        runtime_dir = paths.runtime_dir(on_notice=say)
    except PermissionError as exc:
        say(str(exc))
        return 1
    lock = InstanceLock(runtime_dir)
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 1
    log.info("sitbreak starting (log %s, settings %s)", log_file, settings_path)

    tray_host = None
    tray_why = "console mode (--console)"
    if not args.console:
        from tray_app.ui.tray.backend import choose_backend

        backend, why = choose_backend(os.environ)
        tray_why = why
        if backend is None:
            say(f"no tray available, running in console mode: {why}")
        else:
            tray_host = backend
            log.info("tray backend %s: %s", backend, why)
    console = args.console or tray_host is None

    runtime, starters, stoppers = build_runtime(settings, settings_path, console, args.no_window)
    runtime.adapters.details["tray"] = tray_why
    runtime.adapters.details["tray_docked"] = False  # the tray's TrayHealth keeps it true
    server = ControlServer(runtime_dir, lambda req: handle_request(runtime, req))
    try:
        server.start()
        runtime.start()
        for start in starters:
            start()
        if console:
            say(f"running in the console ({runtime.status()['line']}); Ctrl-C quits")
            _wait_for_signals(runtime)
        else:
            from tray_app.platform.tray.health import TrayHealth
            from tray_app.ui.tray.icon import run_tray

            # The idle probe's X connection: the tray-host watch shares it (one fewer, ~0.6 MiB).
            health = TrayHealth(runtime, tray_host, say, window=not args.no_window,
                                x11=getattr(runtime.adapters.idle, "connection", None))
            run_tray(runtime, tray_host, settings_path, health,
                     **tray_wiring(runtime, settings_path))
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
    return 0


def build_runtime(
    settings: Any, settings_path: Path, console: bool, no_window: bool
) -> tuple[Runtime, list, list]:
    """Pick every adapter for this machine; returns the runtime, start and stop callables."""
    from tray_app.core.views import open_stretch
    from tray_app.history.statistics import days_for
    from tray_app.platform.dnd.probe import DndProbe
    from tray_app.platform.file_watch import FileWatch
    from tray_app.platform.fullscreen import choose as fullscreen
    from tray_app.platform.idle import choose as idle
    from tray_app.platform.memory import release_free_heap
    from tray_app.platform.notify import choose as notify
    from tray_app.settings.full import load_checked
    from tray_app.shell.prompts import BreakPlanner, ConsolePrompt, WindowPrompt
    from tray_app.support.resources import app_icon

    idle_source, idle_why = idle.detect(os.environ)
    log.info("idle source: %s", idle_why)
    if not idle_source.sees_input:
        say(idle_why)
    visibility = getattr(idle_source, "visibility", None)
    if visibility is not None:
        visibility.on_change = say  # the source stopped answering: never count wall time silently
    desktop, notify_why = notify.detect(os.environ, app_icon(256))
    log.info("notifications: %s", notify_why)
    notifier = desktop
    if console:
        from tray_app.platform.notify.common import MultiNotifier
        from tray_app.platform.notify.console import ConsoleNotifier

        notifier = MultiNotifier([ConsoleNotifier(), desktop])
    box: dict[str, Runtime] = {}  # the writer's callbacks read the runtime built below
    history = HistoryWriter(
        paths.history_file(),
        days=lambda: days_for(box["runtime"].state.settings),
        keep_days=lambda: box["runtime"].state.settings.history.keep_days,
        on_problem=lambda text: _tell_history_problem(box["runtime"], text),
        open_stretch=lambda: open_stretch(box["runtime"].state),
    )
    planner = BreakPlanner(history, say)
    console_prompt = ConsolePrompt(planner) if console else None
    holds: dict[str, Any] = {}
    # One X connection for both owner-thread probes (each python-xlib one costs ~0.4 MiB).
    fs = fullscreen.detect(os.environ, x11=getattr(idle_source, "connection", None))
    if fs is not None:
        holds["fullscreen window"] = fs.is_fullscreen_focused
    dnd = DndProbe(os.environ)
    holds["do not disturb"] = dnd.is_on
    adapters = Adapters(
        idle=idle_source,
        notifier=notifier,
        history=history,
        prompt=console_prompt or _NoPrompt(),
        holds=holds,
        on_notice=say if console else log.warning,
        details={"idle_reason": idle_why, "notifications": notify_why},
        status_parts={"history": history.status},
        load_settings=load_checked,  # the exercises file it names, too, as at start
        release_memory=release_free_heap,
    )
    runtime = box["runtime"] = Runtime(settings, settings_path, adapters)
    watch = FileWatch(settings_path, runtime.post_tick)
    if watch.start():  # edits arrive as they happen: no need to look every few seconds
        runtime.heartbeat_s = WATCHED_HEARTBEAT_S
    history.start()  # opens, repairs and prunes the file in its own thread: start-up never waits
    if _has_display() and not no_window:
        adapters.prompt = WindowPrompt(planner, runtime.post, paths.cache_dir(), console_prompt,
                                       window=_break_window)
    starters: list = []
    stoppers: list = [getattr(desktop, "stop", lambda: None), dnd.close, watch.stop]
    if sys.platform.startswith("linux"):
        from tray_app.platform.session.linux import SessionWatcher

        watcher = SessionWatcher(runtime.on_session_event, os.environ)
        starters.append(watcher.start)
        stoppers.append(watcher.stop)
    return runtime, starters, stoppers


def tray_wiring(runtime: Runtime, settings_path: Path | None) -> dict[str, Any]:
    """What the tray menu needs from the rest of the app: start at login, statistics, and the
    settings changes its menu makes."""
    from tray_app.platform.autostart import choose as autostart
    from tray_app.settings.edit import MenuEdits

    try:
        entry: Any = autostart.detect()
    except Exception:
        log.info("start at login is not available here", exc_info=True)
        entry = None

    def open_stats() -> Any:
        from tray_app.ui.launch.stats_window import open_stats_window  # only when asked for

        return open_stats_window(
            paths.history_file(), runtime.state.settings, cache_dir=paths.cache_dir()
        )

    return {
        "autostart": entry,
        "launch_command": autostart.default_command,
        "open_stats": open_stats,
        "edits": MenuEdits(settings_path) if settings_path is not None else None,
        # One X connection fewer (~0.35 MiB): the xorg icon's changes go through the idle
        # probe's connection, which already serialises its calls.
        "x11": getattr(runtime.adapters.idle, "connection", None),
    }


def _break_window(on_event: Callable[[dict[str, Any]], None]) -> Any:
    """The break window's process handle; WindowPrompt asks for it at the first break."""
    from tray_app.ui.launch.break_window import BreakWindowProcess  # its protocol modules load then

    return BreakWindowProcess(on_event)


class _NoPrompt:
    """Tray mode without a window: the notification is the prompt."""

    def plan(self, state: Any) -> BreakPlanned:
        return BreakPlanned(())  # a plain timed break, answered from the notification

    def show(self, view: Any, state: Any) -> None:
        pass

    def close(self) -> None:
        pass


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _tell_history_problem(runtime: Runtime, text: str) -> None:
    """Once per problem: the history file can't take rows (they wait in memory)."""
    runtime.adapters.on_notice(text)
    runtime.post(HistoryNotSaved(text))  # the core decides whether to notify


def _unsaved_warning(runtime: Runtime) -> str | None:
    """Why the row a command just recorded is not in the history file yet, if it is not."""
    history = runtime.adapters.history
    if not isinstance(history, HistoryWriter) or history.flush(UNSAVED_WAIT_S):
        return None
    problem = history.status()["problem"] or f"the history file {history.path} is busy"
    return f"not saved to the history file yet: {problem}"


def _wait_for_signals(runtime: Runtime) -> None:
    """Block the main thread until a signal or a `quit` asks to stop (console mode)."""
    with stop_signals(runtime) as wait:
        wait()


@contextlib.contextmanager
def stop_signals(runtime: Runtime) -> Iterator[Callable[[], None]]:
    """Install the signal handlers; yields the wait that returns once a stop is requested.

    A plain Event.wait() could sleep through SIGTERM for good: when the kernel hands the
    signal to another thread, the main thread's lock wait is never interrupted, so the Python
    handler never runs. Python's wakeup fd turns a signal on any thread into a byte on a pipe,
    and a stop request writes one too, so select() sees either, whenever it came.
    """

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping", signum)
        runtime.request_stop()  # run_app stops everything once the wait returns

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: runtime.post_tick())
    if sys.platform == "win32":  # no select() on pipes there
        yield lambda: _wait_polling(runtime)
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    old = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    runtime.when_stop_requested(lambda: _poke(write_fd))

    def wait() -> None:
        while not runtime.wait(0):
            select.select([read_fd], [], [])
            with contextlib.suppress(BlockingIOError):
                os.read(read_fd, 512)

    try:
        yield wait
    finally:
        signal.set_wakeup_fd(old)
        os.close(read_fd)
        os.close(write_fd)


def _wait_polling(runtime: Runtime) -> None:
    while not runtime.wait(1.0):
        pass


def _poke(fd: int) -> None:
    with contextlib.suppress(OSError):  # full (already poked) or closed (already done)
        os.write(fd, b"\0")


# How long `status` waits for a fresh tick before answering from the newest state.
STATUS_FRESH_WAIT_S = 0.03


def handle_request(runtime: Runtime, req: dict[str, Any]) -> dict[str, Any]:
    """Answer one control command; runs on a control-channel thread.

    Break and pause commands go through core.commands, the table every input shares.
    """
    cmd = req["cmd"]
    try:
        if cmd == "status":
            # The owner sleeps until the core's next wake (up to a minute), so tick first to
            # answer with the time as it is now; but never wait long behind what the owner is
            # doing (opening the break window): then the newest state it has is the answer.
            runtime.post_tick().wait(STATUS_FRESH_WAIT_S)
        elif cmd == "reload":
            runtime.reload()
        elif cmd == "quit":
            # run_app stops everything once its wait returns, and the control server sends
            # this reply before it lets the process end.
            runtime.request_stop()
            return {"ok": True, "status": {**runtime.status(), "line": "sitbreak is quitting"}}
        else:
            params = {k: v for k, v in req.items() if k != "cmd"}
            runtime.call(command_event(cmd, params))
            warning = _unsaved_warning(runtime)
            if warning:
                return {"ok": True, "status": runtime.status(), "warning": warning}
    except Refused as exc:
        return {"ok": False, "error": str(exc), "code": EXIT_REFUSED}
    except ProblemsError as exc:
        return {"ok": False, "error": str(exc), "code": EXIT_USAGE}
    except BadCommand as exc:
        if str(exc).startswith("unknown command"):
            return {"ok": False, "error": str(exc), "code": EXIT_USAGE}
        return {"ok": False, "error": f"bad request: {exc}", "code": EXIT_USAGE}
    except (TypeError, ValueError) as exc:
        return {"ok": False, "error": f"bad request: {exc}", "code": EXIT_USAGE}
    return {"ok": True, "status": runtime.status()}



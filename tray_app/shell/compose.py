"""The composition root: the one place that picks adapters and wires them to the runtime."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tray_app.core.events import BreakPlanned, HistoryNotSaved
from tray_app.core.model import Settings
from tray_app.history.writer import HistoryWriter
from tray_app.shell.control import Reply, handle_request
from tray_app.shell.runtime import WATCHED_HEARTBEAT_S, Adapters, Runtime
from tray_app.shell.signals import handle_stop_signals
from tray_app.support import paths
from tray_app.support.i18n import N_

log = logging.getLogger(__name__)

# How long a command waits for its history row to be written before saying it is not.
UNSAVED_WAIT_S = 0.05


def say(text: str) -> None:
    """A one-off message for the person at the terminal (and the log)."""
    print(f"sitbreak: {text}", file=sys.stderr, flush=True)


def first_settings(path: Path, made_if_missing: bool) -> Settings:
    """The settings to start with (and the exercises file they name); raises ProblemsError.

    The user's own file is written from the defaults the first time, if it is missing."""
    from tray_app.settings import ensure_user_file
    from tray_app.settings.full import load_checked

    if made_if_missing and ensure_user_file(path):
        say(f"wrote the default settings to {path}")
    return load_checked(path)


def pick_tray(console: bool) -> tuple[str | None, str]:
    """The tray backend to use (None: console mode) and why."""
    if console:
        return None, "console mode (--console)"
    from tray_app.platform.tray.host import sni_watcher
    from tray_app.platform.x11.connection import open_display
    from tray_app.ui.tray.backend import choose_backend, xorg_probe

    backend, why = choose_backend(os.environ, probes={"watcher": sni_watcher,
                                                      "xorg": xorg_probe(open_display)})
    if backend is None:
        say(f"no tray available, running in console mode: {why}")
    else:
        log.info("tray backend %s: %s", backend, why)
    return backend, why


def run_tray_until_quit(runtime: Runtime, backend: str, settings_path: Path,
                        no_window: bool) -> None:
    """Show the tray icon on the main thread until a quit, a signal or the menu's Quit."""
    from tray_app.platform.tray.health import TrayHealth
    from tray_app.ui.tray.icon import run_tray

    # The idle probe's X connection: the tray-host watch shares it (one fewer, ~0.6 MiB).
    health = TrayHealth(runtime, backend, say, window=not no_window,
                        x11=runtime.adapters.idle.connection)
    handle_stop_signals(
        on_stop=lambda: threading.Thread(target=runtime.stop, daemon=True).start(),
        on_hup=lambda: runtime.post_tick(),
        spare_term=health.is_bus_exit,  # GDBus sends SIGTERM when the session bus closes
    )
    run_tray(runtime, backend, settings_path, health,
             **tray_wiring(runtime, settings_path, menu=backend != "xorg"))


def control_handler(runtime: Runtime) -> Callable[[dict[str, Any]], Reply]:
    """What the control channel calls for each request."""
    return lambda req: handle_request(runtime, req, unsaved=lambda: _unsaved_warning(runtime))


def build_runtime(
    settings: Settings, settings_path: Path, console: bool, no_window: bool
) -> tuple[Runtime, list, list]:
    """Pick every adapter for this machine; returns the runtime, start and stop callables."""
    from tray_app.core.views import open_stretch
    from tray_app.history.statistics import days_for
    from tray_app.platform.dnd.probe import DndProbe
    from tray_app.platform.file_watch import FileWatch
    from tray_app.platform.fullscreen import choose as fullscreen
    from tray_app.platform.idle import choose as idle
    from tray_app.platform.meetings import choose as meetings
    from tray_app.platform.memory import one_heap, release_free_heap
    from tray_app.platform.notify import choose as notify
    from tray_app.platform.sound import choose as sound
    from tray_app.settings.full import load_checked
    from tray_app.shell.planner import BreakPlanner
    from tray_app.shell.prompts import ConsolePrompt, WindowPrompt
    from tray_app.support.resources import app_icon

    one_heap()  # before the adapters start their threads (~0.3 MiB of heaps of their own)
    idle_source, idle_why = idle.detect(os.environ)
    log.info("idle source: %s", idle_why)
    if not idle_source.sees_input:
        say(idle_why)
    if idle_source.visibility is not None:
        # The source stopped answering: never count wall time silently.
        idle_source.visibility.on_change = say
    desktop, notify_why = notify.detect(os.environ, app_icon(256))
    log.info("notifications: %s", notify_why)
    notifier = desktop
    if console:
        from tray_app.platform.notify.common import MultiNotifier
        from tray_app.platform.notify.console import ConsoleNotifier

        notifier = MultiNotifier([ConsoleNotifier(), desktop])
    paths.tighten_all()  # folders 0700, history and log files 0600, whatever made them
    box: dict[str, Runtime] = {}  # the writer's callbacks read the runtime built below
    history = HistoryWriter(
        paths.history_file(),
        days=lambda: days_for(box["runtime"].state.settings),
        keep_days=lambda: box["runtime"].state.settings.history.keep_days,
        on_problem=lambda text: _tell_history_problem(box["runtime"], text),
        open_stretch=lambda: open_stretch(box["runtime"].state),
        on_quit_loss=lambda text: _tell_at_quit(box["runtime"], text),
    )
    planner = BreakPlanner(history, say, lambda: _programme_rows(history.path))
    console_prompt = ConsolePrompt(planner) if console else None
    holds: dict[str, Any] = {}
    # One X connection for both owner-thread probes (each python-xlib one costs ~0.4 MiB).
    fullscreen_work = fullscreen.detect_holds(os.environ, x11=idle_source.connection)
    holds.update(fullscreen_work.probes)
    dnd = DndProbe(os.environ)
    holds[N_("do not disturb")] = dnd.is_on
    meeting = meetings.detect(lambda: box["runtime"].state.settings.meetings, os.environ)
    if meeting is not None:
        holds.update(meeting.probes())  # camera, microphone, screen sharing
    player = sound.detect(os.environ, _shipped_sounds())
    adapters = Adapters(
        idle=idle_source,
        notifier=notifier,
        history=history,
        prompt=console_prompt or _NoPrompt(),
        holds=holds,
        on_notice=say if console else log.warning,
        details={"idle_reason": idle_why, "notifications": notify_why},
        # what fullscreen detection sees here, or that it cannot (e.g. GNOME's own windows)
        status_parts={"history": history.status, "fullscreen": fullscreen_work.sees},
        load_settings=load_checked,  # the exercises file it names, too, as at start
        release_memory=release_free_heap,
    )
    adapters.sound = player.play
    adapters.status_parts["sound"] = player.status
    if meeting is not None:
        adapters.status_parts["meetings"] = meeting.status
    # Live: a daemon or a bus that dies shows here, not the reason it was chosen at start.
    adapters.status_parts["notifications"] = notify.status_of(desktop, notify_why)
    if hasattr(desktop, "status"):
        adapters.status_parts["notifier"] = desktop.status
    runtime = box["runtime"] = Runtime(settings, settings_path, adapters)
    watch = FileWatch(settings_path, runtime.post_tick)
    if watch.start():  # edits arrive as they happen: no need to look every few seconds
        runtime.heartbeat_s = WATCHED_HEARTBEAT_S
    if _has_display() and not no_window:
        adapters.prompt = WindowPrompt(planner, runtime.post, paths.cache_dir(), console_prompt,
                                       window=_break_window)
        if fullscreen_work.blind:  # nothing shows what is in front: the notification first
            from tray_app.shell.notice_first import NotificationFirstPrompt

            adapters.prompt = NotificationFirstPrompt(adapters.prompt)
    # The writer opens, repairs and prunes the file in its own thread (start-up never waits),
    # once today's numbers and a pause left running are read from it.
    starters: list = [recall_then_write(runtime, history)]
    stoppers: list = [notifier.stop, dnd.close, watch.stop]
    if sys.platform.startswith("linux"):
        from tray_app.platform.session.linux import SessionWatcher

        watcher = SessionWatcher(runtime.on_session_event, os.environ)
        starters.append(watcher.start)
        stoppers.append(watcher.stop)
    return runtime, starters, stoppers


# The first-run notification waits this long for a tray host to show the icon.
WELCOME_WAIT_S = 6.0


def welcome_later(runtime: Runtime, tray_host: str | None) -> None:
    """The first run: say where the icon is and what happens next (core.welcome), once the
    tray host has shown the icon or WELCOME_WAIT_S passed."""
    from tray_app.core.welcome import TITLE, welcome

    def work() -> None:
        docked = lambda: bool(runtime.status().get("tray_docked"))  # noqa: E731
        if tray_host is not None:
            deadline = time.monotonic() + WELCOME_WAIT_S
            while not docked() and time.monotonic() < deadline and not runtime.wait(0.2):
                pass
        if not runtime.wait(0):
            runtime.notify_info(TITLE, welcome(runtime.state.settings, tray_host, docked()))

    threading.Thread(target=work, name="welcome", daemon=True).start()


# Days back the streak of days with every break taken is counted over.
STREAK_DAYS = 60


def recall_then_write(runtime: Runtime, history: HistoryWriter) -> Callable[[], None]:
    """A starter: in a thread of its own, read what the history knows from before this start
    (today's numbers, a pause left running, the streak: core.today) and pass it to the core,
    then start the writer (so no row of this run is read back, and the crashed run's stretch
    is recovered once). Rows recorded meanwhile wait in memory."""

    def work() -> None:
        event = None
        try:
            event = _recall(history.path, runtime.state.settings, runtime.clock.wall())
        except Exception as err:
            log.warning("today's numbers start from zero: the history file could not be read "
                        "(%s)", err)
        finally:
            history.start()
        if event is not None:
            runtime.post(event)

    return lambda: threading.Thread(target=work, name="recall", daemon=True).start()


def _recall(path: Path, settings: Settings, now: float) -> Any:
    from datetime import timedelta

    from tray_app.core.events import Recalled
    from tray_app.core.today import RECALL_S, streak_of
    from tray_app.history.statistics import days_for, period
    from tray_app.history.store import History

    if not path.exists():
        return Recalled(())
    store = History.open(path, busy_timeout_s=1.0, retries=2, memory_fallback=False)
    try:
        recovered = store.recover_open_stretch()
        if recovered is not None:
            log.warning("recorded the stretch a crashed run left open: %r", recovered)
        rows = store.events(since_wall=now - RECALL_S)
        days = days_for(settings)
        today = days.of(now)
        past = period(store, days, today - timedelta(days=STREAK_DAYS), today - timedelta(days=1),
                      now)
    finally:
        store.close()
    return Recalled(tuple(rows), streak_of(past))


def tray_wiring(runtime: Runtime, settings_path: Path | None,
                menu: bool = True) -> dict[str, Any]:
    """What the tray menu needs from the rest of the app: start at login, statistics, and the
    settings changes its menu makes. `menu` False (pystray's xorg icon has none): none of it,
    so the idle app keeps neither the start-at-login code nor its file watch's thread."""
    # One X connection fewer (~0.35 MiB): the xorg icon's changes go through the idle
    # probe's connection, which already serialises its calls.
    x11 = runtime.adapters.idle.connection
    if not menu:
        return {"x11": x11}
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

    def watch_autostart(on_change: Callable[[], None]) -> Callable[[], None]:
        from tray_app.platform.file_watch import FileWatch

        paths = entry.watch_paths()
        for path in paths:
            with contextlib.suppress(OSError):  # inotify needs the folder: an empty one is fine
                path.parent.mkdir(parents=True, exist_ok=True)
        if not paths:
            return lambda: None
        watch = FileWatch(paths[0], on_change, also=paths[1:])  # one thread for them all
        watch.start()
        return watch.stop

    return {
        "autostart": entry,
        "watch_autostart": watch_autostart if entry is not None else None,
        "launch_command": autostart.default_command,
        "open_stats": open_stats,
        "edits": MenuEdits(settings_path) if settings_path is not None else None,
        "x11": x11,
    }


def _break_window(on_event: Callable[[dict[str, Any]], None]) -> Any:
    """The break window's process handle; WindowPrompt asks for it at the first break."""
    from tray_app.platform.focus import choose as focus
    from tray_app.ui.launch.break_window import BreakWindowProcess  # its protocol modules load then

    # sway/Hyprland focus the window on request (an XWayland window cannot take the keyboard).
    return BreakWindowProcess(on_event, focuser=focus.detect(os.environ))


class _NoPrompt:
    """Tray mode without a window: the notification is the prompt."""

    def plan(self, state: Any) -> BreakPlanned:
        return BreakPlanned(())  # a plain timed break, answered from the notification

    def show(self, view: Any, state: Any) -> None:
        pass

    def present(self) -> bool:
        return False

    def end(self, title: str, lines: tuple[str, ...]) -> bool:
        return False

    def close(self) -> None:
        pass


def _programme_rows(path: Path) -> list:
    """The rows the programme's levels and re-tests are worked out from, read when a break is
    planned (history.programme loads then, not in the idle app)."""
    from tray_app.history.programme import programme_rows

    return programme_rows(path)


def _shipped_sounds() -> Path | None:
    """The folder of sounds shipped with sitbreak, or None (then only the theme's play)."""
    from tray_app.support.resources import SOUNDS, DataFileError, packaged

    try:
        return packaged(SOUNDS)
    except DataFileError as exc:
        log.warning("no shipped sounds: %s", exc)
        return None


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _tell_at_quit(runtime: Runtime, text: str) -> None:
    """History rows not in the file at quit: on the console and in a notification."""
    say(text)
    runtime.notify_info("sitbreak: history not saved", text)


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

"""The shell around the core: one owner thread steps it, and effects are carried out here.

Every input (the wake the core asks for, the control channel, the tray, notifications, the
break window, the session watcher) becomes a job on the Timer's one thread, so the core is
never entered twice at once and a tick wakes one thread. The runtime
gathers facts (idle seconds, the settings file, hold probes, lock state), passes them in as
events, and runs the effects the core returns; the core decides. Adapters are passed in; this
module imports no UI or OS code.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tray_app.core.commands import event_for
from tray_app.core.cues import cue
from tray_app.core.effects import (
    BreakEnded,
    CloseBreak,
    CloseNotice,
    Effect,
    NoticeKind,
    Notify,
    PlanBreak,
    Record,
    ShowBreak,
    UpdateTray,
    WakeAt,
)
from tray_app.core.events import (
    Event,
    Hold,
    SettingsChanged,
    SettingsRejected,
    Shutdown,
    Suspending,
    Tick,
    Woke,
)
from tray_app.core.machine import step
from tray_app.core.model import Settings
from tray_app.core.problems import ProblemsError
from tray_app.core.state import Refused, State, initial_state
from tray_app.core.status import status_dict
from tray_app.core.timing import holds_matter
from tray_app.core.views import break_view
from tray_app.ports import (
    Action,
    BreakPrompt,
    HistoryStore,
    IdleSource,
    Notifier,
    TrayView,
)
from tray_app.shell.clock import Clock, default_clock
from tray_app.shell.owner import SchedulerTimer, Timer
from tray_app.support import i18n
from tray_app.support.i18n import _, tr

log = logging.getLogger(__name__)

# The owner ticks when the core asks (WakeAt) and at least this often: every tick checks the
# settings file, so an edit applies within this long.
HEARTBEAT_S = 5.0
# When something tells the runtime that the settings file changed (platform.file_watch), this
# longest sleep is only a safety net.
WATCHED_HEARTBEAT_S = 60.0
# How often the owner hands the C heap's free pages back (Adapters.release_memory): the owner
# wakes at least once a minute anyway, and a break's leftovers then go within that minute.
RELEASE_MEMORY_EVERY_S = 60.0


class Probe(Protocol):
    """A yes/no question about the desktop: is a fullscreen window focused, is DND on?"""

    def __call__(self) -> bool: ...


SettingsLoader = Callable[[Path], Settings]  # raises ProblemsError for a broken file


@dataclass
class Adapters:
    idle: IdleSource
    notifier: Notifier
    history: HistoryStore
    prompt: BreakPrompt
    tray: TrayView | None = None
    holds: dict[str, Probe] = field(default_factory=dict)  # reason -> probe
    details: dict[str, Any] = field(default_factory=dict)  # why each adapter was chosen
    on_notice: Callable[[str], None] = lambda text: None  # one-off messages for the user
    load_settings: SettingsLoader | None = None  # needed when there is a settings file
    # Parts of `status --json` that adapters report themselves, e.g. "history".
    status_parts: dict[str, Callable[[], Any]] = field(default_factory=dict)
    release_memory: Callable[[], object] = lambda: None  # platform.memory.release_free_heap
    # Plays a cue ("start", "step", "end") at a volume 0..1 without waiting (platform.sound).
    sound: Callable[[str, float], None] = lambda name, volume: None


class Stopped(RuntimeError):
    """The runtime stopped before it could answer."""


class Runtime:
    """Owns the state; everything that changes it runs as a job on the timer's thread."""

    def __init__(
        self,
        settings: Settings,
        settings_path: Path | None,
        adapters: Adapters,
        clock: Clock | None = None,
        heartbeat_s: float = HEARTBEAT_S,
        timer: Timer | None = None,
    ) -> None:
        self.adapters = adapters
        # The real clock, or SITBREAK_CLOCK_SPEED's accelerated one (see shell.clock).
        self.clock: Clock = clock or default_clock()
        self.settings_path = settings_path
        self.heartbeat_s = heartbeat_s
        self.timer: Timer = timer or SchedulerTimer(self.clock.mono, self.clock.real_seconds)
        if self.clock.speed != 1.0:
            adapters.history.follow_clock(self.clock.real_seconds, self.clock.wall)
        # Written only by the owner, right after each step and before its effects run, so a
        # reader on any thread sees the newest state without waiting behind slow effects.
        self.state: State = initial_state(settings)
        i18n.follow_setting(settings.general.language)
        self._settings_sig = self._signature()
        self._bad_settings_sig: tuple[int, ...] | None = None
        self._gone_sig: tuple[int, ...] | None = None  # the file missing once: maybe a save
        self._wake_at: float | None = None
        self._woke = False  # this tick asked for its next wake
        self._tick_lock = threading.Lock()
        self._tick_queued = False
        self._tick_done = threading.Event()
        self._stop_requested = threading.Event()
        self._stop_listeners: list[Callable[[], None]] = []
        self._stop_lock = threading.Lock()
        self._stopped = False  # no more jobs: every later call raises Stopped
        self._closed = False
        self._memory_released_at = self.clock.mono()  # the first once start-up has settled
        self._waiting: set[Future[Any]] = set()
        # Commands whose caller stopped waiting (a timeout) but that still run when the owner
        # thread gets to them: status says so, so "may still be applied" can be checked.
        self._late: set[Future[Any]] = set()
        self._waiting_lock = threading.Lock()
        self.adapters.notifier.set_action_handler(self._on_notification_action)

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self.timer.start()
        self.post_tick()

    def request_stop(self) -> None:
        """Ask whoever waits in `wait()` to stop the app; safe from any thread or signal."""
        self._stop_requested.set()
        for listener in list(self._stop_listeners):
            listener()

    def when_stop_requested(self, listener: Callable[[], None]) -> None:
        """Call `listener` (on the requesting thread) once a stop is requested."""
        self._stop_listeners.append(listener)
        if self._stop_requested.is_set():
            listener()

    def stop(self) -> None:
        """Record the end of the stretch, stop the timer, close the prompt and history.

        Safe from any thread; a second caller returns once the first has finished.
        """
        with self._stop_lock:
            if self._closed:
                return
            try:
                self._on_owner(self._last_job, 5.0)
            except Exception:
                log.exception("could not record the end of the stretch")
            self._close_down()
            self._closed = True
            self.request_stop()
            for close in (self.adapters.prompt.close, self.adapters.notifier.close,
                          self.adapters.history.close):
                try:
                    close()
                except Exception:
                    log.exception("closing %r failed", close)

    def _last_job(self) -> None:
        """The owner's last job: close the stretch; later ticks and commands do nothing."""
        try:
            # Time first: the core acts at its last tick, which may be a ring step or more ago
            # (X gone mid-break, a quit): the seconds since then are the user's too. No probe
            # is asked (X or the bus may be what went); idle stays what it was last seen as.
            wall = self.clock.wall()
            self._apply(Tick(self.clock.mono(), wall, self.state.idle_s,
                             self.clock.utc_offset(wall),
                             self.state.locked_since_mono is not None))
        except Exception:
            log.exception("could not bring the core up to now before stopping")
        try:
            self._apply(Shutdown())
        finally:
            with self._waiting_lock:
                self._stopped = True

    def _close_down(self) -> None:
        with self._waiting_lock:
            self._stopped = True
            waiting = list(self._waiting)
        self.timer.stop()
        for fut in waiting:
            fut.cancel()  # those still queued will never run; a running one finishes

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a stop is requested (or done); True if it was."""
        return self._stop_requested.wait(timeout)

    # --- input ---------------------------------------------------------------------------------

    def post_tick(self) -> threading.Event:
        """Tick soon (a status request, a settings file event); one waiting tick is enough,
        so a flood of requests cannot pile up jobs. The returned event is set once it ran."""
        with self._tick_lock:
            if self._tick_queued:
                return self._tick_done
            self._tick_queued = True
            self._tick_done = done = threading.Event()
        self.timer.submit(self._queued_tick)
        return done

    def _queued_tick(self) -> None:
        with self._tick_lock:
            self._tick_queued = False
            done = self._tick_done
        try:
            self._tick()
        finally:
            done.set()

    def post(self, event: Event) -> None:
        """Run an event soon on the owner thread, from any thread; a refusal is logged."""

        def job() -> None:
            try:
                self._command(event)
            except Refused as exc:
                log.info("refused %s: %s", type(event).__name__, exc)

        self.timer.submit(job)

    def call(self, event: Event | None, timeout: float = 5.0) -> State:
        """Run an event on the owner thread and wait; raises Refused. None just ticks."""

        def job() -> State:
            self._command(event)
            return self.state

        return self._on_owner(job, timeout)

    def reload(self) -> None:
        """Read the settings file now (the `reload` command); raises ProblemsError if broken."""
        self._on_owner(lambda: self._check_settings(force=True), 5.0)

    def on_session_event(self, name: str) -> None:
        """Events from the OS session watcher: suspend, resume, lock, unlock."""
        if name == "suspend":
            self.post(Suspending())
        elif name == "resume":
            self.post(Woke())
        elif name in ("lock", "unlock"):
            locked = name == "lock"
            self.timer.submit(lambda: self._tick(locked=locked))
        else:
            self.post_tick()

    def _on_notification_action(self, action: str) -> None:
        event = event_for(action)
        if event is not None:
            self.post(event)

    def _on_owner(self, job: Callable[[], Any], timeout: float) -> Any:
        """Run `job` on the owner thread and return its result (or raise its exception)."""
        if self.timer.is_owner():
            return job()
        fut: Future[Any] = Future()

        def run() -> None:
            if not fut.set_running_or_notify_cancel():
                return
            try:
                fut.set_result(job())
            except BaseException as exc:
                fut.set_exception(exc)

        with self._waiting_lock:
            if self._stopped:
                raise Stopped("sitbreak is stopping")
            self._waiting.add(fut)
        try:
            self.timer.submit(run)
            return fut.result(timeout)
        except CancelledError:
            raise Stopped("sitbreak stopped before it could answer") from None
        except TimeoutError:
            with self._waiting_lock:
                self._late.add(fut)
            raise
        finally:
            with self._waiting_lock:
                self._waiting.discard(fut)

    # --- the owner thread ----------------------------------------------------------------------

    def _command(self, event: Event | None) -> None:
        """Tick (commands act at the time of the newest tick), then apply `event`."""
        if self._stopped:
            raise Stopped("sitbreak is stopping")
        self._tick()
        if event is not None:
            self._apply(event)

    def _tick(self, locked: bool | None = None) -> None:
        """Gather the facts and pass them in. `locked` is news from the session watcher."""
        if self._stopped:
            return  # after Shutdown: a late wake must not start a new stretch
        self._woke = False
        try:
            self._gather_and_tick(locked)
        finally:
            if not self._woke:  # the tick failed before the core asked: never stop waking
                self._arm(self.clock.mono() + self.heartbeat_s)
            self._release_memory()

    def _release_memory(self) -> None:
        now = self.clock.mono()
        if now - self._memory_released_at >= RELEASE_MEMORY_EVERY_S:
            self._memory_released_at = now
            try:
                self.adapters.release_memory()
            except Exception:
                log.exception("giving free memory back failed")

    def _gather_and_tick(self, locked: bool | None) -> None:
        self._check_settings()
        self._check_holds()
        try:
            idle = self.clock.idle(self.adapters.idle.idle_seconds())
        except Exception:
            log.exception("idle source %s failed", self.adapters.idle.name)
            idle = None
        if locked is None:
            locked = self.state.locked_since_mono is not None
        wall = self.clock.wall()
        self._apply(Tick(self.clock.mono(), wall, idle, self.clock.utc_offset(wall), locked))

    def _apply(self, event: Event) -> None:
        before = self.state
        self.state, effects = step(self.state, event)
        self._play_cue(cue(before, self.state, effects))
        plan = False
        for effect in effects:
            if isinstance(effect, PlanBreak):
                plan = True  # answered after this step's effects, as an event of its own
                continue
            try:
                self._run(effect)
            except Exception:
                log.exception("effect %r failed", effect)
        if plan:
            try:
                planned = self.adapters.prompt.plan(self.state)
            except Exception:
                log.exception("planning the break failed; it runs as a plain timed break")
                from tray_app.core.events import BreakPlanned

                planned = BreakPlanned(())
            self._apply(planned)

    def _run(self, effect: Effect) -> None:
        a = self.adapters
        match effect:
            case Record(row=row):
                a.history.record(row)
            case Notify(kind=kind, title=title, body=body, actions=actions):
                log.info("notify %s: %s", kind, title)
                # The core's texts, in the user's language (support.i18n.tr).
                a.notifier.notify(kind, tr(title), tr(body),
                                  [Action(i, tr(label)) for i, label in actions])
            case ShowBreak(view=view):
                a.prompt.show(view, self.state)
            case BreakEnded(title=title, lines=lines):
                title, lines = tr(title), tuple(tr(line) for line in lines)
                # The window's closing screen, else the same lines as a notification.
                if not a.prompt.end(title, lines) and self.state.settings.notifications.enabled:
                    a.notifier.notify(NoticeKind.INFO, title, "\n".join(lines))
            case CloseBreak():
                a.prompt.close()
            case CloseNotice():
                a.notifier.close()
            case UpdateTray():
                if a.tray is not None:
                    a.tray.update(self.state, self.status())
            case WakeAt(mono=mono):
                self._woke = True
                self._arm(min(mono, self.clock.mono() + self.heartbeat_s))

    def _play_cue(self, name: str | None) -> None:
        """Before the step's effects: the sound comes as the window opens, not after."""
        if name is None:
            return
        try:
            self.adapters.sound(name, self.state.settings.sound.volume / 100)
        except Exception:
            log.exception("playing the %s sound failed", name)

    def _arm(self, mono: float) -> None:
        if mono != self._wake_at:
            self._wake_at = mono
            self.timer.wake_at(mono, self._tick)

    # --- settings and holds --------------------------------------------------------------------

    def _signature(self) -> tuple[int, ...] | None:
        if self.settings_path is None:
            return None
        try:
            st = self.settings_path.stat()
        except OSError as exc:
            # Removed, a dangling link or a loop: a change, told like any mistake in it.
            return (-1, exc.errno or 0)
        # The inode and ctime too: a file replaced by one of the same time and size (cp -p),
        # or made unreadable (chmod), is read again.
        return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)

    def _check_settings(self, force: bool = False) -> None:
        """Read the settings file if it changed (or `force`); raises ProblemsError if forced."""
        path, load = self.settings_path, self.adapters.load_settings
        if path is None or load is None:
            return
        sig = self._signature()
        if not force and (sig is None or sig == self._settings_sig):
            return
        if not force and sig[0] == -1 and self._gone_sig != sig:
            self._gone_sig = sig  # an editor's save can remove it for a moment: look again
            return
        self._gone_sig = None
        self._settings_sig = sig
        try:
            new = load(path)
        except ProblemsError as exc:
            if sig != self._bad_settings_sig:
                self._bad_settings_sig = sig
                text = _("settings not applied, keeping the last good ones:\n{problems}").format(
                    problems=tr(exc.text()))
                log.warning("%s", text)
                self.adapters.on_notice(text)
                self._apply(SettingsRejected(exc.text(), path.name))
            if force:
                raise
            return
        self._bad_settings_sig = None
        if new != self.state.settings:
            log.info("settings reloaded from %s", path)
            i18n.follow_setting(new.general.language)
            self._apply(SettingsChanged(new))
            self.adapters.on_notice(f"settings reloaded from {path}")

    def _check_holds(self) -> None:
        if not holds_matter(self.state, 2 * self.heartbeat_s):
            return  # nothing can pop up before the next ticks: spare the X and D-Bus calls
        reason: str | None = None
        if self.state.settings.smart_pause.enabled:
            for name, probe in self.adapters.holds.items():
                try:
                    if probe():
                        reason = name
                        break
                except Exception:
                    log.debug("hold probe %s failed", name, exc_info=True)
        if reason != self.state.hold_reason:
            self._apply(Hold(reason))

    # --- reading -------------------------------------------------------------------------------

    def present(self) -> str:
        """sitbreak was launched again: bring the break window to the front while a break is
        on screen, else show the status in a notification. Says which it did."""

        def job() -> str:
            if break_view(self.state) is not None and self.adapters.prompt.present():
                return "window"
            st = self.status()
            if st.get("tray_docked"):
                where = "Its icon is in the panel's tray: click it for the menu."
            else:
                where = f"It shows no tray icon here ({st.get('tray', 'no tray')})."
            self.notify_info("sitbreak is already running", f"{st['line']}\n{where}")
            return "notification"

        return self._on_owner(job, 5.0)

    def notify_info(self, title: str, body: str) -> None:
        """A plain information notification (for the tray: About, summaries, problems)."""
        try:
            self.adapters.notifier.notify(NoticeKind.INFO, title, body)
        except Exception:
            log.exception("notification failed")

    def status(self) -> dict[str, Any]:
        """The status of the newest state; never waits for the owner thread."""
        extra = {"idle_sees_input": self.adapters.idle.sees_input, **self.adapters.details}
        extra.update({name: part() for name, part in self.adapters.status_parts.items()})
        if self.clock.speed != 1.0:  # only ever set on purpose: say so wherever status shows
            extra["clock_speed"] = self.clock.speed
        with self._waiting_lock:
            self._late = {f for f in self._late if not f.done()}
            if self._late:
                extra["commands_not_done_yet"] = len(self._late)
        status = status_dict(self.state, self.adapters.idle.name, extra)
        status["line"] = tr(status["line"])  # a human line: in the user's language
        return status

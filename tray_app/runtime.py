"""The shell around the core: a scheduler that wakes, a queue, and one thread that owns the state.

APScheduler only wakes the app (a heartbeat plus a one-shot job at the next deadline the core
asks for); every event, from the scheduler, the control channel, the tray, notifications or
the break window, goes through one queue to the owner thread, so the core is never entered
twice at once. Adapters are passed in; this module imports no UI or OS code.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from apscheduler.schedulers.background import BackgroundScheduler

from tray_app.core.effects import CloseBreak, Effect, Notify, OpenBreak, Record, UpdateTray, WakeAt
from tray_app.core.events import (
    Event,
    Hold,
    Resumed,
    SettingsChanged,
    Shutdown,
    Suspending,
    Tick,
)
from tray_app.core.machine import Refused, State, initial_state, next_wake, step
from tray_app.core.menu import action_event
from tray_app.core.model import Settings
from tray_app.core.ports import Action, HistoryStore, IdleSource, Notifier
from tray_app.core.problems import ProblemsError
from tray_app.core.status import status_dict
from tray_app.localtime import utc_offset

log = logging.getLogger(__name__)

HEARTBEAT_S = 5.0
# The settings file is checked on every heartbeat, so an edit applies within this long.
RELOAD_CHECK_S = HEARTBEAT_S
HOLD_RECHECK_S = 1.0


class BreakPrompt(Protocol):
    """Shows the break prompt: a window, or lines in a terminal."""

    def open(self, effect: OpenBreak, state: State) -> None: ...

    def close(self) -> None: ...


class TrayView(Protocol):
    def update(self, state: State, status: dict[str, Any]) -> None: ...


class Probe(Protocol):
    """A yes/no question about the desktop: is a fullscreen window focused, is DND on?"""

    def __call__(self) -> bool: ...


@dataclass
class Clock:
    """The three readings a Tick needs; tests and benchmarks may swap it."""

    mono: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time

    def utc_offset(self, wall: float) -> int:
        return utc_offset(wall)


@dataclass
class Adapters:
    idle: IdleSource
    notifier: Notifier
    history: HistoryStore
    prompt: BreakPrompt
    tray: TrayView | None = None
    holds: dict[str, Probe] = field(default_factory=dict)  # reason -> probe
    details: dict[str, str] = field(default_factory=dict)  # why each adapter was chosen
    on_notice: Callable[[str], None] = lambda text: None  # one-off messages for the user
    # Parts of `status --json` that adapters report themselves, e.g. "history".
    status_parts: dict[str, Callable[[], Any]] = field(default_factory=dict)


_STOP = object()


class Runtime:
    """Owns the state; everything that changes it goes through `post` or `call`."""

    def __init__(
        self,
        settings: Settings,
        settings_path: Path | None,
        adapters: Adapters,
        clock: Clock | None = None,
        heartbeat_s: float = HEARTBEAT_S,
    ) -> None:
        self.adapters = adapters
        self.clock = clock or Clock()
        self.settings_path = settings_path
        self.heartbeat_s = heartbeat_s
        self.state: State = initial_state(settings)
        self._queue: queue.Queue[Any] = queue.Queue()
        self._locked = False
        self._hold: str | None = None
        self._settings_sig = self._signature()
        self._bad_settings_sig: tuple[int, int] | None = None
        self._scheduler = BackgroundScheduler(
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
        )
        self._owner = threading.Thread(target=self._own, name="owner", daemon=True)
        self._stopped = threading.Event()
        self._wake_at: float | None = None
        self.adapters.notifier.set_action_handler(self._on_notification_action)

    # --- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self._owner.start()
        self._scheduler.add_job(
            self.post_tick, "interval", seconds=self.heartbeat_s, id="heartbeat"
        )
        self._scheduler.start()
        self.post_tick()

    def stop(self) -> None:
        """Stop scheduling, finish queued events, close the prompt and history."""
        if self._stopped.is_set():
            return
        if self._owner.is_alive():
            try:
                self.call(Shutdown())
            except Exception:
                log.exception("could not record the end of the stretch")
        self._stopped.set()
        try:
            self._scheduler.shutdown(wait=False)
        except Exception:  # already stopped
            log.debug("scheduler shutdown", exc_info=True)
        self._queue.put(_STOP)
        self._owner.join(10)
        self.adapters.prompt.close()
        self.adapters.notifier.close()
        self.adapters.history.close()

    def wait(self, timeout: float | None = None) -> bool:
        return self._stopped.wait(timeout)

    # --- input ---------------------------------------------------------------------------------

    def post_tick(self) -> None:
        self._queue.put(("tick", None, None))

    def post(self, event: Event) -> None:
        """Queue an event from any thread; a refusal is logged."""
        self._queue.put(("event", event, None))

    def call(self, event: Event | None, timeout: float = 5.0) -> State:
        """Run an event on the owner thread and wait; raises Refused. None just ticks."""
        fut: Future[State] = Future()
        self._queue.put(("event", event, fut))
        return fut.result(timeout)

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self.post_tick()

    def on_session_event(self, name: str) -> None:
        """Events from the OS session watcher: suspend, resume, lock, unlock."""
        if name == "suspend":
            self.post(Suspending())
        elif name == "resume":
            self.post(Resumed())
        elif name in ("lock", "unlock"):
            self.set_locked(name == "lock")
        else:
            self.post_tick()

    def _on_notification_action(self, action: str) -> None:
        event = action_event(action)
        if event is not None:
            self.post(event)

    # --- the owner thread ----------------------------------------------------------------------

    def _own(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            kind, event, fut = item
            try:
                if kind == "reload":
                    self._settings_sig = None  # forget the file's signature: read it again
                if kind == "tick":
                    self._tick()
                else:
                    self._tick()
                    if event is not None:
                        self._apply(event)
                    if fut is not None:
                        fut.set_result(self.state)
            except Refused as exc:
                if fut is not None:
                    fut.set_exception(exc)
                else:
                    log.info("refused %s: %s", type(event).__name__, exc)
            except Exception as exc:
                log.exception("event %r failed", event)
                if fut is not None:
                    fut.set_exception(exc)

    def _tick(self) -> None:
        self._check_settings()
        self._check_holds()
        try:
            idle = self.adapters.idle.idle_seconds()
        except Exception:
            log.exception("idle source %s failed", self.adapters.idle.name)
            idle = None
        wall = self.clock.wall()
        tick = Tick(self.clock.mono(), wall, idle, self.clock.utc_offset(wall), self._locked)
        self._apply(tick)

    def _apply(self, event: Event) -> None:
        self.state, effects = step(self.state, event)
        for effect in effects:
            try:
                self._run(effect)
            except Exception:
                log.exception("effect %r failed", effect)

    def _run(self, effect: Effect) -> None:
        a = self.adapters
        match effect:
            case Record(row=row):
                a.history.record(row)
            case Notify(kind=kind, title=title, body=body, actions=actions):
                log.info("notify %s: %s", kind, title)
                if self.state.settings.notifications.enabled:
                    a.notifier.notify(kind, title, body, [Action(i, label) for i, label in actions])
            case OpenBreak():
                a.prompt.open(effect, self.state)
            case CloseBreak():
                a.prompt.close()
                a.notifier.close()
            case UpdateTray():
                if a.tray is not None:
                    a.tray.update(self.state, self.status())
            case WakeAt(mono=mono):
                self._schedule_wake(mono)

    def _schedule_wake(self, mono: float) -> None:
        if self.state.waiting_since_mono is not None:
            # A break held back by a fullscreen window or DND: look again every second, so it
            # comes as soon as the hold ends rather than at the next heartbeat.
            mono = min(mono, self.clock.mono() + HOLD_RECHECK_S)
        if self._wake_at == mono or self._stopped.is_set():
            return
        self._wake_at = mono
        delay = max(0.0, mono - self.clock.mono())
        when = dt.datetime.now().astimezone() + dt.timedelta(seconds=delay)
        try:
            self._scheduler.add_job(
                self.post_tick, "date", run_date=when, id="wake", replace_existing=True
            )
        except Exception:
            log.debug("could not schedule a wake", exc_info=True)

    # --- settings and holds --------------------------------------------------------------------

    def _signature(self) -> tuple[int, int] | None:
        if self.settings_path is None:
            return None
        try:
            st = self.settings_path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _check_settings(self) -> None:
        sig = self._signature()
        if sig == self._settings_sig or sig is None or self.settings_path is None:
            return
        self._settings_sig = sig
        from tray_app.settings.full import load_checked

        try:
            new = load_checked(self.settings_path)  # the exercises file too, as at start
        except ProblemsError as exc:
            if sig != self._bad_settings_sig:
                self._bad_settings_sig = sig
                text = f"settings not applied, keeping the last good ones:\n{exc}"
                log.warning("%s", text)
                self.adapters.on_notice(text)
                self.adapters.notifier.notify(
                    "info", f"sitbreak: {self.settings_path.name} has a problem", str(exc)
                )
            return
        if new != self.state.settings:
            log.info("settings reloaded from %s", self.settings_path)
            self._apply(SettingsChanged(new))
            self.adapters.on_notice(f"settings reloaded from {self.settings_path}")

    def reload(self) -> None:
        """Force a settings check (the `reload` command); raises ProblemsError if broken."""
        if self.settings_path is None:
            return
        from tray_app.settings.full import load_checked

        load_checked(self.settings_path)
        fut: Future[State] = Future()
        self._queue.put(("reload", None, fut))
        fut.result(5.0)

    def _check_holds(self) -> None:
        if not self._hold_matters():
            return  # nothing can pop up before the next heartbeat: spare the X and D-Bus calls
        reason: str | None = None
        if self.state.settings.smart_pause.enabled:
            for name, probe in self.adapters.holds.items():
                try:
                    if probe():
                        reason = name
                        break
                except Exception:
                    log.debug("hold probe %s failed", name, exc_info=True)
        if reason != self._hold:
            self._hold = reason
            self._apply(Hold(reason))

    def _hold_matters(self) -> bool:
        """A hold only changes what happens when a break is waiting or something is due soon."""
        st = self.state
        if not st.started or st.waiting_since_mono is not None or self._hold is not None:
            return True
        return next_wake(st) - self.clock.mono() <= 2 * self.heartbeat_s

    # --- reading -------------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        extra = {"idle_sees_input": self.adapters.idle.sees_input, **self.adapters.details}
        extra.update({name: part() for name, part in self.adapters.status_parts.items()})
        return status_dict(self.state, self.adapters.idle.name, extra)

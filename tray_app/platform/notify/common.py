"""What every notifier shares: expiry, urgency and category by kind, the serial worker, the
null and multi notifiers.

Expiry policy (milliseconds, see `expire_ms`):
  heads_up  15 s: it only says a break is coming; stale after that.
  posture   20 s: a nudge, read at a glance.
  break_due 0 (never expires) while it carries actions, because the user answers it there;
            60 s without actions (plyer, notify-send), so a plain text box does not linger.
  other     20 s.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence

from tray_app.ports import Action, Notifier

log = logging.getLogger(__name__)

APP_NAME = "sitbreak"
SERVICE = "org.freedesktop.Notifications"

EXPIRE_MS = {"heads_up": 15_000, "posture": 20_000, "break_due": 60_000}
DEFAULT_EXPIRE_MS = 20_000
# freedesktop urgency byte: 0 low, 1 normal, 2 critical. Everything is normal. Low is not
# seen everywhere: GNOME Shell (since 41) shows a low-urgency notification only as a dot in
# its message list, never as a banner, and KDE Plasma shows no popup for it when "Low priority
# notifications: Show popup" is off. Critical is wrong too: it ignores timeouts, stays on
# screen until clicked (GNOME expands it and keeps it up) and punches through do-not-disturb,
# which a break should not. dunst and mako show low and normal alike unless the user's rules
# say otherwise (they can match the category below).
URGENCY = {"heads_up": 1, "posture": 1, "break_due": 1}
# Kinds that are stale once their banner is gone: `transient` keeps them out of the message
# list or history (GNOME, KDE) instead of piling up there after their 15-20 s.
TRANSIENT = frozenset({"heads_up", "posture"})


def expire_ms(kind: str, has_actions: bool) -> int:
    """How long a notification of `kind` stays up; 0 means until the user answers it."""
    if kind == "break_due" and has_actions:
        return 0
    return EXPIRE_MS.get(kind, DEFAULT_EXPIRE_MS)


def urgency(kind: str) -> int:
    """The freedesktop urgency byte for `kind` (1 normal for every kind sitbreak sends)."""
    return URGENCY.get(kind, 1)


def transient(kind: str) -> bool:
    """Whether `kind` should skip the daemon's message list or history (`transient` hint)."""
    return kind in TRANSIENT


def category(kind: str) -> str:
    """A vendor category (`x-sitbreak.<kind>`), so users can write dunst rules for each kind."""
    return f"x-{APP_NAME}.{kind}"


def default_action(kind: str, actions: Sequence[Action]) -> str | None:
    """The action a plain click on the notification means: `start` for a break, else the first."""
    if not actions:
        return None
    ids = [a.id for a in actions]
    if kind == "break_due" and "start" in ids:
        return "start"
    return ids[0]


class SerialWorker:
    """One daemon thread that runs submitted jobs in order, so callers never block on I/O.

    Jobs that raise are logged and the worker carries on.
    """

    def __init__(self, name: str) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        """Run `job()` on the worker thread after the jobs already queued."""
        self._jobs.put(job)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every job queued so far has run; False if that took longer than `timeout`."""
        done = threading.Event()
        self.submit(done.set)
        return done.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Finish queued jobs, then end the thread."""
        self._jobs.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except Exception:
                log.exception("notification job failed")


class NullNotifier:
    """Used when nothing can show notifications: logs them, so they are not lost silently."""

    name = "none"

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        """Log the notification at info level."""
        log.info("notification (not shown, no notifier): %s: %s", title, body)

    def close(self) -> None:
        """Nothing to withdraw."""

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        """Nothing can be clicked, so the handler is never called."""

    def stop(self) -> None:
        """Nothing to let go of."""


class MultiNotifier:
    """Forwards every call to several notifiers (e.g. desktop and console); one failing
    does not stop the others."""

    def __init__(self, notifiers: Sequence[Notifier]) -> None:
        self.notifiers = list(notifiers)
        self.name = "+".join(n.name for n in self.notifiers) or "none"

    def _each(self, what: str, call: Callable[[Notifier], None]) -> None:
        for n in self.notifiers:
            try:
                call(n)
            except Exception:
                log.exception("%s notifier failed in %s", n.name, what)

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        """Show the notification on every notifier."""
        self._each("notify", lambda n: n.notify(kind, title, body, actions))

    def close(self) -> None:
        """Withdraw the notification everywhere."""
        self._each("close", lambda n: n.close())

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        """Any notifier's click reaches `handler`."""
        self._each("set_action_handler", lambda n: n.set_action_handler(handler))

    def stop(self) -> None:
        """Stop every notifier."""
        self._each("stop", lambda n: n.stop())



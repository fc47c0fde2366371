"""Pick a notifier for this desktop, plus the pieces every notifier shares.

Backends: `notify_freedesktop` (D-Bus, with clickable actions), `notify_plyer` (elsewhere,
no actions), `notify_console` (console mode). `detect()` picks one and says why.

Expiry policy (milliseconds, see `expire_ms`):
  heads_up  15 s: it only says a break is coming; stale after that.
  posture   20 s: a nudge, read at a glance.
  break_due 0 (never expires) while it carries actions, because the user answers it there;
            60 s without actions (plyer, notify-send), so a plain text box does not linger.
  other     20 s.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tray_app.core.ports import Action, Notifier
from tray_app.platform.bus_address import session_bus_address

log = logging.getLogger(__name__)

APP_NAME = "sitbreak"
SERVICE = "org.freedesktop.Notifications"

EXPIRE_MS = {"heads_up": 15_000, "posture": 20_000, "break_due": 60_000}
DEFAULT_EXPIRE_MS = 20_000
# freedesktop urgency byte: 0 low, 1 normal, 2 critical. Nothing here is critical: critical
# notifications ignore timeouts and punch through do-not-disturb, which a break should not.
URGENCY = {"heads_up": 0, "posture": 0, "break_due": 1}


def expire_ms(kind: str, has_actions: bool) -> int:
    """How long a notification of `kind` stays up; 0 means until the user answers it."""
    if kind == "break_due" and has_actions:
        return 0
    return EXPIRE_MS.get(kind, DEFAULT_EXPIRE_MS)


def urgency(kind: str) -> int:
    """The freedesktop urgency byte for `kind` (0 low, 1 normal)."""
    return URGENCY.get(kind, 1)


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


def probe_service(address: str, timeout: float = 2.0) -> str:
    """Ask the bus at `address` whether a notification service is there.

    Returns a short description of how it is reachable; raises with the reason when not.
    """
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus")
    with open_dbus_connection(address, auth_timeout=timeout) as conn:
        reply = conn.send_and_get_reply(
            new_method_call(bus, "NameHasOwner", "s", (SERVICE,)), timeout=timeout
        )
        if reply.body and reply.body[0]:
            return "running"
        reply = conn.send_and_get_reply(
            new_method_call(bus, "ListActivatableNames"), timeout=timeout
        )
        if reply.body and SERVICE in reply.body[0]:
            return "activatable"
    raise LookupError(f"no {SERVICE} service on the session bus")


def _plyer_usable(env: Mapping[str, str], platform: str) -> str | None:
    """Why plyer can show notifications here, or None when it cannot."""
    if platform.startswith("linux"):
        from tray_app.platform.notify_plyer import linux_backend

        backend = linux_backend(env)
        if backend == "notify-send":
            # PlyerNotifier runs notify-send itself then: plyer, whose import loads ~40
            # facade modules (~0.35 MiB), is never used, so it is not imported to check.
            return backend
        return backend if backend is not None and _plyer_imports() else None
    return "plyer" if _plyer_imports() else None


def _plyer_imports() -> bool:
    try:
        import plyer  # noqa: F401
    except Exception as exc:  # plyer imports platform modules that may fail oddly
        log.debug("plyer not importable: %s", exc)
        return False
    return True


def detect(
    env: Mapping[str, str] | None = None,
    icon_path: Path | str | None = None,
    platform: str = sys.platform,
) -> tuple[Notifier, str]:
    """Pick the best notifier for this session and a one-line reason for `status`.

    Linux: freedesktop over D-Bus when a session bus answers and the notification service is
    running or activatable; plyer when D-Bus could not be used from here (no jeepney, a
    transport jeepney lacks); a notifier that only logs when there is no bus or no service.
    Windows and macOS: plyer when it has a backend, else the logging notifier.
    """
    env = os.environ if env is None else env
    icon = str(Path(icon_path).resolve()) if icon_path else ""
    why_not = ""
    # True once we know for sure nothing on this session can show a notification: plyer on
    # Linux needs the same bus and service, so trying it would only fail later.
    hopeless = False
    if not platform.startswith(("win", "darwin")):
        address = session_bus_address(env)
        if address is None:
            why_not, hopeless = "no D-Bus session bus", True
        else:
            try:
                how = probe_service(address)
            except LookupError as exc:
                why_not, hopeless = str(exc), True
            except Exception as exc:  # unsupported transport, refused socket, no jeepney...
                why_not = f"{type(exc).__name__}: {exc}"
            else:
                from tray_app.platform.notify_freedesktop import FreedesktopNotifier

                notifier = FreedesktopNotifier(icon, bus_address=address)
                return notifier, f"freedesktop notifications over D-Bus ({how})"
    backend = None if hopeless else _plyer_usable(env, platform)
    if backend is not None:
        from tray_app.platform.notify_plyer import PlyerNotifier

        reason = f"plyer ({backend})"
        if why_not:
            reason += f"; D-Bus not used: {why_not}"
        return PlyerNotifier(icon, env=env, platform=platform), reason
    reason = "no notifications: " + (why_not or "plyer has no backend here")
    return NullNotifier(), reason

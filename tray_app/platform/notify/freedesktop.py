"""Notifications through org.freedesktop.Notifications over D-Bus (jeepney), with actions.

One long-lived connection sends `Notify` and receives `ActionInvoked`/`NotificationClosed`:
dunst (and others) send `ActionInvoked` only to the connection that sent `Notify`, so a
one-shot connection per notification would never hear a click.

One click is one answer (`Answers`): each notification shown is answered at most once,
whatever the daemon sends. GNOME Shell 43 sends every `ActionInvoked` twice: the Shell
broadcasts it, and its gjs service (the owner of org.freedesktop.Notifications) sends it again
to the app; some daemons send the default action and a named one for the same click, or
`NotificationClosed` before `ActionInvoked`. So only signals from the connection that answered
our `Notify` count, and the first answer to a notification is the only one acted on.

Status is true (`status()`): the notifier watches who owns org.freedesktop.Notifications
(NameOwnerChanged) and the end of its bus connection, so a daemon or a session bus that dies
shows in `status` at once, not at the next notification. While none is there a notification is
said in the log; each one still tries (a D-Bus activatable daemon comes back on `Notify`),
and when a daemon takes the name again the prompt that was on screen unanswered is shown again.

Threads: calls from the app only queue work (`SerialWorker`), so a slow or hung notification
daemon never blocks the caller. jeepney's router thread reads the socket; our dispatcher
thread turns signals into handler calls, so a handler may call `notify()` again safely.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tray_app.platform.notify.common import (
    APP_NAME,
    SERVICE,
    SerialWorker,
    category,
    default_action,
    expire_ms,
    transient,
    urgency,
)
from tray_app.ports import Action

log = logging.getLogger(__name__)

PATH = "/org/freedesktop/Notifications"
BUS_PATH = "/org/freedesktop/DBus"
BUS_NAME = "org.freedesktop.DBus"
_BUS_ENDED = object()  # queued by the router's receiver thread when the connection ends
_FALLBACK = "notifications go to the log until one is back (each notification tries again)"
CLOSE_REASONS = {1: "expired", 2: "dismissed", 3: "closed", 4: "undefined"}
_KEEP_IDS = 8  # remember actions of this many recent notifications (clicks on stale ones)


@dataclass
class _Shown:
    actions: frozenset[str]
    default: str | None  # what a plain click ("default") means
    answered: bool = False
    closed: bool = False


class Answers:
    """What each of our recent notifications offers, and whether it was answered yet.

    A notification id is "shown" again when `Notify` returns it (a replacement reuses the id),
    which makes it answerable once more. Not thread-safe: the notifier holds its lock.
    """

    def __init__(self, keep: int = _KEEP_IDS) -> None:
        self._keep = keep
        self._shown: dict[int, _Shown] = {}

    def shown(self, nid: int, actions: Sequence[str], default: str | None) -> None:
        """`Notify` returned `nid` for a notification offering `actions`."""
        self._shown.pop(nid, None)
        self._shown[nid] = _Shown(frozenset(actions), default)
        while len(self._shown) > self._keep:
            self._shown.pop(next(iter(self._shown)))

    def ours(self, nid: int) -> bool:
        return nid in self._shown

    def answer(self, nid: int, key: str) -> str | None:
        """The action to act on for `ActionInvoked(nid, key)`, or None: not ours, unknown, or
        this notification was answered already (a duplicate of the same click)."""
        shown = self._shown.get(nid)
        if shown is None or shown.answered:
            return None
        action = shown.default if key == "default" else key
        if action is None or action not in shown.actions:
            return None
        shown.answered = True
        return action

    def closed(self, nid: int, final: bool = False) -> bool:
        """`NotificationClosed(nid)`: True if that is news (ours, unanswered, not closed yet).

        `final`: the close is itself the answer (a close handler acts on it), so a later
        ActionInvoked is not another one. Otherwise the notification stays answerable: a
        daemon may send the click's ActionInvoked after its NotificationClosed.
        """
        shown = self._shown.get(nid)
        if shown is None or shown.answered or shown.closed:
            return False
        shown.closed = True
        shown.answered = final
        return True


class FreedesktopNotifier:
    """A `Notifier` speaking the freedesktop notification protocol directly."""

    name = "freedesktop"

    def __init__(
        self,
        icon_path: str = "",
        bus_address: str = "SESSION",
        call_timeout: float = 5.0,
    ) -> None:
        """`icon_path`: absolute path of a PNG shown with each notification (or "");
        `bus_address`: a D-Bus address, or "SESSION" for $DBUS_SESSION_BUS_ADDRESS."""
        self.icon_path = icon_path
        self.bus_address = bus_address
        self.call_timeout = call_timeout
        self._handler: Callable[[str], None] | None = None
        self._close_handler: Callable[[str], None] | None = None
        self._lock = threading.Lock()
        self._current_id = 0
        self._answers = Answers()
        # The unique name that answered our Notify: only its signals count (see the module).
        self._daemon: str | None = None
        self._conn = None
        self._router = None
        self._failing = False
        self._problem: str | None = None  # why notifications cannot be shown now, for status
        self._last: tuple | None = None  # the last Notify's arguments
        self._unshown: tuple | None = None  # what was on screen when the daemon went
        self._signals: queue.Queue = queue.Queue()
        self._worker = SerialWorker("sitbreak-notify")
        self._dispatcher = threading.Thread(
            target=self._dispatch_signals, name="sitbreak-notify-signals", daemon=True
        )
        self._dispatcher.start()
        self._worker.submit(self._watch)  # connect now: status must see a daemon go

    # -- the Notifier protocol -------------------------------------------------------------

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        """Queue a notification that replaces sitbreak's previous one; returns at once."""
        try:
            self._worker.submit(lambda: self._send_notify(kind, title, body, tuple(actions)))
        except Exception:
            log.exception("could not queue a notification")

    def close(self) -> None:
        """Queue the withdrawal of sitbreak's current notification."""
        try:
            self._worker.submit(self._send_close)
        except Exception:
            log.exception("could not queue closing the notification")

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        """`handler(action_id)` runs on the dispatcher thread when the user picks an action;
        a plain click on the notification gives its default action (`start` for a break)."""
        self._handler = handler

    # -- extras ----------------------------------------------------------------------------

    def set_close_handler(self, handler: Callable[[str], None]) -> None:
        """Optional: `handler(reason)` when our notification goes away (expired, dismissed,
        closed, undefined), e.g. to treat a dismissed break prompt as "not now"."""
        self._close_handler = handler

    def status(self) -> dict[str, object]:
        """{ok, problem}: ok while a daemon owns the name (or none was asked yet) and the
        bus connection lives; problem says what went and since when."""
        with self._lock:
            return {"ok": self._problem is None, "problem": self._problem}

    @property
    def current_id(self) -> int:
        """The server's id of the notification on screen, or 0."""
        with self._lock:
            return self._current_id

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until queued notify/close calls have reached the server (tests, shutdown)."""
        return self._worker.flush(timeout)

    def stop(self) -> None:
        """Finish queued work, then drop the connection and end the threads."""
        self._worker.stop()
        self._disconnect()
        self._signals.put(None)
        self._dispatcher.join(2)

    # -- worker thread ---------------------------------------------------------------------

    def _connect(self):
        """The router, connecting (and subscribing to our signals) if needed."""
        if self._router is not None:
            return self._router
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus
        from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection

        signals = self._signals

        class Router(DBusRouter):
            def _receiver(self) -> None:  # jeepney's reader: say when the connection ends
                try:
                    super()._receiver()
                except OSError as exc:  # the bus went away: said through status, not a trace
                    log.debug("D-Bus connection ended: %s", exc)
                finally:
                    signals.put((_BUS_ENDED, self))

        conn = open_dbus_connection(self.bus_address)
        router = Router(conn)
        # No sender in the rule: jeepney filters locally on the header as sent, where the
        # sender is the daemon's unique name, so 'org.freedesktop.Notifications' never matches.
        rule = MatchRule(type="signal", interface=SERVICE, path=PATH)
        owner = MatchRule(type="signal", sender=BUS_NAME, interface=BUS_NAME,
                          member="NameOwnerChanged", path=BUS_PATH)
        owner.add_arg_condition(0, SERVICE)
        try:
            bus = Proxy(message_bus, router, timeout=self.call_timeout)
            for each in (rule, owner):
                router.filter(each, queue=self._signals)
                bus.AddMatch(each)
        except Exception:
            router.close()
            conn.close()
            raise
        self._conn, self._router = conn, router
        return router

    def _watch(self) -> None:
        """Connect and learn whether a daemon owns the name now (worker thread)."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.low_level import MessageType

        try:
            router = self._connect()
            bus = DBusAddress(BUS_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
            reply = router.send_and_get_reply(new_method_call(bus, "NameHasOwner", "s",
                                                              (SERVICE,)),
                                              timeout=self.call_timeout)
        except Exception as exc:
            self._report("watch", exc)
            return
        if reply.header.message_type == MessageType.method_return and not reply.body[0]:
            log.info("no %s owner yet: the first notification starts one if it is "
                     "activatable", SERVICE)

    def _lost(self, problem: str) -> None:
        log.warning("notifications: %s", problem)
        with self._lock:
            self._problem = problem
            self._daemon = None
            if self._current_id:
                self._unshown = self._last
            self._current_id = 0  # the next daemon knows none of the old ids

    def _disconnect(self) -> None:
        router, conn = self._router, self._conn
        self._router = self._conn = None
        for thing in (router, conn):
            if thing is not None:
                try:
                    thing.close()
                except Exception:
                    log.debug("closing the D-Bus connection failed", exc_info=True)

    def _call(self, method: str, signature: str, args: tuple) -> tuple:
        """Call a notification-service method; reconnect once if the connection died."""
        return self._call_from(method, signature, args)[0]

    def _call_from(self, method: str, signature: str, args: tuple) -> tuple[tuple, str | None]:
        """`_call`, and the unique bus name of the connection that answered."""
        from jeepney import DBusAddress, HeaderFields, new_method_call
        from jeepney.io.common import RouterClosed
        from jeepney.wrappers import unwrap_msg

        target = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        for attempt in (1, 2):
            router = self._connect()
            try:
                reply = router.send_and_get_reply(
                    new_method_call(target, method, signature, args), timeout=self.call_timeout
                )
            except TimeoutError:
                raise  # a busy daemon, not a dead link: retrying would only double the wait
            except (OSError, RouterClosed) as exc:
                # The bus or our socket went away (e.g. the session bus restarted).
                self._disconnect()
                if attempt == 2:
                    raise
                log.debug("D-Bus connection lost (%s); reconnecting", exc)
                continue
            return tuple(unwrap_msg(reply)), reply.header.fields.get(HeaderFields.sender)
        raise AssertionError("unreachable")

    def _report(self, what: str, exc: BaseException) -> None:
        with self._lock:
            self._problem = self._problem or (
                f"{what} on {SERVICE} failed at {time.strftime('%H:%M:%S')} "
                f"({type(exc).__name__}: {exc}); {_FALLBACK}")
        # Warn once per outage, then stay quiet until it works again.
        if not self._failing:
            log.warning("notification %s failed: %s: %s", what, type(exc).__name__, exc)
            self._failing = True
        else:
            log.debug("notification %s failed again: %s", what, exc)

    def _send_notify(self, kind: str, title: str, body: str, actions: tuple[Action, ...]) -> None:
        default = default_action(kind, actions)
        wire: list[str] = []
        if default is not None:
            label = next(a.label for a in actions if a.id == default)
            wire += ["default", label]
        for a in actions:
            wire += [a.id, a.label]
        hints = {
            "urgency": ("y", urgency(kind)),
            "desktop-entry": ("s", APP_NAME),
            "category": ("s", category(kind)),
        }
        if transient(kind):
            hints["transient"] = ("b", True)
        with self._lock:
            replaces = self._current_id
            self._last = (kind, title, body, actions)
        args = (APP_NAME, replaces, self.icon_path, title, body, wire, hints,
                expire_ms(kind, bool(actions)))
        try:
            (nid,), daemon = self._call_from("Notify", "susssasa{sv}i", args)
        except Exception as exc:
            self._report("Notify", exc)
            log.info("notification not shown: %s: %s", title, body)  # not lost silently
            if actions:  # a prompt waits for an answer: shown when a daemon is back
                with self._lock:
                    self._unshown = (kind, title, body, actions)
            return
        self._failing = False
        with self._lock:
            self._problem = self._unshown = None
            self._daemon = daemon or self._daemon
            self._current_id = nid
            self._answers.shown(nid, [a.id for a in actions], default)

    def _send_close(self) -> None:
        with self._lock:
            nid, self._current_id = self._current_id, 0
            self._last = self._unshown = None
        if not nid or self._router is None:
            return
        try:
            self._call("CloseNotification", "u", (nid,))
        except Exception as exc:
            self._report("CloseNotification", exc)

    # -- dispatcher thread -----------------------------------------------------------------

    def _dispatch_signals(self) -> None:
        while True:
            msg = self._signals.get()
            if msg is None:
                return
            if isinstance(msg, tuple):  # (_BUS_ENDED, router)
                if msg[1] is self._router:  # not our own close
                    self._lost(f"the connection to the session bus ended at "
                               f"{time.strftime('%H:%M:%S')}; {_FALLBACK}")
                continue
            try:
                self._on_signal(msg)
            except Exception:
                log.exception("handling a notification signal failed")

    def _on_signal(self, msg) -> None:
        from jeepney import HeaderFields

        fields = msg.header.fields
        member = fields.get(HeaderFields.member)
        if member == "NameOwnerChanged" and fields.get(HeaderFields.sender) == BUS_NAME:
            self._owner_changed(msg.body[2])
            return
        with self._lock:
            daemon = self._daemon
        if daemon is not None and fields.get(HeaderFields.sender) != daemon:
            # Not from the service that showed our notification: on GNOME the Shell's own
            # broadcast of what its notification service then sends us again.
            log.debug("ignoring %s from %s", member, fields.get(HeaderFields.sender))
            return
        if member == "ActionInvoked":
            nid, key = msg.body
            with self._lock:
                action = self._answers.answer(nid, key)
                known = self._answers.ours(nid)
            if action is None:
                if known:
                    log.debug("ignoring action %r on notification %s: answered already or "
                              "unknown", key, nid)
                return
            handler = self._handler
            if handler is not None:
                handler(action)
        elif member == "NotificationClosed":
            nid, reason = msg.body
            with self._lock:
                if not self._answers.ours(nid):
                    return  # another application's notification
                # Keep its actions: this signal may race a Notify that reuses the id.
                if nid == self._current_id:
                    self._current_id = 0
                handler = self._close_handler
                news = self._answers.closed(nid, final=handler is not None)
            if handler is not None and news:
                handler(CLOSE_REASONS.get(reason, "undefined"))

    def _owner_changed(self, new_owner: str) -> None:
        """org.freedesktop.Notifications changed hands (dispatcher thread)."""
        if not new_owner:
            self._lost(f"the notification daemon ({SERVICE}) left the session bus at "
                       f"{time.strftime('%H:%M:%S')}; {_FALLBACK}")
            return
        with self._lock:
            self._problem = None
        log.info("notifications: %s is back (%s)", SERVICE, new_owner)
        self._worker.submit(self._show_again)

    def _show_again(self) -> None:
        """Show the prompt that was on screen unanswered when the daemon went, unless a
        notification was shown or withdrawn since (worker thread)."""
        with self._lock:
            again, self._unshown = self._unshown, None
        if again is not None:
            self._send_notify(*again)

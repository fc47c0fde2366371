"""Pick a notifier for this desktop: `detect()` picks one and says why.

Backends: `freedesktop` (D-Bus, with clickable actions), `plyer_backend` (elsewhere, no
actions), `console` (console mode); their shared pieces are in `common`.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from tray_app.platform.dbus.address import session_bus_address
from tray_app.platform.notify.common import SERVICE, NullNotifier
from tray_app.ports import Notifier

log = logging.getLogger(__name__)


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


def status_of(notifier: Notifier, why: str) -> Callable[[], str]:
    """`status`'s "notifications" line: `why` the notifier was chosen while it works, else
    what went wrong since (a notifier with a `status()` saying {ok, problem})."""
    live = getattr(notifier, "status", None)
    if live is None:
        return lambda: why
    how = why.split(" (")[0]

    def line() -> str:
        now = live()
        return why if now["ok"] else f"{how}: {now['problem']}"

    return line


def _plyer_usable(env: Mapping[str, str], platform: str) -> str | None:
    """Why plyer can show notifications here, or None when it cannot."""
    if platform.startswith("linux"):
        from tray_app.platform.notify.plyer_backend import linux_backend

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
                from tray_app.platform.notify.freedesktop import FreedesktopNotifier

                notifier = FreedesktopNotifier(icon, bus_address=address)
                return notifier, f"freedesktop notifications over D-Bus ({how})"
    backend = None if hopeless else _plyer_usable(env, platform)
    if backend is not None:
        from tray_app.platform.notify.plyer_backend import PlyerNotifier

        reason = f"plyer ({backend})"
        if why_not:
            reason += f"; D-Bus not used: {why_not}"
        return PlyerNotifier(icon, env=env, platform=platform), reason
    reason = "no notifications: " + (why_not or "plyer has no backend here")
    return NullNotifier(), reason

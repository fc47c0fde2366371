"""Fullscreen on KDE Plasma (KWin 5.27 and 6), where Wayland clients cannot see other windows.

KWin keeps its window list for itself (org_kde_plasma_window_management is only for clients a
desktop file allows), but it runs scripts given over D-Bus. sitbreak loads a small one
(org.kde.kwin.Scripting.loadScript) that calls back on each change of the active window or
of a window's fullscreen state, with `callDBus` to sitbreak's own unique bus name. A thread
waits for those calls (no wake-ups in between). Only calls from KWin's own bus name count.
The script is unloaded at exit; a crashed run's script is replaced at the next start.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

KWIN = "org.kde.KWin"
PLUGIN = "sitbreak-fullscreen"
PATH = "/io/github/sitbreak/Fullscreen"
INTERFACE = "io.github.sitbreak.Fullscreen"
# KWin 6 renamed the client API to windows: take whichever this KWin has.
SCRIPT = """\
var ws = workspace;
function active() { return ws.activeWindow !== undefined ? ws.activeWindow : ws.activeClient; }
function report() {
    var w = active();
    callDBus("%(name)s", "%(path)s", "%(interface)s", "Report", !!(w && w.fullScreen),
             w ? String(w.resourceClass) : "");
}
function watch(w) { if (w && w.fullScreenChanged) { w.fullScreenChanged.connect(report); } }
(ws.windowList ? ws.windowList() : ws.clientList()).forEach(watch);
(ws.windowAdded || ws.clientAdded).connect(function (w) { watch(w); report(); });
(ws.windowActivated || ws.clientActivated).connect(report);
report();
"""


def _scripting() -> Any:
    from jeepney import DBusAddress

    return DBusAddress("/Scripting", bus_name=KWIN, interface="org.kde.kwin.Scripting")


class KWinFullscreenProbe:
    """True while KWin's active window is fullscreen (as its script last reported)."""

    def __init__(self, conn: Any, address: str, kwin_owner: str, script: str) -> None:
        self._conn = conn  # read by the serving thread only, after start()
        self._address = address
        self._kwin = kwin_owner
        self._script = script
        self._on = False
        self.app: str = ""  # the active window's resource class, for the log
        self.reported = False
        self.lost_why: str | None = None

    @property
    def why(self) -> str:
        text = "a KWin script reporting the active window's fullscreen state"
        if self.lost_why:
            return f"{text}: stopped ({self.lost_why})"
        return text if self.reported else f"{text} (no report from KWin yet)"

    def is_fullscreen_focused(self) -> bool:
        return self._on

    def start(self) -> None:
        threading.Thread(target=self._serve, name="kwin-fullscreen", daemon=True).start()

    def _serve(self) -> None:
        from jeepney import HeaderFields, MessageType, new_error, new_method_return

        try:
            while True:
                msg = self._conn.receive(timeout=None)
                if msg.header.message_type is not MessageType.method_call:
                    continue
                fields = msg.header.fields
                ours = (fields.get(HeaderFields.path) == PATH
                        and fields.get(HeaderFields.member) == "Report"
                        and fields.get(HeaderFields.sender) == self._kwin)
                if not ours:
                    self._conn.send(new_error(msg, "org.freedesktop.DBus.Error.AccessDenied"))
                    continue
                on, app = bool(msg.body[0]), str(msg.body[1]) if len(msg.body) > 1 else ""
                if on != self._on:
                    log.info("KWin: fullscreen %s (%s)", "on" if on else "off", app or "-")
                self._on, self.app = on, app
                if not self.reported:
                    self.reported = True
                    with contextlib.suppress(OSError):
                        os.unlink(self._script)  # KWin has read it: it ran
                self._conn.send(new_method_return(msg))
        except Exception as exc:  # the bus went away: no hold rather than a stuck one
            self.lost_why = str(exc) or type(exc).__name__
            self._on = False
            log.info("KWin fullscreen reports ended: %s", self.lost_why)

    def close(self) -> None:
        """Unload the script (on a connection of its own: the serving one is busy)."""
        from jeepney import new_method_call

        from tray_app.platform.dbus.client import call, connect

        with contextlib.suppress(Exception):
            conn = connect(self._address)
            try:
                call(conn, new_method_call(_scripting(), "unloadScript", "s", (PLUGIN,)))
            finally:
                conn.close()
        with contextlib.suppress(OSError):
            self._conn.close()
        with contextlib.suppress(OSError):
            os.unlink(self._script)


def probe(env: Mapping[str, str]) -> tuple[KWinFullscreenProbe | None, str]:
    """A running KWin script, or None and why not. Never raises."""
    from tray_app.platform.dbus.client import session_bus_address

    address = session_bus_address(env)
    if address is None:
        return None, "KWin: no D-Bus session bus"
    try:
        return _load(address, env)
    except Exception as exc:
        return None, f"KWin scripting not available ({exc})"


def _load(address: str, env: Mapping[str, str]) -> tuple[KWinFullscreenProbe | None, str]:
    from jeepney import DBusAddress, new_method_call
    from jeepney.bus_messages import message_bus

    from tray_app.platform.dbus.client import call, connect

    # Two connections: calls made on the listening one would drop the reports that arrive
    # while they wait for their replies (the script's first report comes at once).
    listen, ctl = connect(address), connect(address)
    path = ""
    try:
        (owner,) = call(ctl, message_bus.GetNameOwner(KWIN))
        scripting = _scripting()
        call(ctl, new_method_call(scripting, "unloadScript", "s", (PLUGIN,)))  # a crashed run's
        fd, path = tempfile.mkstemp(prefix="sitbreak-kwin-", suffix=".js",
                                    dir=env.get("XDG_RUNTIME_DIR") or None)
        with os.fdopen(fd, "w") as f:
            f.write(SCRIPT % {"name": listen.unique_name, "path": PATH, "interface": INTERFACE})
        found = KWinFullscreenProbe(listen, address, owner, path)
        found.start()
        (number,) = call(ctl, new_method_call(scripting, "loadScript", "ss", (path, PLUGIN)))
        errors = []
        for where in (f"/{number}", f"/Scripting/Script{number}"):  # KWin 5, KWin 6
            try:
                run = DBusAddress(where, bus_name=KWIN, interface="org.kde.kwin.Script")
                call(ctl, new_method_call(run, "run"))
                break
            except Exception as exc:
                errors.append(str(exc))
        else:
            raise RuntimeError("; ".join(errors))
    except Exception:
        listen.close()
        if path:
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise
    finally:
        ctl.close()
    atexit.register(found.close)  # KWin would otherwise keep calling a name that is gone
    return found, found.why

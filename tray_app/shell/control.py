"""What each control request does: `handle_request` answers one `sitbreak` command.

Break and pause commands go through core.commands, the table every input shares; the rest are
this table's. Errors are told apart by their type, and each maps to its exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tray_app.core.commands import BadCommand, UnknownCommand, command_event
from tray_app.core.problems import ProblemsError
from tray_app.core.state import Refused
from tray_app.shell.runtime import Runtime
from tray_app.support.exit_codes import EXIT_REFUSED, EXIT_USAGE
from tray_app.support.i18n import _, tr

# How long `status` waits for a fresh tick before answering from the newest state.
STATUS_FRESH_WAIT_S = 0.03

Reply = dict[str, Any]
Unsaved = Callable[[], str | None]  # why the row just recorded is not saved yet, or None
Request = Callable[[Runtime, dict[str, Any], Unsaved], Reply | None]


def _status(runtime: Runtime, _params: dict[str, Any], _unsaved: Unsaved) -> Reply | None:
    # The owner sleeps until the core's next wake (up to a minute), so tick first to answer
    # with the time as it is now; but never wait long behind what the owner is doing (opening
    # the break window): then the newest state it has is the answer.
    runtime.post_tick().wait(STATUS_FRESH_WAIT_S)
    return None


def _reload(runtime: Runtime, _params: dict[str, Any], _unsaved: Unsaved) -> Reply | None:
    runtime.reload()
    return None


def _quit(runtime: Runtime, _params: dict[str, Any], _unsaved: Unsaved) -> Reply | None:
    # run_app stops everything once its wait returns, and the control server sends this reply
    # before it lets the process end.
    runtime.request_stop()
    return {"ok": True, "status": {**runtime.status(), "line": _("sitbreak is quitting")}}


def _present(runtime: Runtime, _params: dict[str, Any], _unsaved: Unsaved) -> Reply | None:
    # Sent by a second `sitbreak run` (the menu, autostart): show the user something.
    return {"ok": True, "status": runtime.status(), "shown": runtime.present()}


def _core_command(cmd: str) -> Request:
    def run(runtime: Runtime, params: dict[str, Any], unsaved: Unsaved) -> Reply | None:
        runtime.call(command_event(cmd, params))
        warning = unsaved()
        return {"ok": True, "status": runtime.status(), "warning": warning} if warning else None

    return run


# The app's own requests; every other name is a core command (or unknown, said by the core).
REQUESTS: dict[str, Request] = {
    "status": _status,
    "reload": _reload,
    "quit": _quit,
    "present": _present,
}


def handle_request(runtime: Runtime, req: dict[str, Any],
                   unsaved: Unsaved = lambda: None) -> Reply:
    """Answer one control command; runs on a control-channel thread. `unsaved` says why the
    history row a command recorded is not in the file yet (the reply warns of it)."""
    cmd = req["cmd"]
    params = {k: v for k, v in req.items() if k != "cmd"}
    try:
        reply = (REQUESTS.get(cmd) or _core_command(cmd))(runtime, params, unsaved)
    except Refused as exc:  # the reason is a core Text: said in the app's language
        return {"ok": False, "error": tr(exc.args[0]) if exc.args else "", "code": EXIT_REFUSED}
    except ProblemsError as exc:
        return {"ok": False, "error": tr(exc.text()), "code": EXIT_USAGE}
    except UnknownCommand as exc:
        return {"ok": False, "error": str(exc), "code": EXIT_USAGE}
    except (BadCommand, TypeError, ValueError) as exc:
        return {"ok": False, "error": f"bad request: {exc}", "code": EXIT_USAGE}
    return reply or {"ok": True, "status": runtime.status()}

"""X11: the break window takes the focus itself (XSetInputFocus); this checks who has it."""

from __future__ import annotations

from typing import Any

from tray_app.platform.focus.common import Focus


def _pid_of(display: Any, window: Any) -> int | None:
    """The process owning `window`: the X server's own answer (X-Resource, as Tk sets no
    _NET_WM_PID), else _NET_WM_PID of the window or its nearest ancestor that has one."""
    try:
        from Xlib.ext import res

        ids = display.res_query_client_ids(
            [{"client": window.id, "mask": res.LocalClientPIDMask}]).ids
        for found in ids:
            if found.spec.mask == res.LocalClientPIDMask and found.value:
                return int(found.value[0])
    except Exception:  # no X-Resource extension on this server
        pass
    atom = display.intern_atom("_NET_WM_PID")
    root = display.screen().root
    while window and window != root:
        prop = window.get_full_property(atom, 0)
        if prop is not None and prop.value:
            return int(prop.value[0])
        window = window.query_tree().parent
    return None


class X11Focuser:
    """Reads the input focus from the X server (the window's own focus_force did the rest)."""

    name = "x11"

    def __init__(self, display_name: str) -> None:
        self.display_name = display_name

    def focus(self, pid: int) -> Focus:
        try:
            from Xlib import X
            from Xlib import display as xdisplay

            conn = xdisplay.Display(self.display_name)
        except Exception as exc:
            return Focus(None, f"cannot ask X display {self.display_name!r}: {exc}")
        try:
            focus = conn.get_input_focus().focus
            if focus in (X.NONE, X.PointerRoot) or isinstance(focus, int):
                return Focus(False, "X11: no window has the input focus")
            owner = _pid_of(conn, focus)
        except Exception as exc:
            return Focus(None, f"X11: cannot read the input focus: {exc}")
        finally:
            conn.close()
        if owner == pid:
            return Focus(True, "X11: the window has the input focus")
        return Focus(False, f"X11: the input focus is on another program's window (pid {owner})")

"""The break window only once the user acts, where sitbreak cannot see what is on screen.

On a Wayland compositor that shows no other app's windows (no wlr-foreign-toplevel-management,
no KWin script, not GNOME) a fullscreen film or presentation cannot hold the break. A window
popped up then would either cover it or, as sway does, be put behind it and sit there unseen.
So a due break is offered by its notification alone; the window opens when the user starts the
break (notification, tray or CLI) or launches sitbreak again (`present`).
"""

from __future__ import annotations

from typing import Any

from tray_app.core.model import Phase


class NotificationFirstPrompt:
    """Wraps the window prompt: shows it only for a running break or on request."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self._withheld: tuple[Any, Any] | None = None  # the view not shown yet, and its state
        self._shown = False  # the window is up (the user asked): keep it in step

    def plan(self, state: Any) -> Any:
        return self.window.plan(state)

    def show(self, view: Any, state: Any) -> None:
        if state.phase is Phase.ON_BREAK or self._shown:
            self._withheld, self._shown = None, True
            self.window.show(view, state)
        else:
            self._withheld = (view, state)
            console = getattr(self.window, "console", None)
            if console is not None:  # --console: the terminal still shows it (no window)
                console.show(view, state)

    def present(self) -> bool:
        """sitbreak launched again while a break is due: that is the user asking for it."""
        if self._withheld is not None:
            view, state = self._withheld
            self._withheld, self._shown = None, True
            self.window.show(view, state)
            return True
        return bool(self.window.present())

    def close(self) -> None:
        self._withheld, self._shown = None, False
        self.window.close()

    def __getattr__(self, name: str) -> Any:  # pid and the rest, for tests and the tray
        return getattr(self.window, name)

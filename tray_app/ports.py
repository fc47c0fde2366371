"""The contracts between the shell and its adapters: one small Protocol per capability.

Adapters (platform, ui, history) fill them; the shell (runtime, compose) uses them. They name
core types but hold no rules, so they live beside the core rather than in it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from tray_app.core.events import BreakPlanned, Event
    from tray_app.core.model import Row
    from tray_app.core.session import BreakView
    from tray_app.core.state import State


T = TypeVar("T")


class XConnection(Protocol):
    """One X connection several probes share, one call at a time (platform/x11/connection.py)."""

    def run(self, query: Callable[[Any], T], default: T, what: str) -> T:
        """`query(display)` under the connection's lock; `default` if the X server fails."""
        ...


class Visibility(Protocol):
    """Says when an idle source stops answering, and when it answers again."""

    on_change: Callable[[str], None]  # given the sentence to tell the user


class IdleSource(Protocol):
    """Seconds since the last keyboard or mouse input."""

    name: str  # shown in `status` as idle_source, e.g. "x11-screensaver", "fallback"
    sees_input: bool  # False for the fallback that only counts wall time
    # The X connection it reads, for other probes of the same display to share (X11 only).
    connection: XConnection | None
    visibility: Visibility | None  # None for sources that cannot stop answering

    def idle_seconds(self) -> float | None:
        """Seconds since last input, or None when the source cannot tell right now."""
        ...


@dataclass(frozen=True)
class Action:
    id: str  # e.g. "start", "snooze-300", "skip"
    label: str  # e.g. "Start break", "Snooze 5 min"


class Notifier(Protocol):
    """Desktop notifications; never raises (a broken service is logged, not fatal)."""

    name: str

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        """Show a notification, replacing sitbreak's previous one."""
        ...

    def close(self) -> None:
        """Withdraw sitbreak's current notification, if any."""
        ...

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        """`handler(action_id)` is called (from any thread) when the user clicks an action."""
        ...

    def stop(self) -> None:
        """Let go of the service and the threads (at exit)."""
        ...


class HistoryStore(Protocol):
    def record(self, row: Row) -> None: ...

    def recent_exercises(self, limit: int) -> list[tuple[float, str, str]]:
        """(wall, exercise_id, category) of the last `limit` exercises, newest first."""
        ...

    def follow_clock(self, real_seconds: Callable[[float], float],
                     wall: Callable[[], float]) -> None:
        """Before it starts: keep time by the app's clock when that runs faster than real time
        (SITBREAK_CLOCK_SPEED): `real_seconds` turns app seconds into real ones."""
        ...

    def close(self) -> None: ...


class BreakPrompt(Protocol):
    """Plans and shows the break: a window, or lines in a terminal. A view, never a judge."""

    def plan(self, state: State) -> BreakPlanned:
        """The exercises for the break on offer (answers the PlanBreak effect)."""
        ...

    def show(self, view: BreakView, state: State) -> None:
        """Show `view`: open the window if none is open, else update it."""
        ...

    def present(self) -> bool:
        """Bring the open break window to the front; False when none is open."""
        ...

    def end(self, title: str, lines: tuple[str, ...]) -> bool:
        """Turn the open break window into its closing screen (it closes itself); False when
        no window shows the break (the caller then notifies)."""
        ...

    def close(self) -> None: ...


class TrayView(Protocol):
    def update(self, state: State, status: dict[str, Any]) -> None: ...


class TrayPort(Protocol):
    """What the tray may ask of the app: read the state, send events, say something."""

    @property
    def state(self) -> State: ...

    def status(self) -> dict[str, Any]: ...

    def post(self, event: Event) -> None: ...

    def post_tick(self) -> None: ...

    def notify_info(self, title: str, body: str) -> None:
        """A plain information notification (About, today's summary, a problem)."""
        ...

    def stop(self) -> None: ...

    def wait(self, timeout: float | None = None) -> bool: ...

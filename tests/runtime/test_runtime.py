"""The runtime shell with recording adapters: real scheduler and threads, short intervals."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tray_app.core.effects import OpenBreak
from tray_app.core.events import Snooze
from tray_app.core.machine import Refused, State
from tray_app.core.menu import action_event
from tray_app.core.model import BreakSettings, Phase, PostureSettings, Settings, SittingSettings
from tray_app.core.ports import Action, Row
from tray_app.runtime import Adapters, Runtime


@dataclass
class Idle:
    name: str = "test"
    sees_input: bool = True
    value: float = 0.0

    def idle_seconds(self) -> float | None:
        return self.value


@dataclass
class Notes:
    name: str = "recording"
    shown: list[tuple[str, str]] = field(default_factory=list)
    handler: Callable[[str], None] | None = None

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        self.shown.append((kind, title))

    def close(self) -> None:
        pass

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        self.handler = handler


@dataclass
class Store:
    rows: list[Row] = field(default_factory=list)

    def record(self, row: Row) -> None:
        self.rows.append(row)

    def recent_exercises(self, limit: int) -> list[tuple[float, str, str]]:
        return []

    def close(self) -> None:
        pass


@dataclass
class Prompt:
    opened: list[tuple[float, OpenBreak]] = field(default_factory=list)

    def open(self, effect: OpenBreak, state: State) -> None:
        self.opened.append((time.monotonic(), effect))

    def close(self) -> None:
        pass


def fast(break_after: float = 2.0) -> Settings:
    return Settings(
        sitting=SittingSettings(break_after=break_after),
        breaks=BreakSettings(heads_up=0),
        posture=PostureSettings(every=0),
    )


def make(settings: Settings, path: Path | None = None, heartbeat: float = 30.0,
         holds: dict | None = None) -> tuple[Runtime, Adapters]:
    adapters = Adapters(Idle(), Notes(), Store(), Prompt(), holds=holds or {})
    return Runtime(settings, path, adapters, heartbeat_s=heartbeat), adapters


def test_break_is_offered_within_a_second_of_being_due() -> None:
    # A heartbeat far longer than the interval: only the one-shot wake can be on time.
    rt, ad = make(fast(2.0), heartbeat=30.0)
    started = time.monotonic()
    rt.start()
    try:
        prompt: Prompt = ad.prompt  # type: ignore[assignment]
        wait_for(lambda: prompt.opened, timeout=6, what="the break prompt")
        late = prompt.opened[0][0] - started - 2.0
        assert -0.05 <= late < 1.0, late
    finally:
        rt.stop()


def test_commands_run_on_the_owner_thread_one_at_a_time() -> None:
    rt, _ad = make(fast(3600.0))
    seen: list[str] = []
    import tray_app.runtime as runtime_mod

    real_step = runtime_mod.step

    def spy(state, event):
        seen.append(threading.current_thread().name)
        return real_step(state, event)

    runtime_mod.step = spy
    rt.start()
    try:
        threads = [threading.Thread(target=rt.call, args=(None,)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with pytest.raises(Refused):
            rt.call(Snooze())
    finally:
        rt.stop()
        runtime_mod.step = real_step
    assert set(seen) == {"owner"}


def test_notification_actions_reach_the_core() -> None:
    rt, ad = make(fast(1.0), heartbeat=0.2)
    rt.start()
    try:
        wait_for(lambda: rt.state.phase is Phase.BREAK_DUE, timeout=5, what="break due")
        ad.notifier.handler("snooze-300")  # type: ignore[attr-defined, misc]
        wait_for(lambda: rt.state.phase is Phase.SNOOZED, timeout=5, what="snoozed")
    finally:
        rt.stop()


def test_hold_probe_delays_the_break_until_it_clears() -> None:
    fullscreen = {"on": True}
    rt, ad = make(fast(0.5), heartbeat=0.2, holds={"fullscreen window": lambda: fullscreen["on"]})
    rt.start()
    try:
        wait_for(lambda: rt.status()["waiting_for"] == "fullscreen window", timeout=5,
                 what="the break to wait")
        assert ad.prompt.opened == []  # type: ignore[attr-defined]
        fullscreen["on"] = False
        wait_for(lambda: rt.state.phase is Phase.BREAK_DUE, timeout=5, what="break due")
    finally:
        rt.stop()


def test_settings_file_edits_apply_and_broken_ones_are_kept_out(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n')
    notices: list[str] = []
    rt, ad = make(fast(3000.0), path, heartbeat=0.2)
    ad.on_notice = notices.append
    rt.start()
    try:
        path.write_text('[sitting]\nbreak_after = "40m"\n')
        wait_for(lambda: rt.state.settings.sitting.break_after == 2400, timeout=5,
                 what="reload")
        path.write_text('[sitting]\nbreak_after = "forty"\n')
        wait_for(lambda: any("keeping the last good" in n for n in notices), timeout=5,
                 what="a notice")
        assert rt.state.settings.sitting.break_after == 2400
        assert path.read_text() == '[sitting]\nbreak_after = "forty"\n'
    finally:
        rt.stop()


@pytest.mark.parametrize(
    ("action", "name"),
    [("start", "TakeBreakNow"), ("default", "TakeBreakNow"), ("snooze-300", "Snooze"),
     ("skip", "Skip"), ("pause-1800", "Pause"), ("resume", "Resume"), ("done", "Done"),
     ("break-now", "TakeBreakNow"), ("snooze", "Snooze")],
)
def test_action_ids_map_to_events(action: str, name: str) -> None:
    assert type(action_event(action)).__name__ == name
    assert action_event("nonsense") is None


def test_hold_probes_are_not_asked_while_no_break_is_near() -> None:
    asked: list[float] = []

    def probe() -> bool:
        asked.append(time.monotonic())
        return False

    rt, _ad = make(fast(3600.0), heartbeat=0.05, holds={"fullscreen window": probe})
    rt.start()
    try:
        wait_for(lambda: rt.state.started, timeout=5, what="the first tick")
        time.sleep(0.5)  # about ten heartbeats, an hour before anything is due
        assert len(asked) <= 1
    finally:
        rt.stop()

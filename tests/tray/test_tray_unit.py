"""The tray controller with pystray's dummy backend: coalescing, redraws, menu actions, settings."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.desktop import wait_for
from tray_app.core.events import Pause, PauseUntilDayStarts, Resume, Skip, Snooze, TakeBreakNow
from tray_app.core.menu import MenuItem
from tray_app.core.model import Phase, PostureSettings, Settings
from tray_app.core.safety import SAFETY_LINE
from tray_app.core.state import State, initial_state
from tray_app.core.status import status_dict
from tray_app.core.views import ring_progress
from tray_app.platform.tray.health import TrayHealth
from tray_app.settings import DEFAULT_FILE, load_settings
from tray_app.settings.edit import MenuEdits
from tray_app.ui.icons import XORG_BACKGROUND
from tray_app.ui.tray import icon as tray


def _import_dummy_pystray() -> Any:
    """pystray with its dummy backend, without leaking PYSTRAY_BACKEND to other tests."""
    saved = os.environ.get("PYSTRAY_BACKEND")
    os.environ["PYSTRAY_BACKEND"] = "dummy"
    try:
        import pystray
    finally:
        if saved is None:
            del os.environ["PYSTRAY_BACKEND"]
        else:
            os.environ["PYSTRAY_BACKEND"] = saved
    return pystray


pystray = _import_dummy_pystray()

WALL = 1709632800.0


class RecordingIcon(pystray.Icon):  # type: ignore[misc,name-defined]
    """pystray's base Icon with the platform part replaced by a log of calls and threads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[str] = []
        self.threads: set[int] = set()
        self._stopped = threading.Event()

    def _log_call(self, name: str) -> None:
        self.calls.append(name)
        self.threads.add(threading.get_ident())

    def _show(self) -> None:
        self._log_call("show")

    def _hide(self) -> None:
        self._log_call("hide")

    def _update_icon(self) -> None:
        self._log_call("icon")
        self._icon_valid = True

    def _update_title(self) -> None:
        self._log_call("title")

    def _update_menu(self) -> None:
        self._log_call("menu")

    def _run(self) -> None:
        self._mark_ready()
        self._stopped.wait(20)

    def _stop(self) -> None:
        self._log_call("stop")
        self._stopped.set()


class FakeNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def notify(self, kind: str, title: str, body: str, actions: Any = ()) -> None:
        self.sent.append((kind, title, body))


class FakeAdapters:
    def __init__(self) -> None:
        self.notifier = FakeNotifier()
        self.tray: Any = None
        self.details: dict[str, Any] = {}


class FakeRuntime:
    def __init__(self, state: State) -> None:
        self.state = state
        self.adapters = FakeAdapters()
        self.posted: list[Any] = []
        self.ticks = 0
        self.stopped = threading.Event()
        self.stop_listeners: list[Any] = []

    def status(self) -> dict[str, Any]:
        return status_dict(self.state, "test")

    def post(self, event: Any) -> None:
        self.posted.append(event)

    def post_tick(self) -> None:
        self.ticks += 1

    def notify_info(self, title: str, body: str) -> None:
        self.adapters.notifier.notify("info", title, body)

    def stop(self) -> None:
        self.stopped.set()
        for listener in self.stop_listeners:  # as Runtime.request_stop does
            listener()

    def when_stop_requested(self, listener: Any) -> None:
        self.stop_listeners.append(listener)

    def wait(self, timeout: float | None = None) -> bool:
        return self.stopped.wait(timeout)


def sitting(stretch: float, settings: Settings | None = None, **kw: Any) -> State:
    s = initial_state(settings or Settings())
    return replace(s, phase=kw.pop("phase", Phase.SITTING), ticked=True, wall=WALL,
                   stretch_s=stretch, **kw)


@pytest.fixture
def patched_icon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pystray, "Icon", RecordingIcon)


def controller(state: State | None = None, backend: str = "gtk", path: Path | None = None,
               **kw: Any) -> tuple[tray.TrayController, FakeRuntime]:
    rt = FakeRuntime(state or sitting(0))
    if path is not None:
        kw.setdefault("edits", MenuEdits(path))  # what the app wires in
    c = tray.TrayController(rt, backend, path, **kw)
    c.make_icon()
    return c, rt


def snap(c: tray.TrayController, state: State) -> None:
    c.update(state, status_dict(state, "test"))


# --- pictures ---------------------------------------------------------------------------------


def test_progress_of_each_phase() -> None:
    assert ring_progress(sitting(25 * 60)) == pytest.approx(0.5)
    assert ring_progress(sitting(60 * 60)) == 1.0
    assert ring_progress(sitting(0, phase=Phase.BREAK_DUE)) == 1.0
    assert ring_progress(sitting(0, phase=Phase.AWAY)) == 0.0
    from tray_app.core.session import Session

    running = Session(fallback_s=120.0, planned=True).start(100.0)
    on_break = sitting(0, phase=Phase.ON_BREAK, mono=160.0, session=running)
    assert ring_progress(on_break) == pytest.approx(0.5)  # 60 s of a 2 min break


def test_xorg_icon_is_opaque_grey_others_transparent() -> None:
    st = sitting(0, phase=Phase.AWAY)
    xorg = tray.draw_icon(st, "xorg")
    gtk = tray.draw_icon(st, "gtk")
    assert xorg.getpixel((0, 0)) == XORG_BACKGROUND
    assert gtk.getpixel((0, 0))[3] == 0
    assert gtk.size == (22, 22)
    assert tray.draw_icon(st, "win32").size == (32, 32)


# --- coalescing and redraws -------------------------------------------------------------------


def test_rapid_updates_coalesce_into_one_apply(patched_icon: None) -> None:
    c, _ = controller()
    icon = c.icon
    for minute in range(100):
        snap(c, sitting(minute * 30.0))
    assert icon.calls == []  # update() itself never touches pystray
    assert c.apply_pending() is True
    assert c.applied == 1
    assert icon.title == "Sitting 49 min · break in 1 min"  # the last one, 49.5 min
    assert c.apply_pending() is False
    assert c.applied == 1


def test_resync_catches_up_without_undoing_a_newer_update(patched_icon: None) -> None:
    c, rt = controller(sitting(0, phase=Phase.AWAY))
    rt.state = sitting(0)  # the runtime moved on before the view was registered
    c.resync()
    c.apply_pending()
    assert c.menu_items()[0].text.startswith("Sitting")
    snap(c, sitting(0, phase=Phase.BREAK_DUE))
    c.resync()  # a pending update is newer than anything resync would read
    c.apply_pending()
    assert c.menu_items()[0].text.startswith("Break due")


def test_redraw_only_when_picture_changes(patched_icon: None) -> None:
    c, _ = controller(sitting(0))
    c.icon.visible = True
    c.icon.calls.clear()
    snap(c, sitting(60))  # 1 min of 50: same 1/24 bucket, new text
    c.apply_pending()
    assert c.redraws == 0
    assert c.icon.calls.count("icon") == 0
    assert c.icon.calls.count("title") == 1
    snap(c, sitting(25 * 60))  # half way: a new bucket
    c.apply_pending()
    assert c.redraws == 1
    assert c.icon.calls.count("icon") == 1
    snap(c, sitting(25 * 60, phase=Phase.SNOOZED))  # same fill, new phase
    c.apply_pending()
    assert c.redraws == 2


def test_menu_refreshed_only_when_it_changes(patched_icon: None) -> None:
    c, _ = controller(sitting(0))
    c.icon.calls.clear()
    st = sitting(0)
    snap(c, st)
    c.apply_pending()
    assert c.icon.calls.count("menu") == 0
    snap(c, sitting(0, phase=Phase.BREAK_DUE))
    c.apply_pending()
    assert c.icon.calls.count("menu") == 1
    assert c.menu_items()[0].text.startswith("Break due")


def test_worker_serialises_updates_from_many_threads(patched_icon: None) -> None:
    c, _rt = controller(sitting(0))
    icon = c.icon
    runner = threading.Thread(target=icon.run, kwargs={"setup": c.work})
    runner.start()
    wait_for(lambda: "show" in icon.calls, what="icon shown")
    # Before "show", pystray's own loop thread built the menu once; from here on only ours.
    icon.threads.clear()

    def burst(offset: int) -> None:
        for i in range(100):
            snap(c, sitting((offset * 100 + i) * 1.0))

    senders = [threading.Thread(target=burst, args=(k,)) for k in range(4)]
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    final = sitting(42 * 60)
    snap(c, final)
    wait_for(lambda: icon.title == "Sitting 42 min · break in 8 min", what="final title")
    # (That the 401 updates coalesce is test_rapid_updates_coalesce_into_one_apply's claim.)
    assert len(icon.threads) == 1  # every later pystray call came from the worker thread
    c.request_stop()
    runner.join(10)
    assert not runner.is_alive()
    assert icon.calls[-1] == "stop"
    assert len(icon.threads) == 1  # the stop too


# --- menu actions -----------------------------------------------------------------------------


def test_event_actions(patched_icon: None) -> None:
    c, rt = controller(sitting(0, phase=Phase.BREAK_DUE))
    for action in ("break-now", "snooze-600", "skip", "pause-1800", "resume"):
        c.handle(action)
    assert rt.posted == [TakeBreakNow(), Snooze(600.0), Skip(), Pause(seconds=1800.0), Resume()]


def test_pause_until_tomorrow(patched_icon: None) -> None:
    c, rt = controller(sitting(0))
    c.handle("pause-tomorrow")
    # the core resolves when the day starts from its own time; the tray reads no clock
    assert rt.posted == [PauseUntilDayStarts()]


def test_break_every_writes_settings_keeping_comments(patched_icon: None, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    shutil.copyfile(DEFAULT_FILE, path)
    before = path.read_text()
    c, rt = controller(sitting(0), path=path)
    c.handle("break-every-2400")
    text = path.read_text()
    assert 'break_after = "40m"' in text
    assert load_settings(path).sitting.break_after == 2400
    # Every comment line is still there, in the same order.
    comments = [ln for ln in before.splitlines() if ln.lstrip().startswith("#")]
    assert [ln for ln in text.splitlines() if ln.lstrip().startswith("#")] == comments
    assert rt.ticks == 1


def test_posture_toggle(patched_icon: None, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    shutil.copyfile(DEFAULT_FILE, path)
    c, rt = controller(sitting(0), path=path)
    c.handle("toggle-posture")
    assert load_settings(path).posture.every == 0
    rt.state = sitting(0, Settings(posture=PostureSettings(every=0)))
    c.handle("toggle-posture")
    assert load_settings(path).posture.every == 20 * 60


def test_broken_settings_file_is_not_written(patched_icon: None, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('# mine\n[sitting]\nbreak_after = "soon"\n')
    before = path.read_bytes()
    c, rt = controller(sitting(0), path=path)
    c.handle("break-every-3600")
    assert path.read_bytes() == before
    assert rt.ticks == 0
    (_kind, title, body), = rt.adapters.notifier.sent
    assert "problem" in title and "break_after" in body


def test_invalid_combination_is_reported_not_written(patched_icon: None, tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n[breaks]\nheads_up = "45m"\n')
    before = path.read_bytes()
    c, rt = controller(sitting(0), path=path)
    c.handle("break-every-1800")  # 30 min would be shorter than the heads-up
    assert path.read_bytes() == before
    assert len(rt.adapters.notifier.sent) == 1


class FakeAutostart:
    def __init__(self) -> None:
        self.enabled = False
        self.commands: list[list[str]] = []

    def is_enabled(self) -> bool:
        return self.enabled

    def enable(self, command: list[str]) -> str:
        self.enabled = True
        self.commands.append(command)
        return "enabled"

    def disable(self) -> str:
        self.enabled = False
        return "disabled"


def login_item(c: Any) -> Any:
    return next(i for i in c.menu_items() if i.text == "Start at login")


def test_autostart_toggle(patched_icon: None) -> None:
    auto = FakeAutostart()
    c, _ = controller(sitting(0), autostart=auto)
    item = login_item(c)
    assert item.checked is False and item.action == "autostart-on"
    c.handle(item.action)
    assert auto.enabled
    assert auto.commands[0][-1] == "run"
    c.apply_pending()
    item = login_item(c)
    assert item.checked is True and item.action == "autostart-off"
    c.handle(item.action)
    assert not auto.enabled


def test_a_click_on_a_stale_tick_sets_what_it_shows(patched_icon: None) -> None:
    """Issue 25, bug 2: the menu showed Start at login off after `sitbreak autostart enable`;
    a click to turn it on turned it off (the handler toggled the file's state)."""
    auto = FakeAutostart()
    c, _ = controller(sitting(0), autostart=auto)
    shown = login_item(c)  # unticked, as drawn
    auto.enabled = True  # `sitbreak autostart enable` in a terminal, the menu not redrawn
    c.handle(shown.action)
    assert auto.enabled
    shown = login_item(c)  # ticked now
    auto.enabled = False  # and the other way round
    c.handle(shown.action)
    assert not auto.enabled


def test_a_change_of_the_autostart_files_redraws_the_tick(patched_icon: None) -> None:
    """The file watch the composition root starts calls autostart_changed: the menu is rebuilt
    from the files without waiting for the next state change."""
    auto = FakeAutostart()
    watched: list[Any] = []
    c, _ = controller(sitting(0), autostart=auto,
                      watch_autostart=lambda on_change: watched.append(on_change) or (lambda: None))
    c._watch_autostart()  # what the icon's worker does when it starts
    assert watched
    auto.enabled = True
    watched[0]()
    assert c.apply_pending()
    assert login_item(c).checked is True
    assert "menu" in c.icon.calls


def test_autostart_changed_elsewhere_shows_when_the_menu_is_next_built(patched_icon: None
                                                                        ) -> None:
    """Issue 10, observation 8: Start at login stayed ticked after `sitbreak autostart
    disable`, because the tray read the entry once, at start."""
    auto = FakeAutostart()
    auto.enabled = True
    c, _ = controller(sitting(0), autostart=auto)
    assert login_item(c).checked is True
    auto.enabled = False  # `sitbreak autostart disable` in a terminal
    snap(c, sitting(60))  # the next snapshot rebuilds the menu
    assert c.apply_pending()
    assert login_item(c).checked is False
    assert "menu" in c.icon.calls


def test_autostart_without_a_launch_command_says_why(patched_icon: None) -> None:
    def nothing_to_launch() -> list[str]:
        raise LookupError("/opt/py cannot start this sitbreak from another folder")

    auto = FakeAutostart()
    c, rt = controller(sitting(0), autostart=auto, launch_command=nothing_to_launch)
    c.handle("autostart-on")
    assert not auto.enabled
    (_, title, body), = rt.adapters.notifier.sent
    assert "could not change start at login" in title and "/opt/py cannot start" in body


def test_autostart_toggle_keeps_a_newer_pending_state(patched_icon: None) -> None:
    c, _ = controller(sitting(0), autostart=FakeAutostart())
    snap(c, sitting(0, phase=Phase.BREAK_DUE))
    c.handle("autostart-on")
    c.apply_pending()
    items = c.menu_items()
    assert items[0].text.startswith("Break due")
    assert next(i for i in items if i.text == "Start at login").checked is True


def test_no_autostart_item_without_a_backend(patched_icon: None) -> None:
    c, _ = controller(sitting(0))
    assert all(i.text != "Start at login" for i in c.menu_items())


def test_open_settings(patched_icon: None, tmp_path: Path) -> None:
    opened: list[Path] = []
    c, rt = controller(sitting(0), path=tmp_path / "s.toml", opener=opened.append)
    c.handle("open-settings")
    assert opened == [tmp_path / "s.toml"]

    def fail(path: Path) -> None:
        raise FileNotFoundError("xdg-open")

    c.opener = fail
    c.handle("open-settings")
    assert "could not open" in rt.adapters.notifier.sent[-1][1]


def test_statistics_opens_the_window(patched_icon: None) -> None:
    c, rt = controller(sitting(0))
    opened: list[bool] = []
    c.open_stats = lambda: opened.append(True)
    c.handle("stats")
    assert opened == [True] and rt.adapters.notifier.sent == []


def test_statistics_falls_back_to_todays_summary(patched_icon: None) -> None:
    st = sitting(10 * 60, today_sitting_s=3 * 3600, today_longest_s=55 * 60)
    c, rt = controller(st)

    def broken() -> None:
        raise OSError("no display")

    c.open_stats = broken
    c.handle("stats")
    (_, title, body), = rt.adapters.notifier.sent
    assert "today" in title
    assert "Sitting today: 3 h" in body and "55 min" in body


def test_about_has_version_and_safety_line(patched_icon: None) -> None:
    from tray_app import __version__

    c, rt = controller(sitting(0))
    c.handle("about")
    (_, title, body), = rt.adapters.notifier.sent
    assert __version__ in title
    assert SAFETY_LINE in body  # the one safety text, as the break window and CLI show it


def test_quit_stops_runtime_and_icon(patched_icon: None) -> None:
    c, rt = controller(sitting(0))
    runner = threading.Thread(target=c.icon.run, kwargs={"setup": c.work})
    runner.start()
    wait_for(lambda: "show" in c.icon.calls, what="icon shown")
    c.handle("quit")
    runner.join(10)
    assert rt.stopped.is_set()
    assert not runner.is_alive()


def test_unknown_action_is_harmless(patched_icon: None) -> None:
    c, rt = controller(sitting(0))
    c.handle("frobnicate")
    assert rt.posted == [] and rt.adapters.notifier.sent == []


# --- conversion to pystray --------------------------------------------------------------------


def test_to_pystray() -> None:
    got: list[str] = []
    items = [
        MenuItem("Head", "status", enabled=False, default=True),
        tray.SEPARATOR,
        MenuItem("Every", None, submenu=(MenuItem("30 min", "break-every-1800", checked=True,
                                                  radio=True),)),
        MenuItem("Posture", "toggle-posture", checked=False),
        MenuItem("Quit", "quit"),
    ]
    out = tray.to_pystray(items, got.append)
    menu = pystray.Menu(*out)
    visible = list(menu)
    assert [i.text for i in visible] == ["Head", pystray.Menu.SEPARATOR.text, "Every",
                                         "Posture", "Quit"]
    head, _, every, posture, quit_ = visible
    assert head.default and not head.enabled
    sub = list(every.submenu)
    assert sub[0].checked is True and sub[0].radio
    assert posture.checked is False and not posture.radio
    quit_(None)
    sub[0](None)
    menu(None)  # the default item: a left click
    assert got == ["quit", "break-every-1800", "status"]


# --- run_tray ---------------------------------------------------------------------------------


def test_run_tray_stops_when_the_runtime_stops(patched_icon: None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYSTRAY_BACKEND", raising=False)  # run_tray sets it
    rt = FakeRuntime(sitting(0))
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}

    def stop_when_shown() -> None:
        wait_for(lambda: rt.adapters.tray is not None and rt.adapters.tray.icon is not None
                 and "show" in rt.adapters.tray.icon.calls, what="icon shown")
        snap(rt.adapters.tray, sitting(0, phase=Phase.BREAK_DUE))
        rt.stop()  # like `sitbreak quit`

    helper = threading.Thread(target=stop_when_shown)
    helper.start()
    try:
        # returns once the icon has stopped
        tray.run_tray(rt, "dummy", None, TrayHealth(rt, "dummy", say=print))
    finally:
        for s, h in saved.items():
            signal.signal(s, h)
    helper.join(5)
    icon = rt.adapters.tray.icon
    assert icon.calls[-1] == "stop"
    assert rt.adapters.details["tray_docked"] is False  # the dummy backend shows nothing


def test_todays_summary_has_the_breaks_and_the_streak(patched_icon: None) -> None:
    """Issue 25: the left-click summary said only the seconds, and those restarted at zero."""
    from tray_app.core.today import Today

    st = sitting(10 * 60, today_sitting_s=3600, today=Today(offered=3, taken=2, streak_before=4))
    c, rt = controller(st)
    c.open_stats = None
    c.handle("stats")
    (_, _title, body), = rt.adapters.notifier.sent
    assert "Breaks taken today: 2 of 3 offered." in body
    assert "4 days in a row with every break taken." in body

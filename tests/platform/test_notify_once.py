"""One click is one answer: duplicate notification signals are acted on once (issue 28).

On GNOME Shell 43 a click on sitbreak's break notification delivered `ActionInvoked "default"`
twice (the Shell broadcasts it, its gjs notification service sends it again to the app) and
the app logged three refusals. Here a stand-in daemon sends what such daemons send.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from jeepney import DBusAddress, new_signal
from jeepney.io.blocking import open_dbus_connection

from tests.desktop import Bus, dbus_session, wait_for
from tests.platform.fake_dbus_service import FakeService
from tray_app.platform.notify.freedesktop import PATH, Answers, FreedesktopNotifier
from tray_app.ports import Action

IFACE = "org.freedesktop.Notifications"
START = Action("start", "Start break")
SNOOZE = Action("snooze-300", "Snooze 5 min")


def test_a_click_sent_twice_is_one_answer() -> None:
    answers = Answers()
    answers.shown(7, ["start", "snooze-300"], "start")
    assert answers.answer(7, "default") == "start"
    assert answers.answer(7, "default") is None  # the same click again
    assert answers.answer(7, "start") is None  # the default and the named action of one click
    assert answers.answer(7, "snooze-300") is None
    assert answers.closed(7) is False  # closed after the answer: nothing new to tell


def test_an_action_after_the_close_still_answers_once() -> None:
    answers = Answers()
    answers.shown(3, ["start"], "start")
    assert answers.closed(3) is True
    assert answers.closed(3) is False  # a duplicate close
    assert answers.answer(3, "start") == "start"  # the click's ActionInvoked came second
    assert answers.answer(3, "default") is None


def test_a_close_the_app_acts_on_is_the_answer() -> None:
    answers = Answers()
    answers.shown(4, ["start"], "start")
    assert answers.closed(4, final=True) is True  # e.g. a dismissal taken as "not now"
    assert answers.answer(4, "default") is None


def test_a_replacement_under_the_same_id_can_be_answered_again() -> None:
    answers = Answers()
    answers.shown(5, ["snooze-300"], "snooze-300")
    assert answers.answer(5, "default") == "snooze-300"
    answers.shown(5, ["start", "snooze-300"], "start")  # Notify replaced it, same id
    assert answers.answer(5, "start") == "start"


def test_unknown_actions_and_other_apps_notifications_are_not_answers() -> None:
    answers = Answers(keep=2)
    answers.shown(1, [], None)
    answers.shown(2, ["start"], "start")
    assert answers.answer(1, "default") is None  # nothing to click on it
    assert answers.answer(2, "skip") is None  # not offered
    assert answers.answer(99, "start") is None  # not ours
    answers.shown(3, ["start"], "start")
    assert not answers.ours(1)  # only the last `keep` are remembered
    assert answers.answer(2, "start") == "start"  # the unknown key did not use it up


@pytest.fixture
def bus() -> Iterator[Bus]:
    with dbus_session() as b:
        yield b


@pytest.mark.desktop
def test_duplicate_signals_from_a_daemon_reach_the_app_once(bus: Bus) -> None:
    ids = iter(range(41, 100))
    daemon = FakeService(bus.address, IFACE, {(IFACE, "Notify"): lambda msg: ("u", (next(ids),))})
    # Another connection on the bus, as gnome-shell is beside its gjs notification service:
    # its broadcast of the same click must not count as a second one.
    shell = open_dbus_connection(bus.address)
    clicked: list[str] = []
    closed: list[str] = []
    got = threading.Condition()

    def on_action(action: str) -> None:
        with got:
            clicked.append(action)
            got.notify_all()

    with daemon:
        notifier = FreedesktopNotifier("", bus_address=bus.address)
        notifier.set_action_handler(on_action)
        notifier.set_close_handler(closed.append)
        try:
            notifier.notify("break_due", "Break due", "Stand up", [START, SNOOZE])
            assert notifier.flush()
            nid = notifier.current_id
            assert nid == 41
            shell.send(new_signal(DBusAddress(PATH, interface=IFACE), "ActionInvoked", "us",
                                  (nid, "snooze-300")))
            for member, sig, body in [
                ("ActionInvoked", "us", (nid, "default")),
                ("ActionInvoked", "us", (nid, "default")),  # GNOME's second copy
                ("ActionInvoked", "us", (nid, "start")),  # default + named for one click
                ("NotificationClosed", "uu", (nid, 2)),
                ("NotificationClosed", "uu", (nid, 2)),
                ("ActionInvoked", "us", (nid, "default")),  # after the close
            ]:
                daemon.emit(PATH, IFACE, member, sig, body)
            # A later notification (a replacement reuses the id on most daemons) is answered
            # anew: its answer arriving proves every signal above was handled first.
            notifier.notify("heads_up", "Break soon", "In a minute", [SNOOZE])
            assert notifier.flush()
            daemon.emit(PATH, IFACE, "ActionInvoked", "us", (notifier.current_id, "default"))
            wait_for(lambda: len(clicked) >= 2, what="the second notification's answer")
            assert clicked == ["start", "snooze-300"]
            assert closed == []  # answered, so its close is no "dismissed" for the app
        finally:
            notifier.stop()
            shell.close()

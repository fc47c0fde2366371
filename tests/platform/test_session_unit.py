"""Session watcher pieces that need no bus."""

from __future__ import annotations

from jeepney import DBusAddress, new_signal

from tray_app.platform.session.linux import Subscription, escape_path_label


def test_logind_path_escaping_matches_systemd() -> None:
    assert escape_path_label("2") == "_32"
    assert escape_path_label("c1") == "c1"
    assert escape_path_label("12") == "_312"
    assert escape_path_label("a-b") == "a_2db"
    assert escape_path_label("") == "_"


def test_signal_arguments_become_events() -> None:
    sub = Subscription("org.x", "org.x.S", "ActiveChanged", None, "lock", "unlock")
    emitter = DBusAddress("/org/x", interface="org.x.S")
    assert sub.event_for(new_signal(emitter, "ActiveChanged", "b", (True,))) == "lock"
    assert sub.event_for(new_signal(emitter, "ActiveChanged", "b", (False,))) == "unlock"
    assert sub.event_for(new_signal(emitter, "ActiveChanged", "s", ("yes",))) is None
    lock = Subscription("org.x", "org.x.S", "Lock", "/s", "lock", "lock")
    assert lock.event_for(new_signal(emitter, "Lock")) == "lock"


def test_local_rule_has_no_sender_but_bus_rule_does() -> None:
    sub = Subscription("org.freedesktop.login1", "org.freedesktop.login1.Manager",
                       "PrepareForSleep", "/org/freedesktop/login1", "suspend", "resume")
    assert "sender='org.freedesktop.login1'" in sub.bus_rule().serialise()
    assert "sender" not in sub.local_rule().serialise()
    signal = new_signal(DBusAddress("/org/freedesktop/login1",
                                    interface="org.freedesktop.login1.Manager"),
                        "PrepareForSleep", "b", (True,))
    assert sub.local_rule().matches(signal)

"""The SNI icon on a real (private) session bus, asked the way hosts ask.

Every dbusmenu call a host makes (XFCE's GetGroupProperties, Cinnamon's AboutToShowGroup and
EventGroup among them), the item's properties, its signals, re-registration with a watcher
that comes back, and the end of the bus. The watcher here is a stand-in that records what it
is told; tests/tray/test_sni_waybar.py shows the icon in a real host.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from jeepney import DBusAddress, MatchRule, MessageType, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import Message
from PIL import Image

from tests.desktop import Bus, dbus_session, wait_for
from tests.platform.fake_dbus_service import FakeService

os.environ.setdefault("PYSTRAY_BACKEND", "dummy")
import pystray

from tray_app.platform.tray.sni_bus import ObjectBus
from tray_app.ui.tray.sni.item import DBUSMENU, MENU_PATH, SNI, WATCHER, Icon

pytestmark = pytest.mark.desktop


class Run:
    """An SNI icon serving on `bus` from a thread, with what its menu did."""

    def __init__(self, bus: Bus) -> None:
        self.done: list[str] = []
        self.docked: list[bool] = []
        self.posture = True

        def act(name: str) -> Any:
            return lambda _icon, _item: self.done.append(name)

        def toggle(_icon: Any, _item: Any) -> None:
            self.posture = not self.posture

        self.menu = pystray.Menu(
            pystray.MenuItem("Sitting 3 min", act("status"), default=True, enabled=False),
            pystray.Menu.SEPARATOR,
            pystray.MenuItem("Take a break now", act("break")),
            pystray.MenuItem("Skip", act("skip"), enabled=False),
            pystray.MenuItem("Pause", pystray.Menu(pystray.MenuItem("For 30 min", act("pause")))),
            pystray.MenuItem("Posture nudges", toggle, checked=lambda _i: self.posture),
        )
        self.icon = Icon("sitbreak", Image.new("RGBA", (32, 32), (200, 30, 30, 255)),
                         "Sitting 3 min", self.menu)
        self.icon.open_bus = lambda: ObjectBus(bus.address)
        self.icon.on_docked = self.docked.append
        self.thread = threading.Thread(target=self.icon.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        wait_for(lambda: self.icon._bus is not None and self.icon.visible, what="the icon")

    def stop(self) -> None:
        self.icon.stop()
        self.thread.join(5)


class Client:
    """A host's side: calls on the item and the signals it sends."""

    def __init__(self, bus: Bus, name: str) -> None:
        self.conn: DBusConnection = open_dbus_connection(bus.address)
        self.item = DBusAddress("/StatusNotifierItem", bus_name=name, interface=SNI)
        self.menu = DBusAddress(MENU_PATH, bus_name=name, interface=DBUSMENU)
        self.signals: list[Message] = []
        self.conn.send_and_get_reply(message_bus.AddMatch(MatchRule(type="signal", sender=name)),
                                     timeout=5)

    def call(self, target: DBusAddress, member: str, sig: str | None = None,
             body: tuple[Any, ...] = ()) -> Message:
        reply = self.conn.send_and_get_reply(new_method_call(target, member, sig, body),
                                             timeout=5)
        return reply

    def ok(self, target: DBusAddress, member: str, sig: str | None = None,
           body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        reply = self.call(target, member, sig, body)
        assert reply.header.message_type == MessageType.method_return, reply.body
        return reply.body

    def props(self, target: DBusAddress) -> dict[str, Any]:
        (props,) = self.ok(*_get_all(target))
        return {k: v for k, (_sig, v) in props.items()}

    def wait_signal(self, member: str) -> Message:
        from jeepney import HeaderFields

        def seen() -> Message | None:
            try:
                msg = self.conn.receive(timeout=0.1)
            except TimeoutError:
                return None
            if msg.header.message_type == MessageType.signal:
                self.signals.append(msg)
            return next((m for m in self.signals
                         if m.header.fields.get(HeaderFields.member) == member), None)

        msg = wait_for(seen, timeout=5, what=f"the {member} signal")
        self.signals.remove(msg)
        return msg

    def close(self) -> None:
        self.conn.close()


def _get_all(target: DBusAddress) -> tuple[DBusAddress, str, str, tuple[str]]:
    props = DBusAddress(target.object_path, bus_name=target.bus_name,
                        interface="org.freedesktop.DBus.Properties")
    return props, "GetAll", "s", (target.interface or "",)


@pytest.fixture
def bus() -> Iterator[Bus]:
    with dbus_session() as b:
        yield b


@pytest.fixture
def running(bus: Bus) -> Iterator[tuple[Run, Client]]:
    run = Run(bus)
    run.start()
    client = Client(bus, run.icon.bus_name)
    yield run, client
    client.close()
    run.stop()


def watcher(bus: Bus, host: bool = True) -> FakeService:
    return FakeService(bus.address, WATCHER, {
        (WATCHER, "RegisterStatusNotifierItem"): lambda _m: ("", ()),
        ("org.freedesktop.DBus.Properties", "Get"): lambda _m: ("v", (("b", host),)),
    })


def test_item_properties_hosts_rely_on(running: tuple[Run, Client]) -> None:
    run, client = running
    props = client.props(client.item)
    assert props["Menu"] == MENU_PATH  # GNOME's extension ignores an item without it
    assert props["Id"] == "sitbreak" and props["Category"] == "ApplicationStatus"
    assert props["Status"] == "Active"
    assert props["ItemIsMenu"] is False  # a default item: a left click activates it
    assert props["ToolTip"][2] == "Sitting 3 min" and props["Title"] == "Sitting 3 min"
    sizes = [(w, h) for w, h, _ in props["IconPixmap"]]
    assert sizes == [(32, 32), (24, 24), (22, 22), (16, 16)]
    data = props["IconPixmap"][0][2]
    assert data[:4] == bytes([255, 200, 30, 30])  # ARGB, network byte order
    menu = client.props(client.menu)
    assert menu["Version"] == 3 and menu["TextDirection"] == "ltr" and menu["Status"] == "normal"
    (xml,) = client.ok(DBusAddress(MENU_PATH, bus_name=run.icon.bus_name,
                                   interface="org.freedesktop.DBus.Introspectable"), "Introspect")
    assert "GetGroupProperties" in xml and "AboutToShowGroup" in xml


def test_every_dbusmenu_call(running: tuple[Run, Client]) -> None:
    run, client = running
    revision, (root, _props, children) = client.ok(client.menu, "GetLayout", "iias",
                                                    (0, -1, []))
    assert root == 0 and revision >= 1
    by_label = {c[1][1].get("label", ("s", "-"))[1]: c[1] for c in children}
    take, skip, pause = by_label["Take a break now"], by_label["Skip"], by_label["Pause"]
    assert skip[1]["enabled"] == ("b", False)
    for_30 = pause[2][0][1]
    (group,) = client.ok(client.menu, "GetGroupProperties", "aias", ([take[0], skip[0]], []))
    assert [(i, p["label"][1]) for i, p in group] == [(take[0], "Take a break now"),
                                                      (skip[0], "Skip")]
    assert client.ok(client.menu, "GetProperty", "is", (take[0], "label")) == (
        ("s", "Take a break now"),)
    assert client.ok(client.menu, "AboutToShow", "i", (0,)) == (False,)
    assert client.ok(client.menu, "AboutToShowGroup", "ai", ([0, 999],)) == ([], [999])
    client.ok(client.menu, "Event", "isvu", (take[0], "clicked", ("i", 0), 0))
    client.ok(client.menu, "Event", "isvu", (skip[0], "clicked", ("i", 0), 0))  # disabled
    client.ok(client.menu, "Event", "isvu", (take[0], "hovered", ("i", 0), 0))
    (errors,) = client.ok(client.menu, "EventGroup", "a(isvu)",
                          ([(for_30[0], "clicked", ("i", 0), 0), (999, "clicked", ("i", 0), 0)],))
    assert errors == [999]
    client.ok(client.item, "Activate", "ii", (0, 0))  # pystray's default item
    wait_for(lambda: run.done == ["break", "pause", "status"], what="the three actions")
    bad = client.call(client.menu, "GetLayout", "iias", (999, -1, []))
    assert bad.header.message_type == MessageType.error
    bad = client.call(client.menu, "NoSuchMethod")
    assert bad.header.message_type == MessageType.error


def test_changes_reach_the_host_as_signals(running: tuple[Run, Client]) -> None:
    run, client = running
    revision = client.ok(client.menu, "GetLayout", "iias", (0, 0, []))[0]
    run.icon.icon = Image.new("RGBA", (32, 32), (0, 0, 255, 255))
    client.wait_signal("NewIcon")
    assert client.props(client.item)["IconPixmap"][0][2][:4] == bytes([255, 0, 0, 255])
    run.icon.title = "Break due"
    client.wait_signal("NewToolTip")
    assert client.props(client.item)["ToolTip"][2] == "Break due"
    # A click on the check item runs its action, then the menu is rebuilt: a new revision.
    posture = next(c[1] for c in client.ok(client.menu, "GetLayout", "iias", (0, 1, []))[1][2]
                   if c[1][1].get("label") == ("s", "Posture nudges"))
    assert posture[1]["toggle-state"] == ("i", 1)
    client.ok(client.menu, "Event", "isvu", (posture[0], "clicked", ("i", 0), 0))
    updated = client.wait_signal("LayoutUpdated")
    assert updated.body == (revision + 1, 0)
    assert client.ok(client.menu, "GetProperty", "is", (posture[0], "toggle-state")) == (
        ("i", 0),)
    run.icon.update_menu()  # nothing changed: no signal, same revision
    assert client.ok(client.menu, "GetLayout", "iias", (0, 0, []))[0] == revision + 1
    run.icon.visible = False
    assert client.wait_signal("NewStatus").body == ("Passive",)


def test_registers_and_registers_again_when_the_watcher_returns(bus: Bus) -> None:
    run = Run(bus)
    with watcher(bus) as first:
        run.start()
        wait_for(lambda: run.docked == [True], what="docked")
        assert (WATCHER, "RegisterStatusNotifierItem") in [c[1:] for c in first.calls]
    wait_for(lambda: run.docked == [True, False], what="undocked when the watcher went")
    with watcher(bus) as second:
        wait_for(lambda: run.docked == [True, False, True], what="docked again")
        assert (WATCHER, "RegisterStatusNotifierItem") in [c[1:] for c in second.calls]
    run.stop()
    assert not run.thread.is_alive() and run.icon.lost is None


def test_a_watcher_without_a_host_is_not_docked(bus: Bus) -> None:
    run = Run(bus)
    with watcher(bus, host=False):
        run.start()
        wait_for(lambda: run.icon._registered, what="registered")
        wait_for(lambda: run.docked == [False], what="not docked")
    run.stop()


def test_the_bus_going_away_ends_the_loop_and_says_why() -> None:
    with dbus_session() as b:
        run = Run(b)
        run.start()
        os.kill(b.pid, 9)
        run.thread.join(5)
        assert not run.thread.is_alive()
        assert run.icon.lost is not None and "D-Bus" in run.icon.lost
    run.icon.stop()

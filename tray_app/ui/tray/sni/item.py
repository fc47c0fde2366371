"""The pystray Icon that is a StatusNotifierItem (org.kde.StatusNotifierItem + dbusmenu).

What hosts rely on, learnt from other implementations' bug reports: GNOME's AppIndicator
extension ignores an item without a `Menu` property; XFCE's plugin (libdbusmenu) fetches
labels with GetGroupProperties and Cinnamon calls AboutToShowGroup and EventGroup, so a menu
without them shows empty or inert; waybar wants the menu's `Version`; IconPixmap is ARGB32 in
network byte order. The item owns `org.kde.StatusNotifierItem-<pid>-1` (the KDE convention,
for anyone looking) but registers its object path, as libappindicator does: GNOME 43's
extension, given the name, watches it and clears the item's Id and Menu on the first
notification, then drops the item ("Argument two may not be null"). It registers again
whenever the watcher's name gets a new owner (a panel restart).
A left click calls Activate, which runs pystray's default item; `ItemIsMenu` is true when the
menu has none, so hosts open the menu instead.

`run()` serves the bus on the calling (main) thread until stop(), or until the bus goes away:
then `lost` says why and run() returns. `on_docked(bool)` follows whether a host shows us.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, Protocol

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    MessageType,
    Properties,
    new_error,
    new_method_call,
    new_method_return,
)
from jeepney.low_level import Message
from pystray import _base

from tray_app.ui.tray.sni.menu_layout import LAYOUT_SIG, Layout, Props, build_layout, pixmaps

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"
WATCHER_ADDRESS = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
SNI = "org.kde.StatusNotifierItem"
DBUSMENU = "com.canonical.dbusmenu"
ITEM_PATH = "/StatusNotifierItem"
MENU_PATH = "/MenuBar"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod"
UNKNOWN_PROPERTY = "org.freedesktop.DBus.Error.UnknownProperty"
INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"
DBUSMENU_VERSION = 3  # GetGroupProperties, EventGroup and AboutToShowGroup are served
# A method call's answer: the reply to send (None: none), then what to run once it is sent.
Handled = tuple[Message | None, Callable[[], None] | None]


class ObjectBus(Protocol):
    """The connection the icon serves on (tray_app.platform.tray.sni_bus.ObjectBus)."""

    def request_name(self, name: str) -> None: ...

    def add_match(self, rule: MatchRule) -> None: ...

    def send(self, msg: Message) -> None: ...

    def call(self, msg: Message, on_reply: Callable[[Message], None]) -> None: ...

    def signal(self, path: str, interface: str, member: str, signature: str | None = None,
               body: tuple[Any, ...] = ()) -> None: ...

    def serve(self, on_call: Callable[[Message], Handled],
              on_signal: Callable[[Message], None]) -> str | None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


def header(msg: Message, field: HeaderFields, default: Any = None) -> Any:
    return msg.header.fields.get(field, default)


class Icon(_base.Icon):
    HAS_DEFAULT_ACTION = True
    HAS_MENU = True
    HAS_MENU_RADIO = True
    HAS_NOTIFICATION = False

    def __init__(self, name: str, icon: Any = None, title: str | None = None, menu: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(name, icon, title, menu, **kwargs)
        # Opens the session-bus connection run() serves on; set before run() (TrayHealth).
        self.open_bus: Callable[[], ObjectBus] | None = None
        self.bus_name = f"{SNI}-{os.getpid()}-1"
        self.on_docked: Callable[[bool], None] = lambda _docked: None
        self.docked: bool | None = None
        self.lost: str | None = None  # why run() ended by itself
        self._bus: ObjectBus | None = None
        self._layout = Layout()
        self._revision = 0
        self._pixmaps: list[tuple[int, int, bytes]] = []
        self._status = "Passive"
        self._registered = False
        self._shown_once = False  # registered once shown, then again for each new watcher
        self._menu_lock = threading.Lock()  # the worker and a clicked action both rebuild

    # --- pystray's backend interface (any thread) -------------------------------------------

    def _show(self) -> None:
        self._set_status("Active")
        if not self._shown_once:
            # Register only now, with the picture drawn: waybar dropped an item it had asked
            # for properties before there was an IconPixmap ("No icon name or pixmap given").
            self._shown_once = True
            self._register()

    def _hide(self) -> None:
        self._set_status("Passive")

    def _update_icon(self) -> None:
        self._pixmaps = pixmaps(self.icon)
        self._icon_valid = True
        self._emit(SNI, "NewIcon")

    def _update_title(self) -> None:
        self._emit(SNI, "NewTitle")
        self._emit(SNI, "NewToolTip")

    def _update_menu(self) -> None:
        with self._menu_lock:
            layout = build_layout(self.menu)
            same = layout.same_as(self._layout)
            self._layout = layout  # if the same menu: keep the newest items for their actions
            if same:
                return
            self._revision += 1
            revision = self._revision
        self._emit(DBUSMENU, "LayoutUpdated", "ui", (revision, 0), MENU_PATH)

    def _notify(self, message: str, title: str | None = None) -> None:
        raise NotImplementedError("sitbreak sends its own notifications")

    def _remove_notification(self) -> None:
        raise NotImplementedError("sitbreak sends its own notifications")

    def _run(self) -> None:
        try:
            if self.open_bus is None:
                raise ConnectionError("no connection was given to the icon")
            bus = self.open_bus()
            bus.request_name(self.bus_name)
            owner = MatchRule(type="signal", sender="org.freedesktop.DBus",
                              interface="org.freedesktop.DBus", member="NameOwnerChanged",
                              path="/org/freedesktop/DBus")
            owner.add_arg_condition(0, WATCHER)
            bus.add_match(owner)
            bus.add_match(MatchRule(type="signal", interface=WATCHER))
        except Exception as exc:
            self.lost = f"the tray cannot use the session D-Bus ({exc})"
            log.warning("%s", self.lost)
            self._mark_ready()  # let the setup thread run (and end)
            return
        self._bus = bus
        self._mark_ready()  # the setup thread shows the icon, which registers it
        try:
            self.lost = bus.serve(self._on_call, self._on_signal)
        finally:
            self._bus = None
            bus.close()
        if self.lost:
            log.warning("%s", self.lost)
            self._set_docked(False)

    def _stop(self) -> None:
        if self._bus is not None:
            self._bus.stop()

    # --- registration ----------------------------------------------------------------------

    def _register(self) -> None:
        bus = self._bus
        if bus is None or not self._shown_once:
            return
        self._registered = False
        msg = new_method_call(WATCHER_ADDRESS, "RegisterStatusNotifierItem", "s",
                              (ITEM_PATH,))
        bus.call(msg, self._on_registered)

    def _on_registered(self, reply: Message) -> None:
        if reply.header.message_type == MessageType.error:
            log.info("no StatusNotifierWatcher took the tray icon (%s): it registers when one "
                     "appears", header(reply, HeaderFields.error_name))
            self._set_docked(False)
            return
        self._registered = True
        log.info("tray icon registered with the StatusNotifierWatcher as %s", self.bus_name)
        self._ask_host()

    def _ask_host(self) -> None:
        """Docked means registered and a host (a panel showing items) is there."""
        if self._bus is None or not self._registered:
            return

        def answer(reply: Message) -> None:
            has_host = reply.header.message_type != MessageType.error and bool(reply.body[0][1])
            self._set_docked(self._registered and has_host)

        self._bus.call(Properties(WATCHER_ADDRESS).get("IsStatusNotifierHostRegistered"), answer)

    def _on_signal(self, msg: Message) -> None:
        member = header(msg, HeaderFields.member)
        if member == "NameOwnerChanged" and msg.body[0] == WATCHER:
            if msg.body[2]:
                log.info("a StatusNotifierWatcher appeared: registering the tray icon with it")
                self._register()
            else:
                self._registered = False
                self._set_docked(False)
        elif header(msg, HeaderFields.interface) == WATCHER and member in (
                "StatusNotifierHostRegistered", "StatusNotifierHostUnregistered"):
            self._ask_host()

    def _set_docked(self, docked: bool) -> None:
        if docked != self.docked:
            self.docked = docked
            self.on_docked(docked)

    def _set_status(self, status: str) -> None:
        self._status = status
        self._emit(SNI, "NewStatus", "s", (status,))

    def _emit(self, interface: str, member: str, signature: str | None = None,
              body: tuple[Any, ...] = (), path: str = ITEM_PATH) -> None:
        if self._bus is not None:
            self._bus.signal(path, interface, member, signature, body)

    # --- what hosts ask (the serving thread) -----------------------------------------------

    def item_properties(self) -> Props:
        title = self.title or self.name
        return {
            "Category": ("s", "ApplicationStatus"),
            "Id": ("s", self.name),
            "Title": ("s", title),
            "Status": ("s", self._status),
            "WindowId": ("i", 0),
            "IconThemePath": ("s", ""),
            "IconName": ("s", ""),
            "IconPixmap": ("a(iiay)", self._pixmaps),
            "OverlayIconName": ("s", ""),
            "OverlayIconPixmap": ("a(iiay)", []),
            "AttentionIconName": ("s", ""),
            "AttentionIconPixmap": ("a(iiay)", []),
            "AttentionMovieName": ("s", ""),
            # GNOME's extension asks for these after NewIcon (and logs an error without them).
            "IconAccessibleDesc": ("s", self.name),
            "AttentionAccessibleDesc": ("s", ""),
            "ToolTip": ("(sa(iiay)ss)", ("", [], title, "")),
            "ItemIsMenu": ("b", not self._layout.has_default),
            "Menu": ("o", MENU_PATH),
        }

    @staticmethod
    def menu_properties() -> Props:
        return {"Version": ("u", DBUSMENU_VERSION), "TextDirection": ("s", "ltr"),
                "Status": ("s", "normal"), "IconThemePath": ("as", [])}

    def _on_call(self, msg: Message) -> Handled:
        path = header(msg, HeaderFields.path)
        iface = header(msg, HeaderFields.interface)
        member = header(msg, HeaderFields.member)
        if iface == "org.freedesktop.DBus.Peer":
            return new_method_return(msg), None
        if member == "Introspect":
            return new_method_return(msg, "s", (introspection(path),)), None
        if path == ITEM_PATH:
            if iface == PROPS_IFACE:
                return self._properties(msg, SNI, self.item_properties()), None
            if iface in (SNI, None):
                return self._item_call(msg, member)
        elif path == MENU_PATH:
            if iface == PROPS_IFACE:
                return self._properties(msg, DBUSMENU, self.menu_properties()), None
            if iface in (DBUSMENU, None):
                return self._menu_call(msg, member)
        return new_error(msg, UNKNOWN_METHOD, "s", (f"no {iface}.{member} at {path}",)), None

    @staticmethod
    def _properties(msg: Message, iface: str, props: Props) -> Message:
        member = header(msg, HeaderFields.member)
        if msg.body and msg.body[0] not in (iface, ""):
            return new_error(msg, UNKNOWN_PROPERTY, "s", (f"no interface {msg.body[0]}",))
        if member == "GetAll":
            return new_method_return(msg, "a{sv}", (props,))
        if member == "Get" and msg.body[1] in props:
            return new_method_return(msg, "v", (props[msg.body[1]],))
        if member == "Set":
            return new_error(msg, "org.freedesktop.DBus.Error.PropertyReadOnly", "s",
                             ("read-only",))
        return new_error(msg, UNKNOWN_PROPERTY, "s", (f"no property {msg.body[1:2]}",))

    def _item_call(self, msg: Message, member: str) -> Handled:
        if member == "Activate":
            return new_method_return(msg), self  # the default item (pystray's Icon.__call__)
        if member in ("SecondaryActivate", "ContextMenu", "Scroll"):
            return new_method_return(msg), None  # the menu is ours to give (Menu)
        return new_error(msg, UNKNOWN_METHOD, "s", (member,)), None

    def _menu_call(self, msg: Message, member: str) -> Handled:
        layout, body = self._layout, msg.body
        try:
            if member == "GetLayout":
                parent, depth, names = body
                return new_method_return(msg, "u" + LAYOUT_SIG,
                                         (self._revision, layout.tree(parent, depth, names))), None
            if member == "GetGroupProperties":
                return new_method_return(msg, "a(ia{sv})", (layout.group(*body),)), None
            if member == "GetProperty":
                return new_method_return(msg, "v", (layout.prop(*body),)), None
        except (KeyError, ValueError) as exc:
            return new_error(msg, INVALID_ARGS, "s", (f"no menu item or property {exc}",)), None
        if member == "Event":
            item_id, event = body[0], body[1]
            if item_id not in layout.entries:
                return new_error(msg, INVALID_ARGS, "s", (f"no menu item {item_id}",)), None
            return new_method_return(msg), self._event(layout, item_id, event)
        if member == "EventGroup":
            actions = [self._event(layout, e[0], e[1]) for e in body[0] if e[0] in layout.entries]
            missing = [e[0] for e in body[0] if e[0] not in layout.entries]
            return new_method_return(msg, "ai", (missing,)), lambda: [a() for a in actions if a]
        if member == "AboutToShow":
            return new_method_return(msg, "b", (False,)), None
        if member == "AboutToShowGroup":
            missing = [i for i in body[0] if i not in layout.entries]
            return new_method_return(msg, "aiai", ([], missing)), None
        return new_error(msg, UNKNOWN_METHOD, "s", (member,)), None

    def _event(self, layout: Layout, item_id: int, event: str) -> Callable[[], None] | None:
        """What a host's event on an item does: "clicked" runs the item's action."""
        item = layout.entries[item_id].item
        if event != "clicked" or item is None or not item.enabled or item.submenu:
            return None
        log.debug("menu item %d (%s) clicked", item_id, item.text)
        return self._handler(item)  # runs it, then refreshes the menu (pystray's way)


def introspection(path: str | None) -> str:
    """Introspection XML: some hosts look before they call."""
    head = ('<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN" '
            '"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n<node>')
    if path == ITEM_PATH:
        body = _iface_xml(SNI, *_ITEM_API)
    elif path == MENU_PATH:
        body = _iface_xml(DBUSMENU, *_MENU_API)
    else:
        body = '<node name="StatusNotifierItem"/><node name="MenuBar"/>' if path == "/" else ""
    return f"{head}{body}</node>"


Args = tuple[tuple[str, ...], tuple[str, ...]]  # in types, out types


def _iface_xml(name: str, props: Props, methods: dict[str, Args],
               signals: dict[str, tuple[str, ...]]) -> str:
    out = [f'<interface name="{name}">']
    out += [f'<property name="{p}" type="{sig}" access="read"/>' for p, (sig, _) in props.items()]
    for method, (ins, outs) in methods.items():
        args = [f'<arg type="{t}" direction="in"/>' for t in ins]
        args += [f'<arg type="{t}" direction="out"/>' for t in outs]
        out.append(f'<method name="{method}">{"".join(args)}</method>')
    for signal, types in signals.items():
        args = [f'<arg type="{t}"/>' for t in types]
        out.append(f'<signal name="{signal}">{"".join(args)}</signal>')
    return "\n".join(out) + "</interface>"


_ITEM_API = (
    Icon("introspection").item_properties(),
    {m: (("i", "i"), ()) for m in ("ContextMenu", "Activate", "SecondaryActivate")}
    | {"Scroll": (("i", "s"), ())},
    {"NewTitle": (), "NewIcon": (), "NewAttentionIcon": (), "NewOverlayIcon": (),
     "NewToolTip": (), "NewStatus": ("s",)},
)
_MENU_API = (
    Icon.menu_properties(),
    {"GetLayout": (("i", "i", "as"), ("u", LAYOUT_SIG)),
     "GetGroupProperties": (("ai", "as"), ("a(ia{sv})",)),
     "GetProperty": (("i", "s"), ("v",)),
     "Event": (("i", "s", "v", "u"), ()),
     "EventGroup": (("a(isvu)",), ("ai",)),
     "AboutToShow": (("i",), ("b",)),
     "AboutToShowGroup": (("ai",), ("ai", "ai"))},
    {"ItemsPropertiesUpdated": ("a(ia{sv})", "a(ias)"), "LayoutUpdated": ("u", "i"),
     "ItemActivationRequested": ("i", "u")},
)

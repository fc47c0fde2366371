"""pystray's menu and picture as the values com.canonical.dbusmenu and the SNI spec ask for.

Pure: no D-Bus, no threads. A `Layout` is a snapshot of the menu taken when the app changes
it (pystray's update_menu); the bus thread answers GetLayout, GetGroupProperties and
GetProperty from the snapshot, so a host reading while the app rebuilds sees one whole menu.
Item ids are given in menu order, so an unchanged menu keeps its ids across revisions (a
host's click on an id it showed still finds the same entry after a LayoutUpdated).

dbusmenu properties left at their default are not sent (the spec's rule; hosts fill them).
Variants are jeepney's (signature, value) pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

Variant = tuple[str, Any]
Props = dict[str, Variant]
ROOT_ID = 0
LAYOUT_SIG = "(ia{sv}av)"
PIXMAP_SIZES = (16, 22, 24, 32)  # hosts pick the nearest; ours are drawn at 32


@dataclass(frozen=True)
class Entry:
    """One node of the menu: its properties, its children's ids and the pystray item."""

    props: Props
    children: tuple[int, ...] = ()
    item: Any = None  # the pystray MenuItem (None for the root)


@dataclass(frozen=True)
class Layout:
    """The whole menu at one moment: entries by id (0 is the root) and whether a left click
    has something to run (pystray's default item)."""

    entries: dict[int, Entry] = field(default_factory=lambda: {ROOT_ID: root_entry(())})
    has_default: bool = False

    def tree(self, parent: int = ROOT_ID, depth: int = -1,
             names: Sequence[str] = ()) -> tuple[int, Props, list[Variant]]:
        """GetLayout's `(ia{sv}av)` for `parent`, `depth` levels down (-1: all); KeyError if
        there is no such id."""
        entry = self.entries[parent]
        children: list[Variant] = []
        if depth != 0:
            children = [(LAYOUT_SIG, self.tree(child, depth - 1, names))
                        for child in entry.children]
        return (parent, pick(entry.props, names), children)

    def group(self, ids: Iterable[int], names: Sequence[str] = ()) -> list[tuple[int, Props]]:
        """GetGroupProperties' `a(ia{sv})`: unknown ids are left out; no ids means every item."""
        wanted = list(ids) or sorted(self.entries)
        return [(i, pick(self.entries[i].props, names)) for i in wanted if i in self.entries]

    def same_as(self, other: Layout) -> bool:
        """True if a host would see no difference (the pystray items themselves may differ)."""
        return self.has_default == other.has_default and self.entries.keys() == \
            other.entries.keys() and all(
                (e.props, e.children) == (other.entries[i].props, other.entries[i].children)
                for i, e in self.entries.items())

    def prop(self, item_id: int, name: str) -> Variant:
        """GetProperty's value, with the spec's default for a property left out; KeyError if
        the id or the name is unknown."""
        props = self.entries[item_id].props
        if name in props:
            return props[name]
        return DEFAULTS[name]


# The spec's defaults (what an absent property means); GetProperty answers with them.
DEFAULTS: Props = {
    "type": ("s", "standard"), "label": ("s", ""), "enabled": ("b", True),
    "visible": ("b", True), "icon-name": ("s", ""), "toggle-type": ("s", ""),
    "toggle-state": ("i", -1), "children-display": ("s", ""),
}


def pick(props: Props, names: Sequence[str]) -> Props:
    """Only the properties asked for (an empty list asks for all)."""
    return dict(props) if not names else {k: v for k, v in props.items() if k in names}


def root_entry(children: tuple[int, ...]) -> Entry:
    return Entry({"children-display": ("s", "submenu")}, children)


def label(text: str) -> str:
    """dbusmenu reads `_` as the access-key marker: a literal underscore is written twice."""
    return text.replace("_", "__")


def item_props(item: Any, has_submenu: bool) -> Props:
    """The dbusmenu properties of one visible pystray MenuItem (not a separator)."""
    props: Props = {"label": ("s", label(str(item.text)))}
    if not item.enabled:
        props["enabled"] = ("b", False)
    checked = item.checked
    if checked is not None:
        props["toggle-type"] = ("s", "radio" if item.radio else "checkmark")
        props["toggle-state"] = ("i", 1 if checked else 0)
    if has_submenu:
        props["children-display"] = ("s", "submenu")
    return props


def build_layout(menu: Any) -> Layout:
    """A snapshot of pystray `menu` (a pystray Menu, or None for no menu).

    Iterating a pystray Menu yields its visible items with redundant separators dropped.
    """
    entries: dict[int, Entry] = {}
    counter = [ROOT_ID]
    has_default = False

    def add(items: Any) -> tuple[int, ...]:
        nonlocal has_default
        ids: list[int] = []
        for item in items:
            counter[0] += 1
            item_id = counter[0]
            ids.append(item_id)
            if item is type(items).SEPARATOR:
                entries[item_id] = Entry({"type": ("s", "separator")}, (), None)
                continue
            has_default = has_default or bool(item.default)
            submenu = item.submenu
            children = add(submenu) if submenu else ()
            entries[item_id] = Entry(item_props(item, bool(submenu)), children, item)
        return tuple(ids)

    entries[ROOT_ID] = root_entry(add(menu) if menu else ())
    return Layout(dict(sorted(entries.items())), has_default)


def pixmaps(image: Image.Image | None,
            sizes: Sequence[int] = PIXMAP_SIZES) -> list[tuple[int, int, bytes]]:
    """IconPixmap's `a(iiay)`: the picture as ARGB32 in network byte order, at each of `sizes`
    no larger than the picture (hosts scale down well, up badly), largest first."""
    if image is None:
        return []
    rgba = image.convert("RGBA")
    width, height = rgba.size
    out = []
    for size in sorted({s for s in sizes if s <= width} | {width}, reverse=True):
        scaled = rgba if size == width else rgba.resize(
            (size, max(1, round(height * size / width))), Image.Resampling.LANCZOS)
        r, g, b, a = scaled.split()
        out.append((scaled.width, scaled.height, Image.merge("RGBA", (a, r, g, b)).tobytes()))
    return out

"""The SNI tray's pure encoding: pystray's menu as a dbusmenu layout, the picture as IconPixmap."""

from __future__ import annotations

import os

import pytest
from PIL import Image

os.environ.setdefault("PYSTRAY_BACKEND", "dummy")  # importing pystray loads no real backend
import pystray

from tray_app.core.menu import build_menu
from tray_app.core.model import Settings
from tray_app.core.state import initial_state
from tray_app.ui.tray.icon import to_pystray
from tray_app.ui.tray.sni.menu_layout import (
    LAYOUT_SIG,
    ROOT_ID,
    build_layout,
    label,
    pixmaps,
)


def noop(_icon: object, _item: object) -> None:
    pass


def sample() -> pystray.Menu:
    return pystray.Menu(
        pystray.MenuItem("Sitting 12 min", noop, default=True, enabled=False),
        pystray.Menu.SEPARATOR,
        pystray.MenuItem("Take a break now", noop),
        pystray.MenuItem("Break every", pystray.Menu(
            pystray.MenuItem("40 min", noop, checked=lambda _i: False, radio=True),
            pystray.MenuItem("50 min", noop, checked=lambda _i: True, radio=True))),
        pystray.MenuItem("Posture nudges", noop, checked=lambda _i: True),
        pystray.MenuItem("hidden", noop, visible=False),
        pystray.Menu.SEPARATOR,
        pystray.Menu.SEPARATOR,  # pystray folds repeated separators into one
        pystray.MenuItem("snake_case_label", noop),
    )


def test_layout_tree_has_every_kind_of_item() -> None:
    layout = build_layout(sample())
    root_id, root_props, children = layout.tree()
    assert root_id == ROOT_ID and root_props == {"children-display": ("s", "submenu")}
    assert all(sig == LAYOUT_SIG for sig, _ in children)
    nodes = [node for _, node in children]
    labels = [props.get("label", ("s", "-"))[1] for _, props, _ in nodes]
    assert labels == ["Sitting 12 min", "-", "Take a break now", "Break every",
                      "Posture nudges", "-", "snake__case__label"]
    status, sep, take, every, posture, sep2, _ = nodes
    assert status[1]["enabled"] == ("b", False)
    assert "enabled" not in take[1]  # defaults are left out, as the spec says
    assert sep[1] == {"type": ("s", "separator")} == sep2[1]
    assert every[1]["children-display"] == ("s", "submenu")
    radios = [node for _, node in every[2]]
    assert [r[1]["toggle-type"] for r in radios] == [("s", "radio")] * 2
    assert [r[1]["toggle-state"] for r in radios] == [("i", 0), ("i", 1)]
    assert posture[1]["toggle-type"] == ("s", "checkmark")
    assert posture[1]["toggle-state"] == ("i", 1)
    assert layout.has_default


def test_depth_and_property_names_limit_the_answer() -> None:
    layout = build_layout(sample())
    _, _, top = layout.tree(ROOT_ID, 1, ["label"])
    every = next(node for _, node in top if node[1].get("label") == ("s", "Break every"))
    assert every[2] == []  # depth 1: the submenu's items are not sent
    assert all(set(node[1]) <= {"label"} for _, node in top)
    sub_id = every[0]
    assert [n[1]["label"][1] for _, n in layout.tree(sub_id)[2]] == ["40 min", "50 min"]
    with pytest.raises(KeyError):
        layout.tree(999)


def test_group_properties_and_get_property() -> None:
    layout = build_layout(sample())
    everything = layout.group([])
    assert [i for i, _ in everything] == sorted(layout.entries)
    assert layout.group([3, 999], ["label"]) == [(3, {"label": ("s", "Take a break now")})]
    assert layout.prop(3, "label") == ("s", "Take a break now")
    assert layout.prop(3, "enabled") == ("b", True)  # the spec's default for what is left out
    with pytest.raises(KeyError):
        layout.prop(3, "no-such-property")


def test_ids_stay_the_same_for_the_same_shape() -> None:
    """A host's click on an id it showed must reach the same item after a LayoutUpdated."""
    a, b = build_layout(sample()), build_layout(sample())
    assert a.same_as(b)
    changed = build_layout(pystray.Menu(pystray.MenuItem("Other", noop)))
    assert not a.same_as(changed)
    assert a.entries[3].item.text == b.entries[3].item.text == "Take a break now"


def test_no_default_item_means_the_item_is_a_menu() -> None:
    assert not build_layout(pystray.Menu(pystray.MenuItem("A", noop))).has_default
    empty = build_layout(None)
    assert empty.tree() == (ROOT_ID, {"children-display": ("s", "submenu")}, [])


def test_the_apps_whole_menu_encodes() -> None:
    items = build_menu(initial_state(Settings()), {"line": "Sitting 0 min"}, autostart=False)
    layout = build_layout(pystray.Menu(*to_pystray(items, lambda _a: None)))
    labels = [e.props.get("label", ("s", ""))[1] for e in layout.entries.values()]
    for text in ("Take a break now", "Snooze", "Pause", "Break every", "Posture nudges",
                 "Start at login", "Quit"):
        assert text in labels
    assert sum(1 for e in layout.entries.values() if e.props.get("type")) == 4  # separators


def test_pixmaps_are_argb_in_network_order_at_several_sizes() -> None:
    image = Image.new("RGBA", (32, 32), (0x11, 0x22, 0x33, 0x44))
    out = pixmaps(image)
    assert [(w, h) for w, h, _ in out] == [(32, 32), (24, 24), (22, 22), (16, 16)]
    w, h, data = out[0]
    assert len(data) == w * h * 4
    assert data[:4] == bytes([0x44, 0x11, 0x22, 0x33])  # A, R, G, B
    assert pixmaps(None) == []
    small = pixmaps(Image.new("RGBA", (22, 22)))
    assert [w for w, _, _ in small] == [22, 16]  # never scaled up


def test_label_escapes_the_access_key_marker() -> None:
    assert label("a_b") == "a__b"
    assert label("plain") == "plain"

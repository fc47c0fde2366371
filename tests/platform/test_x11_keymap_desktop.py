"""platform.x11.open_display: the shared connection answers as python-xlib's does but keeps no
keyboard map (python-xlib's costs ~0.3 MiB a connection, and sitbreak never translates keys)."""

from __future__ import annotations

import pytest
from Xlib import display as xdisplay

from tests.desktop import Display
from tray_app.platform.idle.x11 import probe
from tray_app.platform.x11.connection import open_display

pytestmark = pytest.mark.desktop


def test_the_connection_works_without_a_keyboard_map(display: Display) -> None:
    plain = xdisplay.Display(display.name)
    ours = open_display(display.name)
    try:
        assert plain._keymap_syms  # the control: python-xlib's own connection keeps the map
        assert not ours._keymap_syms and not any(ours._keymap_codes)
        root = ours.screen().root
        assert root.get_geometry().width == plain.screen().root.get_geometry().width
        assert ours.has_extension("MIT-SCREEN-SAVER")  # its extensions are all there
        assert ours.intern_atom("_NET_ACTIVE_WINDOW") == plain.intern_atom("_NET_ACTIVE_WINDOW")
    finally:
        plain.close()
        ours.close()


def test_the_idle_source_reads_idle_time_through_it(display: Display) -> None:
    source, why = probe(display.name)
    assert source is not None, why
    try:
        assert source.idle_seconds() >= 0
    finally:
        source.close()

"""A native Wayland (or X11) test window: `gtk_window.py NAME [fullscreen]`.

NAME is its title and its app id / resource class."""

from __future__ import annotations

import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import GLib, Gtk  # noqa: E402

GLib.set_prgname(sys.argv[1])  # the Wayland app id
window = Gtk.Window(title=sys.argv[1])
window.set_default_size(320, 200)
if sys.argv[2:] == ["fullscreen"]:
    window.fullscreen()
window.connect("destroy", Gtk.main_quit)
window.show_all()
Gtk.main()

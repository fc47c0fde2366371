"""Operating-system adapters: idle time, fullscreen, do-not-disturb, sleep/lock, notifications.

One folder per capability. Each has a `choose.py` with a `detect(env)` entry point (idle,
notify, fullscreen, autostart) or a class that never raises (dnd.probe.DndProbe,
session.linux.SessionWatcher); backends live one per module and are imported lazily so every
module imports on every OS. `dbus/`, `x11/` and `wayland/` are what the capabilities share.
"""

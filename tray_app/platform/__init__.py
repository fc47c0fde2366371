"""Operating-system adapters: idle time, fullscreen, do-not-disturb, sleep/lock, notifications.

Each capability has a `detect(env)` entry point (idle.detect, fullscreen.detect) or a class that
never raises (dnd.DndProbe, session_linux.SessionWatcher); backends live one per module and are
imported lazily so every module imports on every OS.
"""

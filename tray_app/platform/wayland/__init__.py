"""Talking to the Wayland compositor (shared by idle and fullscreen): `wire.Connection`."""

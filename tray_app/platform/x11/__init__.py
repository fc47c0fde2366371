"""X11 helpers shared by the probes: one connection, server loss, the tray host."""

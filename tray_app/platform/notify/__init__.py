"""Desktop notifications: `choose.detect(...)` picks a backend (D-Bus, plyer, console)."""

"""D-Bus helpers shared by the probes: bus addresses and small jeepney calls."""

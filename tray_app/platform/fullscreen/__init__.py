"""Is a fullscreen window in front? `choose.detect(env)` picks a probe."""

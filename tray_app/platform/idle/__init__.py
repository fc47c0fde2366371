"""How long since the last keyboard or mouse input: `choose.detect(env)` picks a backend."""

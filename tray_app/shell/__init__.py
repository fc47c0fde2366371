"""The shell around the pure core: wiring, the owner thread, the control channel, signals
and the break prompts. Adapters are handed in by `compose`; nothing here draws or probes."""

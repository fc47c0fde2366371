"""The pure core: standard library only, no threads, never reads a clock."""

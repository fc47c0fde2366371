"""Sounds at a break's start, each step and its end: `choose.detect(env)` picks a player."""

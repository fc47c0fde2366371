"""Shared fixtures: real desktop hosts (see tests/desktop.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.desktop import Bus, Display, dbus_session, xvfb

# The suite must give the same answer on every run: property tests walk a fixed sequence of
# examples. `HYPOTHESIS_PROFILE=explore` searches afresh (and longer) when hunting for bugs.
settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture
def display() -> Iterator[Display]:
    with xvfb() as d:
        yield d


@pytest.fixture
def session_bus() -> Iterator[Bus]:
    with dbus_session() as b:
        yield b

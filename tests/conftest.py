"""Shared fixtures: real desktop hosts (see tests/desktop.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.desktop import Bus, Display, dbus_session, xvfb


@pytest.fixture
def display() -> Iterator[Display]:
    with xvfb() as d:
        yield d


@pytest.fixture
def session_bus() -> Iterator[Bus]:
    with dbus_session() as b:
        yield b

"""What `sitbreak run` was asked for: handed from the command line to the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunOptions:
    """What `sitbreak run` was asked for."""

    config: Path | None = None
    verbose: bool = False
    console: bool = False
    no_window: bool = False

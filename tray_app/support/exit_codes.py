"""The exit codes of every `sitbreak` command (README lists them), and the usage error.

0 ok, 1 failure or already running, 2 bad settings or usage, 3 not running, 4 refused. The
control channel's replies carry the same codes, which the CLI returns as its own.
"""

from __future__ import annotations

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_NOT_RUNNING, EXIT_REFUSED = 0, 1, 2, 3, 4


class UsageError(Exception):
    """A command line that cannot work; main() prints the message and exits with EXIT_USAGE."""

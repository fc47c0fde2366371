"""Keep TLS out of the long-running process.

sitbreak never talks to the network at run time. asyncio, which APScheduler imports, loads
`ssl` when it can, and with it OpenSSL: about 4 MiB resident for the whole day in a process
that never opens a socket beyond its own control socket and D-Bus. asyncio and everything else
we load treat a missing `ssl` as "no TLS here", so refusing it costs nothing and turns "no
network" into something a stray import cannot quietly break.
"""

from __future__ import annotations

import sys

REFUSED = ("ssl", "_ssl")


def refuse_tls() -> bool:
    """Make `import ssl` fail in this process; False if something loaded it already."""
    if any(name in sys.modules and sys.modules[name] is not None for name in REFUSED):
        return False
    for name in REFUSED:
        sys.modules[name] = None  # the import system's documented "blocked" marker
    return True

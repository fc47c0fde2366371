"""Which other processes have a camera device open: a scan of /proc/*/fd.

Linux shows every open file of a process as a link in /proc/PID/fd; a camera in use is a link
to /dev/video*. Only processes of this user can be read, which is where a call runs. PipeWire's
own daemons are left out: they open cameras for the programs they serve, and those programs
show up as PipeWire streams instead (see pipewire.py).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")
# Hold cameras for others, or probe them for a moment at start: not a call by themselves.
SERVERS = frozenset({"pipewire", "wireplumber", "pipewire-media-session"})


def devices(pattern: str) -> set[str]:
    """The device files matching `pattern`, with their real paths (links resolved)."""
    if not pattern:
        return set()
    out: set[str] = set()
    for path in glob.glob(pattern):
        out.add(path)
        out.add(os.path.realpath(path))
    return out


def _name(pid_dir: Path) -> str:
    try:
        return (pid_dir / "comm").read_text().strip()
    except OSError:
        return "?"


def users(pattern: str, proc: Path = PROC, skip: Iterable[int] = (),
          servers: frozenset[str] = SERVERS) -> list[str]:
    """"NAME (pid N) has DEVICE open" for each process with a matching device open."""
    wanted = devices(pattern)
    if not wanted:
        return []
    skipped = {os.getpid(), *skip}
    found: list[str] = []
    try:
        entries = os.scandir(proc)
    except OSError:
        return []
    with entries:
        for entry in entries:
            if not entry.name.isdigit() or int(entry.name) in skipped:
                continue
            fd_dir = Path(entry.path) / "fd"
            try:
                fds = os.listdir(fd_dir)
            except OSError:  # gone, or another user's: not ours to read
                continue
            for fd in fds:
                try:
                    target = os.readlink(fd_dir / fd)
                except OSError:
                    continue
                if target in wanted:
                    name = _name(Path(entry.path))
                    if name not in servers:
                        found.append(f"{name} (pid {entry.name}) has {target} open")
                    break
    return found

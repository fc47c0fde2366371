"""Hand memory that is free inside the C heap back to the system (glibc's `malloc_trim`).

glibc gives back the top of its heap by itself, but not free pages that sit below live blocks.
Start-up (settings, the exercise catalogue, opening the history) and every break leave such
holes, and a tray app keeps them all day: measured on the xorg tray, ~0.6 MiB resident. And
`one_heap` keeps the threads from getting heaps of their own.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


def _libc_function(name: str, *argtypes: type) -> Callable[..., int] | None:
    """`name` from the C library this process already uses, or None (not glibc, Windows)."""
    try:
        libc = ctypes.CDLL(None)  # the C library this process already uses
    except (OSError, TypeError):  # Windows: no process-wide namespace to look in
        return None
    function = getattr(libc, name, None)  # glibc only: not musl, not macOS
    if function is None:
        return None
    function.argtypes = list(argtypes)
    function.restype = ctypes.c_int
    return function


_TRIM = _libc_function("malloc_trim", ctypes.c_size_t)
_MALLOPT = _libc_function("mallopt", ctypes.c_int, ctypes.c_int)
M_ARENA_MAX = -8  # glibc's mallopt parameter: how many heaps ("arenas") threads may get


def release_free_heap() -> bool:
    """Give back the C heap's free pages; False where the C library cannot (nothing happens)."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


def one_heap() -> bool:
    """Have every thread allocate from the one main C heap, from now on.

    glibc gives a thread that calls malloc a heap of its own (up to 8 per core), and the pages
    it touched and freed there stay resident: ~0.3 MiB in the idle tray app, whose dozen
    threads mostly sleep and never contend for the heap's lock. Call it before threads start.
    False where the C library cannot (nothing happens)."""
    if _MALLOPT is None:
        return False
    return bool(_MALLOPT(M_ARENA_MAX, 1))

"""Hear about the X server going away in a process whose Xlib (libX11) connection is GDK's.

GDK's own handler for a lost X connection prints a line and calls _exit(1) at once: nothing
else runs, so the sitting stretch would never be recorded. libX11 calls the process's single
I/O error handler first, so replacing it (after GDK opened its display) lets us record, say
why and exit. The handler must not return: libX11 exits right after it does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_IO_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_installed: list[Any] = []  # keeps the C callback alive for the life of the process


def on_xlib_io_error(handler: Callable[[], None]) -> bool:
    """Call `handler` (which must end the process) when libX11 loses its connection.

    Returns False when libX11 cannot be loaded (then GDK's own handler stays in place).
    """
    name = ctypes.util.find_library("X11") or "libX11.so.6"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        log.info("libX11 not loadable (%s): X loss is handled by GDK", exc)
        return False

    def io_error(_display: int) -> int:
        try:
            handler()
        except BaseException:  # never unwind into C
            log.exception("handling the lost X connection failed")
        return 0

    callback = _IO_HANDLER(io_error)
    lib.XSetIOErrorHandler.restype = ctypes.c_void_p
    lib.XSetIOErrorHandler.argtypes = [_IO_HANDLER]
    lib.XSetIOErrorHandler(callback)
    _installed.append(callback)
    return True

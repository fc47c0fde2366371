"""A passive level meter, as pavucontrol and GNOME's sound settings run one: a PulseAudio
record stream with the PEAK_DETECT flag on a source, read and thrown away until killed.

Usage: python peak_meter.py SOURCE [STREAM_NAME]   (prints "ready" once the stream records)
"""

from __future__ import annotations

import ctypes
import sys

PA_CONTEXT_READY, PA_CONTEXT_FAILED = 4, 5
PA_STREAM_READY, PA_STREAM_FAILED = 2, 3
PA_SAMPLE_FLOAT32LE = 5
PA_STREAM_DONT_MOVE, PA_STREAM_PEAK_DETECT, PA_STREAM_ADJUST_LATENCY = 0x200, 0x800, 0x2000


class SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class BufferAttr(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint32) for n in ("maxlength", "tlength", "prebuf", "minreq",
                                                "fragsize")]


def main(source: str, name: str) -> int:
    pa = ctypes.CDLL("libpulse.so.0")
    pa.pa_mainloop_new.restype = ctypes.c_void_p
    pa.pa_mainloop_get_api.restype = ctypes.c_void_p
    pa.pa_mainloop_get_api.argtypes = [ctypes.c_void_p]
    pa.pa_mainloop_iterate.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
    pa.pa_proplist_new.restype = ctypes.c_void_p
    pa.pa_proplist_sets.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    pa.pa_context_new_with_proplist.restype = ctypes.c_void_p
    pa.pa_context_new_with_proplist.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                                ctypes.c_void_p]
    pa.pa_context_connect.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                      ctypes.c_void_p]
    pa.pa_context_get_state.argtypes = [ctypes.c_void_p]
    pa.pa_stream_new.restype = ctypes.c_void_p
    pa.pa_stream_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p,
                                 ctypes.c_void_p]
    pa.pa_stream_connect_record.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p,
                                            ctypes.c_int]
    pa.pa_stream_get_state.argtypes = [ctypes.c_void_p]
    pa.pa_stream_peek.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                                  ctypes.POINTER(ctypes.c_size_t)]
    pa.pa_stream_drop.argtypes = [ctypes.c_void_p]

    loop = pa.pa_mainloop_new()
    api = pa.pa_mainloop_get_api(loop)
    props = pa.pa_proplist_new()
    pa.pa_proplist_sets(props, b"application.name", b"level meter test")
    ctx = pa.pa_context_new_with_proplist(api, b"level meter test", props)
    if pa.pa_context_connect(ctx, None, 0, None) < 0:
        print("cannot connect", flush=True)
        return 1
    while (state := pa.pa_context_get_state(ctx)) != PA_CONTEXT_READY:
        if state >= PA_CONTEXT_FAILED:
            print("context failed", flush=True)
            return 1
        pa.pa_mainloop_iterate(loop, 1, None)
    spec = SampleSpec(PA_SAMPLE_FLOAT32LE, 25, 1)
    stream = pa.pa_stream_new(ctx, name.encode(), ctypes.byref(spec), None)
    attr = BufferAttr(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 4)
    flags = PA_STREAM_DONT_MOVE | PA_STREAM_PEAK_DETECT | PA_STREAM_ADJUST_LATENCY
    if pa.pa_stream_connect_record(stream, source.encode(), ctypes.byref(attr), flags) < 0:
        print("cannot record", flush=True)
        return 1
    ready = False
    data, size = ctypes.c_void_p(), ctypes.c_size_t()
    while True:
        pa.pa_mainloop_iterate(loop, 1, None)
        state = pa.pa_stream_get_state(stream)
        if state == PA_STREAM_FAILED:
            print("stream failed", flush=True)
            return 1
        if state == PA_STREAM_READY:
            if not ready:
                ready = True
                print("ready", flush=True)
            while pa.pa_stream_peek(stream, ctypes.byref(data), ctypes.byref(size)) == 0 \
                    and size.value:
                pa.pa_stream_drop(stream)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "Peak detect"))

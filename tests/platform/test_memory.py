"""platform.memory: free pages inside the C heap really go back to the system (glibc, Linux)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap")


def test_holes_left_in_the_heap_are_given_back() -> None:
    # 4 KiB blocks come from malloc's heap (not obmalloc, not mmap); keeping every 50th leaves
    # the heap's top in use, so only malloc_trim can give the pages between back.
    code = textwrap.dedent("""
        import gc
        from tray_app.platform.memory import release_free_heap

        def rss_kib():
            with open("/proc/self/status") as fh:
                return next(int(l.split()[1]) for l in fh if l.startswith("VmRSS"))

        blocks = [bytes(4096) + bytes([i % 251]) for i in range(20000)]
        kept = blocks[::50]
        del blocks
        gc.collect()
        before = rss_kib()
        print(release_free_heap(), before - rss_kib(), len(kept))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    ok, freed_kib, _ = done.stdout.split()
    assert ok == "True"
    assert int(freed_kib) > 40_000  # ~78 MiB of blocks, nearly all of them free


ARENAS = textwrap.dedent("""
    import ctypes, sys, threading
    from tray_app.platform import memory

    if sys.argv[1] == "one":
        assert memory.one_heap()
    kept = []
    def work():
        kept.append([bytes(4096) + bytes([i % 251]) for i in range(200)])  # malloc, not obmalloc
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ctypes.CDLL(None).malloc_stats()  # one "Arena N:" paragraph per heap, on stderr
""")


@pytest.mark.parametrize(("how", "one"), [("one", True), ("default", False)])
def test_with_one_heap_threads_allocate_from_the_main_heap(how: str, one: bool) -> None:
    done = subprocess.run([sys.executable, "-c", ARENAS, how], capture_output=True, text=True,
                          timeout=60, check=True)
    arenas = [line for line in done.stderr.splitlines() if line.startswith("Arena ")]
    assert (len(arenas) == 1) is one, done.stderr  # by default each thread gets one of its own

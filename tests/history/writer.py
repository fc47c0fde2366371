"""A separate process writing history rows, for the concurrency and kill -9 tests.

python -m tests.history.writer PATH TAG COUNT [GO_FILE]
Prints "ready" (then waits for GO_FILE to exist, if given), then the index of each row
right after record() returned. COUNT 0 means write until killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tray_app.core.model import Row
from tray_app.history import History


def main() -> int:
    path, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    go = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    history = History.open(path)
    print("ready", flush=True)
    deadline = time.monotonic() + 20
    while go is not None and not go.exists():
        if time.monotonic() > deadline:
            return 3
        time.sleep(0.005)
    i = 0
    while count == 0 or i < count:
        history.record(Row("stretch_ended", 1_700_000_000 + i, 1.0, detail=f"{tag}:{i}"))
        print(i, flush=True)
        i += 1
    history.close()
    return 0 if history.dropped == 0 else 4


if __name__ == "__main__":
    sys.exit(main())

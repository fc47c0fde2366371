"""The log rotates as logging.handlers.RotatingFileHandler did (1 MB, three older files), with
every file private, without that module in the process (it cost the idle app ~0.2 MiB)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from tray_app.support.logging_setup import PrivateRotatingFileHandler


def write(handler: logging.Handler, n: int, size: int = 90) -> None:
    logger = logging.Logger("rotation-test")
    logger.addHandler(handler)
    for i in range(n):
        logger.warning("%04d %s", i, "x" * size)


def test_the_log_becomes_log_1_when_full_and_three_older_files_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "sitbreak.log"
    handler = PrivateRotatingFileHandler(path, max_bytes=1000, backups=3)
    try:
        write(handler, 60)  # 60 lines of 96 bytes, 10 a file: five rotations
    finally:
        handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["sitbreak.log", "sitbreak.log.1", "sitbreak.log.2", "sitbreak.log.3"]
    for p in tmp_path.iterdir():
        assert 0 < p.stat().st_size < 1000
        assert p.stat().st_mode & 0o777 == 0o600
    # The newest lines are in the log, the ones just before in .1, the oldest kept in .3.
    last = path.read_text().splitlines()
    assert last[-1].startswith("0059 ")
    before = (tmp_path / "sitbreak.log.1").read_text().splitlines()
    assert int(before[-1][:4]) + 1 == int(last[0][:4])
    oldest = (tmp_path / "sitbreak.log.3").read_text().splitlines()
    assert int(oldest[-1][:4]) < int(before[0][:4])


def test_a_log_below_the_limit_is_appended_to_not_rotated(tmp_path: Path) -> None:
    path = tmp_path / "sitbreak.log"
    path.write_text("from before\n")
    handler = PrivateRotatingFileHandler(path, max_bytes=10_000, backups=3)
    try:
        write(handler, 3)
    finally:
        handler.close()
    assert [p.name for p in tmp_path.iterdir()] == ["sitbreak.log"]
    lines = path.read_text().splitlines()
    assert lines[0] == "from before" and len(lines) == 4


def test_setting_up_the_log_does_not_import_logging_handlers(tmp_path: Path) -> None:
    code = ("import sys, logging; from pathlib import Path\n"
            "from tray_app.support.logging_setup import setup_logging\n"
            f"setup_logging(Path({str(tmp_path)!r}))\n"
            "logging.getLogger('x').warning('a line')\n"
            "print('logging.handlers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"
    assert "a line" in (tmp_path / "sitbreak.log").read_text()

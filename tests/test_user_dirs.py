"""support.paths finds sitbreak's folders where platformdirs does on XDG systems (it reads the
XDG variables itself so the idle app does without platformdirs' code)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from tray_app.support import paths

VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
PAIRS = [(paths.config_dir, platformdirs.user_config_path),
         (paths.data_dir, platformdirs.user_data_path),
         (paths.cache_dir, platformdirs.user_cache_path),
         (paths.state_dir, platformdirs.user_state_path),
         (paths.log_dir, platformdirs.user_log_path)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG systems")
@pytest.mark.parametrize("env", [
    {},  # the home's defaults
    {"XDG_CONFIG_HOME": "/x/c", "XDG_DATA_HOME": "/x/d", "XDG_CACHE_HOME": "/x/k",
     "XDG_STATE_HOME": "/x/s"},
    pytest.param({"XDG_CONFIG_HOME": "relative/c", "XDG_DATA_HOME": "", "XDG_STATE_HOME": " "},
                 marks=pytest.mark.skipif(
                     int(platformdirs.__version__.split(".")[0]) < 3,
                     reason="platformdirs 2 (Debian 12) took a relative variable as it is; "
                            "the XDG spec and platformdirs 3+ ignore it, as sitbreak does")),
], ids=["unset", "absolute", "relative-or-empty"])
def test_the_folders_are_platformdirs_ones(env: dict[str, str], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for ours, theirs in PAIRS:
        assert ours() == theirs("sitbreak", appauthor=False), ours.__name__
    assert paths.config_dir() == (Path("/x/c/sitbreak") if env.get("XDG_CONFIG_HOME") == "/x/c"
                                  else tmp_path / ".config" / "sitbreak")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG systems")
def test_finding_the_folders_does_not_import_platformdirs() -> None:
    code = ("import sys; from tray_app.support import paths\n"
            "[f() for f in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir)]\n"
            "print('platformdirs' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"

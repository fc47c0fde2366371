"""Issue 11, items 5-8 (settings side): bad values that used to pass validation, and files
that used to hang, exhaust memory or end in a traceback. Each case is reproduced the way it
was found: through `sitbreak check-settings`, the CLI, or a live edit of the running app's file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.runtime.test_runtime import faked, fast
from tray_app.cli import commands, main
from tray_app.core.problems import ProblemsError
from tray_app.settings import ensure_user_file, load_settings, parse_settings


def check(path: Path, capsys: pytest.CaptureFixture[str], timeout: float = 10.0) -> tuple[int, str]:
    """`sitbreak check-settings PATH` in a thread, so a hang fails the test instead of the run."""
    out: list[int] = []
    worker = threading.Thread(target=lambda: out.append(main(["check-settings", str(path)])),
                              daemon=True)
    worker.start()
    worker.join(timeout)
    assert out, f"check-settings still running after {timeout} s"
    captured = capsys.readouterr()
    return out[0], captured.out + captured.err


# --- item 5: every duration has a finite range, stated per key ----------------------------

NOT_FINITE = [
    ('[sitting]\nbreak_after = "nan"\n', "sitting.break_after"),
    ('[sitting]\nbreak_after = "inf"\n', "sitting.break_after"),
    ('[sitting]\nbreak_after = "1e400"\n', "sitting.break_after"),
    ("[sitting]\nidle_reset = nan\n", "sitting.idle_reset"),
    ("[sitting]\nidle_reset = inf\n", "sitting.idle_reset"),
    ('[snooze]\noptions = ["1e308"]\n', "snooze.options"),
    ('[breaks]\nlength = "100000h"\n', "breaks.length"),
    ('[posture]\nevery = "-inf"\n', "posture.every"),
    ('[smart_pause]\nmax_delay = 1e300\n', "smart_pause.max_delay"),
    ('[breaks]\nheads_up = "NaN"\n', "breaks.heads_up"),
]


@pytest.mark.parametrize(("text", "key"), NOT_FINITE)
def test_non_finite_or_huge_durations_are_refused_with_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    code, out = check(path, capsys)
    assert code == 2
    assert f"{path}:2: {key}" in out
    assert " to " in out and "h" in out, out  # the key's range, e.g. "from 1s to 24h"


def test_every_duration_key_states_its_own_range() -> None:
    from tray_app.settings.schema import SCHEMA

    for section, keys in SCHEMA.items():
        for name, key in keys.items():
            if key.kind == "duration":
                assert key.low is not None and key.high is not None, f"{section}.{name}"
                assert key.high <= 24 * 3600, f"{section}.{name}"


def test_huge_whole_numbers_are_refused() -> None:
    with pytest.raises(ProblemsError, match=r"history\.keep_days"):
        parse_settings("[history]\nkeep_days = 99999999999999999\n", "s.toml")
    with pytest.raises(ProblemsError, match=r"snooze\.max_per_break"):
        parse_settings("[snooze]\nmax_per_break = 9223372036854775807\n", "s.toml")


def test_a_live_edit_to_nan_is_refused_not_announced_as_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n')
    notices: list[str] = []
    rt, ad, timer = faked(fast(3000.0), path)
    ad.on_notice = notices.append
    # A different size, so the edit is seen even within the same mtime tick.
    path.write_text('[sitting]\nbreak_after = "nan"  # not a number\n')
    timer.advance(5.0)  # the next heartbeat reads the file
    assert notices and "keeping the last good" in notices[0], notices
    assert not any("reloaded" in n for n in notices)
    assert rt.state.settings.sitting.break_after == 3000.0
    assert rt.status()["next_break_in_seconds"] is not None


# --- item 6: CLI numbers are refused before anything is sent --------------------------------

@pytest.mark.parametrize(
    "argv",
    [["pause", "1e300"], ["pause", "inf"], ["pause", "nan"], ["snooze", "inf"],
     ["snooze", "nan"], ["snooze", "1e400"], ["pause", "0s"], ["snooze", "0"],
     ["pause", "100000h"], ["snooze", "30h"]],
)
def test_cli_refuses_non_finite_durations_before_sending(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    sent: list[dict] = []
    monkeypatch.setattr(commands, "_send", lambda req: (sent.append(req), (0, {}))[1])
    assert main(argv) == 2
    assert sent == []
    err = capsys.readouterr().err
    assert "from 1s to" in err, err


# --- item 7: exercises.extra is read safely, at start and on reload -------------------------

def _extra(tmp_path: Path, target: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(f'[exercises]\nextra = "{target}"\n')
    return path


def test_extra_pointing_at_a_fifo_does_not_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "extra.toml"
    os.mkfifo(fifo)
    code, out = check(_extra(tmp_path, str(fifo)), capsys, timeout=5)
    assert code == 2
    assert "not a regular file" in out and "exercises.extra" in out


def test_extra_pointing_at_dev_zero_does_not_exhaust_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(_extra(tmp_path, "/dev/zero"), capsys, timeout=5)
    assert code == 2
    assert "not a regular file" in out


def test_an_oversized_extra_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 300_000)  # 3 MB of comments
    code, out = check(_extra(tmp_path, str(big)), capsys)
    assert code == 2
    assert "too big" in out


def test_a_reload_validates_extra_like_a_start_does(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n')
    rt, _ad, _timer = faked(fast(3000.0), path)
    fifo = tmp_path / "extra.toml"
    os.mkfifo(fifo)
    path.write_text(f'[sitting]\nbreak_after = "40m"\n[exercises]\nextra = "{fifo}"\n')
    with pytest.raises(ProblemsError, match="not a regular file"):
        rt.reload()
    assert rt.state.settings.sitting.break_after == 3000.0


# --- item 8: smaller ones -------------------------------------------------------------------

def test_a_byte_order_mark_gets_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xef\xbb\xbf[sitting]\nbreak_after = \"50m\"\n")
    code, out = check(path, capsys)
    assert code == 2
    assert "byte order mark" in out and "UTF-8 without" in out


def test_a_very_long_value_is_cut_in_the_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[sitting]\nbreak_after = "' + "x" * 500_000 + '"\n')
    code, out = check(path, capsys)
    assert code == 2
    assert "sitting.break_after" in out
    assert len(out) < 2000, len(out)


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a=", "}")])
def test_deeply_nested_toml_is_a_clear_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], opener: str, closer: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[sitting]\nbreak_after = " + opener * 50_000 + "1" + closer * 50_000 + "\n")
    code, out = check(path, capsys)
    assert code == 2
    assert "nested too deeply" in out
    assert "Traceback" not in out and "RecursionError" not in out


def test_a_symlink_loop_at_the_default_path_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = tmp_path / "sitbreak"
    folder.mkdir()
    (folder / "settings.toml").symlink_to(folder / "settings.toml")
    assert main(["check-settings"]) == 2
    err = capsys.readouterr().err
    assert "symbolic link" in err and "settings.toml" in err
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert main(["run", "--console"]) == 2  # before any lock, tray or history is touched
    err = capsys.readouterr().err
    assert "symbolic link that leads back to itself" in err and "Traceback" not in err
    with pytest.raises(ProblemsError, match="symbolic link"):
        ensure_user_file(folder / "settings.toml")
    with pytest.raises(ProblemsError, match="symbolic link"):
        load_settings(folder / "settings.toml")


@pytest.mark.parametrize("day", ["monkey", "satan", "Thunder", "sunny", "frit"])
def test_day_names_must_match_exactly(day: str) -> None:
    with pytest.raises(ProblemsError, match=r"schedule\.days"):
        parse_settings(f'[schedule]\ndays = ["{day}"]\n', "s.toml")


@pytest.mark.parametrize("day", ["mon", "Monday", "THU", "thursday", " sat "])
def test_real_day_names_still_pass(day: str) -> None:
    parse_settings(f'[schedule]\ndays = ["{day}"]\n', "s.toml")

"""Issue 26 item 8: settings that crashed instead of being refused (five of 144): a 400- and
a 5000-digit integer, a path with a NUL byte, `~nosuchuser/x.toml`, /proc/kmsg as the extra
exercises file; on a live edit no notice and `reload` answered "internal error"; a settings
file replaced by a dangling symlink or a loop was silent until `reload`; exclusions or places
that leave no exercise passed; 20,000 unknown sections gave a 4 MB message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.runtime.fake_timer import FakeTimer
from tests.runtime.test_runtime import faked, fast
from tray_app.core.problems import ProblemsError
from tray_app.settings.full import check_all, load_checked
from tray_app.settings.validate import MAX_PROBLEMS
from tray_app.shell.runtime import Runtime


@pytest.mark.parametrize("text, key, words", [
    ("[history]\nkeep_days = " + "9" * 400 + "\n", "history.keep_days", "whole number"),
    ("[history]\nkeep_days = " + "9" * 5000 + "\n", "", "number too long"),
    ('[exercises]\nextra = "/tmp/a\\u0000b.toml"\n', "exercises.extra", "NUL"),
    ('[exercises]\nextra = "~nosuchuser26/x.toml"\n', "exercises.extra", "no user"),
    ('[exercises]\nextra = "' + "/x" * 3000 + '"\n', "exercises.extra", "at most"),
    ('[exercises]\nplaces = ["floor"]\nexclude = ["floor"]\n',
     "exercises.places and exercises.exclude", "no exercise"),
])
def test_each_is_refused_naming_the_key(tmp_path: Path, text: str, key: str, words: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(text)
    with pytest.raises(ProblemsError) as err:
        load_checked(path)
    assert any(p.key == key and words in str(p) for p in err.value.problems), err.value
    assert "\x00" not in str(err.value)


@pytest.mark.skipif(not os.path.exists("/proc/kmsg") or not os.access("/proc/kmsg", os.R_OK),
                    reason="no readable /proc/kmsg here")
def test_proc_kmsg_as_the_exercises_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[exercises]\nextra = "/proc/kmsg"\n')
    with pytest.raises(ProblemsError, match=r"exercises\.extra"):
        load_checked(path)


def test_messages_are_bounded_in_size() -> None:
    text = "".join(f"[s{i}]\n" for i in range(20_000))
    report = check_all(text, "settings.toml")
    assert len(report.problems) == MAX_PROBLEMS + 1
    assert "and 19970 more problems" in str(report.problems[-1])
    assert len(str(ProblemsError(report.problems))) < 20_000


Live = tuple[Path, list[str], Runtime, FakeTimer]


@pytest.fixture
def live(tmp_path: Path) -> Live:
    """A runtime reading tmp_path/settings.toml, and the notices it gives."""
    path = tmp_path / "settings.toml"
    path.write_text('[sitting]\nbreak_after = "50m"\n')
    notices: list[str] = []
    rt, ad, timer = faked(fast(3000.0), path)
    ad.on_notice = notices.append
    return path, notices, rt, timer


@pytest.mark.parametrize("kind", ["dangling", "loop", "removed"])
def test_a_settings_file_that_breaks_while_running_is_told(
        tmp_path: Path, live: Live, kind: str) -> None:
    path, notices, rt, timer = live
    path.unlink()
    if kind == "dangling":
        path.symlink_to(tmp_path / "nowhere.toml")
    elif kind == "loop":
        path.symlink_to(path)
    timer.advance(5.0)
    timer.advance(5.0)  # seen twice: an editor's save that removes it for a moment is not news
    assert any("keeping the last good" in n for n in notices), notices
    assert rt.state.settings.sitting.break_after == 3000


def test_a_save_that_removes_the_file_for_a_moment_is_not_told(live: Live) -> None:
    path, notices, rt, timer = live
    path.unlink()
    timer.advance(5.0)
    path.write_text('[sitting]\nbreak_after = "40m"\n')
    timer.advance(5.0)
    assert not any("keeping the last good" in n for n in notices)
    assert rt.state.settings.sitting.break_after == 2400


def test_reload_of_a_crashing_value_is_a_problem_not_an_internal_error(live: Live) -> None:
    path, _notices, rt, _timer = live
    path.write_text('[exercises]\nextra = "~nosuchuser26/x.toml"\n')
    with pytest.raises(ProblemsError, match="no user"):
        rt.reload()


def test_a_settings_file_replaced_with_the_same_time_and_size_is_read(live: Live) -> None:
    """cp -p of another file: same mtime and size, new contents; it was never read."""
    path, _notices, rt, timer = live
    other = path.with_name("other.toml")
    other.write_text('[sitting]\nbreak_after = "40m"\n')  # same length as "50m"
    st = path.stat()
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    other.replace(path)
    timer.advance(5.0)
    assert rt.state.settings.sitting.break_after == 2400

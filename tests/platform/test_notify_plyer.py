"""PlyerNotifier: our notify-send call on Linux, plyer elsewhere, osascript on macOS."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import plyer
import pytest
from PIL import Image

from tray_app.platform.notify import plyer_backend as notify_plyer
from tray_app.platform.notify.plyer_backend import PlyerNotifier
from tray_app.ports import Action

# Records its arguments (one file per call) and behaves like libnotify 0.8's notify-send.
FAKE_NOTIFY_SEND = """#!/bin/sh
for a in "$@"; do
  case "$a" in --help) echo "  -r, --replace-id=REPLACE_ID"; exit 0;; esac
done
n=$(ls "{log}" | wc -l)
printf '%s\\n' "$@" > "{log}/$n"
for a in "$@"; do
  case "$a" in --print-id) echo 7;; esac
done
exit {code}
"""


def _fake_tool(tmp_path: Path, name: str, code: int = 0) -> tuple[dict[str, str], Path]:
    bin_dir = tmp_path / "bin"
    log_dir = tmp_path / "calls"
    bin_dir.mkdir()
    log_dir.mkdir()
    tool = bin_dir / name
    tool.write_text(FAKE_NOTIFY_SEND.format(log=log_dir, code=code))
    tool.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin"}, log_dir


def _calls(log_dir: Path) -> list[list[str]]:
    files = sorted(log_dir.iterdir(), key=lambda p: int(p.name))
    return [p.read_text().splitlines() for p in files]


@pytest.fixture(autouse=True)
def _no_flatpak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notify_plyer.os.path, "isdir", lambda p: False)


@pytest.fixture(autouse=True)
def _no_dbus_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """notify-send is plyer's way only without dbus-python, which Debian's python3 may have."""
    monkeypatch.setitem(sys.modules, "dbus", None)


def test_notify_send_gets_app_icon_and_a_real_timeout(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env, log_dir = _fake_tool(tmp_path, "notify-send")
    icon = str(tmp_path / "sitbreak-256.png")
    n = PlyerNotifier(icon, env=env, platform="linux")
    with caplog.at_level(logging.INFO):
        n.notify("break_due", "Break due", "Stand up", [Action("start", "Start break")])
        n.notify("posture", "Sit tall", "Shoulders back", [Action("ok", "OK")])
        assert n.flush()
    first, second = _calls(log_dir)
    assert first[first.index("-a") + 1] == "sitbreak"
    assert first[first.index("-i") + 1] == icon
    assert int(first[first.index("-t") + 1]) == 60_000  # no buttons, so it must expire
    assert first[-3:] == ["--", "Break due", "Stand up"]
    assert "--print-id" in first
    assert not any(a.startswith("--replace-id") for a in first)
    assert "--replace-id=7" in second  # replaces our previous one
    assert int(second[second.index("-t") + 1]) == 20_000
    # normal urgency for both (GNOME shows low urgency as no banner); the nudge is transient
    assert first[first.index("-u") + 1] == second[second.index("-u") + 1] == "normal"
    assert "boolean:transient:true" not in first
    assert second[second.index("boolean:transient:true") - 1] == "-h"
    assert caplog.text.count("cannot show buttons") == 1  # said once, not per call
    assert n.status() == {"ok": True, "problem": None}


def test_notify_send_failure_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env, _ = _fake_tool(tmp_path, "notify-send", code=1)
    n = PlyerNotifier("", env=env, platform="linux")
    with caplog.at_level(logging.WARNING):
        n.notify("info", "T", "b")
        n.close()
        assert n.flush()
    assert "notify-send exited 1" in caplog.text
    # status tells it (issue 26: it said the notifier was fine after the daemon died)
    assert n.status()["ok"] is False
    assert "notify-send exited 1" in str(n.status()["problem"])


def test_plyer_gets_seconds_and_an_ico_on_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[dict[str, object]] = []

    class FakeNotification:
        def notify(self, **kw: object) -> None:
            seen.append(kw)

    monkeypatch.setattr(plyer, "notification", FakeNotification())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    png = tmp_path / "sitbreak-64.png"
    Image.new("RGBA", (64, 64), (0, 128, 0, 255)).save(png)
    n = PlyerNotifier(str(png), env={}, platform="win32")
    n.notify("heads_up", "Break soon", "One minute")
    assert n.flush()
    (kw,) = seen
    assert kw["app_name"] == "sitbreak"
    assert kw["timeout"] == 15
    assert str(kw["app_icon"]).endswith("notify.ico")
    assert Path(str(kw["app_icon"])).read_bytes()[:4] == b"\x00\x00\x01\x00"  # ICO header


def test_missing_backend_is_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class NoBackend:
        def notify(self, **kw: object) -> None:
            raise NotImplementedError("No usable implementation found!")

    monkeypatch.setattr(plyer, "notification", NoBackend())
    n = PlyerNotifier("", env={"PATH": str(tmp_path)}, platform="win32")
    with caplog.at_level(logging.WARNING):
        n.notify("info", "T", "b")
        assert n.flush()
    assert "no notification backend" in caplog.text


def test_macos_falls_back_to_osascript(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class NoBackend:
        def notify(self, **kw: object) -> None:
            raise NotImplementedError("pyobjus missing")

    monkeypatch.setattr(plyer, "notification", NoBackend())
    env, log_dir = _fake_tool(tmp_path, "osascript")
    n = PlyerNotifier("", env=env, platform="darwin")
    n.notify("posture", 'Sit "tall"', "Shoulders back")
    assert n.flush()
    (call,) = _calls(log_dir)
    assert call[-2:] == ['Sit "tall"', "Shoulders back"]  # passed as data, never as script


def test_stop_hands_over_what_is_queued_then_ends_the_worker(tmp_path: Path) -> None:
    """At exit the app stops every notifier (Notifier.stop): no plyer thread is left behind."""
    env, log_dir = _fake_tool(tmp_path, "notify-send")
    n = PlyerNotifier("", env=env, platform="linux")
    n.notify("info", "Last words", "shown before the thread ends")
    n.stop()
    assert len(_calls(log_dir)) >= 1  # the queued notification was handed over first
    assert not n._worker._thread.is_alive()

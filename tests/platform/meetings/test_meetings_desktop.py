"""Calls seen on a real sound server (PipeWire, WirePlumber and pipewire-pulse in the test): a
capture stream on a microphone holds, a level meter and a recording of what plays do not, a
program's video source being watched is a screen share. Both ways of looking are tried: the
PipeWire graph (pw-dump) and PulseAudio's list (pactl)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.e2e.sitbreak_proc import Sandbox, quick_settings
from tests.e2e.sitbreak_proc import stop as stop_app
from tests.platform.sound.server import MIC, SINK, SoundServer, need, sound_server
from tray_app.core.model import MeetingSettings
from tray_app.platform.meetings import choose
from tray_app.platform.meetings.probe import MeetingProbe

pytestmark = pytest.mark.desktop
METER = Path(__file__).with_name("peak_meter.py")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SoundServer]:
    with sound_server(tmp_path) as s:
        yield s


def probes(server: SoundServer) -> dict[str, MeetingProbe]:
    """The probe as the app picks it here (pw-dump), and one that can only ask pactl."""
    picked = choose.detect(lambda: MeetingSettings(camera_devices=""), server.env)
    assert picked is not None and "pw-dump" in picked.how
    pulse = MeetingProbe(lambda: MeetingSettings(camera_devices=""), server.env, None,
                         need("pactl"), "pactl", cache_s=0)
    graph = MeetingProbe(lambda: MeetingSettings(camera_devices=""), server.env,
                         need("pw-dump"), None, "pw-dump", cache_s=0)
    return {"pw-dump": graph, "pactl": pulse}


def in_use(probe: MeetingProbe, reason: str) -> bool:
    return probe.probes()[reason]()


def start(argv: list[str], server: SoundServer) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, env=server.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def running(server: SoundServer, name: str) -> bool:
    out = subprocess.run([need("pw-dump")], env=server.env, capture_output=True, text=True,
                         timeout=10, check=False).stdout
    return f'"node.name": "{name}"' in out and '"state": "running"' in out


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        proc.kill()
        proc.wait(5)


def test_a_capture_stream_on_the_microphone_holds(server: SoundServer) -> None:
    ways = probes(server)
    for how, probe in ways.items():
        assert not in_use(probe, "microphone in use"), how
    rec = start([need("parec"), "-d", MIC], server)  # writes to a pipe nobody reads: /dev/null
    try:
        for how, probe in ways.items():
            wait_for(lambda p=probe: in_use(p, "microphone in use"), timeout=10,
                     what=f"the capture stream to show ({how})")
            assert f"(pid {rec.pid}) records from a microphone" in \
                probe.status()["microphone"], (how, probe.status())
    finally:
        stop(rec)
    for how, probe in ways.items():
        wait_for(lambda p=probe: not in_use(p, "microphone in use"), timeout=10,
                 what=f"the stream to go ({how})")


def test_a_level_meter_and_a_recording_of_what_plays_do_not_hold(server: SoundServer) -> None:
    ways = probes(server)
    meter = subprocess.Popen([sys.executable, str(METER), MIC], env=server.env,
                             stdout=subprocess.PIPE, text=True)
    assert meter.stdout is not None and meter.stdout.readline() == "ready\n"
    monitor = start([need("parec"), "-d", f"{SINK}.monitor"], server)
    try:
        wait_for(lambda: running(server, "level meter test"), timeout=10, what="the meter")
        time.sleep(0.5)
        for how, probe in ways.items():
            assert not in_use(probe, "microphone in use"), (how, probe.status())
        # The same meter program as a plain recorder of the microphone does hold: it is the
        # PEAK_DETECT flag (and the meter's rate) that tells them apart, not the program.
        rec = start([need("parec"), "-d", MIC, "--rate=16000"], server)
        try:
            for how, probe in ways.items():
                wait_for(lambda p=probe: in_use(p, "microphone in use"), timeout=10,
                         what=f"the recorder beside the meter ({how})")
        finally:
            stop(rec)
    finally:
        stop(meter, monitor)


def test_a_screen_cast_being_watched_is_screen_sharing(server: SoundServer) -> None:
    probe = probes(server)["pw-dump"]
    gst = need("gst-launch-1.0")
    # As the desktop portals make one (xdg-desktop-portal-wlr, KWin): a program's Video/Source.
    cast = start([gst, "-q", "videotestsrc", "is-live=true", "!",
                  "video/x-raw,width=320,height=240,framerate=10/1", "!", "pipewiresink",
                  "mode=provide",
                  "stream-properties=props,node.name=test-screencast,media.class=Video/Source"],
                 server)
    try:
        wait_for(lambda: '"test-screencast"' in subprocess.run(
            [need("pw-dump")], env=server.env, capture_output=True, text=True, timeout=10,
            check=False).stdout, timeout=10, what="the screen cast node")
        time.sleep(0.5)
        assert not in_use(probe, "screen sharing")  # offered, nobody watching
        watcher = start([gst, "-q", "pipewiresrc", "target-object=test-screencast", "!",
                         "video/x-raw", "!", "fakesink"], server)
        try:
            wait_for(lambda: in_use(probe, "screen sharing"), timeout=10,
                     what="the watched cast to count")
            assert probe.status()["screen_sharing"] == \
                "the screen is being shared (test-screencast)"
        finally:
            stop(watcher)
        wait_for(lambda: not in_use(probe, "screen sharing"), timeout=10,
                 what="the share to end")
    finally:
        stop(cast)
    pulse = probes(server)["pactl"]
    assert pulse.status()["screen_sharing"] == "not in use"  # pactl cannot see video at all


@pytest.mark.e2e
@pytest.mark.slow
def test_the_app_holds_a_break_for_a_call_says_why_and_a_setting_turns_it_off(
        server: SoundServer, tmp_path: Path) -> None:
    box = Sandbox(tmp_path, extra_env=server.client_env)
    cfg = quick_settings(tmp_path / "s.toml", break_after="3s", meetings={"camera_devices": ""})
    rec = start([need("parec"), "-d", MIC], server)
    proc = box.start("--console", "--config", str(cfg))
    try:
        box.wait_running(proc)
        time.sleep(5)  # due at 3 s: held
        st = box.status()
        assert st["state"] == "sitting" and st["held_by"] == "microphone in use", st
        assert st["line"].endswith("break waiting (microphone in use)")
        assert f"parec (pid {rec.pid}) records from a microphone" == \
            st["meetings"]["microphone"], st["meetings"]
        assert st["meetings"]["camera"] == "not in use"
        assert "pw-dump" in st["meetings"]["how"]
        # Turned off in the file (as the settings window writes it): offered at once.
        text = cfg.read_text().replace("[meetings]\n", "[meetings]\nmicrophone = false\n")
        cfg.write_text(text)
        st = box.wait_state("break_due", timeout=20)
        assert st["held_by"] is None
        assert st["meetings"]["microphone"] == "not watched"
    finally:
        stop_app(proc)
        stop(rec)

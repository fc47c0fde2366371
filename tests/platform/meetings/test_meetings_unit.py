"""Meetings seen without a sound server: a camera file held open by a real second process, and
the PipeWire graph and PulseAudio lists as pw-dump and pactl write them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tray_app.core.model import MeetingSettings
from tray_app.platform.meetings import camera, pipewire
from tray_app.platform.meetings.probe import MeetingProbe

HOLD_OPEN = "import sys, time; f = open(sys.argv[1], 'rb'); print('open', flush=True); " \
            "time.sleep(60)"


def holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(path)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "open\n"
    return proc


def test_a_second_process_holding_the_camera_open_is_named(tmp_path: Path) -> None:
    cam = tmp_path / "video0"
    cam.write_bytes(b"")
    (tmp_path / "video1").write_bytes(b"")
    pattern = str(tmp_path / "video*")
    assert camera.users(pattern) == []
    proc = holder(cam)
    try:
        found = camera.users(pattern)
        name = Path(f"/proc/{proc.pid}/comm").read_text().strip()
        assert found == [f"{name} (pid {proc.pid}) has {cam} open"]
        probe = MeetingProbe(lambda: MeetingSettings(camera_devices=pattern), {}, None, None,
                             "cameras in /proc", cache_s=0)
        assert probe.probes()["camera in use"]() is True
        assert probe.status()["camera"] == found[0]
        off = MeetingProbe(lambda: MeetingSettings(camera=False, camera_devices=pattern), {},
                           None, None, "x", cache_s=0)
        assert off.probes()["camera in use"]() is False
        assert off.status()["camera"] == "not watched"
        # The same process under a name PipeWire's daemons use is not a call by itself.
        assert camera.users(pattern, servers=frozenset(found[0].split()[:1])) == []
    finally:
        proc.kill()
        proc.wait()
    assert camera.users(pattern) == []
    assert camera.users("") == []


def test_the_probe_looks_once_per_cache_period() -> None:
    now = [0.0]
    looks = []

    def settings() -> MeetingSettings:
        looks.append(now[0])
        return MeetingSettings(camera_devices="")

    probe = MeetingProbe(settings, {}, None, None, "x", cache_s=3, clock=lambda: now[0])
    probes = probe.probes()
    for name in probes:
        assert probes[name]() is False
    assert looks == [0.0]
    now[0] = 3.5
    probes["screen sharing"]()
    assert looks == [0.0, 3.5]


def node(ident: int, state: str, **props: object) -> dict:
    return {"id": ident, "type": "PipeWire:Interface:Node", "info": {"state": state,
                                                                      "props": props}}


def link(out: int, into: int) -> dict:
    return {"id": 1000 + into, "type": "PipeWire:Interface:Link",
            "info": {"output-node-id": out, "input-node-id": into, "state": "active"}}


GRAPH = [
    node(40, "running", **{"media.class": "Audio/Sink", "node.name": "speakers"}),
    node(41, "running", **{"media.class": "Audio/Source", "node.name": "mic"}),
    # a call app recording the microphone
    node(50, "running", **{"media.class": "Stream/Input/Audio", "application.name": "Zoom",
                           "application.process.id": "77", "node.rate": "1/48000"}), link(41, 50),
    # pavucontrol's meter (PEAK_DETECT through pipewire-pulse), and one known only by its rate
    node(51, "running", **{"media.class": "Stream/Input/Audio", "stream.monitor": True,
                           "node.rate": "1/25"}), link(41, 51),
    node(52, "running", **{"media.class": "Stream/Input/Audio", "node.rate": "1/30"}),
    link(41, 52),
    # recording what plays: by property, and by what feeds it
    node(53, "running", **{"media.class": "Stream/Input/Audio", "stream.capture.sink": True}),
    node(54, "running", **{"media.class": "Stream/Input/Audio", "node.name": "obs"}),
    link(40, 54),
    # a capture stream that is paused
    node(55, "idle", **{"media.class": "Stream/Input/Audio"}), link(41, 55),
    # a portal's screen cast being watched, and a camera device in use
    node(60, "running", **{"media.class": "Video/Source", "node.name": "xdpw-stream"}),
    node(61, "running", **{"media.class": "Video/Source", "device.api": "v4l2",
                           "node.description": "Integrated Camera"}),
    node(62, "suspended", **{"media.class": "Stream/Output/Video", "node.name": "idle-cast"}),
]


def test_the_pipewire_graph_tells_calls_from_meters_and_recordings() -> None:
    assert pipewire.microphone_users(GRAPH) == ["Zoom (pid 77) records from a microphone"]
    assert pipewire.screen_casts(GRAPH) == ["the screen is being shared (xdpw-stream)"]
    assert pipewire.camera_streams(GRAPH) == ["Integrated Camera is in use"]
    quiet = [o for o in GRAPH if o["id"] not in (50, 60, 61, 1050)]
    assert pipewire.microphone_users(quiet) == []
    assert pipewire.screen_casts(quiet) == []

"""GNOME Shell's own screen cast, as a video call gets it through the portal: Mutter's
ScreenCast API records the screen into a PipeWire stream; once a program takes the frames
sitbreak counts it as screen sharing, and not before nor after."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.desktop import wait_for
from tests.gnome import gnome_desktop
from tests.platform.sound.server import need, sound_server
from tray_app.core.model import MeetingSettings
from tray_app.platform.meetings.probe import MeetingProbe

pytestmark = [pytest.mark.desktop, pytest.mark.slow]
DEST = "org.gnome.Mutter.ScreenCast"


def test_gnome_shells_screen_cast_is_screen_sharing_while_it_is_watched(tmp_path: Path) -> None:
    with gnome_desktop(tmp_path, session_manager=False) as gnome, \
            sound_server(tmp_path / "sound", Path(gnome.env["XDG_RUNTIME_DIR"])) as server:
        probe = MeetingProbe(lambda: MeetingSettings(camera_devices=""), server.env,
                             need("pw-dump"), None, "pw-dump", cache_s=0)
        sharing = probe.probes()["screen sharing"]
        (session,) = gnome.bus.call(DEST, "/org/gnome/Mutter/ScreenCast", DEST, "CreateSession",
                                    "a{sv}", ({},))
        gnome.bus.call(DEST, session, f"{DEST}.Session", "RecordArea", "iiiia{sv}",
                       (0, 0, 320, 240, {}))
        gnome.bus.call(DEST, session, f"{DEST}.Session", "Start")

        def cast_node() -> int | None:
            out = subprocess.run([need("pw-dump")], env=server.env, capture_output=True,
                                 timeout=10, check=False).stdout
            return next((o["id"] for o in json.loads(out or b"[]")
                         if str(o.get("type", "")).endswith(":Node")
                         and o["info"]["props"].get("media.class") == "Stream/Output/Video"),
                        None)

        node = wait_for(cast_node, timeout=20, what="Mutter's screen-cast stream")
        time.sleep(0.5)
        assert not sharing(), probe.status()  # recorded, but nobody takes the frames yet
        watcher = subprocess.Popen([need("gst-launch-1.0"), "-q", "pipewiresrc", f"path={node}",
                                    "!", "video/x-raw", "!", "fakesink"],
                                   env={**gnome.env, **server.env},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(sharing, timeout=20, what="the watched cast to count")
            assert probe.status()["screen_sharing"] == \
                "the screen is being shared (gnome-shell)"
        finally:
            watcher.kill()
            watcher.wait(5)
        gnome.bus.call(DEST, session, f"{DEST}.Session", "Stop")
        wait_for(lambda: not sharing(), timeout=20, what="the share to end")

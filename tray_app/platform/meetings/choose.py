"""How to see calls here: `detect(settings, env) -> MeetingProbe`.

PipeWire's graph (`pw-dump`) shows microphones, screen casts and cameras served through it;
without PipeWire, PulseAudio's `pactl` shows microphones (screen sharing cannot be seen then).
Cameras opened directly are found in /proc on any Linux. Elsewhere nothing is watched.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable, Mapping

from tray_app.core.model import MeetingSettings
from tray_app.platform.meetings.probe import MeetingProbe
from tray_app.platform.session.kind import pipewire_socket, pulse_server

log = logging.getLogger(__name__)


def detect(settings: Callable[[], MeetingSettings], env: Mapping[str, str] = os.environ,
           platform: str = sys.platform) -> MeetingProbe | None:
    """A probe for this machine, or None where calls cannot be seen (not Linux)."""
    if not platform.startswith("linux"):
        return None
    path = env.get("PATH")
    pw_dump = shutil.which("pw-dump", path=path) if pipewire_socket(env) else None
    pactl = shutil.which("pactl", path=path) if pulse_server(env) else None
    if pw_dump:
        how = "cameras in /proc; microphones, screen sharing and cameras in PipeWire (pw-dump)"
    elif pactl:
        how = ("cameras in /proc; microphones in PulseAudio (pactl); screen sharing cannot be "
               "seen without PipeWire")
    else:
        how = ("cameras in /proc only: no PipeWire with pw-dump (pipewire-bin) and no "
               "PulseAudio with pactl (pulseaudio-utils), so microphones and screen sharing "
               "cannot be seen")
    log.info("meetings: %s", how)
    return MeetingProbe(settings, env, pw_dump, pactl, how)

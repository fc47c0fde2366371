"""A real sound server for tests: PipeWire with WirePlumber and pipewire-pulse on a private
D-Bus session and runtime folder, a null sink as the default output, a virtual microphone, and
a recorder on the sink's monitor whose level can be measured.

Debian packages: pipewire, pipewire-pulse, wireplumber (the server), pulseaudio-utils (pactl,
parec), gstreamer1.0-tools and gstreamer1.0-pipewire (a screen-cast stand-in).
"""

from __future__ import annotations

import array
import contextlib
import math
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.desktop import dbus_session, wait_for

PACKAGES = {"pipewire": "pipewire", "wireplumber": "wireplumber",
            "pipewire-pulse": "pipewire-pulse", "pactl": "pulseaudio-utils",
            "parec": "pulseaudio-utils", "pw-dump": "pipewire-bin", "pw-play": "pipewire-bin",
            "gst-launch-1.0": "gstreamer1.0-tools"}
SINK = "sitbreak_test"
MIC = "sitbreak_mic"
RATE = 16000  # recording rate: plenty for cue tones, small files


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is not installed: run `apt-get install {PACKAGES.get(tool, tool)}` "
                    "(scripts/bootstrap test does)")
    return path


@dataclass
class SoundServer:
    runtime: Path
    env: dict[str, str]  # what a client needs: XDG_RUNTIME_DIR (PipeWire and Pulse sockets)

    @property
    def client_env(self) -> dict[str, str]:
        """What a program with its own XDG_RUNTIME_DIR (a sitbreak sandbox) needs to reach this
        server: both PipeWire and PulseAudio clients honour these."""
        return {"PIPEWIRE_RUNTIME_DIR": str(self.runtime),
                "PULSE_RUNTIME_PATH": str(self.runtime / "pulse")}

    def try_pactl(self, *args: str) -> subprocess.CompletedProcess[str] | None:
        out = subprocess.run([need("pactl"), *args], env=self.env, capture_output=True,
                             text=True, timeout=10, check=False)
        return out if out.returncode == 0 else None

    def pactl(self, *args: str) -> str:
        out = self.try_pactl(*args)
        assert out is not None, f"pactl {' '.join(args)} failed"
        return out.stdout.strip()

    @contextlib.contextmanager
    def recording(self, path: Path) -> Iterator[Recording]:
        """Record the null sink's monitor (what any program plays) into `path` as raw s16."""
        rec = Recording(path)
        with open(path, "wb") as out:
            proc = subprocess.Popen(
                [need("parec"), "-d", f"{SINK}.monitor", "--format=s16le", "--channels=1",
                 f"--rate={RATE}", "--raw", "--latency-msec=20"],
                env=self.env, stdout=out, stderr=subprocess.DEVNULL)
            wait_for(lambda: path.stat().st_size > RATE // 5, timeout=10,
                     what="the recorder to capture")  # it runs: 0.1 s of samples are in
            try:
                yield rec
            finally:
                rec.stopped_wall = time.time()
                proc.send_signal(signal.SIGINT)
                proc.wait(5)


@dataclass
class Recording:
    path: Path
    stopped_wall: float = 0.0

    def samples(self) -> array.array:
        return array.array("h", self.path.read_bytes())

    def wall_of(self, index: int, total: int) -> float:
        """The wall time of sample `index`: counted back from when recording stopped."""
        return self.stopped_wall - (total - index) / RATE

    def rms(self, start_wall: float, end_wall: float) -> float:
        """The RMS level (of full scale, 0..1) between two wall times."""
        s = self.samples()
        total = len(s)
        lo = max(0, total - round((self.stopped_wall - start_wall) * RATE))
        hi = min(total, total - round((self.stopped_wall - end_wall) * RATE))
        part = s[lo:hi]
        if not part:
            return 0.0
        return math.sqrt(sum(v * v for v in part) / len(part)) / 32768

    def onsets(self, threshold: float = 0.01, window_s: float = 0.01,
               gap_s: float = 0.15) -> list[float]:
        """Wall times where the level rises above `threshold` after at least `gap_s` of quiet
        (so one sound with a dip inside it counts once)."""
        s = self.samples()
        total, n = len(s), max(1, int(window_s * RATE))
        out: list[float] = []
        quiet_s = gap_s  # the recording starts quiet
        for i in range(0, total - n, n):
            part = s[i:i + n]
            level = math.sqrt(sum(v * v for v in part) / n) / 32768
            if level > threshold:
                if quiet_s >= gap_s:
                    out.append(self.wall_of(i, total))
                quiet_s = 0.0
            elif level < threshold / 4:
                quiet_s += window_s
        return out


def _start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, env=env, stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


@contextlib.contextmanager
def sound_server(root: Path, runtime: Path | None = None) -> Iterator[SoundServer]:
    """PipeWire + WirePlumber + pipewire-pulse with their sockets in `runtime` (default
    `root/runtime`; a desktop's own runtime folder, so its compositor finds PipeWire)."""
    runtime = runtime or root / "runtime"
    root.mkdir(parents=True, exist_ok=True)
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    procs: list[subprocess.Popen[bytes]] = []
    with dbus_session() as bus:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PIPEWIRE_", "PULSE_"))}
        env.update(XDG_RUNTIME_DIR=str(runtime), DBUS_SESSION_BUS_ADDRESS=bus.address,
                   # root's PipeWire would look for a system-wide folder; keep all of it here
                   PIPEWIRE_RUNTIME_DIR=str(runtime), XDG_CONFIG_HOME=str(root / "config"),
                   XDG_STATE_HOME=str(root / "state"))
        env.pop("DISPLAY", None)
        try:
            procs.append(_start([need("pipewire")], env, root / "pipewire.log"))
            wait_for(lambda: (runtime / "pipewire-0").exists(), timeout=30,
                     what="the PipeWire socket")
            procs.append(_start([need("wireplumber")], env, root / "wireplumber.log"))
            procs.append(_start([need("pipewire-pulse")], env, root / "pipewire-pulse.log"))
            server = SoundServer(runtime, {"XDG_RUNTIME_DIR": str(runtime),
                                           "PATH": os.environ.get("PATH", "")})
            wait_for(lambda: (runtime / "pulse" / "native").exists(), timeout=30,
                     what="the pipewire-pulse socket")
            # Just after start pipewire-pulse can answer "Not supported": try again.
            wait_for(lambda: server.try_pactl("load-module", "module-null-sink",
                                              f"sink_name={SINK}"), timeout=30, interval=0.2,
                     what="the null sink")
            wait_for(lambda: server.try_pactl("load-module", "module-null-sink",
                                              "media.class=Audio/Source/Virtual",
                                              f"sink_name={MIC}"), timeout=30, interval=0.2,
                     what="the virtual microphone")

            def defaults_set() -> bool:  # WirePlumber picks the only sink as the default
                if server.try_pactl("set-default-sink", SINK) is None:
                    return False  # the new sink is not registered yet
                return f"Default Sink: {SINK}" in server.pactl("info")

            wait_for(defaults_set, timeout=30, interval=0.2, what="the null sink as default")
            yield server
        finally:
            for proc in reversed(procs):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)

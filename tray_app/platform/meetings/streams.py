"""What a capture stream's properties say, the same whether pw-dump or pactl listed it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TIMEOUT_S = 3.0  # pw-dump and pactl answer in a few ms; a hung server must not hang us
METER_RATE_HZ = 1000  # level meters read a few dozen values a second; a voice needs 8000+


def flag(props: Mapping[str, Any], key: str) -> bool:
    """A true property: pw-dump writes JSON true, pactl the string "true"."""
    return str(props.get(key)).lower() == "true"


def is_meter(props: Mapping[str, Any], rate: float | None) -> bool:
    """A passive level meter (pavucontrol, GNOME's sound settings): pipewire-pulse marks
    PulseAudio's PEAK_DETECT streams `stream.monitor`; PulseAudio itself shows no flag, so the
    stream name those meters use and their tiny rate tell them too."""
    if flag(props, "stream.monitor") or props.get("media.name") == "Peak detect":
        return True
    return rate is not None and rate < METER_RATE_HZ


def records_playback(props: Mapping[str, Any]) -> bool:
    """A recording of what plays (a sink's monitor), not of a microphone."""
    return flag(props, "stream.capture.sink")


def who(props: Mapping[str, Any]) -> str:
    name = props.get("application.name") or props.get("node.name") \
        or props.get("media.name") or "a program"
    pid = props.get("application.process.id")
    return f"{name} (pid {pid})" if pid else str(name)


def run_json(argv: list[str], env: Mapping[str, str], timeout: float = TIMEOUT_S) -> Any:
    """A command's JSON output; OSError saying why when it fails or hangs."""
    import json
    import subprocess

    try:
        out = subprocess.run(argv, env=dict(env), capture_output=True, timeout=timeout,
                             check=False)
    except subprocess.TimeoutExpired:
        raise OSError(f"{argv[0]} did not answer within {timeout:g} s") from None
    if out.returncode != 0:
        err = out.stderr.decode(errors="replace").strip()[:200]
        raise OSError(f"{argv[0]} failed with exit code {out.returncode}: {err}")
    try:
        return json.loads(out.stdout or b"[]")
    except ValueError as exc:
        raise OSError(f"{argv[0]} wrote something that is not JSON ({exc})") from None

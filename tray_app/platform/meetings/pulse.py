"""A microphone in use as PulseAudio (or pipewire-pulse) tells it: `pactl list source-outputs`.

A capture stream counts when it records from a real source (not a sink's monitor), is not
corked, and is not a level meter: PulseAudio does not show the PEAK_DETECT flag itself, so a
meter is known by pipewire-pulse's `stream.monitor` mark, pavucontrol's and GNOME's stream name
"Peak detect", or a rate of a few dozen samples a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tray_app.platform.meetings.streams import is_meter, records_playback, run_json, who


def _list(program: str, what: str, env: Mapping[str, str]) -> list[dict[str, Any]]:
    data = run_json([program, "--format=json", "list", what], env)
    return data if isinstance(data, list) else []


def _rate(spec: Any) -> float | None:
    """'float32le 1ch 25Hz' -> 25.0."""
    for part in str(spec).split():
        if part.endswith("Hz") and part[:-2].isdigit():
            return float(part[:-2])
    return None


def _is_monitor(source: Mapping[str, Any]) -> bool:
    """A sink's monitor (what plays), not a microphone. pactl 16 writes the sink a monitor
    belongs to under `monitor_source` in JSON (its text output says "Monitor of Sink")."""
    of = [source.get(k) for k in ("monitor_of_sink", "monitor_source")]
    props = source.get("properties") or {}
    return any(v not in (None, "", "n/a") for v in of) or props.get("device.class") == "monitor" \
        or str(source.get("name", "")).endswith(".monitor")


def microphone_users(program: str, env: Mapping[str, str]) -> list[str]:
    monitors = {s.get("index") for s in _list(program, "sources", env) if _is_monitor(s)}
    out = []
    for o in _list(program, "source-outputs", env):
        props = o.get("properties") or {}
        rate = _rate(o.get("sample_specification"))
        if o.get("corked") or o.get("source") in monitors:
            continue
        if is_meter(props, rate) or records_playback(props):
            continue
        out.append(f"{who(props)} records from a microphone")
    return out

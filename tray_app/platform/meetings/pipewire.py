"""What PipeWire's graph says about calls: `pw-dump` lists every node with its state.

- a microphone in use: a capture stream (`Stream/Input/Audio`) that is running, and is not a
  level meter (pipewire-pulse marks PulseAudio's PEAK_DETECT streams `stream.monitor`, and
  they run at a few dozen samples a second) nor a recording of what plays (`stream.capture.sink`);
- a screen share: a video source made by a program rather than a device (`Video/Source` or
  `Stream/Output/Video` without `device.api`), running, which is how GNOME, KDE and wlroots
  portals hand a screen cast to a browser or a call app;
- a camera through PipeWire: a camera device node (`Video/Source` with `device.api` v4l2 or
  libcamera) running.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tray_app.platform.meetings.streams import is_meter, records_playback, run_json, who


def dump(program: str, env: Mapping[str, str]) -> list[dict[str, Any]]:
    """The graph's nodes and links (`{"id", "type", "info"}` each); OSError saying why not."""
    objects = run_json([program, "--no-colors"], env)
    return [o for o in objects if isinstance(o, dict)
            and str(o.get("type", "")).endswith((":Node", ":Link"))]


def _nodes(graph: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o.get("info") or {} for o in graph if str(o.get("type", "")).endswith(":Node")]


def _fed_by(graph: list[dict[str, Any]]) -> dict[Any, set[str]]:
    """Node id -> the media classes of the nodes linked into it."""
    classes = {o.get("id"): _props(o.get("info") or {}).get("media.class", "")
               for o in graph if str(o.get("type", "")).endswith(":Node")}
    out: dict[Any, set[str]] = {}
    for o in graph:
        if str(o.get("type", "")).endswith(":Link"):
            info = o.get("info") or {}
            out.setdefault(info.get("input-node-id"), set()).add(
                str(classes.get(info.get("output-node-id"), "")))
    return out


def _props(node: Mapping[str, Any]) -> Mapping[str, Any]:
    props = node.get("props")
    return props if isinstance(props, Mapping) else {}


def rate_hz(value: Any) -> float | None:
    """'1/44100' (node.rate) -> 44100.0."""
    try:
        num, den = str(value).split("/")
        return int(den) / int(num)
    except (ValueError, ZeroDivisionError):
        return None


def _running(node: Mapping[str, Any]) -> bool:
    return node.get("state") == "running"


def microphone_users(graph: list[dict[str, Any]]) -> list[str]:
    """Running capture streams fed by a source: not by a sink's monitor (a recording of what
    plays), not level meters. A stream not linked yet is judged by its properties."""
    fed = _fed_by(graph)
    out = []
    for o in graph:
        node = o.get("info") or {}
        p = _props(node)
        if p.get("media.class") != "Stream/Input/Audio" or not _running(node):
            continue
        if is_meter(p, rate_hz(p.get("node.rate"))) or records_playback(p):
            continue
        inputs = fed.get(o.get("id"), set())
        if inputs and not any(c.startswith("Audio/Source") for c in inputs):
            continue  # fed by a sink (what plays) or another program's stream
        out.append(f"{who(p)} records from a microphone")
    return out


def _running_video(graph: list[dict[str, Any]], device: bool) -> list[Mapping[str, Any]]:
    """Properties of running video sources made by a device (cameras) or a program (casts)."""
    out = []
    for node in _nodes(graph):
        p = _props(node)
        if p.get("media.class") in ("Video/Source", "Stream/Output/Video") \
                and ("device.api" in p) == device and _running(node):
            out.append(p)
    return out


def screen_casts(graph: list[dict[str, Any]]) -> list[str]:
    """Named by the stream: GNOME's is "gnome-shell", a portal's its own (xdpw-stream...)."""
    return [f"the screen is being shared ({p.get('node.name') or 'a screen cast'})"
            for p in _running_video(graph, device=False)]


def camera_streams(graph: list[dict[str, Any]]) -> list[str]:
    return [f"{p.get('node.description') or p.get('node.name') or 'a camera'} is in use"
            for p in _running_video(graph, device=True)]

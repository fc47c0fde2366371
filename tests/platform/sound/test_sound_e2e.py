"""The real app's sounds, heard: PipeWire with a null sink runs in the test, a recorder on the
sink's monitor takes what sitbreak plays, and its level is measured around the break."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.desktop import dbus_session, dunst, dunst_config, xvfb
from tests.e2e.sitbreak_proc import Sandbox, quick_settings, stop
from tests.platform.sound.server import SoundServer, sound_server
from tray_app.exercises.loader import read_builtin

pytestmark = [pytest.mark.desktop, pytest.mark.e2e, pytest.mark.slow]

SILENCE = 0.0005  # RMS of full scale: a null sink playing nothing gives exactly 0
HEARD = 0.005  # the quietest cue at volume 100 is about 0.02
# Where to keep the measured numbers (levels, latencies) for a report; unset: not kept.
MEASURED = os.environ.get("SITBREAK_SOUND_MEASURED")


def rows(box: Sandbox, kind: str) -> list[float]:
    with sqlite3.connect(box.history) as db:
        return [w for (w,) in db.execute("SELECT wall FROM events WHERE kind = ? ORDER BY id",
                                         (kind,))]


def note(**numbers: float) -> None:
    if not MEASURED:
        return
    path = Path(MEASURED)
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **{k: round(v, 4) for k, v in numbers.items()}},
                                   indent=1) + "\n")


@pytest.fixture
def server(tmp_path: Path):
    with sound_server(tmp_path) as s:
        yield s


def run_until_due(server: SoundServer, root: Path, **sound: object) -> tuple[Sandbox, dict,
                                                                              object, float]:
    box = Sandbox(root, extra_env=server.client_env)
    cfg = quick_settings(root / "s.toml", break_after="3s", sound=sound)
    with server.recording(root / "rec.raw") as rec:
        started = time.time()
        proc = box.start("--console", "--config", str(cfg))
        try:
            box.wait_running(proc)
            box.wait_state("break_due", timeout=20)
            time.sleep(1.5)  # the start cue (~1 s) plays out
            st = box.status()
        finally:
            stop(proc)
    return box, st, rec, started


def test_a_due_break_is_heard_on_the_null_sink_soon_after_it_falls_due(
        server: SoundServer, tmp_path: Path) -> None:
    box, st, rec, started = run_until_due(server, tmp_path, volume=100)
    offered = rows(box, "break_offered")[0]
    assert st["sound"]["player"] == "pw-play (PipeWire)", st["sound"]
    assert st["sound"]["last"].startswith("start: message-new-instant.oga (freedesktop sound "
                                          "theme) at 100% via pw-play"), st["sound"]
    before = rec.rms(started + 0.5, offered - 0.2)
    during = rec.rms(offered, offered + 1.2)
    assert before < SILENCE, "a sound before the break fell due"
    assert during > HEARD, f"the break's start was not heard (RMS {during:.5f})"
    onsets = [t - offered for t in rec.onsets() if t > offered - 0.1]
    assert onsets and onsets[0] < 1.0, onsets  # heard within a second of falling due
    note(start_rms_volume_100=during, silence_before_rms=before, start_latency_s=onsets[0])


def test_volume_scales_the_level_and_off_is_silent(server: SoundServer, tmp_path: Path) -> None:
    box, _, rec, _ = run_until_due(server, tmp_path / "half", volume=25)
    offered = rows(box, "break_offered")[0]
    quiet = rec.rms(offered, offered + 1.2)
    assert quiet > HEARD / 10, quiet
    loud_box, _, loud_rec, _ = run_until_due(server, tmp_path / "full", volume=100)
    loud_at = rows(loud_box, "break_offered")[0]
    loud = loud_rec.rms(loud_at, loud_at + 1.2)
    # pw-play's --volume is a linear factor on the samples: 25% gives a quarter of the level
    assert 0.1 < quiet / loud < 0.5, (quiet, loud)
    off_box, off_st, off_rec, started = run_until_due(server, tmp_path / "off", enabled=False)
    off_at = rows(off_box, "break_offered")[0]
    assert off_rec.rms(started, off_at + 1.5) < SILENCE
    assert off_st["sound"]["last"] is None
    note(start_rms_volume_25=quiet, start_rms_volume_100_again=loud,
         off_rms=off_rec.rms(started, off_at + 1.5))


def whole_break(server: SoundServer, root: Path, env: dict[str, str] | None = None,
                **meetings: object) -> tuple[Sandbox, object, float, dict, float, dict]:
    """`break-now` on the fast clock (a 1-minute break in ~8 s) until it ends by itself.
    Returns the sandbox, the recording, when it was asked (real time: the history's times run
    on the fast clock), the status then, when it was over and the status after."""
    box = Sandbox(root, extra_env={"SITBREAK_CLOCK_SPEED": "8", **server.client_env,
                                   **(env or {})})
    cfg = quick_settings(root / "s.toml", break_after="30m", meetings=meetings,
                         breaks={"heads_up": "0", "length": "1m"}, sound={"volume": 100})
    with server.recording(root / "rec.raw") as rec:
        proc = box.start("--console", "--config", str(cfg))
        try:
            box.wait_running(proc)
            asked = time.time()
            assert box.cli("break-now").returncode == 0
            during = box.status()
            box.wait_state("sitting", timeout=60)
            over = time.time()
            time.sleep(1.5)
            after = box.status()
        finally:
            stop(proc)
    return box, rec, asked, during, over, after


def test_each_step_and_the_end_are_heard_on_the_fast_clock(server: SoundServer,
                                                           tmp_path: Path) -> None:
    _, rec, asked, during, over, st = whole_break(server, tmp_path)
    brk = during["break"]
    steps = {ex.id: len(ex.steps) for ex in read_builtin()}
    expected = sum(steps[i] for i in brk["routine"])  # each step after the first, and the end
    onsets = [t for t in rec.onsets() if asked - 0.1 < t < over + 1.0]
    assert st["sound"]["last"].startswith("end: complete.oga"), st["sound"]
    heard = [round(o - asked, 3) for o in onsets]
    assert len(onsets) == expected, (heard, round(over - asked, 3), brk)
    assert abs(onsets[-1] - over) < 1.0, onsets[-1] - over
    assert rec.rms(asked - 1.0, onsets[0] - 0.05) < SILENCE  # break-now: the user is there
    note(steps_and_end_heard=len(onsets), end_heard_after_break_over_s=onsets[-1] - over)


def hold_open(path: Path) -> subprocess.Popen[str]:
    """A second process that keeps `path` open, as a call app keeps the camera."""
    path.write_bytes(b"")
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; f = open(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(120)", str(path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    return holder


def test_a_camera_in_use_holds_the_break_and_keeps_it_silent(server: SoundServer,
                                                              tmp_path: Path) -> None:
    cam = tmp_path / "video0"
    holder = hold_open(cam)
    box = Sandbox(tmp_path, extra_env=server.client_env)
    cfg = quick_settings(tmp_path / "s.toml", break_after="3s", sound={"volume": 100},
                         meetings={"camera_devices": str(tmp_path / "video*")})
    with server.recording(tmp_path / "rec.raw") as rec:
        proc = box.start("--console", "--config", str(cfg))
        try:
            box.wait_running(proc)
            time.sleep(5)  # the break falls due at 3 s, and waits
            held = box.status()
            holder.kill()
            holder.wait()
            released = time.time()
            box.wait_state("break_due", timeout=20)
            due = time.time()
            time.sleep(1.5)
        finally:
            stop(proc)
            if holder.poll() is None:
                holder.kill()
    assert held["state"] == "sitting" and held["held_by"] == "camera in use", held
    assert held["line"].endswith("break waiting (camera in use)")
    assert held["meetings"]["camera"].endswith(f"(pid {holder.pid}) has {cam} open")
    assert rec.rms(released - 4.5, released) < SILENCE  # held: nothing offered, nothing heard
    offered = rows(box, "break_offered")[0]
    assert rec.rms(offered, offered + 1.2) > HEARD  # offered once the camera closed
    note(camera_release_to_offer_s=offered - released, release_seen_within_s=due - released)


def test_a_break_taken_during_a_call_makes_no_sound(server: SoundServer, tmp_path: Path) -> None:
    holder = hold_open(tmp_path / "video0")
    try:  # asked for with break-now: it runs in the call, quietly
        box, rec, asked, held, over, st = whole_break(
            server, tmp_path, camera_devices=str(tmp_path / "video*"))
    finally:
        holder.kill()
        holder.wait()
    assert held["state"] == "on_break" and held["held_by"] == "camera in use", held
    assert rows(box, "completed")  # it ran to its end
    assert rec.rms(asked, over + 1.0) < SILENCE
    assert st["sound"]["last"] is None


def test_a_break_taken_during_do_not_disturb_makes_no_sound(server: SoundServer,
                                                            tmp_path: Path) -> None:
    with xvfb() as display, dbus_session() as bus, \
            dunst(display, bus, dunst_config(tmp_path)):
        subprocess.run(["dunstctl", "set-paused", "true"], check=True, timeout=10,
                       env=display.env(DBUS_SESSION_BUS_ADDRESS=bus.address))
        _, rec, asked, held, over, st = whole_break(
            server, tmp_path, env={"DBUS_SESSION_BUS_ADDRESS": bus.address})
    assert held["held_by"] == "do not disturb", held
    assert rec.rms(asked, over + 1.0) < SILENCE
    assert st["sound"]["last"] is None

"""The sound theme lookup, the shipped sounds, the player choice and its fallbacks."""

from __future__ import annotations

import io
import subprocess
import sys
import wave
from pathlib import Path

from tray_app.platform.sound import choose, theme
from tray_app.platform.sound.player import SoundPlayer
from tray_app.platform.sound.players import APLAY, PAPLAY, PW_PLAY, Backend, Command
from tray_app.platform.sound.wave import NOTES, scaled, tone
from tray_app.support.resources import SOUNDS, packaged

ROOT = Path(__file__).resolve().parents[3]


def _theme(base: Path, name: str, index: str, files: dict[str, str]) -> None:
    folder = base / "sounds" / name
    folder.mkdir(parents=True)
    if index:
        (folder / "index.theme").write_text(index)
    for rel in files:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(b"x")


def test_the_theme_spec_lookup_inherits_prefers_stereo_and_strips_names(tmp_path: Path) -> None:
    home, system = tmp_path / "home", tmp_path / "usr"
    _theme(home, "mine", "[Sound Theme]\nName=Mine\nInherits=base\nDirectories=5.1,stereo\n"
           "[5.1]\nOutputProfile=5.1\n[stereo]\nOutputProfile=stereo\n",
           {"5.1/bell.oga": "", "stereo/bell.oga": "", "stereo/complete.disabled": ""})
    _theme(system, "base", "[Sound Theme]\nDirectories=stereo\n[stereo]\nOutputProfile=stereo\n",
           {"stereo/message.ogg": ""})
    _theme(system, "freedesktop", "[Sound Theme]\nDirectories=stereo\n",
           {"stereo/dialog-information.oga": ""})
    env = {"XDG_DATA_HOME": str(home), "XDG_DATA_DIRS": str(system)}
    found = theme.find(["bell"], "mine", env)
    assert found is not None and found.path == home / "sounds/mine/stereo/bell.oga"
    # Not in "mine": its parent has "message", found by stripping "-new-instant".
    found = theme.find(["message-new-instant"], "mine", env)
    assert found is not None and found.path == system / "sounds/base/stereo/message.ogg"
    assert (found.name, found.theme) == ("message", "base")
    # The theme turned this sound off: silence, not a fallback to another theme.
    disabled = theme.find(["complete"], "mine", env)
    assert disabled is not None and disabled.path is None
    # freedesktop is always the last resort.
    last = theme.find(["dialog-information"], "mine", env)
    assert last is not None and last.path is not None and "freedesktop" in str(last.path)
    assert theme.find(["nothing-like-it"], "mine", env) is None
    # A loop of themes inheriting each other ends.
    _theme(home, "a", "[Sound Theme]\nInherits=b\n", {})
    _theme(home, "b", "[Sound Theme]\nInherits=a\n", {})
    assert theme.find(["bell"], "a", env) is None


def test_the_shipped_sounds_are_what_the_script_draws_and_the_wheel_ships_them() -> None:
    folder = packaged(SOUNDS)
    for cue, notes in NOTES.items():
        shipped = (folder / f"sitbreak-{cue}.wav").read_bytes()
        assert shipped == tone(notes), f"run scripts/make_sounds.py ({cue} differs)"
        with wave.open(io.BytesIO(shipped)) as w:
            seconds = w.getnframes() / w.getframerate()
        assert 0.1 < seconds < 0.8, (cue, seconds)  # short: a cue, not a tune
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"data/sounds/sitbreak-*.wav"' in pyproject


def test_scaled_multiplies_every_sample() -> None:
    data = tone(NOTES["step"])
    with wave.open(io.BytesIO(data)) as w:
        loud = max(abs(int.from_bytes(w.readframes(1), "little", signed=True))
                   for _ in range(w.getnframes()))
    half = scaled(data, 0.5)
    with wave.open(io.BytesIO(half)) as w:
        quiet = max(abs(int.from_bytes(w.readframes(1), "little", signed=True))
                    for _ in range(w.getnframes()))
    assert abs(quiet - loud / 2) <= 1
    assert scaled(data, 0.0) != data


def _which(*present: str):
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_players_count_only_where_their_server_answers(tmp_path: Path) -> None:
    env = {"XDG_RUNTIME_DIR": str(tmp_path), "PATH": "/usr/bin"}
    none, why = choose.usable(env, "linux", _which("pw-play", "paplay", "aplay"),
                              alsa=lambda: False, routed=lambda pw, pa: pw or pa)
    assert none == []
    assert why.startswith("silent: pw-play: no PipeWire socket; paplay: no PulseAudio server;")
    assert "canberra-gtk-play not installed" in why and "install pipewire-bin" in why
    (tmp_path / "pipewire-0").touch()
    (tmp_path / "pulse").mkdir()
    (tmp_path / "pulse" / "native").touch()
    found, why = choose.usable(env, "linux", _which("pw-play", "paplay", "aplay"),
                               alsa=lambda: True)
    assert [b for b, _ in found] == [PW_PLAY, PAPLAY, APLAY]
    assert why == f"pw-play through PipeWire ({tmp_path / 'pipewire-0'})"
    found, why = choose.usable({"PULSE_SERVER": "tcp:host"}, "linux", _which("paplay", "aplay"),
                               alsa=lambda: False, routed=lambda pw, pa: pa)
    assert [b for b, _ in found] == [PAPLAY, APLAY] and "tcp:host" in why  # aplay via the plugin
    assert choose.usable({}, "win32")[0] == []


def _backend(name: str, argv: list[str]) -> Backend:
    return Backend(name, "test", True, lambda program, path, volume, wav: Command(argv))


def test_a_failing_player_is_dropped_for_the_next_and_status_says_why(tmp_path: Path) -> None:
    broken = _backend("broken", [sys.executable, "-c", "import sys; sys.exit('no sink here')"])
    works = _backend("works", [sys.executable, "-c", "pass"])
    player = SoundPlayer([(broken, "broken"), (works, "works")], "broken through test",
                         packaged(SOUNDS), env={"PATH": "/usr/bin", "XDG_DATA_DIRS": "/none"})
    player.play("start", 0.5)
    assert "sitbreak-start.wav (shipped with sitbreak) at 50% via broken" in player.last
    player._running[0][0].wait(10)
    status = player.status()
    assert status["player"] == "works (test)"
    assert status["problem"] == "broken failed with exit code 1: no sink here; using works now"
    player.play("end", 1.0)
    assert player.last.endswith("via works")
    player._running[0][0].wait(10)
    assert player.status()["problem"].startswith("broken failed")  # works did not fail
    # None left: silent, saying why.
    gone = SoundPlayer([(broken, "broken")], "broken", packaged(SOUNDS), env={})
    gone.play("step", 1.0)
    gone._running[0][0].wait(10)
    st = gone.status()
    assert st["player"] is None and st["why"].startswith("silent: broken failed")
    assert st["problem"].endswith("no other player works here, so breaks are silent")


def test_a_player_that_cannot_start_is_dropped_at_once() -> None:
    missing = _backend("missing", ["/nonexistent/player"])
    player = SoundPlayer([(missing, "missing")], "missing", packaged(SOUNDS), env={})
    player.play("start", 1.0)
    assert player.status()["player"] is None
    assert "missing could not be started" in player.status()["problem"]


def test_aplay_gets_the_shipped_wav_scaled_on_its_input() -> None:
    seen: list[tuple[list[str], bytes]] = []

    class Proc:
        def __init__(self, argv: list[str], **kw: object) -> None:
            self.stdin = io.BytesIO()
            self.stdin.close = lambda: seen.append((argv, self.stdin.getvalue()))  # type: ignore
            self.stderr = None

        def poll(self) -> int:
            return 0

    player = SoundPlayer([(APLAY, "/usr/bin/aplay")], "aplay", packaged(SOUNDS), env={},
                         spawn=Proc)
    player.play("step", 0.25)
    argv, data = seen[0]
    assert argv == ["/usr/bin/aplay", "-q", "-"]
    shipped = (packaged(SOUNDS) / "sitbreak-step.wav").read_bytes()
    assert data == scaled(shipped, 0.25)
    player.play("step", 0.0)  # volume 0: nothing starts
    assert len(seen) == 1


def test_volume_reaches_each_players_command_line(tmp_path: Path) -> None:
    f = tmp_path / "x.oga"
    assert PW_PLAY.build("pw-play", f, 0.7, None).argv[1:3] == ["--media-role=sitbreak",
                                                                 "--volume=0.700"]
    assert PAPLAY.build("paplay", f, 0.5, None).argv[1] == "--volume=32768"
    assert subprocess.list2cmdline(PW_PLAY.build("pw-play", f, 1, None).argv).endswith(str(f))


def test_the_desktops_theme_is_asked_for_at_the_first_sound(tmp_path: Path) -> None:
    """GNOME keeps the theme in gsettings (Ubuntu: "Yaru"); read with the keyfile backend."""
    settings = tmp_path / "config" / "glib-2.0" / "settings"
    settings.mkdir(parents=True)
    (settings / "keyfile").write_text("[org/gnome/desktop/sound]\ntheme-name='mine'\n")
    env = {"GSETTINGS_BACKEND": "keyfile", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "GSETTINGS_SCHEMA_DIR": "/usr/share/glib-2.0/schemas",
           "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_DATA_DIRS": str(tmp_path / "none")}
    assert theme.desktop_theme(env) == "mine"
    assert theme.desktop_theme({"PATH": str(tmp_path)}) == "freedesktop"  # no gsettings
    _theme(tmp_path / "data", "mine", "[Sound Theme]\nDirectories=stereo\n",
           {"stereo/complete.oga": ""})
    ran: list[list[str]] = []

    class Proc:
        def __init__(self, argv: list[str], **kw: object) -> None:
            ran.append(argv)
            self.stdin = self.stderr = None

        def poll(self) -> int:
            return 0

    player = SoundPlayer([(PW_PLAY, "/usr/bin/pw-play")], "pw-play", packaged(SOUNDS), env,
                         spawn=Proc)
    player.play("end", 1.0)
    assert ran[0][-1] == str(tmp_path / "data/sounds/mine/stereo/complete.oga")
    assert "(mine sound theme)" in (player.last or "")
    player.play("step", 1.0)  # not in "mine" nor in a freedesktop theme here: shipped
    assert ran[1][-1].endswith("sitbreak-step.wav")

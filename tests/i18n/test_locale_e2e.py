"""Issue 27: sitbreak run under another locale speaks its language (LANGUAGE=de LANG=de_DE).

The command line's help (argparse's own words too), the running app's status line as
`sitbreak status` prints it, its break notification as a real dunst receives it, its tray menu
as a panel reads it over D-Bus, and the settings window's title read by xdotool on Xvfb.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop import Display, background, dbus_session, dunst, dunst_config, require, wait_for
from tests.e2e.sitbreak_proc import MAIN, ROOT, Sandbox, quick_settings, stop

# As a German desktop sets it (tests/conftest.py's SITBREAK_LANGUAGE=en emptied).
GERMAN = {"LANGUAGE": "de", "LANG": "de_DE.UTF-8", "LC_ALL": "", "LC_MESSAGES": "",
          "SITBREAK_LANGUAGE": ""}


@pytest.mark.e2e
def test_the_help_follows_the_locale_and_the_override(tmp_path: Path) -> None:
    help_de = Sandbox(tmp_path, GERMAN).cli("--help")
    assert help_de.returncode == 0, help_de.stderr
    assert help_de.stdout.startswith("Aufruf: sitbreak")
    assert "jetzt eine Pause beginnen" in help_de.stdout
    assert "Optionen:" in help_de.stdout
    help_pl = Sandbox(tmp_path, {**GERMAN, "SITBREAK_LANGUAGE": "pl"}).cli("pause", "--help")
    assert help_pl.stdout.startswith("użycie: sitbreak pause"), help_pl.stdout
    assert "Przestań liczyć na jakiś czas." in help_pl.stdout  # the command's description
    english = Sandbox(tmp_path, {"LANG": "C.UTF-8", "LANGUAGE": "", "SITBREAK_LANGUAGE": ""}
                      ).cli("--help")
    assert english.stdout.startswith("usage: sitbreak")


@pytest.mark.e2e
def test_status_says_the_line_in_the_apps_language(tmp_path: Path) -> None:
    sandbox = Sandbox(tmp_path, GERMAN)
    config = quick_settings(tmp_path / "s.toml", break_after="50m")
    proc = sandbox.start("--console", "--no-window", "--config", str(config))
    try:
        sandbox.wait_running(proc)
        line = sandbox.cli("status").stdout
        assert line.startswith("Sitzzeit "), line
        assert " · Pause in " in line, line
        status = sandbox.status()
        assert status["state"] == "sitting"  # the machine's fields stay as they are
        assert status["line"].startswith("Sitzzeit ")
    finally:
        stop(proc)


@pytest.mark.e2e
def test_the_language_setting_wins_over_the_desktop_and_applies_on_reload(tmp_path: Path) -> None:
    sandbox = Sandbox(tmp_path, GERMAN)
    config = quick_settings(tmp_path / "s.toml", break_after="50m", general={"language": "fr"})
    proc = sandbox.start("--console", "--no-window", "--config", str(config))
    try:
        sandbox.wait_running(proc)
        assert sandbox.status()["line"].startswith("Assis depuis "), sandbox.output()
        config.write_text(config.read_text().replace('"fr"', '""'))
        assert sandbox.cli("reload").returncode == 0
        assert sandbox.status()["line"].startswith("Sitzzeit ")  # the desktop's German again
    finally:
        stop(proc)


@pytest.mark.e2e
@pytest.mark.desktop
def test_the_settings_window_title_is_german(tmp_path: Path, display: Display) -> None:
    require("xdotool")
    sandbox = Sandbox(tmp_path, {**GERMAN, "DISPLAY": display.name, "NO_AT_BRIDGE": "1"})
    config = quick_settings(tmp_path / "s.toml")
    with background([sys.executable, MAIN, "settings", "--config", str(config)], sandbox.env,
                    cwd=ROOT):
        found = wait_for(lambda: display.run("xdotool", "search", "--name",
                                             "^sitbreak-Einstellungen, ", check=False).split(),
                         timeout=30, what="the settings window")
        title = display.run("xdotool", "getwindowname", found[0]).strip()
    assert title == f"sitbreak-Einstellungen, {config}"


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.desktop
def test_the_break_notification_is_german(tmp_path: Path, display: Display) -> None:
    require("dunst")
    require("dbus-monitor")
    with dbus_session() as bus, dunst(display, bus, dunst_config(tmp_path)):
        monitor = subprocess.Popen(
            ["dbus-monitor", "--address", bus.address,
             "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
        )
        box = Sandbox(tmp_path, {**GERMAN, "DBUS_SESSION_BUS_ADDRESS": bus.address})
        cfg = quick_settings(tmp_path / "s.toml", snooze={"options": ["1m"]})
        proc = box.start("--no-window", "--console", "--config", str(cfg))
        try:
            box.wait_running(proc)
            box.wait_state("break_due", timeout=20)
        finally:
            assert stop(proc) == 0
            monitor.terminate()
        captured = monitor.communicate(timeout=10)[0]
    assert 'string "Zeit für Bewegung"' in captured  # the summary
    assert re.search(r"Sie sitzen seit \d+ s\. Stehen Sie auf", captured), captured  # the body
    for button in ('"Pause starten"', '"1 Min. verschieben"', '"Überspringen"'):
        assert f"string {button}" in captured, captured


@pytest.mark.e2e
@pytest.mark.desktop
def test_the_tray_menu_is_german_as_a_host_reads_it(tmp_path: Path) -> None:
    """The real app's StatusNotifierItem menu over D-Bus (the dbusmenu a panel shows)."""
    from tests.tray.test_sni_bus import watcher
    from tests.tray.test_sni_waybar import item_owner, menu_labels

    with dbus_session() as bus, watcher(bus):
        env = {**GERMAN, "DBUS_SESSION_BUS_ADDRESS": bus.address, "SITBREAK_TRAY_BACKEND": "sni"}
        box = Sandbox(tmp_path, env)
        proc = box.start("--config", str(quick_settings(tmp_path / "s.toml", break_after="50m")))
        try:
            box.wait_running(proc)
            item = wait_for(lambda: _owner(item_owner, box.env, proc.pid), timeout=40,
                            what="the tray item on the bus")
            labels = [label for _id, label in menu_labels(box.env, item)]
        finally:
            stop(proc)
    assert labels[0].startswith("Sitzzeit "), labels  # the status line
    for label in ("Jetzt eine Pause machen", "Unterbrechen", "Einstellungen …", "Statistik",
                  "Beenden"):
        assert label in labels, labels


def _owner(item_owner, env: dict[str, str], pid: int) -> str | None:
    try:
        return item_owner(env, pid)
    except Exception:  # not on the bus yet
        return None


def _builtin_names() -> dict[str, str]:
    """Each built-in exercise's English name -> its German one (from the shipped catalogue)."""
    from tray_app.core.exercise import PLACES
    from tray_app.core.model import ExerciseSettings
    from tray_app.exercises.loader import load_catalogue
    from tray_app.support import i18n

    german = i18n.load("de")
    return {e.name: german.gettext(e.name)
            for e in load_catalogue(ExerciseSettings(places=PLACES))}


@pytest.mark.e2e
def test_exercises_show_and_list_speak_german(tmp_path: Path) -> None:
    sandbox = Sandbox(tmp_path, GERMAN)
    shown = sandbox.cli("exercises", "show", "glute-bridge")
    assert shown.returncode == 0, shown.stderr
    english_name = "Glute bridge"
    names = _builtin_names()
    first = shown.stdout.splitlines()[0]
    assert first.startswith(names[english_name]) and names[english_name] != english_name, first
    assert "Stufe 1 von" in first  # its family's level, in German too
    assert "Kategorie" in shown.stdout and english_name not in shown.stdout
    listed = sandbox.cli("exercises", "--all").stdout
    assert names[english_name] in listed and english_name not in listed


@pytest.mark.e2e
def test_a_break_in_the_console_shows_its_exercises_in_german(tmp_path: Path) -> None:
    sandbox = Sandbox(tmp_path, GERMAN)
    config = quick_settings(tmp_path / "s.toml")
    proc = sandbox.start("--console", "--no-window", "--config", str(config))
    names = _builtin_names()
    try:
        sandbox.wait_running(proc)
        sandbox.wait_state("break_due", timeout=20)
        wait_for(lambda: "sitbreak break-now" in sandbox.output(), timeout=10,
                 what="the break in the console")
        out = sandbox.output()
    finally:
        stop(proc)
    # "  Name (category, place, time)", the name with its family's level after " · ".
    listed = [line.strip().split(" (")[0].split(" · ")[0] for line in out.splitlines()
              if line.startswith("  ") and not line.startswith("   ") and " (" in line]
    exercises = [n for n in listed if n in names or n in names.values()]
    assert exercises and all(n in names.values() for n in exercises), out
    assert not set(exercises) & (set(names) - set(names.values())), out
    from tray_app.support import i18n

    said = i18n.load("de").gettext("Time to move: you have sat for {duration}.")
    assert said.split("{")[0] in out and "Time to move" not in out, out


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.desktop
def test_the_break_window_shows_the_exercise_and_its_cautions_in_german(
        tmp_path: Path, display: Display) -> None:
    """The real app on Xvfb: its break window's title, exercise name and care lines (read
    from the window's own debug events, SITBREAK_WINDOW_DEBUG=1 logged with --verbose)."""
    import json

    from tray_app.support import i18n

    german = i18n.load("de")
    sandbox = Sandbox(tmp_path, {**GERMAN, "DISPLAY": display.name, "NO_AT_BRIDGE": "1",
                                 "SITBREAK_WINDOW_DEBUG": "1"})
    config = quick_settings(tmp_path / "s.toml")
    proc = sandbox.start("--console", "--verbose", "--config", str(config))

    def events(name: str) -> list[dict]:
        return [json.loads(line.split("break window: ", 1)[1])
                for line in sandbox.output().splitlines()
                if "break window: " in line and f'"event":"{name}"' in line]

    try:
        sandbox.wait_running(proc)
        wait_for(lambda: events("shown"), timeout=30, what="the break window on screen")
        shown = wait_for(lambda: events("exercise"), timeout=15, what="an exercise on show")
        views = wait_for(lambda: events("view"), timeout=15, what="the window's view")
    finally:
        stop(proc)
    names = _builtin_names()
    name = shown[0]["name"].split(" · ")[0]  # a family's exercise also names its level
    assert name in names.values() and name not in names, shown[0]
    take_care = german.gettext("Take care: {caution}").split("{")[0]
    involves = german.gettext("Involves: {tags}").split("{")[0]
    care = views[0]["care"]
    assert not care or care.startswith((take_care, involves)), care
    assert "Take care" not in care and "Involves" not in care

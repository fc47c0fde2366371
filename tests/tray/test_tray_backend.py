"""Choosing pystray's backend without importing pystray: every branch, with stand-in probes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop import xvfb
from tray_app.ui.tray import backend as tray_backend
from tray_app.ui.tray.backend import NO_BUS, NO_WATCHER, choose_backend

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def keep_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # choose_backend sets PYSTRAY_BACKEND in os.environ; undo it after each test.
    monkeypatch.delenv("PYSTRAY_BACKEND", raising=False)


def probes(gtk: str | None = None, ind: str | None = None, xorg: str | None = None,
           calls: list[str] | None = None, watcher: bool | str = False) -> dict:
    def rec(name: str, result: str | None):
        def probe(*_a: object) -> str | None:
            if calls is not None:
                calls.append(name)
            return result
        return probe

    return {"gtk": rec("gtk", gtk), "appindicator": rec("appindicator", ind),
            "xorg": rec("xorg", xorg), "watcher": rec("watcher", watcher)}


X = {"DISPLAY": ":5"}


@pytest.mark.parametrize("env", [X, {}, {"WAYLAND_DISPLAY": "wayland-1"},
                                 {**X, "WAYLAND_DISPLAY": "w"}])
def test_sni_wherever_a_watcher_owns_its_name(env: dict[str, str]) -> None:
    """Issue 22, item 3: with a StatusNotifierWatcher on the bus the tray is sitbreak's own
    StatusNotifierItem, with or without DISPLAY, and no GTK is probed (it costs ~85 MiB)."""
    calls: list[str] = []
    name, why = choose_backend(env, "linux", probes(watcher=True, calls=calls))
    assert name == "sni" and "StatusNotifierItem" in why
    assert calls == ["watcher"]
    assert os.environ["PYSTRAY_BACKEND"] == "dummy"  # pystray has no module of that name


def test_wayland_waits_for_a_watcher_rather_than_dock_nowhere() -> None:
    """No XEmbed tray exists on Wayland: a panel started after sitbreak still gets the icon."""
    for env in ({"WAYLAND_DISPLAY": "wayland-1"}, {"WAYLAND_DISPLAY": "wayland-1", **X}):
        name, why = choose_backend(env, "linux", probes())
        assert name == "sni" and "docks when a panel with a tray starts" in why


def test_forced_sni() -> None:
    env = {**X, "SITBREAK_TRAY_BACKEND": "sni"}
    assert choose_backend(env, "linux", probes(watcher=True))[0] == "sni"
    name, why = choose_backend(env, "linux", probes())
    assert name == "sni" and "docks when one starts" in why
    name, why = choose_backend(env, "linux", probes(watcher="connection refused"))
    assert name is None and NO_BUS in why and "connection refused" in why


def test_appindicator_only_when_forced_and_the_gnome_hint() -> None:
    env = {**X, "SITBREAK_TRAY_BACKEND": "appindicator"}
    name, why = choose_backend(env, "linux", probes(watcher=True))
    assert name == "appindicator" and os.environ["PYSTRAY_BACKEND"] == "appindicator"
    assert "GNOME" not in why
    name, why = choose_backend({**env, "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, "linux",
                               probes(watcher=True))
    assert name == "appindicator"
    assert "AppIndicator extension" in why


def test_gtk_when_the_indicator_typelib_is_missing() -> None:
    name, why = choose_backend(X, "linux", probes(ind="no typelib"))
    assert name == "gtk"
    assert "gir1.2-ayatanaappindicator3-0.1" in why
    assert os.environ["PYSTRAY_BACKEND"] == "gtk"


def test_xorg_when_gtk_is_missing_says_what_to_install() -> None:
    name, why = choose_backend(X, "linux", probes(gtk="no gi"))
    assert name == "xorg"
    assert "without a menu" in why and "StatusNotifierItem tray" in why
    for pkg in ("PyGObject", "gir1.2-gtk-3.0", "gir1.2-ayatanaappindicator3-0.1"):
        assert pkg in why


def test_nothing_works() -> None:
    name, why = choose_backend(X, "linux", probes(gtk="no gi", xorg="no xlib"))
    assert name is None
    assert "no gi" in why and "no xlib" in why and "PyGObject" in why
    assert "PYSTRAY_BACKEND" not in os.environ


def test_no_display() -> None:
    calls: list[str] = []
    name, why = choose_backend({}, "linux", probes(calls=calls))
    assert name is None
    assert why.startswith("no DISPLAY") and NO_WATCHER in why
    assert calls == ["watcher"]


def test_wayland_without_xwayland_nor_a_bus() -> None:
    name, why = choose_backend({"WAYLAND_DISPLAY": "wayland-0"}, "linux",
                               probes(watcher="no address"))
    assert name is None
    assert "XWayland" in why and NO_BUS in why


def test_windows_and_macos() -> None:
    assert choose_backend({}, "win32", probes())[0] == "win32"
    assert choose_backend({}, "darwin", probes())[0] == "darwin"


def test_forced_xorg_skips_the_gtk_probe() -> None:
    calls: list[str] = []
    env = {**X, "SITBREAK_TRAY_BACKEND": "xorg"}
    name, why = choose_backend(env, "linux", probes(calls=calls))
    assert name == "xorg" and "SITBREAK_TRAY_BACKEND" in why
    assert calls == ["xorg"]


def test_forced_xorg_still_needs_x() -> None:
    env = {**X, "SITBREAK_TRAY_BACKEND": "xorg"}
    assert choose_backend(env, "linux", probes(xorg="refused"))== (None, "refused")


def test_gtk_status_icon_when_no_indicator_host_would_show_a_tooltip() -> None:
    """Issue 10, observation 8: with no StatusNotifierItem host (trayer), AppIndicator fell
    back to an icon with no tooltip; Gtk's status icon has one."""
    name, why = choose_backend(X, "linux", probes())
    assert name == "gtk" and "tooltip" in why
    forced = choose_backend({**X, "SITBREAK_TRAY_BACKEND": "appindicator"}, "linux",
                            probes())
    assert forced[0] == "appindicator"


def test_forced_gtk_over_appindicator() -> None:
    env = {**X, "SITBREAK_TRAY_BACKEND": "GTK"}
    assert choose_backend(env, "linux", probes())[0] == "gtk"


def test_forced_backend_that_cannot_load() -> None:
    env = {**X, "SITBREAK_TRAY_BACKEND": "appindicator"}
    name, why = choose_backend(env, "linux", probes(ind="no typelib"))
    assert name is None and "no typelib" in why
    env = {**X, "SITBREAK_TRAY_BACKEND": "gtk"}
    name, why = choose_backend(env, "linux", probes(gtk="no gi"))
    assert name is None and "no gi" in why


def test_forced_unknown_name() -> None:
    name, why = choose_backend({**X, "SITBREAK_TRAY_BACKEND": "qt"}, "linux", probes())
    assert name is None and "'qt'" in why


def test_real_xorg_probe_rejects_a_missing_server() -> None:
    err = tray_backend._probe_xorg(":4999")
    assert err is not None and ":4999" in err


def test_the_xorg_probe_connects_through_the_shells_opener() -> None:
    """compose hands in platform.x11's keyless connection (no keyboard map read and dropped)."""
    from tray_app.platform.x11.connection import open_display

    opened: list[str] = []

    class Opened:
        def close(self) -> None:
            opened.append("closed")

    def opener(name: str) -> Opened:
        opened.append(name)
        return Opened()

    assert tray_backend.xorg_probe(opener)(":7") is None
    assert opened == [":7", "closed"]
    err = tray_backend.xorg_probe(open_display)(":4999")  # the real one, with no server there
    assert err is not None and ":4999" in err


SCRIPT = (
    "import os, sys; from tray_app.ui.tray.backend import choose_backend; "
    "name, why = choose_backend(os.environ); import pystray; "
    "print(name, os.environ['PYSTRAY_BACKEND'], type(pystray.Icon).__name__, "
    "pystray.Icon.__module__)"
)


@pytest.mark.desktop
@pytest.mark.parametrize("forced", ["", "gtk", "xorg"])
def test_real_probe_then_import_under_xvfb(forced: str) -> None:
    """On this machine (Gtk + Ayatana typelibs) the probe picks a backend pystray then loads;
    with no indicator host on this bare Xvfb that is Gtk's status icon (it has a tooltip)."""
    with xvfb() as d:
        env = d.env(SITBREAK_TRAY_BACKEND=forced)
        env.pop("PYSTRAY_BACKEND", None)
        out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    name, env_name, _, module = out.stdout.split()
    expected = forced or "gtk"
    assert name == env_name == expected
    assert module == f"pystray._{expected}"


def test_real_probe_without_display_does_not_crash() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYSTRAY_BACKEND",
                        "SITBREAK_TRAY_BACKEND")}
    code = ("import os; from tray_app.ui.tray.backend import choose_backend; "
            "print(choose_backend(os.environ)[0])")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "None"

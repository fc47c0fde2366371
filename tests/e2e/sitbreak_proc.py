"""Run the real `sitbreak` in a sandbox of private XDG folders, and talk to it by its CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.desktop import wait_for

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")


def sitbreak_command() -> list[str]:
    """The sitbreak under test: $SITBREAK_COMMAND (an installed `sitbreak`, see
    scripts/check-wheel) or this checkout's main.py."""
    installed = os.environ.get("SITBREAK_COMMAND")
    return [installed] if installed else [sys.executable, MAIN]


def workdir(root: Path) -> Path:
    """Where it runs: never the checkout; `/` for an installed sitbreak, as issue 12 asks."""
    return Path("/") if os.environ.get("SITBREAK_COMMAND") else root


@dataclass
class Sandbox:
    root: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for d in ("config", "data", "cache", "state", "runtime"):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        (self.root / "runtime").chmod(0o700)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
        env.update(
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_STATE_HOME=str(self.root / "state"),
            XDG_RUNTIME_DIR=str(self.root / "runtime"),
            DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    @property
    def history(self) -> Path:
        return self.root / "data" / "sitbreak" / "history.sqlite3"

    def cli(self, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*sitbreak_command(), *args], env=self.env, capture_output=True, text=True,
            timeout=timeout, check=False, cwd=workdir(self.root),
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        log = open(self.root / "run.out", "w")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(
            [*sitbreak_command(), "run", *args], env=self.env, stdout=log,
            stderr=subprocess.STDOUT, text=True, cwd=workdir(self.root),
        )

    def output(self) -> str:
        return (self.root / "run.out").read_text()

    def status(self) -> dict:
        out = self.cli("status", "--json")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def wait_state(self, state: str, timeout: float = 30) -> dict:
        seen: list[str] = []

        def check() -> dict | None:
            st = self.status()
            seen.append(st["state"])
            return st if st["state"] == state else None

        try:
            return wait_for(check, timeout=timeout, interval=0.1, what=f"the state {state}")
        except pytest.fail.Exception:
            raise AssertionError(f"state never became {state}; saw {seen[-5:]}\n"
                                 f"{self.output()}") from None

    def wait_running(self, proc: subprocess.Popen[str], timeout: float = 30) -> None:
        def up() -> bool:
            assert proc.poll() is None, f"sitbreak exited early:\n{self.output()}"
            return self.cli("status").returncode == 0

        wait_for(up, timeout=timeout, interval=0.2, what="sitbreak to answer status")


def write_settings(path: Path, **sections: dict[str, object]) -> Path:
    lines: list[str] = []
    for name, keys in sections.items():
        lines.append(f"[{name}]")
        for k, v in keys.items():
            lines.append(f"{k} = {json.dumps(v)}")
    path.write_text("\n".join(lines) + "\n")
    return path


def quick_settings(path: Path, break_after: str = "3s", idle_reset: str = "5m",
                   **sections: dict[str, object]) -> Path:
    """Second-scale settings with no heads-up and no posture cues, plus any other sections."""
    base: dict[str, dict[str, object]] = {
        "sitting": {"break_after": break_after, "idle_reset": idle_reset},
        "breaks": {"heads_up": "0"},
        "posture": {"every": "0"},
    }
    for name, keys in sections.items():  # a section given here adds to (or overrides) these
        base[name] = {**base.get(name, {}), **keys}
    return write_settings(path, **base)


def stop(proc: subprocess.Popen[str]) -> int:
    if proc.poll() is None:
        proc.terminate()
        try:
            return proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait(5)
    return proc.returncode

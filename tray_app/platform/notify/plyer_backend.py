"""Notifications through plyer, for desktops where sitbreak cannot speak D-Bus itself.

plyer has no actions, so buttons are dropped (logged once) and a break prompt expires like
the others. Every call is guarded: a missing backend raises NotImplementedError, a missing
bus raises from dbus-python, and plyer's Windows code can fail in many ways.

Linux: when dbus-python is missing plyer falls back to `notify-send`, but drops the icon
(it passes `icon`, not `app_icon`) and sends timeout 0 ("never expires"). In that case we
call `notify-send` ourselves with `-a sitbreak -i ICON -t MS`.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from tray_app.platform.notify.common import (
    APP_NAME,
    SerialWorker,
    category,
    expire_ms,
    transient,
    urgency,
)
from tray_app.ports import Action

log = logging.getLogger(__name__)

_URGENCY_NAMES = {0: "low", 1: "normal", 2: "critical"}


def linux_backend(env: Mapping[str, str]) -> str | None:
    """Which backend plyer would use on Linux: "portal", "dbus-python", "notify-send" or None."""
    if os.path.isdir("/app"):  # plyer's own Flatpak test
        return "portal"
    try:
        import dbus  # noqa: F401
    except Exception:
        pass
    else:
        return "dbus-python"
    if shutil.which("notify-send", path=env.get("PATH")):
        return "notify-send"
    return None


class PlyerNotifier:
    """A `Notifier` built on plyer (plus `notify-send`/`osascript` where plyer falls short)."""

    name = "plyer"

    def __init__(
        self,
        icon_path: str = "",
        env: Mapping[str, str] | None = None,
        platform: str = sys.platform,
    ) -> None:
        """`icon_path`: absolute PNG path; `env`: environment for helper commands (PATH, bus)."""
        self.icon_path = icon_path
        self.env = dict(os.environ if env is None else env)
        self.platform = platform
        self._said_no_actions = False
        self._last_id = ""  # notify-send's id of our previous notification, for --replace-id
        self._replace_ok: bool | None = None
        self._problem: str | None = None  # the last notification's failure, for status
        self._worker = SerialWorker("sitbreak-plyer")

    def notify(self, kind: str, title: str, body: str, actions: Sequence[Action] = ()) -> None:
        """Queue a notification; buttons are not supported and are left out."""
        if actions and not self._said_no_actions:
            self._said_no_actions = True
            log.info("this notifier (plyer) cannot show buttons; answer breaks from the tray")
        try:
            self._worker.submit(lambda: self._show(kind, title, body))
        except Exception:
            log.exception("could not queue a notification")

    def close(self) -> None:
        """plyer cannot withdraw a notification; it expires on its own."""
        log.debug("plyer cannot close notifications; it will expire")

    def set_action_handler(self, handler: Callable[[str], None]) -> None:
        """Accepted for the protocol; plyer notifications have no buttons to click."""

    def status(self) -> dict[str, object]:
        """{ok, problem}: whether the last notification was handed over (status tells the
        truth when notify-send or the daemon behind it went away)."""
        problem = self._problem
        return {"ok": problem is None, "problem": problem}

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until queued notifications were handed over (tests, shutdown)."""
        return self._worker.flush(timeout)

    def stop(self) -> None:
        """Hand over what is queued, then end the worker thread."""
        self._worker.stop()

    # -- worker thread ---------------------------------------------------------------------

    def _show(self, kind: str, title: str, body: str) -> None:
        ms = expire_ms(kind, has_actions=False)
        try:
            if self.platform.startswith("linux") and linux_backend(self.env) == "notify-send":
                self._notify_send(kind, title, body, ms)
            else:
                self._plyer(title, body, ms)
        except NotImplementedError:
            if self.platform == "darwin" and shutil.which("osascript", path=self.env.get("PATH")):
                self._osascript(title, body)
            else:
                log.warning("no notification backend here (plyer has none for this system)")
        except Exception as exc:
            log.warning("notification failed: %s: %s", type(exc).__name__, exc)
            log.info("notification not shown: %s: %s", title, body)  # not lost silently
            self._problem = (f"the last notification failed at {time.strftime('%H:%M:%S')} "
                             f"({exc}); each one tries again")
            return
        self._problem = None

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, env=self.env, capture_output=True, text=True, timeout=10, check=False
        )

    def _supports_replace(self, exe: str) -> bool:
        # libnotify 0.7 (older distributions) has no --print-id/--replace-id.
        if self._replace_ok is None:
            try:
                self._replace_ok = "--replace-id" in self._run([exe, "--help"]).stdout
            except Exception:
                self._replace_ok = False
        return self._replace_ok

    def _notify_send(self, kind: str, title: str, body: str, ms: int) -> None:
        exe = shutil.which("notify-send", path=self.env.get("PATH")) or "notify-send"
        args = [exe, "-a", APP_NAME, "-t", str(ms), "-u", _URGENCY_NAMES[urgency(kind)],
                "-c", category(kind), "-h", f"string:desktop-entry:{APP_NAME}"]
        if transient(kind):  # as a hint: older notify-send has no --transient
            args += ["-h", "boolean:transient:true"]
        if self.icon_path:
            args += ["-i", self.icon_path]
        if self._supports_replace(exe):
            args.append("--print-id")
            if self._last_id:
                args.append(f"--replace-id={self._last_id}")
        out = self._run([*args, "--", title, body])
        if out.returncode != 0:
            raise RuntimeError(f"notify-send exited {out.returncode}: {out.stderr.strip()}")
        printed = out.stdout.strip()
        self._last_id = printed if printed.isdigit() else ""

    def _plyer(self, title: str, body: str, ms: int) -> None:
        from plyer import notification

        icon = self._windows_icon() if self.platform.startswith("win") else self.icon_path
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # plyer warns about missing dbus-python each call
            notification.notify(
                title=title,
                message=body,
                app_name=APP_NAME,
                app_icon=icon,
                timeout=max(1, ms // 1000),
            )

    def _windows_icon(self) -> str:
        """plyer on Windows needs an .ico file: convert the PNG once into the cache folder."""
        if not self.icon_path or self.icon_path.lower().endswith(".ico"):
            return self.icon_path
        try:
            from PIL import Image
            from platformdirs import user_cache_dir

            target = Path(user_cache_dir(APP_NAME, appauthor=False)) / "notify.ico"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                with Image.open(self.icon_path) as img:
                    img.save(target, sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
            return str(target)
        except Exception as exc:
            log.debug("no .ico for notifications: %s", exc)
            return ""

    def _osascript(self, title: str, body: str) -> None:
        # Passing the texts as arguments avoids quoting them inside AppleScript source.
        script = [
            "on run argv",
            "display notification (item 2 of argv) with title (item 1 of argv)",
            "end run",
        ]
        args = ["osascript"]
        for line in script:
            args += ["-e", line]
        out = self._run([*args, title, body])
        if out.returncode != 0:
            raise RuntimeError(f"osascript exited {out.returncode}: {out.stderr.strip()}")

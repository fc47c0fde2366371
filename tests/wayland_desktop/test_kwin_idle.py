"""ext-idle-notify-v1 on a real compositor that has it: KWin 5.27 (Debian 12's sway 1.7 has only
org_kde_kwin_idle). Input is KWin's fake input, which its idle timers count as input."""

from __future__ import annotations

import pytest

from tests.desktop import wait_for
from tests.kwin import KWin
from tray_app.platform.idle import choose as idle
from tray_app.platform.idle import wayland as idle_wayland

pytestmark = pytest.mark.desktop


@pytest.mark.slow
def test_ext_idle_notify_on_kwin_sees_no_input_then_a_pointer_move(kwin: KWin) -> None:
    source, why = idle.detect(kwin.env, platform="linux")
    assert source.name == "wayland-ext-idle-notify", why
    # KWin 5.27 offers version 1 only: idle inhibitors (a playing video) count, and status says so
    assert "version 1" in why and "video" in why
    for i in range(2):
        wait_for(lambda: (source.idle_seconds() or 0) >= idle_wayland.STEP_S + 0.3,
                 timeout=10, what=f"idle to grow ({i})")
        kwin.move_pointer(4, 4)
        wait_for(lambda: source.idle_seconds() == 0.0, timeout=5,
                 what=f"the pointer move to reset idle ({i})")
    assert source.sees_input

"""What the break window draws for a view, without Tk: buttons, keys, countdown, progress.

The core sends a BreakView whenever the break changes; between views the window only counts
down from the view's `step_left_s`. Every function takes `now` (monotonic seconds) so tests
run without a clock or a display.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tray_app.core.duration import countdown as format_clock  # noqa: F401 - the window's clock
from tray_app.core.session import BreakView
from tray_app.core.tempo import MIN_TEMPO_S, frame_at, moment
from tray_app.exercises.format import care_lines
from tray_app.support.i18n import _, ngettext
from tray_app.ui.windows.protocol import BreakRequest, ExerciseSpec, snooze_label


@dataclass(frozen=True)
class Button:
    name: str  # widget name: "start", "done", "snooze_300", "skip", "another"
    label: str
    intent: str  # the command it sends
    seconds: int | None = None  # for a snooze


class Screen:
    """The latest view and when it arrived, read as what to show."""

    def __init__(self, request: BreakRequest, view: BreakView, received: float) -> None:
        self.request = request
        self.specs = request.by_id()
        self.view = view
        self.received = received

    def update(self, view: BreakView, received: float) -> None:
        self.view, self.received = view, received

    @property
    def spec(self) -> ExerciseSpec | None:
        v = self.view
        return self.specs[v.routine[v.index]] if v.routine else None

    def position(self) -> str:
        """"1 of 2" while a routine of several exercises is on show."""
        n = len(self.view.routine)
        return _("{n} of {total}").format(n=self.view.index + 1, total=n) if n > 1 else ""

    def step_text(self) -> str:
        spec = self.spec
        if spec is None:
            return _("Stand up, walk about, stretch as feels good.")
        text = spec.exercise.steps[self.view.step].text
        return text if self.view.running else _("First: {step}").format(step=text)

    def care_text(self) -> str:
        """The exercise's cautions and tags (exercises.format.care_lines): before Start and
        on each exercise's first step, where they matter; "" otherwise."""
        spec = self.spec
        if spec is None or (self.view.running and self.view.step != 0):
            return ""
        return "\n".join(care_lines(spec.exercise))

    def step_elapsed(self, now: float) -> float:
        """Seconds into the step on show (0 before the break starts)."""
        if not self.view.running:
            return 0.0
        return max(0.0, self.view.step_seconds - self.step_left(now))

    def frame(self, now: float, frames: int) -> int:
        """Which picture frame to show: timed by the step's tempo and holds (core.tempo), so
        a hold stays still. Before the start, the first counted step plays on a loop as a
        preview; an exercise that gives no tempo or hold (a user's own) turns its frames
        every MIN_TEMPO_S seconds."""
        spec = self.spec
        if spec is None or frames <= 1:
            return 0
        from tray_app.exercises.pose_data import poses_for

        ex = spec.exercise
        counted = [s for s in ex.steps if s.work]
        if not counted:
            return int((now - self.received) // MIN_TEMPO_S) % frames
        alternating = bool(poses_for(ex)[-1].active)  # every frame a working pose: sides
        if not self.view.running:
            return frame_at(counted[0], (now - self.received) % counted[0].seconds, frames,
                            alternating)
        before = sum(1 for s in ex.steps[:self.view.step] if s.work)  # which side, if sided
        return frame_at(ex.steps[self.view.step], self.step_elapsed(now), frames, alternating,
                        setup=self.view.step == 0, counted=before)

    def rep_text(self, now: float) -> str:
        """"rep 2 of 5" while a counted step runs ("get into position" before its first)."""
        spec = self.spec
        if spec is None or not self.view.running:
            return ""
        m = moment(spec.exercise.steps[self.view.step], self.step_elapsed(now))
        if m.reps <= 1:
            return ""
        return f"rep {m.rep} of {m.reps}" if m.rep else "get into position"

    def step_left(self, now: float) -> float:
        v = self.view
        if not v.running:
            return v.planned_seconds  # the whole routine, before it starts
        return max(0.0, v.step_left_s - (now - self.received))

    def progress(self, now: float) -> float:
        v = self.view
        if not v.running or v.planned_seconds <= 0:
            return 0.0
        return min(1.0, (v.seconds_done + (now - self.received)) / v.planned_seconds)

    def count_text(self, now: float | None = None) -> str:
        v, spec = self.view, self.spec
        if spec is None:
            return "" if v.running else _("press Enter to begin")
        steps = len(spec.exercise.steps)
        if v.running:
            rep = self.rep_text(self.received if now is None else now)
            step = _("Step {n} of {total}").format(n=v.step + 1, total=steps)
            return step + (f" · {rep}" if rep else "")
        total = sum(len(self.specs[i].exercise.steps) for i in v.routine)
        n = len(v.routine)
        many = ngettext("{n} exercise", "{n} exercises", n).format(n=n) + " · " if n > 1 else ""
        return many + ngettext("{n} step", "{n} steps", total).format(n=total)

    def is_last_step(self) -> bool:
        v, spec = self.view, self.spec
        return spec is None or (
            v.index == len(v.routine) - 1 and v.step == len(spec.exercise.steps) - 1
        )

    def buttons(self) -> list[Button]:
        """The buttons to show, in order: only what the core allows now."""
        v, ok = self.view, set(self.view.allowed)
        out: list[Button] = []
        if not v.running and "start" in ok:
            out.append(Button("start", _("Start"), "start"))
        elif v.running and "next" in ok and not self.is_last_step():
            # No "Finish" on the last step: beside Done it was a second way to end the break,
            # and the Enter meant for Next landed on it as the step moved on.
            out.append(Button("start", _("Next"), "next"))
        if v.running and "done" in ok:
            out.append(Button("done", _("Done"), "done"))
        if "snooze" in ok:
            out += [Button(f"snooze_{s}", snooze_label(s), "snooze", s) for s in v.snooze_options]
        if "skip" in ok:
            out.append(Button("skip", _("Skip"), "skip"))
        if "another" in ok:
            out.append(Button("another", _("Another exercise"), "another"))
        return out

    def first_focus(self) -> str | None:
        """The button the keyboard starts on: Start (Next); never Done, a snooze or a skip, so
        Enter alone can only start and advance, never end the break."""
        return "start" if any(b.name == "start" for b in self.buttons()) else None

    def ends_break(self, button: Button) -> bool:
        """A button that ends the break before its time (Done)."""
        return button.intent == "done"

    def sample_views(self) -> list[BreakView]:
        """Views with the most the window can show for each exercise of the request (before
        the start with its cautions; running on its longest step, with every button), for
        the window to take the size they need once and keep it."""
        v = self.view
        allowed = tuple(sorted({*v.allowed, "start", "next", "done", "skip", "another"}))
        out = []
        for spec in self.request.exercises:
            steps = spec.exercise.steps
            longest = max(range(len(steps)), key=lambda i: len(steps[i].text))
            for step, running in ((0, False), (longest, True), (0, True)):
                out.append(replace(v, routine=(spec.id, spec.id), index=0, step=step,
                                   running=running, allowed=allowed))
        return out

    def rating_target(self) -> ExerciseSpec | None:
        """The exercise a rating is about: the one on show once the break runs (rating is one
        optional tap, never a step of the break)."""
        return self.spec if self.view.running else None

    def escape(self) -> Button | None:
        """Esc snoozes with the first option; with none left it does nothing."""
        return next((b for b in self.buttons() if b.intent == "snooze"), None)

    def s_key(self) -> Button | None:
        """S snoozes too, but only before the break starts."""
        return None if self.view.running else self.escape()

    def keys_text(self) -> str:
        """The keys, as the window shows them."""
        if self.first_focus() is not None:
            parts = [_("Enter or Space: press the highlighted button"), _("Tab: next button")]
        elif self.buttons():  # nothing is highlighted until Tab picks a button
            parts = [_("Tab: pick a button, then Enter or Space")]
        else:
            parts = []
        if self.view.running and self.view.strict:
            parts.insert(0, _("The steps move on by themselves"))
        esc = self.escape()
        if esc is not None:
            keys = _("Esc") if self.view.running else _("Esc or S")
            parts.append(f"{keys}: {esc.label}")
        return " · ".join(parts)

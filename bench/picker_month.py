"""A simulated month of breaks for every place set (and a few exclusions and break lengths):
what the picker serves, measured against its promises.

Usage: python bench/picker_month.py [--days 30] [--breaks 10] [--lengths 60,120,300] [--json]

For each setting it runs `days` x `breaks` breaks through the real picker (core.picker.pick),
each routine fed back as history as the app does, and reports: each category's share of the
exercise time against its target (picker.SHARE), the share of breaks that got the user out of
the chair (a standing or floor exercise, or the stand-up-and-walk step), the longest run of
seated-only breaks, same-day repeats (an exercise served twice in a day while its category
had one not served that day which the break could hold, `picker.servable`; and, as
`repeats_any`, counting those too long for the break), routines longer than the break, and
what `picker.coverage` says the setting cannot offer. One line per setting, or JSON lines.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tray_app.core.exercise import CATEGORIES, Exercise
from tray_app.core.model import ExerciseSettings
from tray_app.core.picker import RECENT, SHARE, coverage, gets_up, pick, servable
from tray_app.exercises.loader import load_catalogue

PLACE_SETS: dict[str, tuple[str, ...]] = {
    "chair": ("chair",),
    "standing": ("standing",),
    "floor": ("floor",),
    "chair+standing": ("chair", "standing"),
    "chair+floor": ("chair", "floor"),
    "standing+floor": ("standing", "floor"),
    "all": ("chair", "standing", "floor"),
}
EXCLUSIONS: dict[str, tuple[str, ...]] = {
    "none": (),
    "back-bend+balance": ("back-bend", "balance"),
    "pregnant": ("supine", "abdominal-load"),
    "knees+wrists": ("deep-knee-bend", "kneeling", "wrist-load"),
}


@dataclass
class Month:
    routines: list[list[Exercise]] = field(default_factory=list)
    repeats: int = 0  # an exercise served twice in a day while its category had an unused
    # one the break could hold
    repeats_any: int = 0  # the same, counting unused ones too long for the break
    too_long: int = 0  # routines longer than the break

    def shares(self) -> dict[str, float]:
        seconds: Counter[str] = Counter()
        for routine in self.routines:
            for e in routine:
                seconds[e.category] += e.seconds
        total = sum(seconds.values()) or 1
        return {c: seconds[c] / total for c in sorted(seconds)}

    def filled(self, length: float) -> float:
        """The mean share of the break's length its routine fills."""
        return sum(min(1.0, sum(e.seconds for e in r) / length)
                   for r in self.routines) / max(1, len(self.routines))

    def up_share(self) -> float:
        return sum(gets_up(r) for r in self.routines) / max(1, len(self.routines))

    def longest_seated_run(self) -> int:
        run = best = 0
        for routine in self.routines:
            run = 0 if gets_up(routine) else run + 1
            best = max(best, run)
        return best


def simulate(catalogue: list[Exercise], length: float, days: int, breaks: int,
             seed: int = 20261206) -> Month:  # fmt: skip
    month = Month()
    history: list[tuple[str, str]] = []
    members: dict[str, set[str]] = {}
    holds: dict[str, set[str]] = {}  # those a break of `length` can hold
    fit = {e.id for e in servable(catalogue, length)}
    for e in catalogue:
        members.setdefault(e.category, set()).add(e.id)
        holds.setdefault(e.category, set()).update({e.id} & fit)
    for d in range(days):
        today: set[str] = set()
        for b in range(breaks):
            routine = pick(catalogue, history[:RECENT], length, seed + 100 * d + b)
            month.routines.append(routine)
            month.too_long += sum(e.seconds for e in routine) > max(length, 0) and len(routine) > 1
            for e in routine:
                if e.id in today and members.get(e.category, set()) - today:
                    month.repeats_any += 1
                    month.repeats += bool(holds.get(e.category, set()) - today)
                today.add(e.id)
            history = [(e.id, e.category) for e in reversed(routine)] + history
    return month


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--breaks", type=int, default=10)
    parser.add_argument("--lengths", default="60,120,300",
                        help="break lengths in seconds, comma-separated")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")
    args = parser.parse_args(argv)
    lengths = [float(x) for x in args.lengths.split(",")]
    for places_name, places in PLACE_SETS.items():
        for ex_name, exclude in EXCLUSIONS.items():
            catalogue = load_catalogue(ExerciseSettings(places=places, exclude=exclude))
            for length in lengths:
                month = simulate(catalogue, length, args.days, args.breaks)
                shares = month.shares()
                gaps = coverage(catalogue, length)
                row = {
                    "places": places_name, "exclude": ex_name, "length_s": length,
                    "exercises": len(catalogue),
                    "shares": {c: round(v, 3) for c, v in shares.items()},
                    "strength_share": round(sum(shares.get(c, 0.0) for c in
                                                ("psoas-strength", "hip-extensors", "core")), 3),
                    "off_target": round(max(abs(shares.get(c, 0.0) - SHARE[c])
                                            for c in CATEGORIES), 3),
                    "up_share": round(month.up_share(), 3),
                    "longest_seated_run": month.longest_seated_run(),
                    "same_day_repeats": month.repeats,
                    "same_day_repeats_any": month.repeats_any,
                    "too_long": month.too_long,
                    "filled": round(month.filled(length), 3),
                    "cannot_offer": gaps,
                }  # fmt: skip
                if args.json:
                    print(json.dumps(row))
                else:
                    print(f"{places_name:15} {ex_name:18} {length:5.0f}s n={len(catalogue):2} "
                          f"strength={row['strength_share']:.2f} off={row['off_target']:.2f} "
                          f"up={row['up_share']:.2f} seated-run={row['longest_seated_run']:2} "
                          f"repeats={month.repeats:3} ({month.repeats_any:3}) "
                          f"long={month.too_long} filled={row['filled']:.2f} "
                          f"gaps={len(gaps)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

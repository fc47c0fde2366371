"""What each exercise tag means, and the one written rule that says which exercises carry it.

A tag marks something a person may need to avoid (a condition, a missing prop), so the loader
checks every exercise against `RULES`: an exercise whose steps read like a tag's movement, or
that is done where the tag says, must carry the tag. For props (`desk`, `wall`) the rule holds
both ways: the tag is there exactly when a step uses the prop, so excluding `desk` drops what
needs a desk and nothing else. Words in a clause that begins with a negation ("without arching
the back") do not count: a caution about doing a move badly is a caution, not a tag.

The first-run check (core.screening) turns answers into these tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tray_app.core.exercise import BACK_BEND


@dataclass(frozen=True)
class TagRule:
    """`tag` is needed by an exercise done at one of `places`, or whose step text matches
    `words` (only at `within` places, when given). With `exact`, an exercise may carry the
    tag only when the rule needs it."""

    tag: str
    means: str
    words: str = ""
    places: tuple[str, ...] = ()
    within: tuple[str, ...] = ()
    exact: bool = False

    def needs(self, where: str, texts: Iterable[str]) -> str:
        """Why an exercise at `where` with these step texts needs the tag ("" if it does not):
        the place, or the words that matched."""
        if where in self.places:
            return f"done on the {where}"
        if not self.words or (self.within and where not in self.within):
            return ""
        pattern = re.compile(self.words, re.IGNORECASE)
        for text in texts:
            for found in pattern.finditer(text):
                if not NEGATION.search(_clause(text[: found.start()])):
                    return found.group(0)
        return ""


NEGATION = re.compile(r"\b(not|no|never|without|n't)\b", re.IGNORECASE)

RULES: tuple[TagRule, ...] = (
    TagRule(BACK_BEND, "arches the lower back or takes a leg behind the body",
            r"\barch(es|ing)?\b|\blunge\b|\bbreastbone\b|\bbackwards?\b.{0,20}\b(leg|foot)\b"
            r"|\b(leg|foot|thigh)\b.{0,25}\b(back|backwards|behind)\b"
            r"(?! ?(rest|of|straight|leg|heel))"
            r"|\b(push|swing|step|take|move)\w* (it|the (right |left )?(leg|foot))\b.{0,10}\bback"
            r"|\b(ankle|heel|foot) behind\b"),
    TagRule("desk", "needs a solid desk or table to hold or lean on", r"\bdesk\b", exact=True),
    TagRule("wall", "needs a clear wall to stand against", r"\bwall\b", exact=True),
    TagRule("floor", "done lying or kneeling on the floor", places=("floor",)),
    TagRule("supine", "lying on your back", r"\b(lie|lying) on (your|the) back\b"),
    TagRule("kneeling", "kneeling or on all fours", r"\bkneel\w*|\ball fours\b"),
    TagRule("abdominal-load", "holds the trunk against its weight with the belly (plank, "
            "lean-back, legs lowered while lying)",
            r"\bplank\b|\bstraight slope\b|\btrunk back\b|\bleg long towards the floor\b"
            r"|\bsit-?ups?\b|\bcrunch"),
    TagRule("deep-hip-flexion", "bends the hip past a right angle",
            r"\btowards the chest\b|\bhug\w*\b|\bsquat\w*\b|\bhigher than the hip\b"
            r"|\babove hip height\b"),
    TagRule("deep-hip-flexion", "bends the hip past a right angle",
            r"\bknees? (up|rises|as high)\b|\b(lift|raise|float) (the|each) (right |left )?knee"
            r"|\bknee (a little|up)\b|\b(tip|lean)\w*\b.{0,30}\bforward\b|\bforward from the "
            r"hips\b", within=("chair",)),
    TagRule("hip-rotation", "turns a thigh in across the body (inward rotation with "
            "adduction)", r"\bknees? (drop|sway|fall)\w*|\bcircles with the\b.{0,15}\bknee\b"),
    TagRule("deep-knee-bend", "bends a knee deeply under load (squat, lunge, kneeling, heel "
            "to buttock)",
            r"\bsquat\w*|\blunge\b|\bkneel\w*|\bbend the front knee\b|\bhold the ankle\b"
            r"|\bstride\b"),
    TagRule("nerve-tension", "stretches the back of a straight leg (tension on the sciatic "
            "nerve)", r"\bleg out in front\b|\bleg long, lean\b|\bleg long\b.{0,30}\bforward\b"
            r"|\bswing it forward\b"),
    TagRule("wrist-load", "puts body weight on the hands", r"\ball fours\b|\bplank\b"
            r"|\bstraight slope\b|\bpush-?ups?\b"),
    TagRule("overhead", "lifts an arm overhead", r"\boverhead\b|\barms? up\b"),
    TagRule("spine-twist", "twists the lower spine", r"\btwist\w*|\bboth knees drop\b"),
    TagRule("balance", "stands on one leg or balances on three points",
            r"\braise the knee\b|\beach knee rises\b|\bswing\w*\b|\bstride\b|\bhold the ankle\b"
            r"|\bpush it backwards\b|\bone leg\b|\bleg long behind\b"),
)

# Every tag a rule knows, in the order of RULES, each with what it means.
MEANS: dict[str, str] = {}
for _rule in RULES:
    MEANS.setdefault(_rule.tag, _rule.means)


def needed(where: str, texts: Iterable[str]) -> dict[str, str]:
    """The tags an exercise at `where` with these step texts must carry, each with why."""
    texts = tuple(texts)
    out: dict[str, str] = {}
    for rule in RULES:
        if rule.tag not in out:
            why = rule.needs(where, texts)
            if why:
                out[rule.tag] = why
    return out


def exact_tags() -> frozenset[str]:
    """Tags an exercise may carry only where the rule needs them (props)."""
    return frozenset(r.tag for r in RULES if r.exact)


def _clause(before: str) -> str:
    # The part of the sentence the match sits in: a negation further back does not reach it.
    return re.split(r"[.;:,]", before)[-1]

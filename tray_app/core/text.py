"""Texts the core shows, kept translatable without the core doing any I/O.

`Text("For {duration}", duration=Seconds(1800))` is the English string "For 30 min" (so every
comparison and log line sees plain English) that remembers its message id and arguments; the
edge showing it passes it through support.i18n.tr, which translates the id and formats the
arguments for the locale. scripts/update_translations extracts the ids (xgettext -kText).
"""

from __future__ import annotations

from typing import Any

from tray_app.core.duration import exact, human


class Seconds(float):
    """A duration argument of a Text: English "30 min" here, the locale's form at the edge."""

    is_seconds = True

    def __format__(self, spec: str) -> str:
        return human(self) if not spec else float.__format__(self, spec)


class ExactSeconds(Seconds):
    """A duration never rounded past the second: English "1 min 30 s" (core.duration.exact)."""

    is_exact = True

    def __format__(self, spec: str) -> str:
        return exact(self) if not spec else float.__format__(self, spec)


class Text(str):
    """An English text with its message id and the arguments that fill it."""

    msgid: str
    args: dict[str, Any]

    def __new__(cls, msgid: str, **args: Any) -> Text:
        self = super().__new__(cls, msgid.format(**args) if args else msgid)
        self.msgid = msgid
        self.args = args
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled and copied as itself (str's own reduce would drop the id).
        return (_rebuild, (self.msgid, self.args))


class Plural(Text):
    """A Text whose wording follows a count `n`: singular and plural English forms; the edge
    picks the language's form with ngettext (Polish has three). xgettext -kPlural:1,2."""

    plural: str
    n: int

    def __new__(cls, singular: str, plural: str, n: int, **args: Any) -> Plural:
        self = str.__new__(cls, (singular if n == 1 else plural).format(n=n, **args))
        self.msgid, self.plural, self.n, self.args = singular, plural, n, {"n": n, **args}
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        args = {k: v for k, v in self.args.items() if k != "n"}
        return (_rebuild_plural, (self.msgid, self.plural, self.n, args))


def _rebuild_plural(singular: str, plural: str, n: int, args: dict[str, Any]) -> Plural:
    return Plural(singular, plural, n, **args)


# A duration alone: not a literal, so it is not offered to translators (the edge formats it).
_DURATION = "{duration}"


def duration_text(seconds: float, exact: bool = False) -> Text:
    """core.duration.human's "1 h 5 min" (`exact`: core.duration.exact's "1 min 30 s") in
    English, the locale's form at the edge."""
    return Text(_DURATION, duration=(ExactSeconds if exact else Seconds)(seconds))


def _rebuild(msgid: str, args: dict[str, Any]) -> Text:
    return Text(msgid, **args)

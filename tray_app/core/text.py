"""Texts the core shows, kept translatable without the core doing any I/O.

`Text("For {duration}", duration=Seconds(1800))` (core.duration.Seconds) is the English string
"For 30 min" (so every comparison and log line sees plain English) that remembers its message
id and arguments; the edge showing it passes it through support.i18n.tr, which translates the
id and formats the arguments for the locale. scripts/update_translations extracts the ids
(xgettext -kText).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


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


def listing(items: Sequence[str]) -> Text:
    """'a, b, or c': each item (a Text) and the joining words translated at the edge."""
    items = tuple(items)
    if len(items) == 1:
        return Text(items[0]) if not isinstance(items[0], Text) else items[0]
    # `items` is not in the English form: support.i18n.tr joins the translated items.
    return Text("{most}, or {last}", most=", ".join(items[:-1]), last=items[-1], items=items)


class Joined(str):
    """Texts joined by `sep` ("a, b"): each part (a Text or a name) translated at the edge."""

    parts: tuple[str, ...]
    sep: str

    def __new__(cls, parts: Sequence[str], sep: str = ", ") -> Joined:
        self = super().__new__(cls, sep.join(parts))
        self.parts, self.sep = tuple(parts), sep
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.parts, self.sep))


def _rebuild(msgid: str, args: dict[str, Any]) -> Text:
    return Text(msgid, **args)

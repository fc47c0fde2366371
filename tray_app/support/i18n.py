"""Translations: `_()` and `ngettext` through the standard library's gettext.

The language follows the desktop's locale the way gettext reads it (the first of LANGUAGE,
LC_ALL, LC_MESSAGES, LANG that is set; LANGUAGE may list several, "de:fr"), unless the settings
file's `[general] language` names one ("de", "pt_BR"; "en" for English: `follow_setting`, called
where a process adopts its settings), and SITBREAK_LANGUAGE overrides both. The first language
that has a catalogue wins; English, "C" and "POSIX" end the search, as sitbreak's texts are English.
Catalogues are `tray_app/locale/<lang>/LC_MESSAGES/sitbreak.mo` (built from po/ by
scripts/update_translations), one class-based translation per process, loaded at the first `_()`.
In English nothing is loaded at all: not even the gettext module (the idle app stays lean).

Where texts are translated: the core is pure and stays English. It builds the texts the user
sees as `core.text.Text`, an English string that keeps its message id and arguments; the edge
that shows a text (the tray, the notifier, the windows, the command line) passes it through
`tr()`, which translates the id and formats the arguments for the locale. Modules outside the
core call `_()` where a text is written (tests/test_i18n_marked.py lists the converted ones).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gettext import GNUTranslations

DOMAIN = "sitbreak"
LANGUAGE_ENV = "SITBREAK_LANGUAGE"
# The setting as the app last read it, for the windows it starts (their own processes).
SETTING_ENV = "SITBREAK_LANGUAGE_SETTING"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
_LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_SOURCE = ("en", "C", "POSIX")  # the texts in the code are these already

# Number punctuation per catalogue language (decimal mark, thousands separator): a table rather
# than setlocale(), which changes the whole process and needs the locale to be generated.
_NUMBERS: dict[str, tuple[str, str]] = {
    "de": (",", "."), "es": (",", "."), "it": (",", "."), "nl": (",", "."),
    "pt": (",", "."), "fr": (",", "\u202f"), "pl": (",", "\u00a0"),
}

_loaded: tuple[str, GNUTranslations | None] | None = None
_setting = ""  # the settings file's [general] language


def requested(env: Mapping[str, str] | None = None, setting: str = "") -> list[str]:
    """The languages asked for, in order: SITBREAK_LANGUAGE, else the setting, else the
    locale variables."""
    env = os.environ if env is None else env
    setting = setting or env.get(SETTING_ENV, "")
    if not env.get(LANGUAGE_ENV) and setting:
        return [setting]
    for var in (LANGUAGE_ENV, *_LOCALE_VARS):
        if env.get(var):
            return [lang for lang in env[var].split(":") if lang]
    return []


def follow_setting(language: str) -> None:
    """Adopt the settings' `[general] language` ("" follows the desktop) from the next text on."""
    global _setting, _loaded
    os.environ[SETTING_ENV] = language  # the windows started from here follow it too
    if language != _setting:
        _setting, _loaded = language, None


def _expand(lang: str) -> list[str]:
    """'pt_BR.UTF-8@x' -> ['pt_BR', 'pt']: the catalogue names that fit, most specific first."""
    base = lang.split(".")[0].split("@")[0]
    return [base, base.split("_")[0]] if "_" in base else [base]


def choose(languages: list[str], available: set[str]) -> str:
    """The language to show: the first requested one with a catalogue, else "en"."""
    for lang in languages:
        for name in _expand(lang):
            if name in _SOURCE or name.split("_")[0] == "en":
                return "en"
            if name in available:
                return name
    return "en"


def available() -> set[str]:
    """The languages that have a compiled catalogue."""
    return {p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}


def _catalogue() -> tuple[str, GNUTranslations | None]:
    global _loaded
    if _loaded is None:
        langs = requested(setting=_setting)
        # A cheap look first: English (the usual case) must not import gettext.
        lang = "en" if not langs else choose(langs, available())
        _loaded = (lang, None if lang == "en" else load(lang))
    return _loaded


def load(lang: str) -> GNUTranslations:
    """The compiled catalogue of `lang` (one of `available()`)."""
    from gettext import GNUTranslations

    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as f:
        return GNUTranslations(f)


def catalogues() -> list[tuple[str, GNUTranslations]]:
    """Every shipped catalogue, by language: for files that carry all languages (.desktop)."""
    return [(lang, load(lang)) for lang in sorted(available())]


def N_(message: str) -> str:
    """Marks `message` for extraction where it is translated later (or into every language)."""
    return message


def language() -> str:
    """The language texts are shown in ("en" when untranslated)."""
    return _catalogue()[0]


def reset() -> None:
    """Forget the loaded catalogue, so the next `_()` reads the environment again (tests)."""
    global _loaded
    _loaded = None


def _(message: str) -> str:
    """`message` in the user's language."""
    cat = _catalogue()[1]
    return message if cat is None else cat.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` that fits `n` in the user's language."""
    cat = _catalogue()[1]
    if cat is None:
        return singular if n == 1 else plural
    return cat.ngettext(singular, plural, n)


def number(value: float, digits: int = 0) -> str:
    """`value` with `digits` decimals and the language's decimal mark and thousands separator."""
    text = f"{value:,.{digits}f}"
    marks = _NUMBERS.get(language().split("_")[0])
    if marks is None:
        return text
    point, thousands = marks
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


def duration(seconds: float, exact: bool = False) -> str:
    """Rounded for reading like core.duration.human ("45 s", "12 min", "1 h 5 min"), translated;
    `exact`: never rounded past the second, like core.duration.exact ("1 min 30 s")."""
    whole = round(seconds)
    if exact:
        h, rest = divmod(whole, 3600)
        m, s = divmod(rest, 60)
        parts = ([_("{h} h").format(h=h)] * bool(h) + [_("{m} min").format(m=m)] * bool(m)
                 + [_("{s} s").format(s=s)] * bool(s))
        return " ".join(parts) or _("{s} s").format(s=0)
    if whole < 60:
        return _("{s} s").format(s=whole)
    minutes = round(whole / 60)
    if minutes < 60:
        return _("{m} min").format(m=minutes)
    h, m = divmod(minutes, 60)
    return _("{h} h {m} min").format(h=h, m=m) if m else _("{h} h").format(h=h)


def tr(text: str) -> str:
    """A text the core built, in the user's language: a `core.text.Text` is translated by its
    message id with its arguments formatted for the locale; a plain string is looked up as is."""
    parts: tuple[str, ...] | None = getattr(text, "parts", None)  # core.text.Joined
    if parts is not None:
        return text.sep.join(tr(p) for p in parts)  # type: ignore[attr-defined]
    msgid: str | None = getattr(text, "msgid", None)
    if msgid is None:
        return _(text) if text else text
    args: dict[str, Any] = {k: _arg(v) for k, v in text.args.items()}  # type: ignore[attr-defined]
    items = args.pop("items", None)  # core.text.listing: join the items in the language
    if items:
        args.update(most=", ".join(tr(i) for i in items[:-1]), last=tr(items[-1]))
    plural: str | None = getattr(text, "plural", None)
    if plural is not None:
        return ngettext(msgid, plural, text.n).format(**args)  # type: ignore[attr-defined]
    return _(msgid).format(**args) if args else _(msgid)


def _arg(value: Any) -> Any:
    if getattr(value, "is_seconds", False):
        return duration(value, exact=getattr(value, "is_exact", False))
    if hasattr(value, "msgid") or hasattr(value, "parts"):
        return tr(value)
    return value

"""`sitbreak history clear`'s confirmation: `[y/N]` in the user's language (issue 27), its yes
taken as the health questions take it, and English's y/yes in every language."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from tray_app.cli.commands import confirm_deletion
from tray_app.support import i18n


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


WORDS = {"y": "s", "yes": "sì", "n": "n", "no": "no"}


class _Italian:
    """A catalogue that words the yes and no as Italian does ("s", "sì")."""

    def gettext(self, message: str) -> str:
        return WORDS.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


@pytest.fixture
def italian(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(i18n, "_loaded", ("it", _Italian()))
    yield
    i18n.reset()


def _ask(answer: str, prompts: list[str]):
    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return answer
    return ask


@pytest.mark.parametrize(("answer", "deletes"), [
    ("y", True), ("YES", True), (" yes ", True), ("", False), ("n", False), ("j", False),
])
def test_english_asks_y_n(answer: str, deletes: bool) -> None:
    prompts: list[str] = []
    assert confirm_deletion("Delete 3 events?", _ask(answer, prompts), _Terminal()) is deletes
    assert prompts == ["Delete 3 events? [y/N] "]


@pytest.mark.parametrize(("answer", "deletes"), [
    ("s", True), ("Sì", True), ("y", True), ("yes", True), ("n", False), ("", False),
])
def test_the_languages_yes_deletes(italian: None, answer: str, deletes: bool) -> None:
    prompts: list[str] = []
    assert confirm_deletion("Eliminare?", _ask(answer, prompts), _Terminal()) is deletes
    assert prompts == ["Eliminare? [s/N] "]


def test_without_a_terminal_nothing_is_deleted(capsys: pytest.CaptureFixture[str]) -> None:
    asked: list[str] = []
    assert confirm_deletion("Delete?", _ask("y", asked), io.StringIO()) is False
    assert asked == []
    assert "not deleting without confirmation: add --yes" in capsys.readouterr().err

"""Issue 27: the translation files are what the code and po/ make, and complete.

scripts/update_translations --check regenerates po/sitbreak.pot from the code, merges po/*.po,
compiles the .mo files, the metainfo's and debian/sitbreak.desktop's translations into a
temporary folder, and names every committed file that differs (run it without --check to fix).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tray_app.platform.autostart.desktop_entry import launcher_fields
from tray_app.support import i18n

REPO = Path(__file__).resolve().parents[2]
PO = REPO / "po"
LANGUAGES = {"de", "fr", "es", "it", "pt_BR", "nl", "pl"}


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install gettext (scripts/bootstrap test does)"
    return path


def test_the_committed_files_are_what_the_code_and_po_make() -> None:
    gettext_tool("xgettext")
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "update_translations"),
                          "--check"], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_catalogue_is_complete(lang: str) -> None:
    run = subprocess.run([gettext_tool("msgfmt"), "--check", "--statistics", "-o", "/dev/null",
                          str(PO / f"{lang}.po")], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(r"\d+ translated messages?\.", run.stderr.splitlines()[-1]), run.stderr


def test_the_shipped_languages_are_the_linguas() -> None:
    assert set((PO / "LINGUAS").read_text().split()) == LANGUAGES
    assert i18n.available() == LANGUAGES


def test_the_launcher_names_itself_in_every_language() -> None:
    fields = launcher_fields(["sitbreak", "run"], "sitbreak")
    for key in ("GenericName", "Comment", "Keywords"):
        assert {f"{key}[{lang}]" for lang in LANGUAGES} <= set(fields), key
    assert fields["GenericName[de]"] == "Erinnerung an Sitzpausen"
    # The desktop's search words stay a list: one semicolon after each word.
    assert all(fields[f"Keywords[{lang}]"].endswith(";") for lang in LANGUAGES)


def test_the_metainfo_says_its_summary_in_every_language() -> None:
    text = (REPO / "tray_app/data/io.github.sitbreak.sitbreak.metainfo.xml").read_text()
    assert set(re.findall(r'<summary xml:lang="([^"]+)">', text)) == LANGUAGES


@pytest.mark.parametrize(("lang", "forms"), [
    ("de", [1, 0, 1, 1, 1]), ("nl", [1, 0, 1, 1, 1]), ("es", [1, 0, 1, 1, 1]),
    ("it", [1, 0, 1, 1, 1]),
    ("fr", [0, 0, 1, 1, 1]), ("pt_BR", [0, 0, 1, 1, 1]),  # zero takes the singular
    ("pl", [2, 0, 1, 2, 1]),  # 1 plik, 2-4 pliki, 5-21 plików, 22 pliki
])
def test_each_catalogue_chooses_its_plural_forms(lang: str, forms: list[int]) -> None:
    """The Plural-Forms header that ngettext follows: the form used for 0, 1, 2, 5 and 22."""
    assert [i18n.load(lang).plural(n) for n in (0, 1, 2, 5, 22)] == forms  # type: ignore[attr-defined]

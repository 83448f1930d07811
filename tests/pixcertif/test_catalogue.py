"""The English catalogue is complete and its placeholders are intact.

Every msgid of locale/*/LC_MESSAGES/*.po has a translation (plural forms included), none is fuzzy
or obsolete, and each translation keeps the msgid's placeholders: `%(name)s` by name, `%s`/`%d`
by count, `{name}`/`{}` (str.format), `%%`, and the HTML tags. A missing translation would show
the French wording (never an empty label: see test_a_missing_translation_falls_back_to_french).
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings

from pixcertif.core.catalogue import compile_catalogues

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))

NAMED = re.compile(r"%\((\w+)\)[sd]")
POSITIONAL = re.compile(r"%(?!\()[-+ #0]*\d*(?:\.\d+)?[sdif]")
FORMAT = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
TEMPLATE_VARIABLE = re.compile(r"\{\{.*?\}\}")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def placeholders(text: str) -> dict[str, Counter]:
    return {
        "named": Counter(NAMED.findall(text)),
        "positional": Counter(POSITIONAL.findall(text)),
        "format": Counter(FORMAT.findall(text)),
        "template": Counter(TEMPLATE_VARIABLE.findall(text)),
        "percent": Counter(re.findall(r"%%", text)),
        "tags": Counter(TAG.findall(text)),
    }


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_there_is_an_english_catalogue_for_the_interface_and_the_javascript():
    names = {path.relative_to(LOCALE_DIR).as_posix() for path in CATALOGUES}
    assert {"en/LC_MESSAGES/django.po", "en/LC_MESSAGES/djangojs.po"} <= names
    assert len(polib.pofile(str(LOCALE_DIR / "en/LC_MESSAGES/django.po"))) > 500


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.relative_to(LOCALE_DIR).as_posix())
def test_every_msgid_has_a_translation_with_the_same_placeholders(path):
    catalogue = polib.pofile(str(path))
    problems = []
    for entry in catalogue:
        where = f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"
        if entry.obsolete:
            problems.append(f"obsolete entry: {where}")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where}")
        texts = translations(entry)
        if not texts or not all(text.strip() for text in texts):
            problems.append(f"no translation: {where}")
            continue
        expected = placeholders(entry.msgid)
        for text in texts:
            found = placeholders(text)
            for kind, wanted in expected.items():
                if found[kind] != wanted:
                    problems.append(f"{kind} placeholders differ: {where} → {text!r}")
        if entry.msgid_plural:
            # The plural msgid may say "%(n)s" where the singular spells the number out; compare names.
            assert set(NAMED.findall(entry.msgid_plural)) <= set(NAMED.findall(texts[-1])) | {"n", "counter"}, where
    assert not problems, "\n".join(problems)


def test_no_obsolete_or_fuzzy_entry_is_kept_in_the_files():
    for path in CATALOGUES:
        text = path.read_text(encoding="utf-8")
        assert "\n#~" not in text, path
        assert "#, fuzzy" not in text, path
        assert "\n#| " not in text, path  # no previous-msgid leftovers of a fuzzy match


def test_the_placeholder_check_catches_broken_translations():
    good = placeholders("La session %(number)s de %(name)s : {n} questions, <strong>%%</strong>")
    assert good == placeholders("Session %(number)s of %(name)s: {n} questions, <strong>%%</strong>")
    assert good != placeholders("Session %(numero)s of %(name)s: {n} questions, <strong>%%</strong>")
    assert good != placeholders("Session %(number)s of %(name)s: {count} questions, <strong>%%</strong>")
    assert good != placeholders("Session %(number)s of %(name)s: {n} questions, %%")
    assert placeholders("%s et %s") != placeholders("%s and")
    assert placeholders("{{ name }}") != placeholders("{{ nom }}")


def test_a_missing_translation_falls_back_to_french(tmp_path):
    """An entry left empty (or fuzzy) in a .po is left out of the .mo: gettext gives the msgid."""
    po_dir = tmp_path / "en" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "en"}
    catalogue.append(polib.POEntry(msgid="Connexion", msgstr="Log in"))
    catalogue.append(polib.POEntry(msgid="Candidats", msgstr=""))
    catalogue.append(polib.POEntry(msgid="Valider", msgstr="Submit", flags=["fuzzy"]))
    catalogue.save(str(po_dir / "django.po"))
    assert compile_catalogues(tmp_path) == [po_dir / "django.mo"]
    with open(po_dir / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert compiled.gettext("Connexion") == "Log in"
    assert compiled.gettext("Candidats") == "Candidats"
    assert compiled.gettext("Valider") == "Valider"
    # Up to date: compiling again writes nothing.
    assert compile_catalogues(tmp_path) == []


def test_the_english_catalogue_is_the_one_django_uses():
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("Connexion") == "Log in"
        assert translation.gettext("Feuille d'émargement") == "Attendance sheet"
    with translation.override("fr"):
        assert translation.gettext("Connexion") == "Connexion"

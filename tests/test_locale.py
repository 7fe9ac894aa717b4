"""The Japanese catalogue: django.mo is committed (nothing needs GNU gettext to run the archive), so it must be
what django.po says, every message translated. `make messages` compiles it again after the .po changes."""

import re

import polib
from django.conf import settings
from django.utils import translation

from tests.conftest import ROOT

CATALOGUE = ROOT / "locale" / "ja" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def messages(catalogue) -> dict:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in catalogue
        if not entry.obsolete and "fuzzy" not in entry.flags
    }


def test_the_compiled_catalogue_is_the_po_file():
    compiled = messages(polib.mofile(str(CATALOGUE / "django.mo")))
    written = messages(polib.pofile(str(CATALOGUE / "django.po")))
    assert compiled == written, "locale/ja/LC_MESSAGES/django.mo is out of date: run `make messages`"


def test_every_message_is_translated_with_the_same_values():
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    assert catalogue.untranslated_entries() == [] and catalogue.fuzzy_entries() == []
    for entry in catalogue.translated_entries():
        for translated in [entry.msgstr] if entry.msgstr else entry.msgstr_plural.values():
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(entry.msgid)), entry.msgid


def test_the_archive_reads_its_catalogue():
    assert CATALOGUE.parent.parent in map(type(CATALOGUE), settings.LOCALE_PATHS)
    with translation.override("ja"):
        assert translation.gettext("line %(line)s: %(message)s") == "%(line)s行目: %(message)s"
        assert translation.gettext("access attempts") == "ログインの試み"  # django-axes, which has no Japanese of its own

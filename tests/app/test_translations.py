"""Every message in the code has a Spanish translation with the same placeholders, and the compiled catalogue
the app reads is the one the .po file says.

The messages are extracted from the code here, with the project's babel.cfg and the Makefile's keywords, so a
new `_("...")` fails this test until it is translated (`make translations-update`, then translate it in
webapp/translations/es/LC_MESSAGES/messages.po)."""

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "webapp" / "translations"
LANGUAGES = ["es"]
# Python's %-placeholders (named or not) and the {name} ones the scripts fill in; `%%` is a literal percent.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*(?:\.\d+)?[dsf]|\{\w+\}"
)
# The Makefile's translations-extract keywords (flask_babel's lazy_gettext is imported as _l).
EXTRA_KEYWORDS = ["_l", "lazy_gettext"]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages of the code, as `pybabel extract` finds them today."""
    template = tmp_path_factory.mktemp("messages") / "messages.pot"
    arguments = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(template)]
    for keyword in EXTRA_KEYWORDS:
        arguments += ["-k", keyword]
    CommandLineInterface().run([*arguments, str(ROOT)])
    with template.open("rb") as file:
        catalogue = read_po(file)
    messages = [message for message in catalogue if message.id]
    # The extraction must really have read the code, or every check below would hold for nothing.
    assert len(messages) > 500
    assert any(message.id == "Report a camera" for message in messages)
    return messages


def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def pairs(extracted, translations):
    """Each message of the code with its entry in the catalogue (None when it has none)."""
    return [(message, translations.get(message.id)) for message in extracted]


def _complete(message, translated, plural_forms: int) -> bool:
    if translated is None or translated.fuzzy or not all(form.strip() for form in _forms(translated)):
        return False
    return not isinstance(message.id, tuple) or len(translated.string) == plural_forms


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.id, tuple) else [message.string]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_code_is_translated(extracted, language):
    translations = catalogue(language)
    untranslated = []
    for message, translated in pairs(extracted, translations):
        if not _complete(message, translated, translations.num_plurals):
            untranslated.append(message.id)
    assert untranslated == [], "run `make translations-update` and translate these in messages.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(extracted, language):
    mismatched = []
    for message, translated in pairs(extracted, catalogue(language)):
        if translated is None:
            continue
        singular, plural = message.id if isinstance(message.id, tuple) else (message.id, message.id)
        for index, form in enumerate(_forms(translated)):
            original = singular if index == 0 else plural
            if form and placeholders(form) != placeholders(original):
                mismatched.append((original, form))
    assert mismatched == []


def _key(value):
    """A plural message's forms, as a tuple whichever reader gave them."""
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_po_file(language):
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    compiled_path = folder / "messages.mo"
    assert compiled_path.exists(), "run `make translations` (make run and make test do)"
    with compiled_path.open("rb") as file:
        compiled = read_mo(file)
    source = catalogue(language)
    expected = {
        _key(message.id): _key(message.string) for message in source if message.id and not message.fuzzy
    }
    actual = {_key(message.id): _key(message.string) for message in compiled if message.id}
    assert actual == expected, "messages.mo is stale: run `make translations`"


def test_placeholders_are_read_as_the_app_formats_them():
    assert placeholders("%(vendor)s, %(distance)s m away") == ["%(distance)s", "%(vendor)s"]
    assert placeholders("%(area).1f square degrees, %(limit).0f") == ["%(area).1f", "%(limit).0f"]
    assert placeholders("{count} verified cameras") == ["{count}"]
    assert placeholders("%%(count)s boxes") == []
    assert placeholders("%(count)s cámaras") != placeholders("%(cuenta)s cámaras")

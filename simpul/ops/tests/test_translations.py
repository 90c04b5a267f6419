"""The Indonesian catalogue is complete, its placeholders are intact, and the UI follows the language."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real

from simpul.ops.management.commands.compiletranslations import catalogue_paths, catalogue_problems, entry_problems

ID_PO = Path(settings.BASE_DIR) / "simpul" / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _reset_translation_caches() -> None:
    # What Django's own setting_changed handler does when LOCALE_PATHS change: reload the catalogues.
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = trans_real.Local()
    for cached in (trans_real.check_for_language, trans_real.get_languages, trans_real.get_supported_language_variant):
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


@pytest.fixture(scope="module")
def compiled():
    call_command("compiletranslations", verbosity=0)
    _reset_translation_caches()
    yield
    _reset_translation_caches()


def test_indonesian_catalogue_exists_with_one_plural_form():
    assert ID_PO in catalogue_paths()
    catalogue = polib.pofile(str(ID_PO))
    assert catalogue.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert not catalogue.metadata_is_fuzzy
    assert len(catalogue) > 100


def test_every_entry_is_translated_with_its_placeholders():
    problems = [f"{entry.msgid!r}: {', '.join(reasons)}" for entry, reasons in catalogue_problems(ID_PO)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("msgid", "msgstr", "expected"),
    [
        ("%(name)s was saved.", "%(name)s telah disimpan.", []),
        ("%(name)s was saved.", "%(nama)s telah disimpan.", ["placeholders differ"]),
        ("%(count)d records", "", ["untranslated"]),
        ("{name} ok", "{name} baik", []),
        ("%s of %s", "%s dari", ["placeholders differ"]),
    ],
)
def test_placeholder_check(msgid, msgstr, expected):
    reasons = entry_problems(polib.POEntry(msgid=msgid, msgstr=msgstr))
    assert [reason.split(":")[0] for reason in reasons] == expected


def test_fuzzy_entries_are_reported():
    entry = polib.POEntry(msgid="Save", msgstr="Simpan", flags=["fuzzy"])
    assert entry_problems(entry) == ["fuzzy"]


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default_and_english_on_request(client, compiled):
    login_url = reverse("login")
    response = client.get(login_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Masuk ke Simpul" in content
    assert "Kata sandi" in content
    assert "Sign in to Simpul" not in content

    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    content = client.get(login_url).content.decode()
    assert "Sign in to Simpul" in content
    assert "Masuk ke Simpul" not in content

    client.post(reverse("set_language"), {"language": "id", "next": login_url})
    assert "Masuk ke Simpul" in client.get(login_url).content.decode()

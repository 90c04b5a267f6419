"""The page links under a list speak the user's language: Simpul's table template words them itself, as
django-tables2 ships no Indonesian translation of its "previous"/"next"."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from django_tables2 import RequestConfig

from simpul.core.tests.test_tables import OpdTable
from simpul.organizations.models import PerangkatDaerah
from simpul.organizations.tests.factories import PerangkatDaerahFactory


def _page_links(page: int, language: str) -> str:
    """The `<nav>` of page links of an OPD list of 12 at 5 a page, as the list template renders it."""
    opds = PerangkatDaerah.objects.filter(short_name__startswith="OPD-").order_by("short_name")
    request = RequestFactory().get("/", {"per_page": 5, "page": page})
    with translation.override(language):
        table = OpdTable(opds)
        RequestConfig(request).configure(table)
        html = Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": table, "request": request})
        )
    return re.sub(r"\s+", " ", re.search(r"<nav [^>]*>.*?</nav>", html, re.S).group(0))


@pytest.mark.django_db
def test_page_links_are_in_the_users_language(world):
    for n in range(12):
        PerangkatDaerahFactory(instansi=world.inst_a, short_name=f"OPD-{n:02}")

    first = _page_links(1, "id")
    assert 'aria-label="Halaman daftar"' in first
    assert "Berikutnya" in first and "Sebelumnya" not in first
    assert re.findall(r">\s*(\d)\s*</a>", first) == ["1", "2", "3"]
    assert re.search(r'class="page-link" aria-current="page" href="[^"]*page=1\b[^"]*">1<', first)
    # None of the library's English words are left.
    assert not re.search(r"\b(next|previous|navigation)\b", re.sub(r"<[^>]*>", " ", first), re.I)

    second = _page_links(2, "en")
    assert 'aria-label="Pages of the list"' in second
    assert re.search(r'href="[^"]*page=1\b[^"]*" class="page-link" rel="prev">.*Previous</a>', second)
    assert re.search(r'href="[^"]*page=3\b[^"]*" class="page-link" rel="next">Next ', second)
    assert re.search(r'aria-current="page" href="[^"]*page=2\b', second)

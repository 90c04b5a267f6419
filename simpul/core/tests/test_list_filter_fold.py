"""On a phone, a list's filters other than the search fold behind one button that counts those in use."""

import re

from django.test import Client
from django.urls import reverse


def test_the_fold_button_counts_the_filters_in_use_but_not_the_search(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    url = reverse("organizations:perangkatdaerah_list")
    plain = client.get(url).content.decode()
    assert 'data-testid="filter-toggle"' in plain
    assert "in use" not in plain
    assert 'id="list-filters"' in plain
    filtered = client.get(url, {"q": "Dinas", "kind": "dinas"})
    assert filtered.context["active_filter_count"] == 1
    assert re.search(r"badge[^>]*>\s*1 in use", filtered.content.decode())
    # The search box stays outside the fold.
    page = filtered.content.decode()
    assert page.index('name="q"') < page.index('id="list-filters"')

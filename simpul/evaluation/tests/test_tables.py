"""The assessment list on a phone: each row's card is titled by its indicator (core.tables, simpul.css)."""

import re

from django.urls import reverse

from simpul.evaluation.tests.test_workflow import client_for, make_period


def test_assessment_cards_are_titled_by_the_indicator(world):
    period = make_period(world)
    page = client_for(world.admin_a).get(reverse("evaluation:indicatorassessment_list"), {"per_page": 25})
    assert page.status_code == 200
    html = page.content.decode()
    titles = re.findall(r"<td ([^>]*\bdata-card-title\b[^>]*)>(.*?)</td>", html, re.S)
    assert len(titles) == 25
    assert {re.search(r'data-label="([^"]*)"', attrs).group(1) for attrs, _ in titles} == {"Indicator"}
    first = period.assessments.select_related("indicator").get(item_key="1")
    assert f'<a href="{first.get_absolute_url()}">{first.indicator.name}</a>' in [cell for _, cell in titles]
    # "#" is one of the card's labelled lines, no longer its title.
    assert re.search(r'<td data-label="#"><a href="[^"]+">1</a></td>', html)

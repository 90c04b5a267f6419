"""Home-page cards of the evaluation: a PIC sees what its OPD must fill in, reviewers what waits for
them, those who steer the latest complete index; each card is one scoped query."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from simpul.core.cards import Card
from simpul.evaluation import cards, services
from simpul.evaluation.models import EvaluationPeriod, Framework, PeriodStatus
from simpul.organizations.tests.factories import user_with_role

PIC_CARD = "Evaluation indicators for you to fill in"
REVIEW_CARD = "Assessments waiting for review"
INDEX_CARD = "SPBE index"


@pytest.fixture
def home_cards():
    def cards_of(user) -> dict[str, Card]:
        client = Client(headers={"accept-language": "en"})
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200
        return {card.title: card for card in response.context["cards"]}

    return cards_of


def new_period(world, year, instansi=None):
    instansi = instansi or world.inst_a
    evaluator = world.evaluator_a if instansi == world.inst_a else user_with_role("evaluator_pj", instansi)
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    period = services.create_period(evaluator, EvaluationPeriod(instansi=instansi, year=year, framework=framework))
    return period, {a.item_key: a for a in period.assessments.all()}


@pytest.fixture
def period(world):
    """A 2024 period of instansi A: a1 holds 1–4, a2 holds 5; 1 submitted, 2 returned, 3 draft, 4 accepted."""
    period, items = new_period(world, 2024)
    for key in "1234":
        services.assign_pic(world.evaluator_a, items[key], world.a1)
    services.assign_pic(world.evaluator_a, items["5"], world.a2)
    for key, submit in (("1", True), ("2", True), ("3", False), ("4", True)):
        services.save_self_assessment(world.operator_a1, items[key], 3, "Bukti ada.", submit=submit)
    services.review(world.evaluator_a, items["2"], accept=False, note="Lampirkan SK.")
    services.review(world.evaluator_a, items["4"], accept=True)
    return period


@pytest.mark.django_db
def test_pic_sees_what_its_opd_must_fill_in_returned_first(world, period, home_cards):
    mine = home_cards(world.operator_a1)[PIC_CARD]
    assert mine.value == 2  # returned 2 and draft 3; not the submitted, accepted or other OPD's ones
    assert mine.tone == "warning"
    assert "1 returned" in mine.text
    assert mine.items[0][0].startswith("2024 · 2.") and "(returned)" in mine.items[0][0]
    assert mine.items[0][1] == f"/evaluation/assessments/{period.assessments.get(item_key='2').pk}/"
    assert mine.url == f"/evaluation/periods/{period.pk}/?pic={world.a1.pk}"
    other = home_cards(world.operator_a2)[PIC_CARD]
    assert other.value == 1 and "returned" not in other.text  # item 5, not started
    # PICs review nothing; reviewers are no PIC.
    assert REVIEW_CARD not in home_cards(world.operator_a1)
    assert PIC_CARD not in home_cards(world.evaluator_a)


@pytest.mark.django_db
def test_closed_periods_ask_nothing_of_anyone(world, period, home_cards):
    period.status = PeriodStatus.CLOSED
    period.save()
    assert home_cards(world.operator_a1)[PIC_CARD].value == 0
    assert home_cards(world.evaluator_a)[REVIEW_CARD].value == 0


@pytest.mark.django_db
def test_reviewers_see_the_submitted_self_assessments_of_their_instansi(world, period, home_cards):
    _other, items_b = new_period(world, 2024, instansi=world.inst_b)
    operator_b1 = user_with_role("operator_opd", world.inst_b, world.b1)
    services.assign_pic(world.admin_b, items_b["1"], world.b1)
    services.save_self_assessment(operator_b1, items_b["1"], 2, "Ada.", submit=True)

    review = home_cards(world.evaluator_a)[REVIEW_CARD]
    assert review.value == 1
    assert [url for _label, url in review.items] == [
        f"/evaluation/assessments/{period.assessments.get(item_key='1').pk}/"
    ]
    assert review.url == f"/evaluation/periods/{period.pk}/?status=submitted"
    analyst = user_with_role("evaluator_analis", world.inst_a)
    assert home_cards(analyst)[REVIEW_CARD].value == 1
    assert home_cards(world.admin_b)[REVIEW_CARD].value == 1  # B's own, not A's
    assert REVIEW_CARD not in home_cards(world.koordinator_a)


@pytest.mark.django_db
def test_leaders_see_the_latest_complete_index_with_its_year(world, period, home_cards):
    # The 2024 period in progress has no complete result: nothing to show yet.
    card = home_cards(world.koordinator_a)[INDEX_CARD]
    assert card.value == "–"
    closed, items = new_period(world, 2023)
    for item in items.values():
        services.record_national_result(world.evaluator_a, item, "document", 3)
    card = home_cards(world.pimpinan_a)[INDEX_CARD]
    assert card.value == "3.00"
    assert card.text == "2023 · 3.00 Baik · national"
    assert card.url == f"/evaluation/periods/{closed.pk}/"
    assert home_cards(world.koordinator_a)[INDEX_CARD].value == "3.00"
    # Operators get their work list instead; ASN and the other instansi see no index of A.
    assert INDEX_CARD not in home_cards(world.operator_a1)
    assert not {PIC_CARD, REVIEW_CARD, INDEX_CARD} & set(home_cards(world.asn_a1))
    assert home_cards(world.admin_b)[INDEX_CARD].value == "–"


@pytest.mark.django_db
def test_each_card_is_one_query_whatever_the_number_of_indicators(world, period):
    request = RequestFactory().get("/")
    for user, card in (
        (world.operator_a1, cards.pic_card),
        (world.evaluator_a, cards.review_card),
        (world.koordinator_a, cards.index_card),
    ):
        request.user = user
        cards.evaluation_cards(request)  # loads the user's grants once
        with CaptureQueriesContext(connection) as queries:
            assert card(user) is not None
        assert len(queries) == 1, (card.__name__, [q["sql"] for q in queries])

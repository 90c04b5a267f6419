"""Home-page cards of the architecture module: reviewers see proposals waiting, operators their records."""

import pytest
from django.test import Client

from simpul.architecture import services
from simpul.architecture.models import Application, ProposalStatus
from simpul.core.cards import Card


def cards_of(user) -> dict[str, Card]:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return {card.title: card for card in response.context["cards"]}


@pytest.mark.django_db
def test_reviewer_sees_pending_proposals_and_operator_sees_own_records(world):
    Application.objects.create(owner=world.a1, name="Aplikasi A1", kind="khusus", published=True)
    draft = Application.objects.create(owner=world.a1, name="Draf A1", kind="khusus", published=False)
    proposal = services.request_publication(world.operator_a1, draft)

    admin_cards = cards_of(world.admin_a)
    review = admin_cards["Architecture proposals to review"]
    assert review.value == 1
    assert review.items == [(str(proposal), proposal.get_absolute_url())]

    operator_cards = cards_of(world.operator_a1)
    assert "Architecture proposals to review" not in operator_cards
    mine = operator_cards["Your architecture records"]
    assert mine.value == 2  # the published application and the draft
    assert "1 drafts" in mine.text

    proposal.status = ProposalStatus.RETURNED
    proposal.save()
    assert cards_of(world.admin_a)["Architecture proposals to review"].value == 0


@pytest.mark.django_db
def test_roles_without_architecture_access_get_no_architecture_card(world):
    titles = set(cards_of(world.asn_a1))
    assert not titles & {"Architecture proposals to review", "Your architecture records"}

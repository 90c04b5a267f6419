"""The platform's home cards concern the role that sees them."""

from django.test import RequestFactory
from django.utils import translation

from simpul.dashboard.cards import platform_cards


def titles(user) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return {str(card.title) for card in platform_cards(request)}


def test_only_who_gives_operators_their_role_sees_the_opds_without_one(world):
    assert "Regional departments (OPD)" in titles(world.admin_a)
    for user in (world.operator_a1, world.pimpinan_a, world.koordinator_a, world.auditor_a, world.asn_a1):
        assert "Regional departments (OPD)" not in titles(user), user

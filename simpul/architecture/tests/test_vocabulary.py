"""The relationship vocabulary: which domains each kind may link, enforced by Relationship.clean(), the
UI form and the API alike; self-links, cross-instansi links and duplicates are refused.

The allowed pairs below are written out from the vocabulary's meaning (docs/architecture/relationship.md),
not read from simpul/architecture/vocabulary.py, so a change to the vocabulary shows up here.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from simpul.architecture.models import Relationship
from simpul.architecture.tests.factories import BY_DOMAIN, ApplicationFactory, InfrastructureFactory, ServiceFactory

DOMAINS = ["bisnis", "data", "layanan", "aplikasi", "infrastruktur", "keamanan", "lainnya"]
ALL = set(DOMAINS)
ALLOWED = {
    "realizes": ({"aplikasi"}, {"layanan"}),
    "runs_on": ({"aplikasi", "infrastruktur"}, {"infrastruktur"}),
    "uses": ({"aplikasi", "layanan", "bisnis"}, {"data"}),
    "produces": ({"aplikasi", "bisnis"}, {"data"}),
    "supports": ({"aplikasi", "layanan"}, {"bisnis"}),
    "protected_by": (ALL - {"keamanan"}, {"keamanan"}),
    "integrates_with": ({"aplikasi"}, {"aplikasi"}),
    "connected_via": ({"infrastruktur"}, {"infrastruktur"}),
    "archimate": (ALL, ALL),
}
LABELS = {
    "realizes": "realises",
    "runs_on": "runs on",
    "uses": "uses",
    "produces": "produces",
    "supports": "supports",
    "protected_by": "is protected by",
    "integrates_with": "is integrated with",
    "connected_via": "is connected via",
}


@pytest.fixture
def two_of_each(world):
    """Two elements of every domain, all owned by OPD A1."""
    return {domain: (BY_DOMAIN[domain](owner=world.a1), BY_DOMAIN[domain](owner=world.a1)) for domain in DOMAINS}


def test_the_vocabulary_has_exactly_the_expected_kinds():
    assert {value for value, _label in Relationship._meta.get_field("kind").choices} == set(ALLOWED)


@pytest.mark.parametrize("kind", sorted(ALLOWED))
def test_every_domain_pair_is_accepted_or_rejected_as_the_vocabulary_says(two_of_each, kind):
    sources, targets = ALLOWED[kind]
    accepted, rejected = [], []
    with translation.override("en"):
        for source_domain, target_domain in itertools.product(DOMAINS, DOMAINS):
            relationship = Relationship(
                source=two_of_each[source_domain][0], target=two_of_each[target_domain][1], kind=kind
            )
            try:
                relationship.clean()
            except ValidationError as error:
                rejected.append((source_domain, target_domain))
                message = " ".join(error.message_dict["target"])
                # The message names the kind and the domains it links, so the user knows what fits.
                assert LABELS[kind] in message
                assert "links" in message
            else:
                accepted.append((source_domain, target_domain))
    expected = {(s, t) for s in sources for t in targets}
    assert set(accepted) == expected
    assert set(rejected) == set(itertools.product(DOMAINS, DOMAINS)) - expected


def test_rejection_message_lists_the_allowed_domains(world):
    app = ApplicationFactory(owner=world.a1)
    data = BY_DOMAIN["data"](owner=world.a1)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        Relationship(source=app, target=data, kind="realizes").clean()
    assert error.value.message_dict["target"] == ["“realises” links SPBE application to SPBE service."]


def test_an_element_cannot_be_linked_to_itself(world):
    server = InfrastructureFactory(owner=world.a1)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            Relationship(source=server, target=server, kind="connected_via").clean()
        # Lazy messages are translated when read: read them in English too.
        assert "cannot be related to itself" in " ".join(error.value.messages)


def test_elements_of_two_instansi_cannot_be_linked(world):
    app = ApplicationFactory(owner=world.a1)
    server_b = InfrastructureFactory(owner=world.b1)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            Relationship(source=app, target=server_b, kind="runs_on").clean()
        assert "same instansi" in " ".join(error.value.messages)
    # Two OPDs of the same instansi may be linked: the shared map crosses OPDs.
    Relationship(source=app, target=InfrastructureFactory(owner=world.a2), kind="runs_on").clean()


def test_a_relationship_is_unique_per_source_target_and_kind(world):
    app = ApplicationFactory(owner=world.a1)
    service = ServiceFactory(owner=world.a1)
    Relationship.objects.create(source=app, target=service, kind="realizes")
    duplicate = Relationship(source=app, target=service, kind="realizes")
    with pytest.raises(ValidationError):
        duplicate.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Another kind between the same two elements is a different statement.
    other = BY_DOMAIN["lainnya"](owner=world.a1)
    Relationship.objects.create(source=app, target=other, kind="archimate")
    # Imported ArchiMate relationships may repeat (a model can hold two flows between two elements).
    Relationship.objects.create(source=app, target=other, kind="archimate")
    assert Relationship.objects.filter(source=app, target=other).count() == 2


@pytest.fixture
def ui(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.operator_a1)
    return client


def test_the_form_refuses_a_pair_outside_the_vocabulary(world, ui):
    app = ApplicationFactory(owner=world.a1)
    data = BY_DOMAIN["data"](owner=world.a1)
    url = reverse("architecture:relationship_add")
    response = ui.post(url, {"source": app.pk, "kind": "realizes", "target": data.pk})
    assert response.status_code == 400
    assert "links SPBE application to SPBE service" in response.content.decode()
    assert not Relationship.objects.exists()
    response = ui.post(url, {"source": app.pk, "kind": "produces", "target": data.pk})
    assert response.status_code == 302
    assert Relationship.objects.get().kind == "produces"
    # The same link again is a duplicate.
    response = ui.post(url, {"source": app.pk, "kind": "produces", "target": data.pk})
    assert response.status_code == 400
    assert Relationship.objects.count() == 1


def test_the_api_refuses_a_pair_outside_the_vocabulary_and_duplicates(world):
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(world.operator_a1)
    app = ApplicationFactory(owner=world.a1)
    service = ServiceFactory(owner=world.a1)
    url = "/api/architecture/relationships/"
    response = client.post(url, {"source": service.pk, "kind": "realizes", "target": app.pk}, format="json")
    assert response.status_code == 400, response.content
    assert "realises" in str(response.json()["target"])
    response = client.post(url, {"source": app.pk, "kind": "realizes", "target": app.pk}, format="json")
    assert response.status_code == 400
    assert not Relationship.objects.exists()
    response = client.post(url, {"source": app.pk, "kind": "realizes", "target": service.pk}, format="json")
    assert response.status_code == 201, response.content
    response = client.post(url, {"source": app.pk, "kind": "realizes", "target": service.pk}, format="json")
    assert response.status_code == 400
    assert Relationship.objects.count() == 1

"""A proposal tells its reviewers it waits for them, and its proposer what they decided."""

import pytest

from simpul.architecture import services
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.models import Notification
from simpul.organizations.tests.factories import user_with_role


@pytest.fixture
def scene(world):
    world.app = ApplicationFactory(owner=world.a1, name="SIMPEG", published=True, kind="umum")
    world.draft = ApplicationFactory(owner=world.a1, name="SIMDA", published=False, kind="umum")
    world.admin_a_2 = user_with_role("admin_spbe", world.inst_a, username="admin-a-2")
    return world


def recipients(verb) -> set:
    return set(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))


def test_proposal_and_publication_request_notify_the_instansis_reviewers(scene):
    proposal = services.propose_change(scene.operator_a1, scene.app, {"name": "SIMPEG Baru"})
    assert recipients("architecture.proposed") == {"admin-a", "admin-a-2"}
    row = Notification.objects.filter(recipient=scene.admin_a).get()
    assert row.link == proposal.get_absolute_url()
    Notification.objects.all().delete()

    services.request_publication(scene.operator_a1, scene.draft)
    assert recipients("architecture.proposed") == {"admin-a", "admin-a-2"}  # not admin-b, not operators


def test_decisions_notify_the_proposer_only(scene):
    proposal = services.propose_change(scene.operator_a1, scene.app, {"name": "SIMPEG Baru"})
    services.return_proposal(scene.admin_a, proposal, "Lengkapi BAST.")
    assert recipients("architecture.returned") == {"operator-a1"}
    assert Notification.objects.get(verb="architecture.returned").body == "Lengkapi BAST."

    Notification.objects.all().delete()
    services.resubmit_proposal(scene.operator_a1, proposal)
    assert recipients("architecture.proposed") == {"admin-a", "admin-a-2"}
    services.approve_proposal(scene.admin_a, proposal)
    assert recipients("architecture.approved") == {"operator-a1"}


def test_a_refused_step_notifies_nobody(scene):
    proposal = services.propose_change(scene.operator_a1, scene.app, {"name": "SIMPEG Baru"})
    Notification.objects.all().delete()
    with pytest.raises(services.TransitionError):
        services.approve_proposal(scene.operator_a2, proposal)
    assert not Notification.objects.exists()

"""The proposal workflow through its services: every step allowed from its states and refused from the
others, allowed to its roles and refused to the rest, each allowed step writing one event and each
refused one writing nothing; the workflow's own guards; publication on the kit."""

import pytest

from simpul.architecture import services
from simpul.architecture.models import ChangeProposal, Element, ProposalKind, ProposalStatus
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.workflow import TransitionError, events_of
from simpul.organizations.tests.factories import user_with_role

PENDING, APPROVED, RETURNED, WITHDRAWN = "pending", "approved", "returned", "withdrawn"
# The states each step leaves from, and where it goes.
STEPS = {
    "approve": ({PENDING}, APPROVED),
    "return": ({PENDING}, RETURNED),
    "revise": ({RETURNED}, RETURNED),
    "resubmit": ({RETURNED}, PENDING),
    "withdraw": ({PENDING, RETURNED}, WITHDRAWN),
}
REVIEWER_STEPS = {"approve", "return"}


@pytest.fixture
def scene(world):
    world.app = ApplicationFactory(owner=world.a1, name="SIMPEG", published=True, kind="umum")
    world.colleague_a1 = user_with_role("operator_opd", world.inst_a, world.a1, username="operator-a1-b")
    return world


def propose(scene, **data) -> ChangeProposal:
    return services.propose_change(scene.operator_a1, scene.app, data or {"name": "SIMPEG Baru"})


def in_state(scene, state: str) -> ChangeProposal:
    """A change proposal of operator A1 brought to `state` through the services."""
    proposal = propose(scene)
    if state in (RETURNED, WITHDRAWN):
        proposal = services.return_proposal(scene.admin_a, proposal, "Lengkapi BAST.")
    if state == APPROVED:
        proposal = services.approve_proposal(scene.admin_a, proposal)
    if state == WITHDRAWN:
        proposal = services.withdraw_proposal(scene.operator_a1, proposal)
    return ChangeProposal.objects.get(pk=proposal.pk)


def fire(step: str, user, proposal: ChangeProposal, note: str = "Catatan.") -> ChangeProposal:
    if step == "revise":
        return services.revise_proposal(user, proposal, {"name": "SIMPEG Revisi"}, note=note)
    return services.PROPOSAL_STEPS[step](user, proposal, note=note)


def event_rows(record) -> list[tuple]:
    return [
        (event.workflow, event.transition, event.from_state, event.to_state, event.actor_id, event.note)
        for event in events_of(record).order_by("id")
    ]


def test_creating_a_proposal_writes_its_first_event(scene):
    proposal = propose(scene)
    assert event_rows(proposal) == [("proposal", "propose", "", PENDING, scene.operator_a1.pk, "")]
    draft = ApplicationFactory(owner=scene.a1, published=False)
    request = services.request_publication(scene.operator_a1, draft)
    assert event_rows(request) == [("proposal", "request_publication", "", PENDING, scene.operator_a1.pk, "")]


@pytest.mark.parametrize("state", [PENDING, RETURNED, APPROVED, WITHDRAWN])
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_leaves_only_from_its_states(scene, step, state):
    proposal = in_state(scene, state)
    actor = scene.admin_a if step in REVIEWER_STEPS else scene.operator_a1
    before = event_rows(proposal)
    sources, target = STEPS[step]
    if state in sources:
        done = fire(step, actor, proposal)
        assert done.status == target
        assert event_rows(proposal) == [*before, ("proposal", step, state, target, actor.pk, "Catatan.")]
    else:
        with pytest.raises(TransitionError) as refused:
            fire(step, actor, proposal)
        assert (refused.value.code, refused.value.status) == ("invalid_state", 409)
        assert ChangeProposal.objects.get(pk=proposal.pk).status == state
        assert event_rows(proposal) == before


@pytest.mark.parametrize(
    "role", ["operator_a1", "colleague_a1", "operator_a2", "koordinator_a", "auditor_a", "admin_a", "admin_b"]
)
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_is_for_its_role_only(scene, step, role):
    proposal = in_state(scene, PENDING if step in ("approve", "return") else RETURNED)
    user = getattr(scene, role)
    allowed = role == ("admin_a" if step in REVIEWER_STEPS else "operator_a1")
    before = event_rows(proposal)
    # What the page offers is what the service allows.
    assert (step in {t.name for t in ChangeProposal.workflow.allowed(user, proposal)}) == allowed
    if allowed:
        fire(step, user, proposal)
        assert len(event_rows(proposal)) == len(before) + 1
    else:
        with pytest.raises(TransitionError) as refused:
            fire(step, user, proposal)
        assert (refused.value.code, refused.value.status) == ("not_permitted", 403)
        assert event_rows(proposal) == before


def test_returning_needs_a_note_and_the_note_is_the_events(scene):
    proposal = propose(scene)
    with pytest.raises(TransitionError) as refused:
        services.return_proposal(scene.admin_a, proposal, "   ")
    assert (refused.value.code, refused.value.status) == ("note_required", 400)
    assert refused.value.fields == {"note": [refused.value.fields["note"][0]]}
    assert len(event_rows(proposal)) == 1
    services.return_proposal(scene.admin_a, proposal, "  Lampirkan BAST.  ")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.note, proposal.reviewed_by) == (RETURNED, "Lampirkan BAST.", scene.admin_a)
    assert event_rows(proposal)[-1][-1] == "Lampirkan BAST."


def test_a_returned_proposal_is_revised_resubmitted_and_approved_with_the_revised_values(scene):
    proposal = propose(scene, name="SIMPEG Salah", hosting="pihak_ketiga")
    services.return_proposal(scene.admin_a, proposal, "Nama salah.")
    revised = services.revise_proposal(scene.operator_a1, proposal, {"name": "SIMPEG Benar"})
    assert revised.status == RETURNED
    # Fields left out keep their proposed values, not the element's.
    assert (revised.data["name"], revised.data["hosting"]) == ("SIMPEG Benar", "pihak_ketiga")
    assert events_of(proposal).first().payload == {"fields": ["name"]}
    resubmitted = services.resubmit_proposal(scene.operator_a1, proposal, note="Sudah diperbaiki.")
    # The last review is the history's now: a pending proposal carries no reviewer.
    assert (resubmitted.status, resubmitted.note, resubmitted.reviewed_by) == (PENDING, "", None)
    services.approve_proposal(scene.admin_a, proposal)
    scene.app.refresh_from_db()
    assert (scene.app.name, scene.app.hosting) == ("SIMPEG Benar", "pihak_ketiga")
    assert [row[1] for row in event_rows(proposal)] == ["propose", "return", "revise", "resubmit", "approve"]


def test_proposed_values_pass_the_edit_forms_rules(scene):
    with pytest.raises(TransitionError) as refused:
        services.propose_change(scene.operator_a1, scene.app, {"hosting": "di-bulan", "nama": "x"})
    assert (refused.value.code, refused.value.status) == ("invalid_input", 400)
    assert set(refused.value.fields) == {"nama"}  # an unknown field is refused before the values are read
    with pytest.raises(TransitionError) as refused:
        services.propose_change(scene.operator_a1, scene.app, {"hosting": "di-bulan", "name": ""})
    assert set(refused.value.fields) == {"hosting", "name"}
    # An operator may not hand the element to another OPD: the form offers only their own.
    with pytest.raises(TransitionError) as refused:
        services.propose_change(scene.operator_a1, scene.app, {"owner": scene.a2.pk})
    assert set(refused.value.fields) == {"owner"}
    assert not ChangeProposal.objects.exists()
    proposal = in_state(scene, RETURNED)
    with pytest.raises(TransitionError) as refused:
        services.revise_proposal(scene.operator_a1, proposal, {"status": "selamanya"})
    assert (refused.value.code, set(refused.value.fields)) == ("invalid_input", {"status"})
    proposal.refresh_from_db()
    assert proposal.data["name"] == "SIMPEG Baru"
    assert [row[1] for row in event_rows(proposal)] == ["propose", "return"]


def test_a_change_is_proposed_only_for_a_published_element(scene):
    draft = ApplicationFactory(owner=scene.a1, published=False)
    with pytest.raises(TransitionError) as refused:
        services.propose_change(scene.operator_a1, draft, {"name": "Draf"})
    assert (refused.value.code, refused.value.status) == ("not_published", 409)


def test_publication_requests_have_no_values_to_revise_and_must_still_fit_to_be_resubmitted(scene):
    draft = ApplicationFactory(owner=scene.a1, published=False)
    first = services.request_publication(scene.operator_a1, draft)
    services.return_proposal(scene.admin_a, first, "Lengkapi deskripsi.")
    with pytest.raises(TransitionError) as refused:
        services.revise_proposal(scene.operator_a1, first, {"name": "x"})
    assert refused.value.code == "no_proposed_values"
    second = services.request_publication(scene.operator_a1, draft)
    with pytest.raises(TransitionError) as refused:
        services.resubmit_proposal(scene.operator_a1, first)
    assert refused.value.code == "already_requested"
    services.approve_proposal(scene.admin_a, second)
    with pytest.raises(TransitionError) as refused:
        services.resubmit_proposal(scene.operator_a1, first)
    assert refused.value.code == "already_published"
    # It may still be withdrawn.
    services.withdraw_proposal(scene.operator_a1, first)
    assert ChangeProposal.objects.get(pk=first.pk).status == WITHDRAWN


def test_approving_a_publication_request_publishes_the_draft_with_the_elements_own_event(scene):
    draft = ApplicationFactory(owner=scene.a1, published=False)
    request = services.request_publication(scene.operator_a1, draft)
    services.approve_proposal(scene.admin_a, request)
    draft.refresh_from_db()
    assert draft.published is True
    element = Element.objects.get(pk=draft.pk)
    assert event_rows(element) == [("publication", "publish", "draft", "published", scene.admin_a.pk, "")]
    assert events_of(element).get().payload == {"proposal": request.pk}


def test_a_reviewer_publishes_a_draft_directly_with_an_event(scene):
    draft = ApplicationFactory(owner=scene.a1, published=False)
    for user in (scene.operator_a1, scene.koordinator_a, scene.admin_b):
        with pytest.raises(TransitionError) as refused:
            services.publish_element(user, draft)
        assert refused.value.code == "not_permitted"
    services.publish_element(scene.admin_a, draft, note="Sudah lengkap.")
    element = Element.objects.get(pk=draft.pk)
    assert element.published is True
    assert event_rows(element) == [("publication", "publish", "draft", "published", scene.admin_a.pk, "Sudah lengkap.")]
    with pytest.raises(TransitionError) as refused:
        services.publish_element(scene.admin_a, draft)
    assert (refused.value.code, refused.value.status) == ("already_published", 409)
    assert not ChangeProposal.objects.exists()


def test_publishing_directly_approves_the_request_that_waits_for_it(scene):
    draft = ApplicationFactory(owner=scene.a1, published=False)
    request = services.request_publication(scene.operator_a1, draft)
    services.publish_element(scene.admin_a, draft)
    request.refresh_from_db()
    assert (request.status, request.reviewed_by) == (APPROVED, scene.admin_a)
    assert [row[1] for row in event_rows(request)] == ["request_publication", "approve"]
    assert [row[1] for row in event_rows(Element.objects.get(pk=draft.pk))] == ["publish"]


def test_a_proposer_who_left_the_opd_may_no_longer_act_on_the_proposal(scene):
    proposal = in_state(scene, RETURNED)
    scene.operator_a1.role_assignments.all().delete()
    from simpul.core import permissions

    permissions.forget_grants(scene.operator_a1)
    with pytest.raises(TransitionError) as refused:
        services.withdraw_proposal(scene.operator_a1, proposal)
    assert refused.value.code == "not_permitted"


def test_kind_and_states_are_the_models(scene):
    assert {t.name for t in ChangeProposal.workflow.transitions} == set(STEPS)
    assert ProposalKind.PUBLISH == "publish" and ProposalStatus.WITHDRAWN == WITHDRAWN

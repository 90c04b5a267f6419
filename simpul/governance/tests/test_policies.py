"""The policy registry: the workflow (enact with number and date, revoke with a note, replace by an enacted
policy), who sees drafts, the document's checks and its authorised download."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.core import permissions
from simpul.core import services as core_services
from simpul.core.models import AuditEntry
from simpul.core.workflow import INVALID_INPUT, INVALID_STATE, NOT_PERMITTED, NOTE_REQUIRED, TransitionError, events_of
from simpul.governance import services
from simpul.governance.choices import PolicyKind, PolicyStatus
from simpul.governance.models import Policy, PolicyTopic
from simpul.organizations.tests.factories import user_with_role

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def draft(world, user=None, **fields) -> Policy:
    values = {"instansi": world.inst_a, "kind": PolicyKind.PERBUP, "title": "Arsitektur SPBE"} | fields
    return core_services.create_object(user or world.koordinator_a, Policy(**values))


def enacted(world, number="37 Tahun 2020", **fields) -> Policy:
    policy = draft(world, **fields)
    return services.enact_policy(world.admin_a, policy, number=number, date=datetime.date(2020, 9, 14))


def test_enacting_needs_a_number_and_a_date_and_records_the_event(world):
    policy = draft(world)
    with pytest.raises(TransitionError) as refused:
        services.enact_policy(world.admin_a, policy)
    assert refused.value.code == INVALID_INPUT and set(refused.value.fields) == {"number", "date"}
    assert Policy.objects.get(pk=policy.pk).status == PolicyStatus.RANCANGAN
    services.enact_policy(world.admin_a, policy, number=" 37 Tahun 2020 ", date=datetime.date(2020, 9, 14))
    policy.refresh_from_db()
    assert (policy.status, policy.number, policy.date) == (
        PolicyStatus.DITETAPKAN,
        "37 Tahun 2020",
        datetime.date(2020, 9, 14),
    )
    (event,) = events_of(policy)
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "enact",
        "rancangan",
        "ditetapkan",
        world.admin_a,
    )


def test_only_the_keeper_of_the_registry_enacts(world):
    """The Tim Koordinasi drafts policies; recording their enactment is the Admin SPBE's ("review")."""
    policy = draft(world)
    with pytest.raises(TransitionError) as refused:
        services.enact_policy(world.koordinator_a, policy, number="1", date=datetime.date(2024, 1, 1))
    assert (refused.value.code, refused.value.status) == (NOT_PERMITTED, 403)
    with pytest.raises(TransitionError):
        services.enact_policy(world.admin_b, policy, number="1", date=datetime.date(2024, 1, 1))
    assert Policy.objects.get(pk=policy.pk).status == PolicyStatus.RANCANGAN


def test_a_number_used_twice_for_one_kind_is_refused_on_enacting(world):
    enacted(world, number="5 Tahun 2021")
    other = draft(world, title="Manajemen Data")
    with pytest.raises(TransitionError) as refused:
        services.enact_policy(world.admin_a, other, number="5 Tahun 2021", date=datetime.date(2021, 1, 1))
    assert refused.value.code == INVALID_INPUT
    assert Policy.objects.get(pk=other.pk).status == PolicyStatus.RANCANGAN


def test_revoking_needs_a_note_and_only_an_enacted_policy_is_revoked(world):
    policy = enacted(world)
    with pytest.raises(TransitionError) as refused:
        services.revoke_policy(world.admin_a, policy, note="  ")
    assert refused.value.code == NOTE_REQUIRED
    services.revoke_policy(world.admin_a, policy, note="Dicabut oleh Perbup 2 Tahun 2024.")
    policy.refresh_from_db()
    assert (policy.status, policy.status_note) == (PolicyStatus.DICABUT, "Dicabut oleh Perbup 2 Tahun 2024.")
    with pytest.raises(TransitionError) as again:
        services.revoke_policy(world.admin_a, policy, note="lagi")
    assert again.value.code == INVALID_STATE


def test_a_policy_is_replaced_only_by_another_enacted_policy_of_its_instansi(world):
    old = enacted(world, number="45 Tahun 2018", title="E-Government")
    new_draft = draft(world, title="SPBE")
    for replacement in (None, old, new_draft):
        with pytest.raises(TransitionError) as refused:
            services.replace_policy(world.admin_a, old, replaced_by=replacement)
        assert refused.value.code == INVALID_INPUT
    elsewhere = core_services.create_object(
        world.admin_b, Policy(instansi=world.inst_b, kind=PolicyKind.PERBUP, title="SPBE B")
    )
    services.enact_policy(world.admin_b, elsewhere, number="1", date=datetime.date(2020, 1, 1))
    with pytest.raises(TransitionError):
        services.replace_policy(world.admin_a, old, replaced_by=elsewhere)
    new = services.enact_policy(world.admin_a, new_draft, number="21 Tahun 2020", date=datetime.date(2020, 6, 8))
    services.replace_policy(world.admin_a, old, replaced_by=new, note="Diganti.")
    old.refresh_from_db()
    assert (old.status, old.replaced_by) == (PolicyStatus.DIGANTI, new)
    assert list(new.replaces.all()) == [old]


def test_a_draft_is_seen_by_its_drafting_opd_and_the_steering_roles_an_enacted_one_by_every_opd(world):
    a2_draft = draft(world, owner=world.a2, title="Satu Data")
    unowned_draft = draft(world, title="Audit TIK")
    in_force = enacted(world, owner=world.a2)
    visible = lambda user: set(permissions.restrict(Policy.objects.all(), user, "view").values_list("pk", flat=True))  # noqa: E731
    assert visible(world.operator_a2) == {a2_draft.pk, in_force.pk}
    assert visible(world.operator_a1) == {in_force.pk}
    assert visible(world.asn_a1) == {in_force.pk}
    assert visible(world.koordinator_a) == {a2_draft.pk, unowned_draft.pk, in_force.pk}
    assert visible(world.admin_b) == set()


def test_an_asn_or_pimpinan_held_for_the_drafting_opd_reads_its_drafts_and_one_held_elsewhere_does_not(world):
    """As a roadmap progress report: a draft stays with its drafting OPD (every role held there that may view
    policies, not only its operator) and the roles held for the whole instansi; enacted, every OPD reads it."""
    a2_draft = draft(world, owner=world.a2, title="Satu Data")
    unowned_draft = draft(world, title="Audit TIK")
    in_force = enacted(world, owner=world.a1)
    asn_a2 = user_with_role("asn", world.inst_a, world.a2, username="asn-a2")
    pimpinan_a2 = user_with_role("pimpinan", world.inst_a, world.a2, username="kepala-a2")
    pimpinan_a1 = user_with_role("pimpinan", world.inst_a, world.a1, username="kepala-a1")
    visible = lambda user: set(permissions.restrict(Policy.objects.all(), user, "view").values_list("pk", flat=True))  # noqa: E731
    assert visible(asn_a2) == visible(pimpinan_a2) == {a2_draft.pk, in_force.pk}
    assert visible(world.asn_a1) == visible(pimpinan_a1) == {in_force.pk}
    assert visible(world.pimpinan_a) == {a2_draft.pk, unowned_draft.pk, in_force.pk}  # held for the instansi
    # The page and the API answer as the scope says.
    api = APIClient()
    api.force_authenticate(asn_a2)
    assert api.get(reverse("governance-api:policy-detail", args=[a2_draft.pk])).status_code == 200
    assert client_for(pimpinan_a2).get(a2_draft.get_absolute_url()).status_code == 200
    assert client_for(world.asn_a1).get(a2_draft.get_absolute_url()).status_code == 404
    services.enact_policy(world.admin_a, a2_draft, number="2 Tahun 2024", date=datetime.date(2024, 5, 2))
    assert client_for(world.asn_a1).get(a2_draft.get_absolute_url()).status_code == 200


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(world.admin_a)
    data = {"instansi": world.inst_a.pk, "kind": PolicyKind.PERBUP, "title": "Arsitektur SPBE"}
    fake = SimpleUploadedFile("perbup.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(reverse("governance:policy_add"), data | {"document": fake})
    assert response.status_code == 400
    assert "is not PDF" in response.content.decode()
    assert not Policy.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_the_document_is_stored_under_its_checksum_and_served_only_to_who_may_see_the_policy(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = client_for(world.admin_a)
    data = {"instansi": world.inst_a.pk, "kind": PolicyKind.PERBUP, "title": "Arsitektur SPBE"}
    response = client.post(
        reverse("governance:policy_add"), data | {"document": SimpleUploadedFile("Perbup 37.pdf", PDF)}
    )
    assert response.status_code == 302, response.content
    policy = Policy.objects.get()
    assert (policy.document_name, policy.document_type, policy.document_size) == (
        "Perbup 37.pdf",
        "application/pdf",
        len(PDF),
    )
    assert policy.document.name.endswith(f"{policy.document_sha256}.pdf")
    url = reverse("governance:policy_download", args=[policy.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert client_for(world.operator_a1).get(url).status_code == 404  # a draft of no OPD of theirs
    assert client_for(world.admin_b).get(url).status_code == 404
    assert AuditEntry.objects.filter(object_id=str(policy.pk), action="create").exists()


def test_the_policy_page_shows_its_topics_the_indicators_it_serves_and_the_steps(world):
    policy = draft(world)
    policy.topics.set([PolicyTopic.objects.get(code="arsitektur-spbe")])
    page = client_for(world.admin_a).get(policy.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200
    assert "Arsitektur SPBE" in content and "Tingkat Kematangan Kebijakan Internal Arsitektur SPBE" in content
    assert 'data-testid="step-enact"' in content
    assert (
        'data-testid="step-enact"'
        not in client_for(world.koordinator_a).get(policy.get_absolute_url()).content.decode()
    )


def test_enacting_on_the_page_without_a_number_says_so_beside_the_field(world):
    policy = draft(world)
    client = client_for(world.admin_a)
    response = client.post(policy.get_absolute_url(), {"step": "enact", "number": "", "date": "2024-01-02"})
    assert response.status_code == 400
    assert "Enter the number the policy was enacted under." in response.content.decode()
    response = client.post(policy.get_absolute_url(), {"step": "enact", "number": "3 Tahun 2024", "date": "2024-01-02"})
    assert response.status_code == 302
    assert Policy.objects.get(pk=policy.pk).status == PolicyStatus.DITETAPKAN
    refused = client_for(world.koordinator_a).post(policy.get_absolute_url(), {"step": "revoke", "note": "x"})
    assert refused.status_code == 403


def test_importing_a_policy_list_creates_drafts_all_or_nothing(world):
    client = client_for(world.koordinator_a)
    url = reverse("governance:policy_import")
    good = "instansi,kind,title,owner\ninst-a,perbup,Satu Data,A1\ninst-a,sop,Layanan Jaringan Intra,A2\n"
    bad = good + "inst-a,perbup,,A1\n"
    response = client.post(url, {"file": SimpleUploadedFile("kebijakan.csv", bad.encode()), "mode": "import"})
    assert response.status_code == 400
    assert not Policy.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("kebijakan.csv", good.encode()), "mode": "import"})
    assert response.status_code == 302
    assert set(Policy.objects.values_list("title", "status", "owner__short_name")) == {
        ("Satu Data", PolicyStatus.RANCANGAN, "A1"),
        ("Layanan Jaringan Intra", PolicyStatus.RANCANGAN, "A2"),
    }


def test_the_global_search_finds_policies_the_user_may_see(world):
    enacted(world, title="Arsitektur SPBE Kabupaten")
    draft(world, owner=world.a2, title="Arsitektur Draf A2")
    content = client_for(world.operator_a1).get(reverse("search"), {"q": "Arsitektur"}).content.decode()
    assert "Arsitektur SPBE Kabupaten" in content
    assert "Arsitektur Draf A2" not in content

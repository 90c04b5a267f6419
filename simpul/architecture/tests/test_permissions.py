"""Who may see and change what in the architecture repository.

An OPD operator keeps their own OPD's elements (and the links starting from them); the published
architecture is the instansi's shared map, readable by every OPD of it; drafts stay with their OPD and
the instansi-wide roles; nothing crosses instansi. Which rows each role sees and may change through
every page, export and endpoint is the generated matrix's (core/tests/test_generated_permissions.py);
here are the cases it does not reach: writes that would leave the writer's scope, links, drafts seen
by OPD-scoped heads, reference codes, and the impact page.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.architecture.models import Application, ReferenceCode, Relationship
from simpul.architecture.tests.factories import ApplicationFactory, InfrastructureFactory, ServiceFactory, link
from simpul.core import permissions
from simpul.organizations.tests.factories import user_with_role


@pytest.fixture
def scene(world):
    """Per OPD one published and one draft application."""
    for opd in (world.a1, world.a2, world.b1):
        for published in (True, False):
            label = "published" if published else "draft"
            app = ApplicationFactory(owner=opd, name=f"{opd.short_name} {label}", published=published)
            setattr(world, f"{opd.short_name.lower()}_{label}", app)
    return world


ALL_A = {"A1 published", "A1 draft", "A2 published", "A2 draft"}


def test_a_draft_is_visible_to_every_user_of_its_opd_and_to_instansi_wide_roles(scene):
    colleague = user_with_role("operator_opd", scene.inst_a, scene.a1, username="operator-a1-kedua")
    head_of_a1 = user_with_role("pimpinan", scene.inst_a, scene.a1, username="kepala-a1")
    head_of_a2 = user_with_role("pimpinan", scene.inst_a, scene.a2, username="kepala-a2")
    for user in (colleague, head_of_a1, scene.admin_a, scene.koordinator_a, scene.auditor_a):
        assert permissions.can(user, "view", scene.a1_draft), user
    for user in (head_of_a2, scene.operator_a2, scene.admin_b, scene.asn_a1):
        assert not permissions.can(user, "view", scene.a1_draft), user
    # The OPD-scoped head of A2 still reads the shared map.
    assert permissions.can(head_of_a2, "view", scene.a1_published)


@pytest.fixture
def operator(scene):
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.operator_a1)
    return client


def app_form(owner, name, **extra):
    return {"owner": owner.pk, "name": name, "status": "operasi", "kind": "umum", "hosting": "pusat_data"} | {
        "hosting_exception": "tidak_perlu",
        **extra,
    }


def test_an_operator_creates_elements_only_for_their_own_opd(scene, operator):
    url = reverse("architecture:application_add")
    response = operator.post(url, app_form(scene.a1, "Baru A1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Application.objects.get(name="Baru A1")
    assert created.owner == scene.a1
    assert created.published is False  # new elements start as drafts
    response = operator.post(url, app_form(scene.a2, "Baru A2"))
    assert response.status_code == 400
    response = operator.post(url, app_form(scene.b1, "Baru B1"))
    assert response.status_code == 400
    assert not Application.objects.filter(name__in=["Baru A2", "Baru B1"]).exists()


def test_an_operator_edits_and_deletes_only_their_own_opds_elements(scene, operator):
    edit = reverse("architecture:application_edit", args=[scene.a1_draft.pk])
    response = operator.post(edit, app_form(scene.a1, "A1 draft diubah"))
    assert response.status_code == 302
    scene.a1_draft.refresh_from_db()
    assert scene.a1_draft.name == "A1 draft diubah"
    # Moving it to another OPD is refused.
    response = operator.post(edit, app_form(scene.a2, "A1 draft dipindah"))
    assert response.status_code == 400
    scene.a1_draft.refresh_from_db()
    assert scene.a1_draft.owner == scene.a1
    for other in (scene.a2_published, scene.a2_draft, scene.b1_published):
        response = operator.post(
            reverse("architecture:application_edit", args=[other.pk]), app_form(scene.a1, "Diambil")
        )
        assert response.status_code == 404
        response = operator.post(reverse("architecture:application_delete", args=[other.pk]))
        assert response.status_code == 404
    assert not Application.objects.filter(name="Diambil").exists()
    response = operator.post(reverse("architecture:application_delete", args=[scene.a1_draft.pk]))
    assert response.status_code == 302
    assert not Application.objects.filter(pk=scene.a1_draft.pk).exists()
    assert Application.objects.filter(pk=scene.a2_draft.pk).exists()


def test_an_operator_links_only_from_their_own_elements(scene, operator):
    url = reverse("architecture:relationship_add")
    a1_server = InfrastructureFactory(owner=scene.a1)
    a2_server = InfrastructureFactory(owner=scene.a2, published=True)
    a2_draft_server = InfrastructureFactory(owner=scene.a2, published=False)
    # From own element to a published element of another OPD: the shared map.
    response = operator.post(url, {"source": scene.a1_draft.pk, "kind": "runs_on", "target": a2_server.pk})
    assert response.status_code == 302
    # From another OPD's element: refused, even when it is published.
    response = operator.post(url, {"source": scene.a2_published.pk, "kind": "runs_on", "target": a1_server.pk})
    assert response.status_code == 400
    # To a draft of another OPD, which the operator may not even see: refused.
    response = operator.post(url, {"source": scene.a1_draft.pk, "kind": "runs_on", "target": a2_draft_server.pk})
    assert response.status_code == 400
    assert list(Relationship.objects.values_list("source__name", "target_id")) == [("A1 draft", a2_server.pk)]


def test_relationships_belong_to_the_source_owner(scene):
    mine = link(scene.a1_published, "runs_on", InfrastructureFactory(owner=scene.a2))
    theirs = link(scene.a2_published, "runs_on", InfrastructureFactory(owner=scene.a1))
    changeable = set(permissions.restrict(Relationship.objects.all(), scene.operator_a1, "change"))
    assert changeable == {mine}
    visible = set(permissions.restrict(Relationship.objects.all(), scene.operator_a1, "view"))
    assert visible == {mine, theirs}  # both ends published: part of the shared map
    client = APIClient()
    client.force_authenticate(scene.operator_a1)
    assert client.delete(f"/api/architecture/relationships/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/architecture/relationships/{mine.pk}/").status_code == 204


def test_a_relationship_to_a_draft_is_hidden_from_other_opds(scene):
    rel = link(scene.a1_published, "realizes", ServiceFactory(owner=scene.a1, published=False))
    assert permissions.can(scene.operator_a1, "view", rel)
    assert permissions.can(scene.admin_a, "view", rel)
    assert not permissions.can(scene.operator_a2, "view", rel)


@pytest.mark.parametrize(
    "role", ["operator_a1", "admin_a", "koordinator_a", "auditor_a", "pimpinan_a", "evaluator_a", "admin_b"]
)
def test_reference_codes_are_read_by_signed_in_users_and_edited_by_no_opd_role(world, role):
    code = ReferenceCode.objects.get(code="RAL.01")
    user = getattr(world, role)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("architecture:referencecode_detail", args=[code.pk])).status_code == 200
    api = APIClient()
    api.force_authenticate(user)
    assert api.get("/api/architecture/reference-codes/RAL.01/").json()["code"] == "RAL.01"
    # Roles without a change grant are forbidden; the Admin SPBE meets a read-only endpoint.
    assert api.patch("/api/architecture/reference-codes/RAL.01/", {"name": "Diubah"}).status_code in (403, 405)
    assert api.post("/api/architecture/reference-codes/", {"code": "RAL.99", "name": "x"}).status_code in (403, 405)
    assert not permissions.restrict(ReferenceCode.objects.all(), world.operator_a1, "change").exists()
    code.refresh_from_db()
    assert code.name != "Diubah"


def test_reference_codes_have_no_delete_page():
    # Elements keep pointing at the codes they were given; the Admin SPBE edits codes, never deletes them.
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("architecture:referencecode_delete", args=[1])


def test_the_impact_page_hides_what_the_user_may_not_see_and_says_how_many(scene):
    server = InfrastructureFactory(owner=scene.a1, name="Server Bersama")
    link(scene.a1_published, "runs_on", server)
    link(scene.a2_published, "runs_on", server)
    link(scene.a2_draft, "runs_on", server)
    link(scene.a1_draft, "runs_on", server)
    url = reverse("architecture:element_impact", args=[server.pk])
    client = Client(headers={"accept-language": "en"})
    client.force_login(scene.operator_a1)
    response = client.get(url)
    assert response.status_code == 200
    shown = {row["element"].name for row in response.context["rows"]}
    assert shown == {"A1 published", "A2 published", "A1 draft"}
    assert response.context["hidden_count"] == 1
    assert "1 more element is outside what you may see." in response.content.decode()
    client.force_login(scene.admin_a)
    response = client.get(url)
    assert response.context["hidden_count"] == 0
    assert {row["element"].name for row in response.context["rows"]} == ALL_A
    assert "outside what you may see" not in response.content.decode()
    # The API says the same.
    api = APIClient()
    api.force_authenticate(scene.operator_a1)
    data = api.get(f"/api/architecture/elements/{server.pk}/impact/").json()
    assert data["hidden"] == 1
    assert {row["name"] for row in data["elements"]} == {"A1 published", "A2 published", "A1 draft"}

"""The reference code of an element comes from its domain's tree (an application's from its kind's branch):
refused otherwise by the model, so by the forms, proposals and the API; the edit forms offer only those
codes, in a select with a search box; an add form preselects the only OPD a user may hold elements for;
the relationship pickers name each element with its domain and OPD."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from simpul.architecture import forms, references
from simpul.architecture.models import Application, Element, ReferenceCode
from simpul.architecture.tests.factories import (
    ApplicationFactory,
    BusinessProcessFactory,
    ElementFactory,
    InfrastructureFactory,
    ServiceFactory,
)
from simpul.core.widgets import SearchableSelect


def code(value: str) -> ReferenceCode:
    return ReferenceCode.objects.get(code=value)


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def select_html(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert match, f"no select {name}"
    return match.group(0)


def option_values(select: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', select)


# The rule, on the model ------------------------------------------------------------------------------


def test_the_data_file_names_the_branch_of_each_application_kind():
    assert references.application_kind_branches() == {"umum": "RAA.01", "khusus": "RAA.02"}
    assert references.branch_kind("RAA.01.02") == "umum"
    assert references.branch_kind("RAA.02") == "khusus"
    assert references.branch_kind("RAA.010") is None


@pytest.mark.parametrize(
    ("factory", "fits", "other"),
    [
        (BusinessProcessFactory, "RAB.09", "RAD.09"),
        (ServiceFactory, "RAL.02.03", "RAB.09"),
        (InfrastructureFactory, "RAI.02", "RAA.01"),
        (ApplicationFactory, "RAA.01.02", "RAL.01"),
    ],
)
def test_the_model_refuses_a_code_of_another_tree(world, factory, fits, other):
    element = factory(owner=world.a1)
    element.reference = code(fits)
    element.full_clean()
    element.reference = code(other)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        element.full_clean()
    tree = references.DOMAIN_TREES[element.spbe_domain]
    assert refused.value.error_dict["reference"][0].code == "reference_tree"
    assert f"({tree})" in refused.value.message_dict["reference"][0]
    assert other in refused.value.message_dict["reference"][0]


def test_an_application_takes_a_code_of_its_kind(world):
    general = ApplicationFactory(owner=world.a1, kind="umum", reference=code("RAA.01.01"))
    general.full_clean()
    general.reference = code("RAA.02.02")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        general.full_clean()
    assert refused.value.error_dict["reference"][0].code == "reference_kind"
    assert "RAA.01" in refused.value.message_dict["reference"][0]
    general.kind = "khusus"
    general.full_clean()


def test_the_rule_holds_for_an_applications_element_row_and_not_for_other_elements(world):
    app = ApplicationFactory(owner=world.a1, kind="khusus")
    row = Element.objects.get(pk=app.pk)  # what the generic element form edits
    row.reference = code("RAA.01.02")
    with pytest.raises(ValidationError):
        row.full_clean()
    row.reference = code("RAA.02.01")
    row.full_clean()
    # An element of an imported model with no SPBE counterpart may take a code of any tree.
    other = ElementFactory(owner=world.a1)
    for value in ("RAB.01", "RAA.02.02", "RAI.03"):
        other.reference = code(value)
        other.full_clean()


# The forms ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form_class", "tree"),
    [
        (forms.BusinessProcessForm, "RAB"),
        (forms.DataSetForm, "RAD"),
        (forms.ServiceForm, "RAL"),
        (forms.ApplicationForm, "RAA"),
        (forms.InfrastructureComponentForm, "RAI"),
        (forms.SecurityControlForm, "RAK"),
    ],
)
def test_a_form_offers_only_the_codes_of_its_domain_tree(world, form_class, tree):
    offered = form_class(user=world.admin_a).fields["reference"].queryset
    assert set(offered.values_list("code", flat=True)) == set(
        ReferenceCode.objects.filter(tree=tree).values_list("code", flat=True)
    )


def test_the_generic_form_offers_every_code_to_an_other_element_and_the_kinds_to_an_application(world):
    assert forms.ElementForm(user=world.admin_a).fields["reference"].queryset.count() == ReferenceCode.objects.count()
    app = ApplicationFactory(owner=world.a1, kind="umum")
    row = Element.objects.get(pk=app.pk)
    offered = forms.ElementForm(instance=row, user=world.admin_a).fields["reference"].queryset
    assert set(offered.values_list("code", flat=True)) == {"RAA.01", "RAA.01.01", "RAA.01.02"}


def test_a_code_given_before_the_rule_stays_shown_and_is_refused_with_the_reason(world):
    process = BusinessProcessFactory(owner=world.a1, published=False)
    BusinessProcessFactory._meta.model.objects.filter(pk=process.pk).update(reference=code("RAL.01"))
    process.refresh_from_db()
    form = forms.BusinessProcessForm(instance=process, user=world.admin_a)
    assert "RAL.01" in set(form.fields["reference"].queryset.values_list("code", flat=True))
    data = {"owner": world.a1.pk, "name": process.name, "status": "operasi", "reference": process.reference_id}
    with translation.override("en"):
        bound = forms.BusinessProcessForm(data, instance=process, user=world.admin_a)
        assert not bound.is_valid()
        assert "Business reference architecture (RAB)" in bound.errors["reference"][0]


def test_the_form_refuses_a_code_of_another_tree_or_kind(world):
    data = {"owner": world.a1.pk, "name": "SIMPEG", "status": "operasi", "kind": "umum", "hosting": "pusat_data"}
    data |= {"hosting_exception": "tidak_perlu"}
    with translation.override("en"):
        other_tree = forms.ApplicationForm(data | {"reference": code("RAL.01").pk}, user=world.admin_a)
        assert not other_tree.is_valid() and "reference" in other_tree.errors
        other_kind = forms.ApplicationForm(data | {"reference": code("RAA.02.02").pk}, user=world.admin_a)
        assert not other_kind.is_valid()
        assert "RAA.01" in other_kind.errors["reference"][0]
        fits = forms.ApplicationForm(data | {"reference": code("RAA.01.02").pk}, user=world.admin_a)
        assert fits.is_valid(), fits.errors


def test_the_edit_page_sends_the_trees_codes_only_with_a_search_box(world):
    process = BusinessProcessFactory(owner=world.a1, published=False)
    response = client_for(world.admin_a).get(reverse("architecture:businessprocess_edit", args=[process.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    select = select_html(html, "reference")
    values = option_values(select)
    assert len(values) == ReferenceCode.objects.filter(tree="RAB").count() + 1  # and "---------"
    assert len(values) < ReferenceCode.objects.count()
    assert values[0] == ""
    assert 'id="id_reference"' in select and "form-select" in select
    box = re.search(r'<input type="search"[^>]*data-filter-select="id_reference"[^>]*>', html)
    assert box and " hidden" in box.group(0), "the box is shown by simpul.js only"
    assert "RAB.09 Pemerintahan Umum" in select


def test_an_applications_codes_follow_the_kind_chosen_in_the_form(world):
    response = client_for(world.admin_a).get(reverse("architecture:application_add"))
    select = select_html(response.content.decode(), "reference")
    assert 'data-filter-by="kind"' in select
    assert '<option value="{}" data-filter-value="umum">'.format(code("RAA.01.02").pk) in select
    assert '<option value="{}" data-filter-value="khusus">'.format(code("RAA.02").pk) in select


def test_the_selected_code_is_marked(world):
    service = ServiceFactory(owner=world.a1, published=False, reference=code("RAL.02.03"))
    response = client_for(world.admin_a).get(reverse("architecture:service_edit", args=[service.pk]))
    select = select_html(response.content.decode(), "reference")
    assert f'<option value="{service.reference_id}" selected>' in select
    assert select.count(" selected") == 1


def test_a_proposed_change_is_checked_by_the_same_rule(world):
    from simpul.architecture.models import ChangeProposal

    app = ApplicationFactory(owner=world.a1, kind="umum", published=True)
    data = {"owner": world.a1.pk, "name": app.name, "status": "operasi", "kind": "umum", "hosting": "pusat_data"}
    data |= {"hosting_exception": "tidak_perlu", "reference": code("RAA.02.02").pk}
    client = client_for(world.operator_a1)  # a published element: the edit becomes a proposal
    response = client.post(reverse("architecture:application_edit", args=[app.pk]), data)
    assert response.status_code == 400
    assert "RAA.01" in response.context["form"].errors["reference"][0]
    assert not ChangeProposal.objects.filter(element=app).exists()
    response = client.post(reverse("architecture:application_edit", args=[app.pk]), data | {"kind": "khusus"})
    assert response.status_code == 302
    assert ChangeProposal.objects.filter(element=app).count() == 1


# The owner OPD ---------------------------------------------------------------------------------------


def test_an_add_form_preselects_the_only_opd_the_user_may_hold_elements_for(world):
    assert forms.ApplicationForm(user=world.operator_a1)["owner"].value() == world.a1.pk
    response = client_for(world.operator_a1).get(reverse("architecture:application_add"))
    owner = select_html(response.content.decode(), "owner")
    assert f'<option value="{world.a1.pk}" selected>' in owner


def test_no_owner_is_preselected_for_a_choice_of_opds_an_edit_or_a_given_one(world):
    assert forms.ApplicationForm(user=world.admin_a)["owner"].value() is None  # A1 and A2
    app = ApplicationFactory(owner=world.a1)
    assert forms.ApplicationForm(instance=app, user=world.operator_a1)["owner"].value() == world.a1.pk
    given = forms.ApplicationForm(user=world.admin_a, initial={"owner": world.a2.pk})
    assert given["owner"].value() == world.a2.pk


# The API -----------------------------------------------------------------------------------------------


def test_the_api_refuses_a_code_of_another_tree_and_changes_nothing(world):
    app = ApplicationFactory(owner=world.a1, published=False, kind="umum", reference=code("RAA.01.02"))
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(world.admin_a)
    url = f"/api/architecture/applications/{app.pk}/"
    response = client.patch(url, {"reference": "RAL.01", "name": "Diubah"}, format="json")
    assert response.status_code == 400, response.content
    assert "RAA" in response.json()["reference"][0]
    response = client.patch(url, {"kind": "khusus"}, format="json")  # its code is an aplikasi umum's
    assert response.status_code == 400, response.content
    assert "reference" in response.json()
    response = client.patch(f"/api/architecture/elements/{app.pk}/", {"reference": "RAB.09"}, format="json")
    assert response.status_code == 400, response.content
    stored = Application.objects.get(pk=app.pk)
    assert (stored.name, stored.kind, stored.reference.code) == (app.name, "umum", "RAA.01.02")
    response = client.patch(url, {"kind": "khusus", "reference": "RAA.02.01"}, format="json")
    assert response.status_code == 200, response.content


# The spreadsheet import -------------------------------------------------------------------------------


def test_the_spreadsheet_import_refuses_a_code_of_another_tree_or_kind(world):
    from simpul.architecture.tests.test_views import HEADER, xlsx

    rows = [
        HEADER,
        ["A1", "Baik", "operasi", "RAA.01.02", "umum", "pusat_data", "tidak_perlu", ""],
        ["A1", "Pohon Lain", "operasi", "RAL.01", "umum", "pusat_data", "tidak_perlu", ""],
        ["A1", "Jenis Lain", "operasi", "RAA.02.02", "umum", "pusat_data", "tidak_perlu", ""],
    ]
    client = client_for(world.operator_a1)
    response = client.post(reverse("architecture:application_import"), {"file": xlsx(rows), "mode": "import"})
    assert response.status_code == 400
    errors = {(e.row, e.column): e.message for e in response.context["result"].errors}
    assert set(errors) == {(3, "Reference code"), (4, "Reference code")}
    assert "RAA.01" in errors[(4, "Reference code")]
    assert not Application.objects.filter(name__in=["Baik", "Pohon Lain", "Jenis Lain"]).exists()


# The relationship pickers ------------------------------------------------------------------------------


def test_relationship_pickers_name_the_domain_and_opd_grouped_by_domain(world):
    ApplicationFactory(owner=world.a1, name="SIMPEG")
    ServiceFactory(owner=world.a2, name="Layanan Kepegawaian")
    BusinessProcessFactory(owner=world.b1, name="Proses B")  # another instansi: not offered
    response = client_for(world.admin_a).get(reverse("architecture:relationship_add"))
    html = response.content.decode()
    target = select_html(html, "target")
    assert ">SIMPEG — SPBE application — A1</option>" in target
    assert ">Layanan Kepegawaian — SPBE service — A2</option>" in target
    assert "Proses B" not in target
    assert '<optgroup label="SPBE application">' in target
    assert re.search(r'<input type="search"[^>]*data-filter-select="id_target"', html)
    assert re.search(r'<input type="search"[^>]*data-filter-select="id_source"', html)


def test_relationship_options_cost_no_query_each(world):
    def queries() -> int:
        form = forms.RelationshipForm(user=world.admin_a)
        with CaptureQueriesContext(connection) as captured:
            form["source"].as_widget()
            form["target"].as_widget()
        return len(captured)

    ApplicationFactory(owner=world.a1)
    few = queries()
    for index in range(10):
        ServiceFactory(owner=world.a1 if index % 2 else world.a2)
    assert queries() == few


def test_the_widget_escapes_labels_values_and_groups():
    widget = SearchableSelect(choices=[("", "---"), ('"x"', "<b>&</b>"), ("<g>", [("1", "<i>")])])
    html = widget.render("pick", '"x"', attrs={"id": "id_pick"})
    assert '<option value="&quot;x&quot;" selected>&lt;b&gt;&amp;&lt;/b&gt;</option>' in html
    assert '<optgroup label="&lt;g&gt;"><option value="1">&lt;i&gt;</option></optgroup>' in html
    assert "<b>" not in html and "<i>" not in html

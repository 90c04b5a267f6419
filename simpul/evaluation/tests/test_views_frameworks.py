"""Framework pages: the list, the structure with level texts, verification marks and crosswalk links,
and the Admin's upload of a framework file (checked whole; a bad file stores nothing)."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from simpul.evaluation.models import Domain, Framework, Indicator
from simpul.evaluation.tests.test_workflow import client_for


def upload(client, document, name="framework.json"):
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(
        reverse("evaluation:framework_upload"),
        {"file": SimpleUploadedFile(name, content, content_type="application/json")},
    )


@pytest.fixture
def document(db):
    """A copy of the shipped 59/2020 document under a new id, as an Admin would upload a new version."""
    data = copy.deepcopy(Framework.objects.get(code="permenpanrb-59-2020").document)
    data["id"] = "spbe-uji-coba"
    data["title"] = "Kerangka uji coba"
    return data


def test_list_and_detail_for_every_role(world):
    for user in (world.asn_a1, world.operator_a1, world.koordinator_a):
        client = client_for(user)
        listed = client.get(reverse("evaluation:framework_list"))
        assert {row.record.code for row in listed.context["table"].rows} >= {
            "permenpanrb-59-2020",
            "indeks-pemdi-2025",
        }
        framework = Framework.objects.get(code="permenpanrb-59-2020")
        assert client.get(framework.get_absolute_url()).status_code == 200


def test_detail_shows_structure_weights_levels_and_crosswalk(world):
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    page = client_for(world.operator_a1).get(framework.get_absolute_url())
    html = page.content.decode()
    structure = page.context["structure"]
    assert [domain["spec"].code for domain in structure] == [d.code for d in framework.spec.domains]
    indicators = [item for domain in structure for aspect in domain["aspects"] for item in aspect["indicators"]]
    assert len(indicators) == 47 and html.count('data-testid="indicator"') == 47
    first = framework.spec.indicator(1)
    assert first.levels[2].criterion in html and first.levels[2].evidence in html
    # 59/2020 #1 corresponds to 5/2018 #3 officially (data/crosswalks).
    links = indicators[0]["crosswalk"]
    assert any(link["framework"].code == "permenpanrb-5-2018" and link["official"] for link in links)
    assert 'data-testid="crosswalk"' in html
    assert "unverified (by content)" in html  # other pairs are matched by content only


def test_unverified_framework_shows_its_status_note(world):
    framework = Framework.objects.get(code="indeks-pemdi-2025")
    html = client_for(world.asn_a1).get(framework.get_absolute_url()).content.decode()
    assert 'data-testid="status-note"' in html
    assert framework.status_note[:60] in html
    verified = Framework.objects.get(code="permenpanrb-59-2020")
    assert 'data-testid="status-note"' not in client_for(world.asn_a1).get(verified.get_absolute_url()).content.decode()


def test_admin_uploads_a_new_framework(world, document):
    client = client_for(world.admin_a)
    assert client.get(reverse("evaluation:framework_upload")).status_code == 200
    response = upload(client, document)
    framework = Framework.objects.get(code="spbe-uji-coba")
    assert response.status_code == 302 and response["Location"] == framework.get_absolute_url()
    assert Indicator.objects.filter(framework=framework).count() == 47
    assert framework.source_file == "framework.json"
    again = upload(client, document)
    assert again.status_code == 302
    assert Framework.objects.filter(code="spbe-uji-coba").count() == 1


def test_a_bad_file_shows_every_problem_and_stores_nothing(world, document):
    document["domains"][0]["weight"] += 5
    document["indicators"][3]["aspect"] = "ZZ"
    del document["indicators"][0]["levels"][4]
    before = (Framework.objects.count(), Indicator.objects.count(), Domain.objects.count())
    response = upload(client_for(world.admin_a), document)
    assert response.status_code == 400
    errors = response.context["errors"]
    assert len(errors) >= 3
    html = response.content.decode()
    assert 'data-testid="framework-errors"' in html
    for error in errors:
        assert error.replace("'", "&#x27;") in html
    assert (Framework.objects.count(), Indicator.objects.count(), Domain.objects.count()) == before
    assert not Framework.objects.filter(code="spbe-uji-coba").exists()


def test_a_file_that_is_not_json_is_refused(world):
    response = upload(client_for(world.admin_a), b"{not json", name="rusak.json")
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not Framework.objects.filter(source_file="rusak.json").exists()


@pytest.mark.parametrize("user", ["evaluator_a", "operator_a1", "koordinator_a"])
def test_only_admins_upload(world, document, user):
    client = client_for(getattr(world, user))
    assert client.get(reverse("evaluation:framework_upload")).status_code == 403
    assert upload(client, document).status_code == 403
    assert not Framework.objects.filter(code="spbe-uji-coba").exists()
    listed = client.get(reverse("evaluation:framework_list"))
    assert 'data-testid="extra-action"' not in listed.content.decode()


@pytest.mark.parametrize(
    "code", ["permenpanrb-5-2018", "permenpanrb-59-2020", "indeks-pemdi-2025", "permenpanrb-8-2026"]
)
def test_every_shipped_framework_page_lists_all_its_indicators(world, code):
    framework = Framework.objects.get(code=code)
    page = client_for(world.asn_a1).get(framework.get_absolute_url())
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="indicator"') == len(framework.spec.indicators)

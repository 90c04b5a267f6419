"""The audit trail as people read it: yes/no instead of True/False, structured values as text, the
entry's instansi and OPD by name, and object types named as Simpul names them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import translation

from simpul.architecture.models import Element
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.models import AuditEntry
from simpul.organizations.models import PerangkatDaerah


@pytest.mark.django_db
def test_booleans_and_structured_values_read_as_words(world):
    entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(Element),
        changes={"published": [False, True], "properties": [{}, {"hosting": "pusat_data", "tags": ["a", "b"]}]},
    )
    with translation.override("en"):
        rows = {str(label): (before, after) for label, before, after in entry.change_rows()}
        published = str(Element._meta.get_field("published").verbose_name)
        properties = str(Element._meta.get_field("properties").verbose_name)
        assert rows[published] == ("No", "Yes")
        assert rows[properties] == ("—", "hosting: pusat_data; tags: a, b")


@pytest.mark.django_db
def test_the_detail_names_the_entrys_instansi_and_opd(world):
    ApplicationFactory(owner=world.a1, name="SIMPEG")
    entry = AuditEntry.objects.filter(opd_id=world.a1.pk).latest("pk")
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    response = client.get(reverse("core:auditentry_detail", args=[entry.pk]))
    assert response.status_code == 200
    rows = {str(row["label"]): (str(row["value"]), row["link"]) for row in response.context["fields"]}
    assert rows["instansi"] == (str(world.inst_a), world.inst_a.get_absolute_url())
    assert rows["OPD"] == (str(world.a1), world.a1.get_absolute_url())
    assert "False" not in response.content.decode()


@pytest.mark.django_db
def test_the_object_type_filter_offers_simpul_records_by_their_names(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    response = client.get(reverse("core:auditentry_list"))
    field = response.context["filterset"].form.fields["content_type"]
    labels = {str(value): str(label) for value, label in field.choices if value}
    apps_offered = {content_type.app_label for content_type in field.queryset}
    assert not apps_offered & {"axes", "otp_totp", "authtoken", "django_tasks_database", "sessions", "contenttypes"}
    assert {"architecture", "evaluation", "organizations", "core"} <= apps_offered
    opd_type = ContentType.objects.get_for_model(PerangkatDaerah)
    with translation.override("en"):
        opd_name = str(PerangkatDaerah._meta.verbose_name)
    assert labels[str(opd_type.pk)].lower().startswith(f"{opd_name.lower()} · ")
    assert all("|" not in label for label in labels.values())

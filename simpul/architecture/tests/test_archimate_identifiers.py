"""ArchiMate identifiers: an import changes only records it may change, never another OPD's record with the
same identifier; identifiers are unique per instansi; every imported record is validated as in the UI."""

import importlib
import io
import re
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from simpul.architecture import archimate
from simpul.architecture.models import Application, Element, Relationship, Service
from simpul.organizations.tests.factories import UserFactory

ARCHISURANCE = Path(__file__).resolve().parent / "fixtures" / "archimate" / "archisurance.xml"
CUSTOMER = b'<element identifier="id-521" xsi:type="BusinessRole">\n      <name xml:lang="en">Customer</name>'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def archisurance(replace: bytes | None = None, by: bytes = b"") -> bytes:
    data = ARCHISURANCE.read_bytes()
    if replace is not None:
        assert data.count(replace) == 1
        data = data.replace(replace, by)
    return data


def small_model(elements, relationships=(), properties=()) -> bytes:
    """An exchange file: elements (id, type, name or None), relationships (id, type, source, target),
    property definitions (id, name) with element properties given as (element id, definition id, value)."""
    definitions = {ref for _element, ref, _value in properties}
    parts = [
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="id-model">',
        "<name>Kecil</name><elements>",
    ]
    for ident, kind, name in elements:
        parts.append(f'<element identifier="{ident}" xsi:type="{kind}">')
        if name is not None:
            parts.append(f"<name>{name}</name>")
        props = [(ref, value) for element, ref, value in properties if element == ident]
        if props:
            parts.append("<properties>")
            parts += [
                f'<property propertyDefinitionRef="{ref}"><value>{value}</value></property>' for ref, value in props
            ]
            parts.append("</properties>")
        parts.append("</element>")
    parts.append("</elements>")
    if relationships:
        parts.append("<relationships>")
        parts += [
            f'<relationship identifier="{ident}" source="{source}" target="{target}" xsi:type="{kind}"/>'
            for ident, kind, source, target in relationships
        ]
        parts.append("</relationships>")
    if definitions:
        parts.append("<propertyDefinitions>")
        parts += [
            f'<propertyDefinition identifier="{ref}" type="string"><name>{ref}</name></propertyDefinition>'
            for ref in sorted(definitions)
        ]
        parts.append("</propertyDefinitions>")
    parts.append("</model>")
    return "".join(parts).encode()


def run_import(world, opd, user, data: bytes):
    return archimate.import_model(opd.instansi, opd, io.BytesIO(data), user)


def snapshot(opd) -> dict:
    """Everything an import could change of an OPD's elements and relationships."""
    return {
        "elements": {
            e["exchange_id"]: e
            for e in Element.objects.filter(owner=opd).values(
                "pk", "exchange_id", "name", "owner_id", "domain", "properties", "updated_at"
            )
        },
        "relationships": {
            r["exchange_id"]: r
            for r in Relationship.objects.filter(source__owner=opd).values(
                "pk", "exchange_id", "source_id", "target_id", "kind", "properties", "updated_at"
            )
        },
    }


# --- another OPD's identifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["admin_a", "operator_a2"])
def test_an_import_into_another_opd_leaves_the_holders_records_untouched(world, actor):
    run_import(world, world.a1, world.operator_a1, archisurance())
    before = snapshot(world.a1)
    assert len(before["elements"]) == 122 and len(before["relationships"]) == 179

    changed = archisurance(CUSTOMER, CUSTOMER.replace(b"Customer", b"Diubah oleh A2"))
    with pytest.raises(archimate.ArchimateImportError) as refused:
        run_import(world, world.a2, getattr(world, actor), changed)

    messages = refused.value.messages
    assert any("id-521" in m and "A1" in m for m in messages)
    assert snapshot(world.a1) == before
    assert not Element.objects.filter(owner=world.a2).exists()
    # The holder's own re-import is not disturbed.
    result = run_import(world, world.a1, world.operator_a1, archisurance())
    assert (result.created, result.updated) == (0, 122 + 179)


def test_the_cli_with_opd_never_changes_another_opds_element(world, tmp_path):
    UserFactory(username="root", is_superuser=True, is_staff=True)  # the CLI's default actor: may change anything
    call_command("architecture", "import-archimate", "--instansi", "inst-a", "--opd", "A1", str(ARCHISURANCE),
                 stdout=io.StringIO())  # fmt: skip
    before = snapshot(world.a1)
    path = tmp_path / "a2.xml"
    path.write_bytes(archisurance(CUSTOMER, CUSTOMER.replace(b"Customer", b"Diubah oleh A2")))

    with pytest.raises(CommandError, match="id-521"):
        call_command("architecture", "import-archimate", "--instansi", "inst-a", "--opd", "A2", str(path),
                     stdout=io.StringIO())  # fmt: skip

    assert snapshot(world.a1) == before
    assert Element.objects.get(exchange_id="id-521").name == "Customer"
    assert not Element.objects.filter(owner=world.a2).exists()


def test_an_identifier_another_opd_took_through_the_api_is_refused(world):
    run_import(world, world.a1, world.operator_a1, archisurance())
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(world.operator_a2)
    response = client.post(
        "/api/architecture/elements/",
        {"owner": world.a2.pk, "name": "Penyusup", "archimate_type": "BusinessActor", "exchange_id": "id-521"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "id-521" in str(response.json())
    result = run_import(world, world.a1, world.operator_a1, archisurance())
    assert result.updated == 122 + 179


def test_a_whole_instansi_export_comes_back_to_every_opd_but_not_through_an_operator(world):
    run_import(world, world.a1, world.admin_a, small_model([("id-a1", "BusinessActor", "Aktor A1")]))
    run_import(world, world.a2, world.admin_a, small_model([("id-a2", "BusinessActor", "Aktor A2")]))
    buffer = io.BytesIO()
    archimate.export(world.inst_a, buffer)
    exported = buffer.getvalue()

    # The Admin SPBE may change both OPDs: each element is matched in the OPD its simpul:owner names.
    result = run_import(world, world.a1, world.admin_a, exported)
    assert (result.created, result.updated) == (0, 2)
    assert dict(Element.objects.values_list("exchange_id", "owner__short_name")) == {"id-a1": "A1", "id-a2": "A2"}

    # An operator of A1 may not: A2's element is an error, not an update.
    before = snapshot(world.a2)
    with pytest.raises(archimate.ArchimateImportError, match="id-a2"):
        run_import(world, world.a1, world.operator_a1, exported)
    assert snapshot(world.a2) == before


def test_the_exchange_page_names_the_identifier_held_by_another_opd(client, world):
    run_import(world, world.a1, world.operator_a1, archisurance())
    client.force_login(world.operator_a2)
    upload = io.BytesIO(archisurance())
    upload.name = "archisurance.xml"
    response = client.post(reverse("architecture:exchange"), {"opd": world.a2.pk, "file": upload})
    assert response.status_code == 400
    errors = str(response.context["form"].non_field_errors())
    assert "id-521" in errors and "A1" in errors
    assert not Element.objects.filter(owner=world.a2).exists()


# --- validation ----------------------------------------------------------------------------------------------


def test_an_element_without_a_name_is_refused_and_nothing_is_stored(world):
    nameless = archisurance(CUSTOMER, CUSTOMER.replace(b'<name xml:lang="en">Customer</name>', b""))
    with pytest.raises(archimate.ArchimateImportError) as refused:
        run_import(world, world.a1, world.admin_a, nameless)
    # One message, naming the element; its relationships are not reported again.
    assert len(refused.value.messages) == 1
    assert "id-521" in refused.value.messages[0]
    assert not Element.objects.exists() and not Relationship.objects.exists()


def test_a_nameless_junction_is_imported(world):
    data = small_model(
        [("id-p", "BusinessProcess", "Proses"), ("id-j", "AndJunction", None), ("id-q", "BusinessProcess", "Lanjut")],
        [("id-r1", "Triggering", "id-p", "id-j"), ("id-r2", "Triggering", "id-j", "id-q")],
    )
    result = run_import(world, world.a1, world.admin_a, data)
    assert (result.element_total, result.relationship_total) == (3, 2)
    assert Element.objects.get(exchange_id="id-j").name == ""


def test_an_identifier_twice_in_the_file_is_refused(world):
    data = small_model([("id-x", "BusinessActor", "Satu"), ("id-x", "BusinessActor", "Dua")])
    with pytest.raises(archimate.ArchimateImportError, match="id-x"):
        run_import(world, world.a1, world.admin_a, data)
    assert not Element.objects.exists()


def test_many_refused_elements_are_listed_up_to_a_limit(world):
    data = small_model([(f"id-{n}", "BusinessActor", None) for n in range(60)])
    with pytest.raises(archimate.ArchimateImportError) as refused:
        run_import(world, world.a1, world.admin_a, data)
    messages = refused.value.messages
    assert len(messages) == 51
    assert "id-0" in messages[0] and "10" in messages[-1]
    assert not Element.objects.exists()


def test_a_relationship_from_an_element_to_itself_is_skipped_and_reported(world):
    data = small_model([("id-a", "BusinessActor", "Aktor")], [("id-self", "Association", "id-a", "id-a")])
    result = run_import(world, world.a1, world.admin_a, data)
    assert result.relationship_total == 0
    assert len(result.skipped) == 1 and "id-self" in result.skipped[0]
    assert not Relationship.objects.exists()


def test_a_simpul_value_the_field_refuses_is_kept_in_other_properties(world):
    data = small_model(
        [("id-app", "ApplicationComponent", "Aplikasi")],
        properties=[("id-app", "simpul:url", "bukan alamat"), ("id-app", "simpul:version", "v" * 80)],
    )
    run_import(world, world.a1, world.admin_a, data)
    app = Application.objects.get(exchange_id="id-app")
    assert (app.url, app.version) == ("", "")
    assert app.properties == {"simpul:url": "bukan alamat", "simpul:version": "v" * 80}


# --- uniqueness per instansi ---------------------------------------------------------------------------------


def test_an_element_identifier_is_unique_within_an_instansi_but_not_across(world):
    held = Application.objects.create(owner=world.a1, name="Aplikasi", kind="khusus", exchange_id="id-x")
    held.full_clean()  # its own identifier is no clash

    with pytest.raises(ValidationError, match="id-x"):
        Element(owner=world.a2, name="Lain", archimate_type="BusinessActor", exchange_id="id-x").full_clean()
    Element(owner=world.b1, name="Instansi lain", archimate_type="BusinessActor", exchange_id="id-x").full_clean()
    Element.objects.create(owner=world.a2, name="Tanpa id", archimate_type="BusinessActor")
    Element(owner=world.a2, name="Tanpa id juga", archimate_type="BusinessActor").full_clean()

    # The same file imports into another instansi.
    run_import(world, world.a1, world.admin_a, archisurance())
    result = run_import(world, world.b1, world.admin_b, archisurance())
    assert result.created == 122 + 179


def test_a_relationship_identifier_is_unique_within_an_instansi_but_not_across(world):
    app = Application.objects.create(owner=world.a1, name="Aplikasi", kind="khusus")
    service = Service.objects.create(owner=world.a1, name="Layanan", service_type="g2c")
    other_app = Application.objects.create(owner=world.a2, name="Aplikasi A2", kind="khusus")
    b_app = Application.objects.create(owner=world.b1, name="Aplikasi B", kind="khusus")
    b_service = Service.objects.create(owner=world.b1, name="Layanan B", service_type="g2c")
    held = Relationship.objects.create(source=app, target=service, kind="realizes", exchange_id="rel-x")
    held.full_clean()

    with pytest.raises(ValidationError, match="rel-x"):
        Relationship(source=other_app, target=service, kind="archimate", exchange_id="rel-x").full_clean()
    Relationship(source=b_app, target=b_service, kind="realizes", exchange_id="rel-x").full_clean()


def test_the_migration_keeps_the_oldest_holder_and_renames_the_others(world):
    migration = importlib.import_module("simpul.architecture.migrations.0010_exchange_id_unique_per_instansi")

    def element(opd, ident):
        return Element.objects.create(
            owner=opd, name=ident or "kosong", archimate_type="BusinessActor", exchange_id=ident
        )

    oldest, second, third = element(world.a1, "id-x"), element(world.a2, "id-x"), element(world.a1, "id-x")
    elsewhere, blank, blank_too = element(world.b1, "id-x"), element(world.a1, ""), element(world.a2, "")
    long_one, long_two = element(world.a1, "y" * 120), element(world.a2, "y" * 120)
    rel_oldest = Relationship.objects.create(source=oldest, target=second, kind="archimate", exchange_id="rel-x")
    rel_second = Relationship.objects.create(source=second, target=oldest, kind="archimate", exchange_id="rel-x")

    migration.deduplicate(apps, None)

    def ident(record):
        record.refresh_from_db()
        return record.exchange_id

    assert ident(oldest) == "id-x" and ident(elsewhere) == "id-x"
    assert ident(second) == f"id-x-dup-{second.pk}" and ident(third) == f"id-x-dup-{third.pk}"
    assert ident(blank) == ident(blank_too) == ""
    assert ident(long_one) == "y" * 120
    assert re.fullmatch(rf"y+-dup-{long_two.pk}", ident(long_two)) and len(long_two.exchange_id) == 120
    assert (ident(rel_oldest), ident(rel_second)) == ("rel-x", f"rel-x-dup-{rel_second.pk}")
    for record in (oldest, second, third, rel_oldest, rel_second):
        record.full_clean()


# --- concurrency ---------------------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_never_store_one_identifier_twice(world):
    """Both imports find the identifiers free unless the second waits for the first to commit.

    PostgreSQL only (the root conftest deselects it elsewhere): on SQLite a write transaction takes the
    one write lock at its start (IMMEDIATE), so two writers never overlap.
    """
    # One element: each import checks it before the other has written anything.
    data = small_model([("id-x", "BusinessActor", "Aktor")])
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def run(opd):
        try:
            start.wait()
            outcomes[opd.short_name] = run_import(world, opd, world.admin_a, data)
        except Exception as error:
            outcomes[opd.short_name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(opd,)) for opd in (world.a1, world.a2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    imported = [name for name, outcome in outcomes.items() if isinstance(outcome, archimate.ImportResult)]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, archimate.ArchimateImportError)]
    assert len(imported) == 1 and len(refused) == 1, outcomes
    assert any("id-x" in message for message in refused[0].messages)
    assert list(Element.objects.values_list("exchange_id", flat=True)) == ["id-x"]

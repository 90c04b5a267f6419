"""ArchiMate Model Exchange File Format: export validates against the Open Group schema, import of a model
written by Archi keeps everything, export → import → export is lossless, and permissions hold."""

import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from simpul.architecture import archimate
from simpul.architecture.choices import Domain
from simpul.architecture.models import Application, Element, InfrastructureComponent, Relationship, Service
from simpul.organizations.models import Instansi, PerangkatDaerah
from simpul.organizations.tests.factories import InstansiFactory, PerangkatDaerahFactory, UserFactory

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archimate"
ARCHISURANCE = FIXTURES / "archisurance.xml"
NS = {"a": archimate.NS}
XSI_TYPE = archimate.XSI_TYPE


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(FIXTURES / "exchange-format.xsd")))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("SIMPUL_DEMO_PASSWORD", "Sandi-Demo-Panjang-2026")
    call_command("demo", stdout=io.StringIO())
    return Instansi.objects.get(slug="lampung-timur")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def export_tree(instansi, user=None):
    buffer = io.BytesIO()
    archimate.export(instansi, buffer, user=user)
    return etree.fromstring(buffer.getvalue())


def import_file(instansi, opd, user, path=ARCHISURANCE, capture=None):
    with open(path, "rb") as handle:
        if capture is None:
            return archimate.import_model(instansi, opd, handle, user)
        with capture(execute=True):
            return archimate.import_model(instansi, opd, handle, user)


def kept_views(root) -> list:
    """The views of an exchange file other than Simpul's own layer views."""
    return [
        v
        for v in root.iterfind("a:views/a:diagrams/a:view", NS)
        if not v.get("identifier").startswith("id-simpul-view-")
    ]


def normalise(root) -> dict:
    """Elements, relationships and folders of an exchange file, with property ids resolved to names."""
    names = {
        d.get("identifier"): d.findtext("a:name", namespaces=NS) for d in root.iterfind(".//a:propertyDefinition", NS)
    }

    def props(node):
        return {
            names[p.get("propertyDefinitionRef")]: p.findtext("a:value", namespaces=NS)
            for p in node.iterfind("a:properties/a:property", NS)
        }

    elements = {
        e.get("identifier"): (
            e.get(XSI_TYPE),
            e.findtext("a:name", namespaces=NS),
            e.findtext("a:documentation", namespaces=NS),
            props(e),
        )
        for e in root.iterfind("a:elements/a:element", NS)
    }
    relationships = {
        r.get("identifier"): (
            r.get(XSI_TYPE),
            r.get("source"),
            r.get("target"),
            r.get("accessType"),
            r.findtext("a:name", namespaces=NS),
            r.findtext("a:documentation", namespaces=NS),
            props(r),
        )
        for r in root.iterfind("a:relationships/a:relationship", NS)
    }
    folders = {}

    def walk(item, path):
        label = item.findtext("a:label", namespaces=NS)
        here = (*path, label) if label is not None else path
        if item.get("identifierRef"):
            folders[item.get("identifierRef")] = path
        for child in item.iterfind("a:item", NS):
            walk(child, here)

    for item in root.iterfind("a:organizations/a:item", NS):
        walk(item, ())
    return {"elements": elements, "relationships": relationships, "folders": folders}


# --- export ----------------------------------------------------------------------------------------------


def test_export_of_demo_validates_against_the_open_group_schema(demo, schema):
    root = export_tree(demo)
    schema.assertValid(root)
    assert root.get(f"{{{archimate.XSI}}}schemaLocation").startswith(archimate.NS)
    data = normalise(root)
    assert len(data["elements"]) == Element.objects.filter(owner__instansi=demo).count() > 50
    assert len(data["relationships"]) == Relationship.objects.filter(source__owner__instansi=demo).count() > 50
    app = Application.objects.filter(owner__instansi=demo).first()
    archimate_type, name, _doc, props = data["elements"][f"id-simpul-{app.pk}"]
    assert (archimate_type, name) == ("ApplicationComponent", app.name)
    # Choices as their Indonesian label, the code beside it.
    assert (props["simpul:domain"], props["simpul:domain (kode)"]) == ("Aplikasi SPBE", "aplikasi")
    assert props["simpul:owner"] == app.owner.short_name
    assert props["simpul:kind (kode)"] == app.kind
    assert props["simpul:single_window"] == ("true" if app.single_window else "false")
    # Access relationships carry their direction; every relationship its SPBE kind.
    uses = Relationship.objects.filter(source__owner__instansi=demo, kind="uses").first()
    produces = Relationship.objects.filter(source__owner__instansi=demo, kind="produces").first()
    assert data["relationships"][f"id-simpul-rel-{uses.pk}"][0:4:3] == ("Access", "Read")
    assert data["relationships"][f"id-simpul-rel-{produces.pk}"][0:4:3] == ("Access", "Write")
    assert all(r[6]["simpul:relationship"] for r in data["relationships"].values())
    # Every element sits in the folder of its SPBE domain.
    assert data["folders"][f"id-simpul-{app.pk}"] == (str(Domain.APPLICATION.label),)


def test_export_holds_only_what_the_user_may_view(world, schema):
    own = Application.objects.create(owner=world.a1, name="Aplikasi A1", kind="khusus")
    other = Application.objects.create(owner=world.a2, name="Draf A2", kind="khusus")
    shared = Service.objects.create(owner=world.a2, name="Layanan A2", service_type="g2c", published=True)
    Relationship.objects.create(source=own, target=shared, kind="realizes")
    Relationship.objects.create(source=other, target=shared, kind="realizes")
    root = export_tree(world.inst_a, world.operator_a1)
    schema.assertValid(root)
    data = normalise(root)
    assert {e[1] for e in data["elements"].values()} == {"Aplikasi A1", "Layanan A2"}
    assert len(data["relationships"]) == 1


# --- import of a model written by Archi ---------------------------------------------------------------


def test_import_of_archisurance_keeps_every_element_and_relationship(world, django_capture_on_commit_callbacks):
    source = etree.parse(str(ARCHISURANCE)).getroot()
    file_elements = {e.get("identifier"): e for e in source.iterfind("a:elements/a:element", NS)}
    file_relationships = {r.get("identifier"): r for r in source.iterfind("a:relationships/a:relationship", NS)}
    assert (len(file_elements), len(file_relationships)) == (122, 179)

    result = import_file(world.inst_a, world.a1, world.admin_a, capture=django_capture_on_commit_callbacks)

    assert result.model_name == "Archisurance"
    assert result.element_total == 122
    assert result.relationship_total == 179
    assert dict(result.elements) == {
        "bisnis": 17,  # BusinessProcess 9, BusinessFunction 6, BusinessInteraction 2
        "data": 14,  # BusinessObject 10, DataObject 4
        "layanan": 9,  # BusinessService 6, ApplicationService 3
        "aplikasi": 10,  # ApplicationComponent 10
        "infrastruktur": 21,  # Node 4, Device 5, SystemSoftware 4, CommunicationNetwork 3, TechnologyService 5
        "lainnya": 51,  # actors, roles, principles, interfaces, ... kept with their ArchiMate type
    }
    assert dict(result.relationships) == {
        "archimate": 143,
        "connected_via": 9,
        "produces": 8,
        "supports": 6,
        "realizes": 6,
        "runs_on": 5,
        "uses": 2,
    }
    assert result.views == 18
    assert result.skipped == []

    stored = {e.exchange_id: e for e in Element.objects.filter(owner__instansi=world.inst_a)}
    assert set(stored) == set(file_elements)
    for ident, node in file_elements.items():
        element = stored[ident]
        assert element.archimate_type == node.get(XSI_TYPE)
        assert element.name == (node.findtext("a:name", namespaces=NS) or "").strip()
        assert element.owner == world.a1
    generic = Counter(e.archimate_type for e in stored.values() if e.domain == "lainnya")
    assert generic["BusinessActor"] == 17 and generic["Principle"] == 9 and generic["Grouping"] == 1
    assert stored["id-521"].properties == {"Property": "Hello"}  # a property of the Archi model
    assert stored["id-1544"].folder == "Business / Actors"
    assert all(s.service_type == "g2g" for s in Service.objects.filter(owner=world.a1))
    assert set(InfrastructureComponent.objects.filter(owner=world.a1).values_list("kind", flat=True)) <= {
        "server",
        "tautan",
        "lainnya",
    }

    rels = {r.exchange_id: r for r in Relationship.objects.filter(source__owner__instansi=world.inst_a)}
    assert set(rels) == set(file_relationships)
    for ident, node in file_relationships.items():
        rel = rels[ident]
        assert rel.archimate_type == node.get(XSI_TYPE)
        assert (rel.source.exchange_id, rel.target.exchange_id) == (node.get("source"), node.get("target"))
    # The same Access appears twice in the file (id-712, id-90702769): the second stays an ArchiMate link.
    assert {rels["id-712"].kind, rels["id-90702769"].kind} == {"produces", "archimate"}
    assert rels["id-693"].properties["_archimate"] == {
        "name": "create/ update",
        "accessType": "Write",
        "folder": "Relations / Business / Processes",
    }


def test_archisurance_survives_export_and_reimport(world, schema, django_capture_on_commit_callbacks):
    import_file(world.inst_a, world.a1, world.admin_a, capture=django_capture_on_commit_callbacks)
    first = export_tree(world.inst_a)
    schema.assertValid(first)  # views kept and their references intact
    assert len(kept_views(first)) == 18

    # Archi's own model and our export of it say the same about every element and relationship.
    source = normalise(etree.parse(str(ARCHISURANCE)).getroot())
    exported = normalise(first)
    for ident, (archimate_type, name, doc, props) in source["elements"].items():
        got = exported["elements"][ident]
        assert (got[0], got[1], got[2]) == (archimate_type, name, doc)
        assert {k: v for k, v in got[3].items() if not k.startswith("simpul:")} == props
        assert exported["folders"][ident] == source["folders"][ident]
    for ident, rel in source["relationships"].items():
        got = exported["relationships"][ident]
        assert got[:6] == rel[:6]
        assert {k: v for k, v in got[6].items() if not k.startswith("simpul:")} == rel[6]

    # Into a fresh instansi and out again: the same model.
    fresh = InstansiFactory()
    opd = PerangkatDaerahFactory(instansi=fresh, short_name="A1")
    buffer = io.BytesIO(etree.tostring(first))
    with django_capture_on_commit_callbacks(execute=True):
        archimate.import_model(fresh, opd, buffer, UserFactory(is_superuser=True))
    second = export_tree(fresh)
    schema.assertValid(second)
    assert normalise(second) == normalise(first)
    assert len(kept_views(second)) == 18  # Simpul's layer views are drawn again, not kept twice
    assert len(second.findall("a:views/a:diagrams/a:view", NS)) == len(first.findall("a:views/a:diagrams/a:view", NS))


def test_reimport_updates_instead_of_duplicating(world, django_capture_on_commit_callbacks):
    import_file(world.inst_a, world.a1, world.admin_a, capture=django_capture_on_commit_callbacks)
    Element.objects.filter(exchange_id="id-521").update(name="Renamed locally")
    result = import_file(world.inst_a, world.a1, world.admin_a, capture=django_capture_on_commit_callbacks)
    assert (result.created, result.updated) == (0, 122 + 179)
    assert Element.objects.filter(owner__instansi=world.inst_a).count() == 122
    assert Relationship.objects.filter(source__owner__instansi=world.inst_a).count() == 179
    assert Element.objects.get(exchange_id="id-521").name == "Customer"


@pytest.mark.parametrize(
    "content",
    [
        b"<?xml version='1.0'?><model xmlns='http://www.opengroup.org/xsd/archimate/3.0/'><elements>",
        b"<html><body>not a model</body></html>",
        b"",
    ],
)
def test_malformed_file_is_refused_and_nothing_written(world, content):
    with pytest.raises(archimate.ArchimateImportError):
        archimate.import_model(world.inst_a, world.a1, io.BytesIO(content), world.admin_a)
    assert not Element.objects.exists()


def test_a_broken_reference_rolls_back_the_whole_import(world):
    data = ARCHISURANCE.read_bytes().replace(b'source="id-564" target="id-674"', b'source="id-564" target="id-nope"')
    with pytest.raises(archimate.ArchimateImportError, match="id-nope"):
        archimate.import_model(world.inst_a, world.a1, io.BytesIO(data), world.admin_a)
    assert not Element.objects.exists() and not Relationship.objects.exists()


def test_relationship_between_relationships_is_reported_not_silently_lost(world):
    data = ARCHISURANCE.read_bytes().replace(b'source="id-564" target="id-674"', b'source="id-564" target="id-697"')
    result = archimate.import_model(world.inst_a, world.a1, io.BytesIO(data), world.admin_a)
    assert result.relationship_total == 178
    assert len(result.skipped) == 1 and "id-693" in result.skipped[0]


def test_user_without_add_permission_is_refused_before_writing(world):
    with pytest.raises(PermissionDenied):
        import_file(world.inst_a, world.a1, world.koordinator_a)
    assert not Element.objects.exists()


def test_export_then_import_restores_typed_fields_and_kinds(demo, superuser, schema):
    first = export_tree(demo)
    fresh = InstansiFactory()
    for opd in PerangkatDaerah.objects.filter(instansi=demo):
        PerangkatDaerahFactory(instansi=fresh, short_name=opd.short_name, name=opd.name)
    target = PerangkatDaerah.objects.get(instansi=fresh, short_name="DISKOMINFO")
    result = archimate.import_model(fresh, target, io.BytesIO(etree.tostring(first)), superuser)
    assert result.element_total == Element.objects.filter(owner__instansi=demo).count()
    second = export_tree(fresh)
    schema.assertValid(second)
    assert normalise(second) == normalise(first)

    def kinds(instansi):
        return Counter(Relationship.objects.filter(source__owner__instansi=instansi).values_list("kind", flat=True))

    assert kinds(fresh) == kinds(demo)
    original = Application.objects.filter(owner__instansi=demo).order_by("pk").first()
    copy = Application.objects.get(owner__instansi=fresh, exchange_id=f"id-simpul-{original.pk}")
    for name in ("name", "kind", "url", "single_window", "has_manual", "hosting", "published", "reference_id"):
        assert getattr(copy, name) == getattr(original, name)
    assert copy.owner.short_name == original.owner.short_name
    assert copy.developer.short_name == original.developer.short_name


# --- CLI ---------------------------------------------------------------------------------------------------


def test_cli_import_and_export_print_counts(world, superuser, tmp_path, schema):
    out = io.StringIO()
    call_command(
        "architecture", "import-archimate", "--instansi", "inst-a", "--opd", "A1", str(ARCHISURANCE), stdout=out
    )
    text = out.getvalue()
    assert "Elemen: 122" in text and "Relasi: 179" in text
    assert "  infrastruktur: 21" in text and "  lainnya: 51" in text
    assert Element.objects.filter(owner=world.a1).count() == 122

    path = tmp_path / "out.xml"
    out = io.StringIO()
    call_command("architecture", "export-archimate", "--instansi", "inst-a", str(path), stdout=out)
    assert "122 elemen, 179 relasi" in out.getvalue()
    schema.assertValid(etree.parse(str(path)))


def test_cli_refuses_without_an_acting_user_and_for_unknown_opd(world):
    with pytest.raises(CommandError, match="superuser"):
        call_command("architecture", "import-archimate", "--instansi", "inst-a", "--opd", "A1", str(ARCHISURANCE))
    with pytest.raises(CommandError, match="B1"):
        call_command(
            "architecture", "import-archimate", "--instansi", "inst-a", "--opd", "B1", "--user", "admin-a",
            str(ARCHISURANCE),
        )  # fmt: skip
    with pytest.raises(CommandError, match="tidak ada yang disimpan"):
        call_command(
            "architecture", "import-archimate", "--instansi", "inst-a", "--opd", "A2", "--user", "operator-a1",
            str(ARCHISURANCE),
        )  # fmt: skip
    assert not Element.objects.exists()


def test_cli_load_references(db):
    out = io.StringIO()
    call_command("architecture", "load-references", stdout=out)
    assert "Kode referensi:" in out.getvalue() and "tetap" in out.getvalue()


# --- permissions and the page ------------------------------------------------------------------------------


def test_operator_imports_only_into_own_opd(world):
    with pytest.raises(PermissionDenied):
        import_file(world.inst_a, world.a2, world.operator_a1)
    assert not Element.objects.exists()
    result = import_file(world.inst_a, world.a1, world.operator_a1)
    assert result.element_total == 122
    assert not Element.objects.filter(published=True).exists()  # an operator's import stays draft


def test_exchange_page_imports_into_allowed_opd_and_reports_counts(client, world):
    client.force_login(world.operator_a1)
    page = client.get(reverse("architecture:exchange"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["opd"].queryset) == [world.a1]
    with open(ARCHISURANCE, "rb") as handle:
        refused = client.post(reverse("architecture:exchange"), {"opd": world.a2.pk, "file": handle})
    assert refused.status_code == 400 and not Element.objects.exists()
    with open(ARCHISURANCE, "rb") as handle:
        response = client.post(reverse("architecture:exchange"), {"opd": world.a1.pk, "file": handle})
    assert response.status_code == 200
    assert response.context["result"].element_total == 122
    assert b'data-testid="import-result"' in response.content


def test_exchange_page_refuses_bad_xml_with_a_message(client, world):
    client.force_login(world.admin_a)
    upload = io.BytesIO(b"<model><unclosed></model>")
    upload.name = "rusak.xml"
    response = client.post(reverse("architecture:exchange"), {"opd": world.a1.pk, "file": upload})
    assert response.status_code == 400
    assert "Nothing was imported" in str(response.context["form"].non_field_errors()) or "Tidak ada" in str(
        response.context["form"].non_field_errors()
    )
    assert not Element.objects.exists()


def test_download_is_valid_and_scoped(client, world, schema):
    Application.objects.create(owner=world.a1, name="Aplikasi A1", kind="khusus")
    Application.objects.create(owner=world.a2, name="Draf A2", kind="khusus")
    client.force_login(world.operator_a1)
    response = client.get(reverse("architecture:exchange_export"), {"instansi": world.inst_a.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    root = etree.fromstring(b"".join(response.streaming_content))
    schema.assertValid(root)
    assert [e[1] for e in normalise(root)["elements"].values()] == ["Aplikasi A1"]
    client.force_login(world.asn_a1)
    assert client.get(reverse("architecture:exchange_export")).status_code == 403

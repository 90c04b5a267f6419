"""ArchiMate export, issue #12 point 13: every export carries a view per SPBE layer and an overview, and
writes choices as their Indonesian label with the code beside it; the import reads codes back, and a
label alone (a file written by Archi) too."""

import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from lxml import etree

from simpul.architecture import archimate
from simpul.architecture.archimate.mapping import OVERVIEW_NAME, VIEW_NAMES, VIEWS_FOLDER
from simpul.architecture.choices import Domain
from simpul.architecture.models import (
    Application,
    DataSet,
    Element,
    InfrastructureComponent,
    Relationship,
    Service,
)
from simpul.organizations.models import Instansi, PerangkatDaerah
from simpul.organizations.tests.factories import InstansiFactory, PerangkatDaerahFactory, UserFactory

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archimate"
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


def export_tree(instansi, user=None):
    buffer = io.BytesIO()
    result = archimate.export(instansi, buffer, user=user)
    root = etree.fromstring(buffer.getvalue())
    assert result.views == len(root.findall("a:views/a:diagrams/a:view", NS))
    return root


def properties(root, node) -> dict[str, str]:
    names = {
        d.get("identifier"): d.findtext("a:name", namespaces=NS) for d in root.iterfind(".//a:propertyDefinition", NS)
    }
    return {
        names[p.get("propertyDefinitionRef")]: p.findtext("a:value", namespaces=NS)
        for p in node.iterfind("a:properties/a:property", NS)
    }


def views_by_name(root) -> dict:
    return {v.findtext("a:name", namespaces=NS): v for v in root.iterfind("a:views/a:diagrams/a:view", NS)}


def check_view(view, elements: dict, relationships: dict) -> tuple[set[str], set[str]]:
    """Every node names an exported element, every connection an exported relationship between two nodes
    of the same view showing its ends; returns (elements shown, relationships shown)."""
    assert view.get(XSI_TYPE) == "Diagram"
    nodes = {}
    for node in view.iterfind("a:node", NS):
        assert {"x", "y", "w", "h"} <= set(node.attrib)
        if node.get(XSI_TYPE) == "Label":
            assert node.findtext("a:label", namespaces=NS)
            continue
        assert node.get(XSI_TYPE) == "Element"
        assert node.get("elementRef") in elements
        nodes[node.get("identifier")] = node.get("elementRef")
    shown = set()
    for connection in view.iterfind("a:connection", NS):
        assert connection.get(XSI_TYPE) == "Relationship"
        rel = relationships[connection.get("relationshipRef")]
        assert (nodes[connection.get("source")], nodes[connection.get("target")]) == (
            rel.get("source"),
            rel.get("target"),
        )
        shown.add(connection.get("relationshipRef"))
    # A simple grid: no two boxes overlap.
    boxes = sorted(
        (int(n.get("y")), int(n.get("x")), int(n.get("w")), int(n.get("h"))) for n in view.iterfind("a:node", NS)
    )
    for i, (y, x, w, h) in enumerate(boxes):
        for y2, x2, w2, h2 in boxes[i + 1 :]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y
    return set(nodes.values()), shown


def test_demo_export_has_a_view_per_layer_and_an_overview(demo, schema):
    root = export_tree(demo)
    schema.assertValid(root)
    elements = {e.get("identifier"): e for e in root.iterfind("a:elements/a:element", NS)}
    relationships = {r.get("identifier"): r for r in root.iterfind("a:relationships/a:relationship", NS)}
    domain_of = {ident: properties(root, e)["simpul:domain (kode)"] for ident, e in elements.items()}
    present = set(domain_of.values())
    assert {Domain.BUSINESS, Domain.DATA, Domain.SERVICE, Domain.APPLICATION, Domain.INFRASTRUCTURE} <= present

    views = views_by_name(root)
    assert set(views) == {VIEW_NAMES[d] for d in present} | {OVERVIEW_NAME}
    assert "Lapisan Aplikasi SPBE" in views and views["Lapisan Aplikasi SPBE"].get("identifier") == (
        "id-simpul-view-aplikasi"
    )
    for domain in present:
        shown, connections = check_view(views[VIEW_NAMES[domain]], elements, relationships)
        assert shown == {ident for ident, d in domain_of.items() if d == domain}
        assert connections == {
            ident
            for ident, r in relationships.items()
            if domain_of[r.get("source")] == domain and domain_of[r.get("target")] == domain
        }
    shown, connections = check_view(views[OVERVIEW_NAME], elements, relationships)
    assert shown == set(elements) and connections == set(relationships)
    labels = [n.findtext("a:label", namespaces=NS) for n in views[OVERVIEW_NAME].iterfind("a:node", NS)]
    assert [label for label in labels if label][:3] == [
        "Lapisan Layanan SPBE",
        "Lapisan Proses Bisnis",
        "Lapisan Data dan Informasi",
    ]
    # The views sit in a folder of their own.
    folder = next(
        item
        for item in root.iterfind("a:organizations/a:item", NS)
        if item.findtext("a:label", namespaces=NS) == VIEWS_FOLDER
    )
    assert [i.get("identifierRef") for i in folder.iterfind("a:item", NS)] == [
        v.get("identifier") for v in root.iterfind("a:views/a:diagrams/a:view", NS)
    ]


def test_an_empty_instansi_exports_no_views(db, schema):
    root = export_tree(InstansiFactory())
    assert root.find("a:views", NS) is None


def test_views_show_only_what_the_user_may_view(world, schema):
    from simpul.architecture.tests.factories import ApplicationFactory

    mine = ApplicationFactory(owner=world.a1, published=False)
    ApplicationFactory(owner=world.a2, published=False)
    root = export_tree(world.inst_a, user=world.operator_a1)
    schema.assertValid(root)
    refs = {n.get("elementRef") for n in root.iterfind(".//a:view/a:node", NS) if n.get("elementRef")}
    assert refs == {e.get("identifier") for e in root.iterfind("a:elements/a:element", NS)}
    assert f"id-simpul-{mine.pk}" in refs


def test_choices_are_written_as_indonesian_labels_with_the_code_beside(demo):
    with translation.override("en"):  # the request's language does not matter
        root = export_tree(demo)
    elements = {e.get("identifier"): properties(root, e) for e in root.iterfind("a:elements/a:element", NS)}
    app = Application.objects.filter(owner__instansi=demo, hosting="pusat_data", status="operasi").first()
    props = elements[f"id-simpul-{app.pk}"]
    assert (props["simpul:hosting"], props["simpul:hosting (kode)"]) == ("Pusat Data daerah", "pusat_data")
    assert (props["simpul:status"], props["simpul:status (kode)"]) == ("Beroperasi", "operasi")
    assert props["simpul:kind"] in ("Aplikasi umum", "Aplikasi khusus")
    # Free text and booleans are as they are, with no code.
    assert props["simpul:single_window"] in ("true", "false") and "simpul:single_window (kode)" not in props
    assert "simpul:owner (kode)" not in props
    infra = InfrastructureComponent.objects.filter(owner__instansi=demo, kind="pusat_data").first()
    props = elements[f"id-simpul-{infra.pk}"]
    assert (props["simpul:kind"], props["simpul:kind (kode)"]) == ("Pusat Data", "pusat_data")
    data = DataSet.objects.filter(owner__instansi=demo).exclude(classification="").first()
    assert elements[f"id-simpul-{data.pk}"]["simpul:classification (kode)"] == data.classification
    service = Service.objects.filter(owner__instansi=demo, service_type="g2c").first()
    assert elements[f"id-simpul-{service.pk}"]["simpul:service_type"] == "G2C — pemerintah ke masyarakat"
    # Every property value that is a code of a choice has its label before it.
    for props in elements.values():
        for name, value in props.items():
            if name.endswith(" (kode)"):
                assert props[name.removesuffix(" (kode)")] != value
    rel = Relationship.objects.filter(source__owner__instansi=demo, kind="realizes").first()
    node = root.find(f"a:relationships/a:relationship[@identifier='id-simpul-rel-{rel.pk}']", NS)
    assert properties(root, node) == {
        "simpul:relationship": "merealisasikan",
        "simpul:relationship (kode)": "realizes",
    }


def test_export_import_keeps_codes_and_does_not_keep_simpul_views(demo, schema):
    first = export_tree(demo)
    fresh = InstansiFactory()
    for opd in PerangkatDaerah.objects.filter(instansi=demo):
        PerangkatDaerahFactory(instansi=fresh, short_name=opd.short_name, name=opd.name)
    target = PerangkatDaerah.objects.get(instansi=fresh, short_name="DISKOMINFO")
    result = archimate.import_model(fresh, target, io.BytesIO(etree.tostring(first)), UserFactory(is_superuser=True))
    assert result.views == 0  # drawn again by the next export, not stored
    for model, fields in [
        (Element, ["domain", "status"]),
        (Application, ["kind", "hosting", "hosting_exception"]),
        (InfrastructureComponent, ["kind", "approval"]),
        (DataSet, ["classification", "update_frequency"]),
        (Service, ["service_type"]),
    ]:
        for name in fields:
            original = Counter(model.objects.filter(owner__instansi=demo).values_list(name, flat=True))
            assert Counter(model.objects.filter(owner__instansi=fresh).values_list(name, flat=True)) == original
    # No label or code property is left behind in the other properties.
    for props in Element.objects.filter(owner__instansi=fresh).values_list("properties", flat=True):
        assert not any(key.startswith("simpul:") for key in props), props
    second = export_tree(fresh)
    schema.assertValid(second)
    assert set(views_by_name(second)) == set(views_by_name(first))


def test_archisurance_export_adds_layer_views_to_the_kept_ones(world, schema, django_capture_on_commit_callbacks):
    with open(FIXTURES / "archisurance.xml", "rb") as handle, django_capture_on_commit_callbacks(execute=True):
        archimate.import_model(world.inst_a, world.a1, handle, world.admin_a)
    first = export_tree(world.inst_a)
    schema.assertValid(first)
    names = set(views_by_name(first))
    assert {OVERVIEW_NAME, VIEW_NAMES[Domain.APPLICATION], VIEW_NAMES[Domain.OTHER]} <= names
    assert "Layered View" in names  # one of Archi's, kept
    # Re-importing our own export keeps Archi's views once and does not store ours.
    with django_capture_on_commit_callbacks(execute=True):
        result = archimate.import_model(world.inst_a, world.a1, io.BytesIO(etree.tostring(first)), world.admin_a)
    assert result.views == 18
    second = export_tree(world.inst_a)
    schema.assertValid(second)
    assert sorted(views_by_name(second)) == sorted(names)
    assert len(second.findall("a:views/a:diagrams/a:view", NS)) == len(first.findall("a:views/a:diagrams/a:view", NS))


ARCHI_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       identifier="id-archi-model">
  <name xml:lang="id">Model dari Archi</name>
  <elements>
    <element identifier="id-app" xsi:type="ApplicationComponent">
      <name xml:lang="id">SIMPEG</name>
      <properties>
        <property propertyDefinitionRef="p-domain"><value xml:lang="id">aplikasi spbe</value></property>
        <property propertyDefinitionRef="p-status"><value xml:lang="id">BEROPERASI</value></property>
        <property propertyDefinitionRef="p-kind"><value xml:lang="id">Aplikasi umum</value></property>
        <property propertyDefinitionRef="p-hosting"><value xml:lang="id">Pusat Data Nasional (PDN)</value></property>
      </properties>
    </element>
    <element identifier="id-infra" xsi:type="Node">
      <name xml:lang="id">Server Diskominfo</name>
      <properties>
        <property propertyDefinitionRef="p-kind"><value xml:lang="id">Mesin virtual</value></property>
        <property propertyDefinitionRef="p-status"><value xml:lang="id">Planned</value></property>
        <property propertyDefinitionRef="p-approval"><value xml:lang="id">Disetujui</value></property>
      </properties>
    </element>
    <element identifier="id-edited" xsi:type="ApplicationComponent">
      <name xml:lang="id">Label diubah, kode tetap</name>
      <properties>
        <property propertyDefinitionRef="p-status"><value xml:lang="id">Direncanakan</value></property>
        <property propertyDefinitionRef="p-status-code"><value xml:lang="id">operasi</value></property>
        <property propertyDefinitionRef="p-hosting"><value xml:lang="id">Di lemari</value></property>
      </properties>
    </element>
  </elements>
  <relationships>
    <relationship identifier="id-rel" source="id-app" target="id-infra" xsi:type="Realization">
      <properties>
        <property propertyDefinitionRef="p-rel"><value xml:lang="id">Berjalan di</value></property>
      </properties>
    </relationship>
  </relationships>
  <propertyDefinitions>
    <propertyDefinition identifier="p-domain" type="string"><name>simpul:domain</name></propertyDefinition>
    <propertyDefinition identifier="p-status" type="string"><name>simpul:status</name></propertyDefinition>
    <propertyDefinition identifier="p-status-code" type="string"><name>simpul:status (kode)</name></propertyDefinition>
    <propertyDefinition identifier="p-kind" type="string"><name>simpul:kind</name></propertyDefinition>
    <propertyDefinition identifier="p-hosting" type="string"><name>simpul:hosting</name></propertyDefinition>
    <propertyDefinition identifier="p-approval" type="string"><name>simpul:approval</name></propertyDefinition>
    <propertyDefinition identifier="p-rel" type="string"><name>simpul:relationship</name></propertyDefinition>
  </propertyDefinitions>
</model>
"""


def test_a_file_with_labels_only_imports_to_the_codes(world, schema):
    schema.assertValid(etree.fromstring(ARCHI_FILE.encode()))
    result = archimate.import_model(world.inst_a, world.a1, io.BytesIO(ARCHI_FILE.encode()), world.admin_a)
    assert result.element_total == 3
    app = Application.objects.get(exchange_id="id-app")
    assert (app.status, app.kind, app.hosting) == ("operasi", "umum", "pdn")
    infra = InfrastructureComponent.objects.get(exchange_id="id-infra")
    assert (infra.kind, infra.status, infra.approval) == ("vm", "rencana", "disetujui")
    # The code wins over an edited label; a value that names no choice is kept, not dropped.
    edited = Application.objects.get(exchange_id="id-edited")
    assert edited.status == "operasi"
    assert edited.properties == {"simpul:hosting": "Di lemari"}
    assert Relationship.objects.get(exchange_id="id-rel").kind == "runs_on"

"""Diagrams: layout, SVG and PNG output, permissions, and the pages that show and export them."""

import io
import os
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree
from PIL import Image

from simpul.architecture import diagrams
from simpul.architecture.choices import Domain
from simpul.architecture.models import (
    Application,
    DataSet,
    Element,
    InfrastructureComponent,
    Relationship,
    SecurityControl,
    Service,
)

SVG = "{http://www.w3.org/2000/svg}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def parse(svg: str):
    """The SVG parsed as XML: raises if it is not well-formed."""
    return etree.fromstring(svg.encode(), PARSER)


def link(source, kind, target):
    relationship = Relationship(source=source, target=target, kind=kind)
    relationship.full_clean()
    relationship.save()
    return relationship


def texts(svg: str) -> list[str]:
    root = parse(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def node_pks(svg: str) -> set[int]:
    root = parse(svg)
    return {int(a.get("data-pk")) for a in root.iter(f"{SVG}a")}


def overlaps(a: diagrams.Node, b: diagrams.Node) -> bool:
    return not (
        a.x + diagrams.NODE_W <= b.x
        or b.x + diagrams.NODE_W <= a.x
        or a.y + diagrams.NODE_H <= b.y
        or b.y + diagrams.NODE_H <= a.y
    )


@pytest.fixture
def graph(world):
    """A small architecture of instansi A: a1 owns an application on a1's server, realising a published
    service of a2; a2 also keeps a draft data set the application uses, and a published security control."""

    class Graph:
        pass

    g = Graph()
    g.server = InfrastructureComponent.objects.create(owner=world.a1, name="Server <script>", kind="server")
    g.app = Application.objects.create(owner=world.a1, name="Aplikasi A & B", kind="umum")
    g.service = Service.objects.create(owner=world.a2, name="Layanan Publik A2", service_type="g2c", published=True)
    g.draft = DataSet.objects.create(owner=world.a2, name="Data Rahasia A2", published=False)
    g.control = SecurityControl.objects.create(owner=world.a2, name="Firewall A2", published=True)
    link(g.app, "runs_on", g.server)
    link(g.app, "realizes", g.service)
    link(g.app, "uses", g.draft)
    link(g.server, "protected_by", g.control)
    return g


# --------------------------------------------------------------------------------------------- layout


def synthetic(seed: int, count: int = 45, links: int = 70) -> diagrams.Diagram:
    rng = random.Random(seed)
    domains = list(diagrams.LAYER_ORDER)
    nodes = {
        pk: diagrams.Node(
            pk=pk,
            name=f"Elemen {pk} " + "panjang " * rng.randint(0, 6),
            domain=rng.choice(domains),
            owner="OPD",
            url="/",
        )
        for pk in range(1, count + 1)
    }
    edges = []
    for _ in range(links):
        a, b = rng.sample(sorted(nodes), 2)
        edges.append(diagrams.Edge(a, b, "uses", "uses"))
    bands = diagrams._domain_bands(nodes)
    return diagrams.layout(diagrams.Diagram("Uji", nodes, edges, bands))


def test_layout_is_deterministic_and_boxes_do_not_overlap():
    first, second = synthetic(7), synthetic(7)
    assert [(n.pk, n.x, n.y) for n in first.nodes.values()] == [(n.pk, n.x, n.y) for n in second.nodes.values()]
    assert [e.segments for e in first.edges] == [e.segments for e in second.edges]
    boxes = list(first.nodes.values())
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.x + diagrams.NODE_W <= first.width
        assert a.y >= 0 and a.y + diagrams.NODE_H <= first.height
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a.pk, b.pk)
    # Rows never exceed the width limit, and each domain keeps to its own band, in the SPBE order.
    rows: dict[float, int] = {}
    for node in boxes:
        rows[node.y] = rows.get(node.y, 0) + 1
    assert max(rows.values()) <= diagrams.MAX_PER_ROW
    band_top = {d: min(n.y for n in boxes if n.domain == d) for d in {n.domain for n in boxes}}
    ordered = sorted(band_top, key=band_top.get)
    assert ordered == [d for d in diagrams.LAYER_ORDER if d in band_top]


def test_edges_start_and_end_on_their_boxes_and_pass_between_other_boxes():
    diagram = synthetic(3)
    for edge in diagram.edges:
        source, target = diagram.nodes[edge.source], diagram.nodes[edge.target]
        (x0, y0), (x3, y3) = edge.segments[0][0], edge.segments[-1][3]
        assert source.x <= x0 <= source.x + diagrams.NODE_W and y0 in (source.y, source.y + diagrams.NODE_H)
        assert target.x <= x3 <= target.x + diagrams.NODE_W and y3 in (target.y, target.y + diagrams.NODE_H)
        # The straight pieces cross rows in gaps, never through a box.
        for start, c1, c2, end in edge.segments:
            if c1 == start and c2 == end and start[0] == end[0]:
                for node in diagram.nodes.values():
                    inside_y = node.y < (start[1] + end[1]) / 2 < node.y + diagrams.NODE_H
                    assert not (inside_y and node.x < start[0] < node.x + diagrams.NODE_W)


def test_barycentre_ordering_removes_crossings_of_a_simple_bipartite_graph():
    # a1..a4 on top linked to b4..b1 below in reverse alphabetical order: the sweep untangles them.
    nodes = {}
    edges = []
    for i in range(1, 5):
        nodes[i] = diagrams.Node(i, f"A{i}", Domain.APPLICATION, "OPD", "/")
        nodes[10 + i] = diagrams.Node(10 + i, f"B{i}", Domain.INFRASTRUCTURE, "OPD", "/")
    for i in range(1, 5):
        edges.append(diagrams.Edge(i, 15 - i, "runs_on", "runs on"))
    diagram = diagrams.layout(diagrams.Diagram("Uji", nodes, edges, diagrams._domain_bands(nodes)))
    for edge in edges:
        assert diagram.nodes[edge.source].x == diagram.nodes[edge.target].x


def test_long_names_wrap_into_two_lines_and_end_with_an_ellipsis():
    lines = diagrams.wrap("Sistem Penghubung Layanan Pemerintah (Interoperabilitas) Kabupaten", 160, 12.5)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(diagrams.text_width(line, 12.5) <= 160 for line in lines)
    assert diagrams.wrap("X" * 80, 160, 12.5)[-1].endswith("…")
    assert diagrams.wrap("SIMPEG", 160, 12.5) == ["SIMPEG"]


# ------------------------------------------------------------------------------------ content and rights


@pytest.fixture
def english():
    """Labels are compared in English, whatever language an earlier test left active in this thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_neighbourhood_svg_is_well_formed_escaped_and_limited_to_what_the_user_may_see(graph, world, english):
    diagram = diagrams.neighbourhood(graph.app, world.operator_a1)
    svg = diagrams.render_svg(diagram)
    shown = texts(svg)
    assert "Server <script>" in shown
    assert "<script>" not in svg and "Server &lt;script&gt;" in svg
    assert "Aplikasi A &amp; B" in svg
    assert "Layanan Publik A2" in " ".join(shown)  # published element of another OPD: visible
    assert "Data Rahasia A2" not in svg  # a draft of another OPD: not
    assert node_pks(svg) == {graph.app.pk, graph.server.pk, graph.service.pk}
    # The Admin SPBE sees the draft too; depth 2 reaches the control protecting the server.
    admin_svg = diagrams.render_svg(diagrams.neighbourhood(graph.app, world.admin_a, depth=2))
    assert node_pks(admin_svg) == {graph.app.pk, graph.server.pk, graph.service.pk, graph.draft.pk, graph.control.pk}
    # Relationship labels are there for hover (title) and the boxes link to the element pages.
    assert "realises" in svg and graph.service.get_absolute_url() in svg


def test_names_with_control_characters_still_give_well_formed_svg(graph, world):
    Element.objects.filter(pk=graph.server.pk).update(name="Server\x01\x07 \"kutip\" 'tunggal'")
    svg = diagrams.render_svg(diagrams.neighbourhood(graph.app, world.admin_a), standalone=True)
    parse(svg)
    inline = diagrams.render_svg(diagrams.neighbourhood(graph.app, world.admin_a), standalone=False)
    root = parse(inline)
    assert root.get("width") == "100%" and root.get("viewBox")


def test_neighbourhood_is_capped_with_a_note(graph, world):
    for i in range(6):
        link(Application.objects.create(owner=world.a1, name=f"Tambahan {i}", kind="umum"), "runs_on", graph.server)
    diagram = diagrams.neighbourhood(graph.server, world.admin_a, limit=4)
    assert len(diagram.nodes) == 4
    assert diagram.notes and "+5" in diagram.notes[0]
    assert "+5" in diagrams.render_svg(diagram)


def test_impact_diagram_highlights_the_root_and_places_nodes_by_distance(graph, world, english):
    diagram = diagrams.impact_diagram(graph.server, world.admin_a)
    # The server fails: the application on it, then the service and (for the admin) nothing else.
    assert set(diagram.nodes) == {graph.server.pk, graph.app.pk, graph.service.pk}
    assert diagram.nodes[graph.server.pk].root
    assert diagram.nodes[graph.server.pk].y < diagram.nodes[graph.app.pk].y < diagram.nodes[graph.service.pk].y
    svg = diagrams.render_svg(diagram)
    root = parse(svg)
    highlighted = [a for a in root.iter(f"{SVG}a") if "sd-root" in a.get("class")]
    assert [int(a.get("data-pk")) for a in highlighted] == [graph.server.pk]
    # Edges keep the relationship's own direction and label.
    assert {(e.source, e.target, e.label) for e in diagram.edges} == {
        (graph.app.pk, graph.server.pk, "runs on"),
        (graph.app.pk, graph.service.pk, "realises"),
    }
    needs = diagrams.impact_diagram(graph.app, world.admin_a, "dependencies")
    assert set(needs.nodes) == {graph.app.pk, graph.server.pk, graph.draft.pk, graph.control.pk}


def test_impact_diagram_loads_only_its_nodes_whatever_the_reach(world, english):
    """Reach 3 and reach 60 cost the same queries and load no more elements than are drawn; the capped
    diagram keeps the nearest, by distance, then layer (applications above servers), then name."""

    def fan(width: int, prefix: str):
        dc = InfrastructureComponent.objects.create(owner=world.a1, name=f"{prefix} Pusat Data", kind="pusat_data")
        for i in range(width):
            server = InfrastructureComponent.objects.create(owner=world.a1, name=f"{prefix} Server {i:02d}")
            app = Application.objects.create(owner=world.a1, name=f"{prefix} Aplikasi {i:02d}", kind="umum")
            service = Service.objects.create(owner=world.a1, name=f"{prefix} Layanan {i:02d}", service_type="g2c")
            link(server, "runs_on", dc)
            link(app, "runs_on", server)
            link(app, "realizes", service)
        return dc

    small, large = fan(1, "Kecil"), fan(20, "Besar")
    diagrams.impact_diagram(small, world.admin_a, limit=6)  # the user's grants are read once, before measuring
    with CaptureQueriesContext(connection) as small_queries:
        drawn_small = diagrams.impact_diagram(small, world.admin_a, limit=6)
    loaded = []

    def count_loaded(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count_loaded, sender=Element)
    try:
        with CaptureQueriesContext(connection) as large_queries:
            drawn_large = diagrams.impact_diagram(large, world.admin_a, limit=6)
    finally:
        post_init.disconnect(count_loaded, sender=Element)
    assert len(large_queries) == len(small_queries)
    assert len(loaded) == 5
    assert len(drawn_small.nodes) == 4 and drawn_small.notes == []
    # Reach 60: 20 servers at 1, 20 applications at 2, 20 services at 3; five drawn besides the root.
    assert sorted(node.name for node in drawn_large.nodes.values() if not node.root) == [
        f"Besar Server {i:02d}" for i in range(5)
    ]
    assert drawn_large.notes == ["+55 more elements not shown."]
    # Within one distance the upper layer comes first: the application before the server whose name
    # sorts first.
    hub = InfrastructureComponent.objects.create(owner=world.a1, name="Hub", kind="pusat_data")
    link(InfrastructureComponent.objects.create(owner=world.a1, name="A Server"), "runs_on", hub)
    link(Application.objects.create(owner=world.a1, name="Z Aplikasi", kind="umum"), "runs_on", hub)
    capped = diagrams.impact_diagram(hub, world.admin_a, limit=2)
    assert [n.name for n in capped.nodes.values() if not n.root] == ["Z Aplikasi"]


def test_layer_diagram_filters_and_rights(graph, world):
    everything = diagrams.layer_diagram(world.operator_a1, world.inst_a)
    assert set(everything.nodes) == {graph.app.pk, graph.server.pk, graph.service.pk, graph.control.pk}
    only_a2 = diagrams.layer_diagram(world.admin_a, world.inst_a, opd=world.a2)
    assert set(only_a2.nodes) == {graph.service.pk, graph.draft.pk, graph.control.pk}
    data = diagrams.layer_diagram(world.admin_a, world.inst_a, domain=Domain.DATA)
    assert set(data.nodes) == {graph.draft.pk}
    assert diagrams.layer_diagram(world.admin_b, world.inst_a).is_empty()
    # Bands follow the SPBE layers: service above application above infrastructure above security.
    ys = {pk: node.y for pk, node in everything.nodes.items()}
    assert ys[graph.service.pk] < ys[graph.app.pk] < ys[graph.server.pk] < ys[graph.control.pk]


def test_png_is_a_real_image_of_the_diagram(graph, world):
    diagram = diagrams.neighbourhood(graph.app, world.admin_a, depth=2)
    data = diagrams.render_png(diagram)
    image = Image.open(io.BytesIO(data))
    image.verify()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (diagram.width * 2, diagram.height * 2)
    # The application's box is drawn in its domain's colour (scaled by 2).
    node = diagram.nodes[graph.server.pk]
    fill = diagrams._hex(diagrams.COLOURS[Domain.INFRASTRUCTURE][0])
    assert image.convert("RGB").getpixel((int(node.x * 2 + 30), int(node.y * 2 + 8))) == fill


def test_png_text_replaces_glyphs_the_built_in_font_lacks():
    assert diagrams.png_text("Tautan FO DISKOMINFO–Sutoyo") == "Tautan FO DISKOMINFO-Sutoyo"
    assert diagrams.png_text("Café") == "Cafe"
    assert diagrams.png_text("SIMPEG") == "SIMPEG"


# ------------------------------------------------------------------------------------------------ views


def test_element_diagram_view_answers_per_permission(client, graph, world):
    url = reverse("architecture:element_diagram", args=[graph.app.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(world.operator_a2)
    assert client.get(url).status_code == 404  # a1's draft application
    assert client.get(url + "?format=svg").status_code == 404
    assert client.get(url + "?format=png").status_code == 404
    response = client.get(reverse("architecture:element_diagram", args=[graph.service.pk]))
    assert response.status_code == 200  # a2's own service
    client.force_login(world.operator_a1)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and 'data-diagram="neighbourhood"' in body
    assert "Data Rahasia A2" not in body and "Server &lt;script&gt;" in body
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "<svg" in fragment and "?format=png" in fragment


def test_element_diagram_downloads(client, graph, world):
    client.force_login(world.operator_a1)
    url = reverse("architecture:element_diagram", args=[graph.app.pk])
    response = client.get(url + "?format=svg&depth=2")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="diagram-aplikasi-a-b.svg"'
    svg = response.content.decode()
    parse(svg)
    assert "Firewall A2" in svg and "Data Rahasia A2" not in svg
    response = client.get(url + "?format=png")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="diagram-aplikasi-a-b.png"'
    assert Image.open(io.BytesIO(response.content)).format == "PNG"


def test_impact_diagram_view(client, graph, world):
    client.force_login(world.operator_a1)
    url = reverse("architecture:impact_diagram", args=[graph.server.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'class="sd-node sd-root"' in response.content.decode()
    response = client.get(url + "?direction=dependencies&format=svg")
    assert response["Content-Disposition"] == 'attachment; filename="impact-server-script-dependencies.svg"'
    assert node_pks(response.content.decode()) == {graph.server.pk, graph.control.pk}
    client.force_login(world.operator_a2)
    assert client.get(url).status_code == 404
    assert client.get(url + "?format=png").status_code == 404


def test_layer_diagram_view(client, graph, world):
    url = reverse("architecture:layer_diagram")
    client.force_login(world.operator_a1)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Layanan Publik A2" in body and "Data Rahasia A2" not in body
    response = client.get(url, {"domain": Domain.SERVICE, "format": "svg"})
    assert node_pks(response.content.decode()) == {graph.service.pk}
    assert response["Content-Disposition"] == 'attachment; filename="arsitektur-inst-a-layanan.svg"'
    response = client.get(url, {"opd": world.a2.pk, "format": "png"})
    assert response["Content-Disposition"] == 'attachment; filename="arsitektur-inst-a-a2.png"'
    # Another instansi cannot be asked for: the user's own is shown instead.
    response = client.get(url, {"instansi": world.inst_b.pk, "format": "svg"})
    assert graph.app.name.replace("&", "&amp;") in response.content.decode()
    client.force_login(world.admin_b)
    assert "Aplikasi A" not in client.get(url, {"instansi": world.inst_a.pk}).content.decode()


def test_pages_embed_and_link_the_diagrams(client, graph, world):
    client.force_login(world.operator_a1)
    detail = client.get(graph.app.get_absolute_url()).content.decode()
    assert reverse("architecture:element_diagram", args=[graph.app.pk]) in detail and "hx-get" in detail
    impact_page = client.get(reverse("architecture:element_impact", args=[graph.server.pk])).content.decode()
    assert reverse("architecture:impact_diagram", args=[graph.server.pk]) in impact_page
    overview = client.get(reverse("architecture:overview")).content.decode()
    assert reverse("architecture:layer_diagram") in overview


@pytest.mark.django_db
def test_demo_diagrams_render(monkeypatch, tmp_path):
    monkeypatch.setenv("SIMPUL_DEMO_PASSWORD", "Demo-Sandi-Panjang-2026")
    with open(os.devnull, "w") as devnull:
        call_command("demo", stdout=devnull)
    from simpul.organizations.models import User

    admin = User.objects.get(username="admin")
    data_centre = Element.objects.get(name="Pusat Data Elektronik Daerah")
    node = Element.objects.get(name="Simpul Jaringan Sutoyo")
    for diagram in (
        diagrams.neighbourhood(data_centre, admin, depth=2),
        diagrams.impact_diagram(node, admin),
        diagrams.layer_diagram(admin, data_centre.owner.instansi),
    ):
        assert len(diagram.nodes) > 5
        parse(diagrams.render_svg(diagram))
        image = Image.open(io.BytesIO(diagrams.render_png(diagram)))
        assert 400 < image.width < 6000 and 400 < image.height < 12000
        boxes = list(diagram.nodes.values())
        assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    impact = diagrams.impact_diagram(node, admin)
    names = {n.name for n in impact.nodes.values()}
    assert {"LAN DPMPTSP", "DPMTK-Android", "Layanan Perizinan Berbasis Elektronik"} <= names

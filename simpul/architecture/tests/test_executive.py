"""The architecture's part of the executive dashboard: compliance findings by OPD (or by rule for one OPD),
each count linking to the compliance page narrowed to that OPD; and that page's OPD filter."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.test import Client
from django.urls import reverse
from django.utils import translation

from simpul.architecture import compliance, executive
from simpul.architecture.tests.factories import ApplicationFactory, InfrastructureFactory


def findings_world(world) -> None:
    """A1: two applications hosted outside the Pusat Data and a server room without approval; A2: one
    application hosted outside; B1 (another instansi): one."""
    ApplicationFactory(owner=world.a1, name="Di Cloud", hosting="pihak_ketiga")
    ApplicationFactory(owner=world.a1, name="Di Ruang OPD", hosting="ruang_server_opd")
    InfrastructureFactory(owner=world.a1, name="Ruang Server A1", kind="ruang_server", approval="diajukan")
    ApplicationFactory(owner=world.a2, name="Ditolak", hosting="ruang_server_opd", hosting_exception="ditolak")
    ApplicationFactory(owner=world.b1, name="Di Cloud B", hosting="pihak_ketiga")


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_findings_are_counted_per_opd_with_links_to_the_compliance_page_of_that_opd(world):
    findings_world(world)
    expected = compliance.check(world.koordinator_a, world.inst_a).findings
    with translation.override("en"):
        (section,) = executive.sections(world.koordinator_a, world.inst_a)
    shown = {str(figure.label): figure for figure in section.figures}
    assert shown["Compliance findings"].value == str(len(expected))
    assert shown["Serious findings"].value == str(sum(f.rule.severity == "high" for f in expected))
    assert shown["OPDs with findings"].value == "2"
    rows = {row["label"]: row for row in section.rows}
    a1_count = sum(f.opd_id == world.a1.pk for f in expected)
    assert a1_count >= 3 and rows[str(world.a1)]["value"] == a1_count
    assert rows[str(world.a2)]["value"] == sum(f.opd_id == world.a2.pk for f in expected)
    assert query(rows[str(world.a1)]["url"]) == {"instansi": [str(world.inst_a.pk)], "opd": [str(world.a1.pk)]}
    assert str(world.b1) not in rows  # another instansi's findings are not this dashboard's


def test_an_opd_report_card_lists_its_findings_by_rule(world):
    findings_world(world)
    with translation.override("en"):
        (section,) = executive.sections(world.koordinator_a, world.inst_a, world.a2)
        hosting = str(compliance.RULES["hosting"].title)
    shown = {str(figure.label): figure for figure in section.figures}
    assert "OPDs with findings" not in shown
    assert shown["Compliance findings"].value == "1"
    (row,) = section.rows
    assert row["label"] == hosting and row["value"] == 1
    assert row["url"].endswith("#rule-hosting") and query(row["url"])["opd"] == [str(world.a2.pk)]


def test_no_findings_says_every_rule_holds(world):
    with translation.override("en"):
        (section,) = executive.sections(world.pimpinan_a, world.inst_a, world.a1)
    assert section.figures[0].value == "0" and section.figures[0].tone == "good"
    assert "every rule" in section.note and section.rows == []


def test_nothing_for_a_user_who_may_not_view_the_architecture(world):
    findings_world(world)
    assert executive.sections(world.asn_a1, world.inst_a) == []


def test_the_compliance_page_narrows_to_one_opd(world):
    findings_world(world)
    client = Client()
    client.force_login(world.koordinator_a)
    url = reverse("architecture:compliance")
    page = client.get(url, {"instansi": world.inst_a.pk, "opd": world.a2.pk})
    assert page.status_code == 200
    records = {finding.record for finding in page.context["report"].findings}
    assert records == {"Ditolak"}
    assert page.context["opd"] == world.a2
    whole = client.get(url, {"instansi": world.inst_a.pk})
    assert {"Di Cloud", "Ruang Server A1", "Ditolak"} <= {f.record for f in whole.context["report"].findings}
    # The list per OPD links to each OPD's findings.
    assert f"opd={world.a1.pk}" in whole.content.decode()
    # An OPD of another instansi narrows nothing.
    other = client.get(url, {"instansi": world.inst_a.pk, "opd": world.b1.pk})
    assert other.context["opd"] is None

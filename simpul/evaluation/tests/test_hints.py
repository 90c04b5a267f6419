"""Hints from Simpul data: computed on a hand-made architecture, only from records the user may view,
accepted as evidence links in one click, never a level; and the mapping file checked against the
shipped frameworks."""

import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from simpul.architecture.tests.factories import (
    ApplicationFactory,
    DataSetFactory,
    InfrastructureFactory,
    ServiceFactory,
    link,
)
from simpul.evaluation import hints, services
from simpul.evaluation.frameworks import read_framework_file, shipped_framework_files
from simpul.evaluation.models import (
    EvaluationPeriod,
    Evidence,
    Framework,
    IndicatorAssessment,
    PeriodScore,
    PeriodStatus,
)


@pytest.fixture(autouse=True)
def english():
    # Facts and suggestions are asserted in their source language (the architecture labels are translated).
    with translation.override("en"):
        yield


@pytest.fixture
def scene(world):
    """Instansi A: 4 hosted applications, 3 of them in the Pusat Data, plus one provided nationally."""
    w = world
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    w.period = services.create_period(
        w.admin_a, EvaluationPeriod(instansi=w.inst_a, year=2024, framework=framework), default_pic=w.a1
    )
    w.item = w.period.assessments.get(item_key="16")
    w.dc = InfrastructureFactory(owner=w.a1, name="Pusat Data Kabupaten", kind="pusat_data")
    w.simpeg = ApplicationFactory(
        owner=w.a1, name="SIMPEG", hosting="pusat_data", has_manual=True, has_source_code=True
    )
    w.sipd = ApplicationFactory(owner=w.a1, name="SIPD", hosting="pusat_data")
    w.simda = ApplicationFactory(owner=w.a2, name="SIMDA", hosting="pusat_data")
    w.sigis = ApplicationFactory(owner=w.a2, name="SIGIS Dinas", hosting="ruang_server_opd")
    w.srikandi = ApplicationFactory(owner=w.a1, name="SRIKANDI", hosting="pusat")  # national, not counted
    ApplicationFactory(owner=w.a1, name="Aplikasi Lama", hosting="ruang_server_opd", status="dihentikan")
    ApplicationFactory(owner=w.b1, name="Aplikasi B", hosting="ruang_server_opd")
    return w


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def facts(hint) -> dict:
    return dict(hint.facts)


def test_hosting_hint_three_of_four_applications_in_the_pusat_data(scene):
    (hint,) = hints.hints_for(scene.admin_a, scene.item)
    assert hint.id == "application_hosting-0"
    assert facts(hint)["Applications counted"] == "4"
    assert facts(hint)["In Regional data centre (Pusat Data)"] == "3 (75%)"
    assert facts(hint)["OPDs with all their applications there"] == "1 / 2"
    assert facts(hint)["Outside it"] == "SIGIS Dinas (OPD's own server room)"
    assert hint.suggestion.startswith(
        "Simpul data shows 3 of 4 applications (75%) in Regional data centre (Pusat Data)."
    )
    criterion = Framework.objects.get(code="permenpanrb-59-2020").spec.indicator(16).levels[2].criterion
    assert hint.level == 3
    assert hint.suggestion.endswith(f"The criterion of level 3 asks: {criterion}")
    assert hint.why
    assert {record.pk for record in hint.records} == {scene.dc.pk, scene.simpeg.pk, scene.sipd.pk, scene.simda.pk}


def test_hints_count_only_records_the_user_may_view(scene):
    scene.simda.published = False
    scene.simda.save()
    # Operator a1 sees its own records and a2's published ones: SIMDA (an a2 draft) drops out.
    (hint,) = hints.hints_for(scene.operator_a1, scene.item)
    assert facts(hint)["Applications counted"] == "3"
    assert facts(hint)["In Regional data centre (Pusat Data)"] == "2 (67%)"
    assert scene.simda.pk not in {record.pk for record in hint.records}
    (admin_hint,) = hints.hints_for(scene.admin_a, scene.item)
    assert facts(admin_hint)["Applications counted"] == "4"


def test_accepting_a_hint_links_its_records_once_and_never_sets_a_level(scene):
    client = client_for(scene.operator_a1)
    scores_before = list(PeriodScore.objects.filter(period=scene.period).values_list("basis", "index"))
    url = reverse("evaluation:evidence_hint_accept", args=[scene.item.pk])
    response = client.post(url, {"hint": "application_hosting-0"}, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response["HX-Trigger"] == "evidence-changed"
    linked = set(Evidence.objects.filter(assessment=scene.item).values_list("kind", "record_id"))
    assert linked == {("record", pk) for pk in (scene.dc.pk, scene.simpeg.pk, scene.sipd.pk, scene.simda.pk)}
    assert "already evidence" in response.content.decode()
    client.post(url, {"hint": "application_hosting-0"})
    assert Evidence.objects.filter(assessment=scene.item).count() == 4
    item = IndicatorAssessment.objects.get(pk=scene.item.pk)
    assert (item.self_level, item.final_level, item.status) == (None, None, "not_started")
    assert list(PeriodScore.objects.filter(period=scene.period).values_list("basis", "index")) == scores_before


def test_accepting_only_the_ticked_records(scene):
    hint = hints.hint_by_id(scene.admin_a, scene.item, "application_hosting-0")
    keys = dict(zip((record.pk for record in hint.records), hint.record_keys, strict=True))
    client = client_for(scene.evaluator_a)
    url = reverse("evaluation:evidence_hint_accept", args=[scene.item.pk])
    client.post(url, {"hint": "application_hosting-0", "choose": "1", "record": [keys[scene.dc.pk]]})
    assert list(Evidence.objects.values_list("record_id", flat=True)) == [scene.dc.pk]
    response = client.post(url, {"hint": "application_hosting-0", "choose": "1"})
    assert response.status_code == 400
    assert "Tick at least one record" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_accepting_is_refused_when_the_period_is_closed_or_the_user_may_not_add(scene):
    url = reverse("evaluation:evidence_hint_accept", args=[scene.item.pk])
    assert client_for(scene.koordinator_a).post(url, {"hint": "application_hosting-0"}).status_code == 403
    assert client_for(scene.asn_a1).post(url, {"hint": "application_hosting-0"}).status_code == 404
    services.set_period_status(scene.admin_a, scene.period, PeriodStatus.CLOSED)
    response = client_for(scene.operator_a1).post(url, {"hint": "application_hosting-0"})
    assert response.status_code == 409
    assert "This evaluation period is closed" in response.content.decode()
    assert not Evidence.objects.exists()


def test_hints_page_shows_facts_suggestion_and_proposals(scene):
    response = client_for(scene.operator_a1).get(reverse("evaluation:evidence_hints", args=[scene.item.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 (75%)" in page
    assert "Pusat Data Kabupaten" in page
    assert 'data-testid="hint-accept"' in page
    assert client_for(scene.admin_b).get(reverse("evaluation:evidence_hints", args=[scene.item.pk])).status_code == 404


def test_indicator_without_a_mapping_says_what_to_do(scene):
    item = scene.period.assessments.get(item_key="25")
    assert hints.hints_for(scene.admin_a, item) == []
    url = reverse("evaluation:evidence_hints", args=[item.pk])
    page = client_for(scene.admin_a).get(url).content.decode()
    empty = re.search(r'data-testid="hints-empty">(.*?)</div>', page, re.S).group(1)
    # Its own page (without JavaScript) holds no evidence panel: the text does not point "above" but names
    # the section, and links to the evidence page.
    assert "above" not in empty and "Evidence section" in empty
    assert f'href="{reverse("evaluation:evidence", args=[item.pk])}" data-testid="hints-evidence-link"' in empty
    # Inside the assessment page (htmx) the evidence section is on the same page: no link away from it.
    panel = client_for(scene.admin_a).get(url, headers={"hx-request": "true"}).content.decode()
    assert 'data-testid="hints-empty"' in panel and "hints-evidence-link" not in panel


def test_complaint_service_hint_is_honest_about_the_missing_module(scene):
    lapor = ServiceFactory(owner=scene.a1, name="SP4N-LAPOR! Kabupaten A", channels="web, SMS, mobile")
    aduan = ApplicationFactory(owner=scene.a1, name="Aplikasi Pengaduan Masyarakat", url="https://lapor.akab.go.id")
    link(aduan, "integrates_with", scene.simpeg)
    item = scene.period.assessments.get(item_key="42")
    (hint,) = hints.hints_for(scene.admin_a, item)
    # The service desk is installed but proposes no evidence of its own yet.
    assert "layanan pengaduan (Portal Pusat Layanan)" in hint.notice
    assert "does not propose evidence yet" in hint.notice
    with mock.patch.object(hints.apps, "is_installed", lambda name: name != "simpul.servicedesk"):
        (missing,) = hints.hints_for(scene.admin_a, item)
    assert "layanan pengaduan (Portal Pusat Layanan)" in missing.notice
    assert "not yet available in Simpul" in missing.notice
    assert facts(hint)["Services found"] == "SP4N-LAPOR! Kabupaten A"
    assert facts(hint)["Applications found"] == "Aplikasi Pengaduan Masyarakat"
    assert facts(hint)["Channels"] == "SMS, mobile, web"
    assert facts(hint)["Integrated with"] == "SIMPEG"
    assert {record.pk for record in hint.records} == {lapor.pk, aduan.pk}


def test_architecture_hint_counts_elements_per_domain_and_relationships(scene):
    link(scene.simpeg, "runs_on", scene.dc)
    DataSetFactory(owner=scene.a1, name="Data Pegawai", classification="terbuka")
    item = scene.period.assessments.get(item_key="11")
    (hint,) = hints.hints_for(scene.admin_a, item)
    assert facts(hint)["SPBE application"] == "5"  # the retired one is left out
    assert facts(hint)["Infrastructure"] == "1"
    assert facts(hint)["Data and information"] == "1"
    assert facts(hint)["Relationships"] == "1"
    assert "Business process" in facts(hint)["Domains without elements"]
    assert hint.suggestion.startswith("Simpul holds 7 architecture elements in 3 of 6 domains and 1 relationships.")
    assert hint.records == []


def test_network_integration_repository_and_open_data_hints(scene):
    InfrastructureFactory(owner=scene.a1, name="LAN Dinas A1", kind="lan")
    InfrastructureFactory(owner=scene.a1, name="Simpul Jaringan Utama", kind="simpul_jaringan", bandwidth_mbps=100)
    splp = InfrastructureFactory(owner=scene.a1, name="SPLP Kabupaten", kind="sistem_penghubung")
    link(scene.sipd, "integrates_with", scene.simpeg)
    DataSetFactory(owner=scene.a1, name="Data Terbuka 1", classification="terbuka", interoperable=True)
    DataSetFactory(owner=scene.a2, name="Data Internal", classification="terbatas")

    def only(number):
        (hint,) = hints.hints_for(scene.admin_a, scene.period.assessments.get(item_key=str(number)))
        return hint

    network = only(17)
    assert facts(network)["OPDs with OPD local network (LAN), Intra-network node (simpul)"] == "1 / 2"
    assert facts(network)["Total bandwidth recorded"] == "100 Mbps"
    integration = only(18)
    assert facts(integration)["Integrated applications"] == "2 / 5 (40%)"
    assert splp.pk in {record.pk for record in integration.records}
    repository = only(15)
    assert facts(repository)["With source code"] == "1 (20%)"
    assert [record.pk for record in repository.records] == [scene.simpeg.pk]
    open_data = only(43)
    assert facts(open_data)["Classified as public"] == "1 (50%)"
    assert "Portal Data" in open_data.notice


def test_mapping_file_refers_to_real_indicators_levels_and_providers():
    mapping = hints.load_mapping()
    specs = {spec.id: spec for spec, _data in map(read_framework_file, shipped_framework_files())}
    assert set(mapping) <= set(specs)
    for framework_id, indicators in mapping.items():
        spec = specs[framework_id]
        for number, entries in indicators.items():
            indicator = spec.indicator(int(number))
            for entry in entries:
                assert entry["provider"] in hints.PROVIDERS
                assert entry["why"].strip()
                assert entry["level"] in {level.level for level in spec.levels_for(indicator)}
    # The required examples of the issue are mapped.
    assert {"5", "11", "15", "4", "16", "17", "18", "42", "43"} <= set(mapping["permenpanrb-59-2020"])


def test_matching_indicators_of_other_frameworks_get_the_same_hint(scene):
    five = services.create_period(
        scene.admin_a,
        EvaluationPeriod(instansi=scene.inst_a, year=2018, framework=Framework.objects.get(code="permenpanrb-5-2018")),
    )
    (hint,) = hints.hints_for(scene.admin_a, five.assessments.get(item_key="22"))
    assert facts(hint)["In Regional data centre (Pusat Data)"] == "3 (75%)"
    assert "Prosedur operasi baku pusat data diterapkan konsisten" in hint.suggestion  # 5/2018 #22, level 3
    scene.sigis.hosting = "pdn"
    scene.sigis.save()
    pemdi = services.create_period(
        scene.admin_a,
        EvaluationPeriod(instansi=scene.inst_a, year=2025, framework=Framework.objects.get(code="indeks-pemdi-2025")),
    )
    (hint,) = hints.hints_for(scene.admin_a, pemdi.assessments.get(item_key="11"))
    assert facts(hint)["In National data centre (PDN)"] == "1 (25%)"
    assert "Dijalankan menyeluruh sesuai pedoman dan program." in hint.suggestion  # the ladder's level 3

"""The evaluation report (PDF and XLSX): its values, what each reader sees, and its speed."""

from __future__ import annotations

import base64
import io
import re
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats, translation
from openpyxl import load_workbook

from simpul.evaluation import reports, services
from simpul.evaluation.models import (
    AssessmentStatus,
    EvaluationPeriod,
    Evidence,
    Framework,
    ImprovementAction,
    IndicatorAssessment,
    NationalStage,
    NationalStageResult,
    ScoreBasis,
)
from simpul.evaluation.tests.test_scoring import DENPASAR_2021

# Under 59/2020 the Denpasar 2021 levels give D1 3.00 and an index of 3.19 ("Baik"), see test_scoring.
EXPECTED_INDEX = 3.19
EXPECTED_D1 = 3.0
EVIDENCE_PER_INDICATOR = 3


def make_period(world, year: int = 2024, *, evidence: int = 1) -> EvaluationPeriod:
    """A 59/2020 period of instansi A: indicators 1–20 with OPD a1, the rest with a2, all accepted at
    the Denpasar 2021 levels, indicator 1 with a national document assessment and evidence of each kind."""
    framework = Framework.objects.get(code="permenpanrb-59-2020")
    period = services.create_period(
        world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=year, framework=framework)
    )
    opd_type = ContentType.objects.get_for_model(type(world.a1))
    evidence_rows = []
    for assessment in IndicatorAssessment.objects.filter(period=period).select_related("indicator"):
        number = assessment.indicator.number
        level = Decimal(DENPASAR_2021[str(number)])
        assessment.pic = world.a1 if number <= 20 else world.a2
        assessment.self_level = assessment.final_level = level
        assessment.self_justification = f"Justifikasi indikator {number}"
        assessment.status = AssessmentStatus.ACCEPTED
        assessment.save()
        for copy in range(evidence):
            evidence_rows.append(
                Evidence(
                    assessment=assessment,
                    kind=Evidence.Kind.FILE,
                    title=f"SK Tim SPBE {number}-{copy}",
                    original_name=f"sk-{number}-{copy}.pdf",
                    sha256=f"{number:02d}{copy:02d}" + "ab" * 30,
                    size=1000,
                )
            )
        if number == 2:
            evidence_rows.append(
                Evidence(
                    assessment=assessment,
                    kind=Evidence.Kind.RECORD,
                    title="Profil OPD",
                    record_type=opd_type,
                    record_id=world.a1.pk,
                    record_label=str(world.a1),
                )
            )
            evidence_rows.append(
                Evidence(assessment=assessment, kind=Evidence.Kind.URL, title="=Portal", url="https://akab.go.id/spbe")
            )
    for row in evidence_rows:
        row.save()
    first = IndicatorAssessment.objects.get(period=period, item_key="1")
    services.record_national_result(
        world.admin_a,
        first,
        NationalStage.DOCUMENT,
        3,
        notes="Kebijakan belum ditetapkan.",
        recommendations="Tetapkan Perbup Tata Kelola SPBE.",
        assessed_on=date(2024, 8, 1),
    )
    services.recompute_period(period)
    return period


@pytest.fixture
def period(world):
    return make_period(world)


def pdf_text(content: bytes) -> str:
    """The strings drawn on the pages of a reportlab PDF (content streams, decompressed when needed)."""
    assert content.startswith(b"%PDF")
    strings = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = match.group(1).strip()
        if data.endswith(b"~>"):  # reportlab compresses pages as ASCII85 over Flate
            data = zlib.decompress(base64.a85decode(data[:-2]))
        for literal in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", data):
            strings.append(re.sub(rb"\\(.)", rb"\1", literal).decode("cp1252"))
    return "\n".join(strings)


def in_report_language(value: float) -> str:
    with translation.override("id"):
        return formats.number_format(value, 2)


def test_xlsx_holds_the_index_the_domains_every_indicator_and_the_evidence(world, period):
    report = reports.collect(period, world.koordinator_a)
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(report)))
    summary, values, indicators, evidence, recommendations = workbook.worksheets[:5]

    score_rows = {row[0]: row for row in summary.iter_rows(values_only=True) if row and isinstance(row[1], float)}
    assert [row[1] for row in score_rows.values()][:2] == [EXPECTED_INDEX, EXPECTED_INDEX]
    first_score = next(iter(score_rows.values()))
    assert first_score[2] == "Baik" and first_score[3] == 47
    assert summary.freeze_panes == "A2"
    assert any(row[1] == world.inst_a.name for row in summary.iter_rows(values_only=True))

    domain_rows = {row[1]: row for row in values.iter_rows(min_row=2, values_only=True) if row[0]}
    assert domain_rows["D1"][4] == 13 and domain_rows["D1"][5] == EXPECTED_D1
    assert values.freeze_panes == "A2"

    rows = list(indicators.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 47
    first = rows[0]
    assert first[:2] == (1, "1") and first[4] == 1.3 and first[5] == "A1"
    assert first[6:9] == (4.0, 4.0, 3.0)
    assert all(isinstance(value, int | float) for value in first[6:9])

    evidence_rows = list(evidence.iter_rows(min_row=2, values_only=True))
    assert len(evidence_rows) == 47 + 2
    sk = next(row for row in evidence_rows if row[3] == "SK Tim SPBE 5-0")
    assert sk[:2] == (5, "5") and sk[5] == "sk-5-0.pdf" and sk[6] == "0500" + "ab" * 30
    portal = next(row for row in evidence_rows if row[5] == "https://akab.go.id/spbe")
    # User text starting with '=' is written as text, never as a formula.
    assert portal[3] == "'=Portal"
    assert any(str(world.a1) in (row[5] or "") for row in evidence_rows)

    national = list(recommendations.iter_rows(min_row=2, values_only=True))
    assert national[0][1] == "1" and national[0][4] == 3.0
    assert national[0][6] == "Tetapkan Perbup Tata Kelola SPBE."


def test_pdf_names_the_instansi_the_index_and_the_recommendations(world, period):
    response = _client(world.koordinator_a).get(reverse("evaluation:period_report_pdf", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "laporan-evaluasi-spbe-inst-a-2024.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert world.inst_a.name in text
    assert in_report_language(EXPECTED_INDEX) in text
    assert "Tetapkan Perbup Tata Kelola SPBE." in text
    assert "sk-5-0.pdf (SHA-256 0500abababab)" in text
    assert period.framework.title in text


def test_uncompressed_pdf_is_reproducible_for_tests(world, period):
    report = reports.collect(period, world.koordinator_a)
    first = reports.render_pdf(report, compress=False)
    assert first == reports.render_pdf(report, compress=False)
    assert f"({world.inst_a.name}) Tj".encode() in first


def test_unverified_framework_is_said_plainly(world):
    framework = Framework.objects.get(code="indeks-pemdi-2025")
    assert framework.unverified
    period = services.create_period(
        world.admin_a, EvaluationPeriod(instansi=world.inst_a, year=2025, framework=framework)
    )
    report = reports.collect(period, world.koordinator_a)
    warning = reports.framework_warning(report)
    assert framework.title in warning
    assert framework.title in pdf_text(reports.render_pdf(report))
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(report)))
    assert any(row[1] == warning for row in workbook.worksheets[0].iter_rows(values_only=True))
    # No level yet: no index, and the report says what to do instead of printing zeros.
    assert report.scores == {}


def test_pic_report_lists_only_its_own_indicators_and_says_so(world, period):
    report = reports.collect(period, world.operator_a1)
    assert [row.number for row in report.rows] == list(range(1, 21))
    assert report.hidden == 27
    # The index is the instansi's result, the same for every reader.
    assert float(report.scores[ScoreBasis.INTERNAL].index) == EXPECTED_INDEX
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(report)))
    assert len(list(workbook.worksheets[2].iter_rows(min_row=2))) == 20
    assert all(row[0] <= 20 for row in workbook.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert "27" in reports.hidden_note(report)


def test_improvement_actions_get_their_own_sheet(world, period):
    indicator = IndicatorAssessment.objects.get(period=period, item_key="5").indicator
    ImprovementAction.objects.create(
        period=period, indicator=indicator, item_key="5", from_level=2, to_level=3, title="Susun SOP", owner=world.a1
    )
    report = reports.collect(period, world.koordinator_a)
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(report)))
    actions = workbook.worksheets[5]
    assert next(iter(actions.iter_rows(min_row=2, values_only=True)))[:5] == (5, "5", "Susun SOP", 2, 3)
    assert "Susun SOP" in pdf_text(reports.render_pdf(report))


@pytest.mark.parametrize("name", ["evaluation:period_report_pdf", "evaluation:period_report_xlsx"])
def test_report_of_another_instansi_is_not_found(world, period, name):
    url = reverse(name, args=[period.pk])
    assert _client(world.admin_b).get(url).status_code == 404
    assert _client(world.koordinator_a).get(url).status_code == 200
    assert _client(world.operator_a1).get(url).status_code == 200


def test_report_needs_sign_in_and_the_right_to_view_the_period(world, period, client):
    url = reverse("evaluation:period_report_xlsx", args=[period.pk])
    assert client.get(url).status_code == 302
    # An ASN reads the frameworks but not the instansi's evaluation.
    assert _client(world.asn_a1).get(url).status_code == 404


def test_xlsx_download(world, period):
    response = _client(world.pimpinan_a).get(reverse("evaluation:period_report_xlsx", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == reports.XLSX_CONTENT_TYPE
    assert response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 5


def test_a_full_period_with_several_evidence_items_reports_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    """Its speed is measured in bench/bench_evaluation.py (section "report"), not here."""
    period = make_period(world, year=2023, evidence=EVIDENCE_PER_INDICATOR)
    with django_assert_max_num_queries(12):
        report = reports.collect(period, world.koordinator_a)
    pdf = reports.render_pdf(report)
    xlsx = reports.render_xlsx(report)
    assert sum(len(row.evidence) for row in report.rows) == 47 * EVIDENCE_PER_INDICATOR + 2
    assert pdf.startswith(b"%PDF") and xlsx[:2] == b"PK"


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_national_results_sorted_by_stage(world, period):
    first = IndicatorAssessment.objects.get(period=period, item_key="1")
    services.record_national_result(world.admin_a, first, NationalStage.FIELD, 4, recommendations="Lanjutkan.")
    report = reports.collect(period, world.koordinator_a)
    stages = [result.stage for result in report.rows[0].national]
    assert stages == [NationalStage.DOCUMENT, NationalStage.FIELD]
    assert NationalStageResult.objects.filter(assessment=first).count() == 2

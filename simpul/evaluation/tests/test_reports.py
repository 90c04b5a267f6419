"""The evaluation report (PDF and XLSX): its values, what each reader sees, and its speed."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats, translation
from openpyxl import load_workbook

from simpul.core import pdf as layout
from simpul.core.tests.pdf_text import pdf_text
from simpul.evaluation import reports, results, scoring, services
from simpul.evaluation.models import (
    NATIONAL_STAGE_ORDER,
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


def in_report_language(value: float) -> str:
    with translation.override("id"):
        return formats.number_format(value, 2)


def test_xlsx_holds_the_index_the_domains_every_indicator_and_the_evidence(world, period):
    report = reports.collect(period, world.koordinator_a)
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(report)))
    # The executive summary is the first sheet; the identity and the index per basis follow it.
    summary, values, indicators, evidence, recommendations = workbook.worksheets[1:6]

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
    assert any(row[1] == warning for row in workbook.worksheets[1].iter_rows(values_only=True))
    # No level yet: no index, and the report says what to do instead of printing zeros.
    assert report.scores == {}


def test_pic_report_lists_only_its_own_indicators_and_says_so(world, period):
    report = reports.collect(period, world.operator_a1)
    assert [row.number for row in report.rows] == list(range(1, 21))
    assert report.hidden == 27
    # The index is the instansi's result, the same for every reader.
    assert float(report.scores[ScoreBasis.INTERNAL].index) == EXPECTED_INDEX
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(report)))
    assert len(list(workbook.worksheets[3].iter_rows(min_row=2))) == 20
    assert all(row[0] <= 20 for row in workbook.worksheets[4].iter_rows(min_row=2, values_only=True))
    assert "27" in reports.hidden_note(report)


def test_improvement_actions_get_their_own_sheet(world, period):
    indicator = IndicatorAssessment.objects.get(period=period, item_key="5").indicator
    ImprovementAction.objects.create(
        period=period, indicator=indicator, item_key="5", from_level=2, to_level=3, title="Susun SOP", owner=world.a1
    )
    report = reports.collect(period, world.koordinator_a)
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(report)))
    actions = workbook.worksheets[6]
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
    assert len(workbook.worksheets) == 6


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


# --- The report a Tim Koordinasi signs: summary, method, approval, recommendations once, whole words ------


def in_report_gettext(message: str) -> str:
    with translation.override("id"):
        return translation.gettext(message)


def without_national_results(period: EvaluationPeriod) -> EvaluationPeriod:
    """The period with its national results removed: the final internal index (3,19, complete) stands."""
    NationalStageResult.objects.filter(assessment__period=period).delete()
    IndicatorAssessment.objects.filter(period=period).update(national_level=None)
    services.recompute_period(period)
    return period


def test_summary_figures_are_the_year_result_and_the_scoring_outputs(world, period):
    without_national_results(period)
    report = reports.collect(period, world.koordinator_a)
    summary = report.summary
    assert summary.result == results.year_result(period) == report.result
    assert summary.result.basis == ScoreBasis.INTERNAL and float(summary.result.index) == EXPECTED_INDEX
    # The domain and aspect values named are those the scoring module computes from the basis's levels.
    computed = scoring.compute(period.framework.spec, services.period_levels(period, ScoreBasis.INTERNAL))
    domains, aspects = summary.extremes
    assert domains.kind == "domain" and aspects.kind == "aspect"
    assert {item.code for item in domains.strongest} == {
        code for code, value in computed.domains.items() if value == max(computed.domains.values())
    }
    assert {item.code for item in domains.weakest} == {
        code for code, value in computed.domains.items() if value == min(computed.domains.values())
    }
    assert all(item.value == computed.aspects[item.code] for item in aspects.strongest + aspects.weakest)
    # Items by level: every item counted once, at its level on the year's basis.
    levels = [int(Decimal(value)) for value in DENPASAR_2021.values()]
    assert summary.level_counts == [(level, levels.count(level)) for level in sorted(set(levels))]
    # The lowest items: lowest level first, the heavier first among equals.
    lowest_level = min(levels)
    assert summary.lowest and all(row.levels[ScoreBasis.INTERNAL] == lowest_level for row in summary.lowest[:1])
    keys = [(row.levels[ScoreBasis.INTERNAL], -row.weight) for row in summary.lowest]
    assert keys == sorted(keys) and len(summary.lowest) <= 5

    facts = dict(reports.summary_facts(report))
    assert facts[in_report_gettext("Index of the year")] == summary.result.label
    assert summary.result.label.startswith(f"{in_report_language(EXPECTED_INDEX)} Baik · ")
    text = reports.conclusion(report)
    assert in_report_language(EXPECTED_INDEX) in text and "Baik" in text and world.inst_a.name in text
    assert min(computed.domains, key=computed.domains.get) in text
    # The summary opens the PDF (before the identity table) and the workbook (its first sheet).
    pdf = pdf_text(reports.render_pdf(report, compress=False))
    assert pdf.index(in_report_gettext("Executive summary")) < pdf.index(in_report_gettext("Source regulation"))
    first = load_workbook(io.BytesIO(reports.render_xlsx(report))).worksheets[0]
    rows = {row[0]: row[1] for row in first.iter_rows(values_only=True) if row and row[0]}
    assert first.title == in_report_gettext("Summary")
    assert rows[in_report_gettext("Index")] == EXPECTED_INDEX
    assert rows[in_report_gettext("Conclusion")] == text


def test_the_previous_year_is_compared_on_the_same_basis_only(world, period):
    before = make_period(world, 2023)
    first = IndicatorAssessment.objects.get(period=before, item_key="1")
    services.record_national_result(world.admin_a, first, NationalStage.DOCUMENT, 2)
    # Both years stand on their national result: the change is the difference of the two.
    report = reports.collect(period, world.koordinator_a)
    comparison = report.summary.comparison
    assert comparison.year == 2023 and comparison.same_basis
    assert comparison.previous == results.year_result(before)
    change = report.result.index - comparison.previous.index
    assert change > 0 and comparison.change(report.result) == change
    assert in_report_language(float(change)) in reports.conclusion(report)
    # 2024 without a national result stands on its final internal index: not compared with 2023's national.
    without_national_results(period)
    report = reports.collect(period, world.koordinator_a)
    comparison = report.summary.comparison
    assert comparison.previous.basis == ScoreBasis.NATIONAL and report.result.basis == ScoreBasis.INTERNAL
    assert not comparison.same_basis and comparison.change(report.result) is None
    facts = dict(reports.summary_facts(report))
    assert facts[in_report_gettext("Change from the previous period")] == in_report_gettext(
        "Not compared: the bases differ (%(current)s in %(year)s, %(previous)s in %(before)s)."
    ) % {
        "current": report.result.basis_label,
        "year": 2024,
        "previous": comparison.previous.basis_label,
        "before": 2023,
    }
    # The first period of an instansi has nothing to compare with.
    assert reports.collect(before, world.koordinator_a).summary.comparison is None


def test_method_names_the_framework_and_the_bands_from_its_data(world, period):
    report = reports.collect(period, world.koordinator_a)
    method = reports.method_paragraph(report)
    spec = period.framework.spec
    assert period.framework.title in method and period.framework.source_regulation in method
    for predicate in spec.predicates:
        assert predicate.name in method
        for bound in (predicate.min, predicate.max):
            if bound is not None:
                assert reports.fmt_level(bound) in method
    assert method in pdf_text(reports.render_pdf(report, compress=False)).replace("\n", " ")
    # Other bands in the data, other bands in the text: nothing is written down twice.
    from dataclasses import replace

    from simpul.evaluation.frameworks import PredicateSpec

    bands = (PredicateSpec("Rendah", None, 3.25), PredicateSpec("Tinggi", 3.25, None, True, True))
    with translation.override("id"):
        text = reports.predicate_bands(replace(spec, predicates=bands))
    assert "Rendah" in text and "Tinggi" in text and "3,25" in text and "Memuaskan" not in text


def test_approval_block_names_who_prepared_it_and_leaves_lines_to_sign(world, period):
    world.koordinator_a.full_name = "Rahmat Hidayat"
    world.koordinator_a.nip = "198001012006041001"
    world.koordinator_a.save()
    client = _client(world.koordinator_a)
    response = client.get(reverse("evaluation:period_report_pdf", args=[period.pk]))
    text = pdf_text(response.content)
    assert text.index(in_report_gettext("Prepared by,")) > text.index(in_report_gettext("Recommendations"))
    assert "Rahmat Hidayat" in text and "198001012006041001" in text
    assert in_report_gettext("Approved by,") in text and reports.wording.SIGN_LINE in text
    # The approving official and the place may be given; a NIP that is not a NIP is left out.
    response = client.get(
        reverse("evaluation:period_report_pdf", args=[period.pk]),
        {
            "approver_name": "Ir. Budi Santoso",
            "approver_position": "Sekretaris Daerah",
            "place": "Sukadana",
            "approver_nip": "12",
        },
    )
    text = pdf_text(response.content)
    assert "Ir. Budi Santoso" in text and "Sekretaris Daerah" in text
    with translation.override("id"):
        today = formats.date_format(date.today(), "j F Y")
    assert f"Sukadana, {today}" in text
    assert "NIP 12" not in text
    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("evaluation:period_report_xlsx", args=[period.pk]), {"approver_name": "Ir. Budi Santoso"}
            ).content
        )
    )
    values = [row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert "Rahmat Hidayat" in values and "Ir. Budi Santoso" in values


def test_recommendations_appear_once_per_indicator(world, period):
    first = IndicatorAssessment.objects.get(period=period, item_key="1")
    repeated = "Tetapkan Perbup Tata Kelola SPBE."
    services.record_national_result(
        world.admin_a, first, NationalStage.INTERVIEW, 3, notes="Kebijakan belum ditetapkan.", recommendations=repeated
    )
    services.record_national_result(
        world.admin_a, first, NationalStage.FIELD, 4, recommendations=repeated + "\nSosialisasikan kepada OPD."
    )
    services.record_national_result(world.admin_a, first, NationalStage.FIELD, 4, recommendations=f" {repeated} ")
    services.record_national_result(
        world.admin_a,
        IndicatorAssessment.objects.get(period=period, item_key="2"),
        NationalStage.FIELD,
        2,
        recommendations="Susun Perbup Peta Rencana.",
    )
    report = reports.collect(period, world.koordinator_a)
    assert [row.number for row in report.recommendations] == [1, 2]
    one = report.recommendations[0]
    assert one.recommendations == [repeated] and one.notes == ["Kebijakan belum ditetapkan."]
    # Every stage keeps its level, in the order of the stages; only the repeated texts are merged.
    with translation.override("id"):
        labels = [str(NationalStage(stage).label) for stage in NATIONAL_STAGE_ORDER]
    assert [(stage, level) for _key, stage, level in one.stages] == list(zip(labels, [3, 3, 4], strict=True))
    assert one.level == 4
    text = pdf_text(reports.render_pdf(report, compress=False))
    assert text.count("Tetapkan") == 1 and text.count("Kebijakan belum ditetapkan.") == 1
    sheet = load_workbook(io.BytesIO(reports.render_xlsx(report))).worksheets[5]
    rows = [
        row for row in sheet.iter_rows(min_row=2, values_only=True) if row[3] != in_report_gettext("Internal review")
    ]
    assert [(row[1], row[6]) for row in rows] == [("1", repeated), ("2", "Susun Perbup Peta Rencana.")]


def _cut_pieces(text: str, names: list[str]) -> list[str]:
    """Lines of the PDF holding a piece of an OPD name cut off: its start without its end, or its end."""
    return [
        line
        for line in (line.strip() for line in text.split("\n"))
        if line not in names
        and len(line) >= 2
        and any(name.startswith(line) or (name.endswith(line) and line.isupper()) for name in names)
    ]


def test_no_opd_name_is_split_in_the_pdf_tables(world, period):
    """DISKOMINF/O: the short names of the OPDs stay whole in every column, however narrow."""
    names = {world.a1: "DISKOMINFO", world.a2: "DISKOMINFOSANTIK"}
    for opd, short_name in names.items():
        opd.short_name = short_name
        opd.save()
    for number in (1, 30):
        indicator = IndicatorAssessment.objects.get(period=period, item_key=str(number)).indicator
        ImprovementAction.objects.create(
            period=period,
            indicator=indicator,
            item_key=str(number),
            from_level=2,
            to_level=3,
            title="Susun SOP",
            owner=world.a1 if number == 1 else world.a2,
        )
    report = reports.collect(period, world.koordinator_a)
    text = pdf_text(reports.render_pdf(report, compress=False))
    lines = [line.strip() for line in text.split("\n")]
    assert _cut_pieces(text, list(names.values())) == []
    # Each is whole on a line of its own: in the PIC column of every row and in the actions table.
    assert lines.count("DISKOMINFO") >= 20 + 1 and lines.count("DISKOMINFOSANTIK") >= 27 + 1


def test_a_column_fits_its_widest_word_or_its_font_shrinks():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = layout.CellFont("Helvetica", 7.5, 9)
    word = stringWidth("DISKOMINFO", "Helvetica", 7.5) + layout.CELL_PADDING + layout.SLACK
    rows = [[("No.", font), ("Susun SOP layanan", font), ("DISKOMINFO", font)]]
    widths = layout.column_widths(rows, [0.2, 0.7, 0.1], 300)
    assert widths[2] >= word - 1e-6 and abs(sum(widths) - 300) < 1e-6
    # No room to give: the column keeps its width and the cell's font shrinks until the word fits.
    narrow = layout.column_widths([[("DISKOMINFO", font)]], [1], 50)
    assert narrow == [50]
    small = layout.cell_font("DISKOMINFO", font, 50)
    assert small.size < 7.5
    assert stringWidth("DISKOMINFO", "Helvetica", small.size) <= 50 - layout.CELL_PADDING
    # Addresses may break; they never widen a column.
    assert layout.longest_word_width("https://akab.go.id/spbe/sangat/panjang", "Helvetica", 7.5) == 0

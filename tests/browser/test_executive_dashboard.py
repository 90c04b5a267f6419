"""The Bupati opens the executive dashboard on a phone: it fits the screen, the Indeks SPBE leads with its
basis, the parts no module supplies yet say so, and a figure leads to its detail. An operator OPD gets its
own OPD's report card."""

import re

import pytest
from playwright.sync_api import expect

from simpul.evaluation.models import EvaluationPeriod
from tests.browser.conftest import login, screenshot
from tests.browser.test_mobile import PHONE, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(make_page):
    return make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


def test_the_bupati_reads_the_dashboard_on_a_phone_and_follows_a_figure(phone):
    login(phone, "pimpinan")
    # From the home page, where the dashboard is offered to those who may see it.
    phone.get_by_test_id("executive-link").click()
    expect(phone).to_have_url(re.compile(r"/dashboard/executive/$"))
    expect(phone.locator("h1")).to_have_text("Executive dashboard")
    expect(phone.get_by_test_id("scope")).to_have_text("Pemerintah Kabupaten Lampung Timur")

    index = phone.locator("[data-section=evaluation]")
    headline = index.get_by_test_id("figure").filter(has_text="Indeks SPBE 2023")
    expect(headline.get_by_test_id("figure-value")).to_have_text("2.48 Cukup")
    expect(headline.get_by_test_id("figure-note")).to_have_text("national")
    # The trend's two years stand on different bases, and the chart says that they are not one measure.
    expect(index.get_by_test_id("trend").locator("svg[role=img]")).to_be_visible()
    expect(index.get_by_test_id("trend-key")).to_contain_text("not the same measure")
    # The service desk and the IKM have no module yet: a slot, not a number.
    for key in ("servicedesk", "surveys"):
        slot = phone.locator(f"[data-section={key}]")
        expect(slot.get_by_test_id("not-available")).to_have_text("not available yet")
        expect(slot.get_by_test_id("figure-value")).to_have_count(0)

    # Cards stack on the phone: every section is as wide as the page, none sticks out.
    widths = phone.locator("[data-testid=section]").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and max(widths) <= PHONE["width"], widths
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-executive-dashboard")

    period = EvaluationPeriod.objects.get(instansi__slug="lampung-timur", year=2023)
    headline.click()
    expect(phone).to_have_url(re.compile(rf"/evaluation/periods/{period.pk}/$"))
    expect(phone.locator("h1")).to_contain_text("2023")
    assert_no_horizontal_overflow(phone)


def test_an_operator_opd_opens_its_own_report_card(phone):
    login(phone, "operator-bappeda")
    phone.goto("/dashboard/executive/")
    expect(phone.locator("h1")).to_have_text(re.compile(r"^Report card of "))
    expect(phone.get_by_test_id("opd-select")).to_have_count(0)  # one OPD: nothing to choose
    indicators = phone.locator("[data-section='evaluation.indicators']")
    expect(indicators.get_by_test_id("figure").first).to_contain_text("Indicators as PIC")
    assert_no_horizontal_overflow(phone)
    # The PDF of the same card is a download.
    with phone.expect_download() as download:
        phone.get_by_test_id("download-pdf").click()
    assert re.fullmatch(
        r"dasbor-eksekutif-lampung-timur-bappeda-\d{4}-\d{2}-\d{2}\.pdf", download.value.suggested_filename
    )

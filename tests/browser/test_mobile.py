"""On a phone the pages fit the screen (no sideways scrolling) and the menu folds into a toggler."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(make_page):
    return make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


def assert_no_horizontal_overflow(page):
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " wide: [...document.querySelectorAll('body *')]"
        "   .filter(e => e.checkVisibility() && e.getBoundingClientRect().right > window.innerWidth + 1"
        "     && !e.closest('.table-responsive, .collapse:not(.show), .dropdown-menu:not(.show)'))"
        "   .slice(0, 5).map(e => e.tagName + '.' + [...e.classList].join('.'))})"
    )
    assert widths["scroll"] <= widths["inner"], f"page is {widths['scroll']}px wide on a {widths['inner']}px screen"
    assert not widths["wide"], f"elements stick out to the right: {widths['wide']}"


def test_login_page_fits_a_phone(phone):
    phone.goto("/accounts/login/")
    expect(phone.get_by_test_id("login-submit")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-login")


def test_home_and_opd_list_fit_a_phone(phone):
    login(phone, "admin")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-home")

    # The menu is folded away behind the toggler and opens on a tap.
    toggler = phone.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    menu_link = phone.locator("#mainnav").get_by_role("link", name="Regional departments", exact=True)
    expect(menu_link).to_be_hidden()
    toggler.click()
    expect(menu_link).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(phone.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # the slide-down has finished
    expect(phone.get_by_test_id("user-menu")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-menu-open")
    menu_link.click()

    expect(phone).to_have_url(re.compile(r"/organizations/opd/$"))
    expect(phone.get_by_test_id("result-count")).to_have_text("13 records")
    expect(phone.locator("#mainnav")).to_be_hidden()  # folded again on the new page
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-opd-list")

    # On a phone each row is a card that fits the screen, so nothing scrolls sideways and no hint says so
    # (test_layout.py walks every list page; a table wider than a tablet says that it scrolls).
    box = phone.locator("#list-results .table-responsive").first
    expect(phone.locator("#list-results tbody tr td[data-card-title]").first).to_be_visible()
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the OPD cards are wider than a phone"
    expect(phone.get_by_test_id("scroll-hint")).to_have_count(0)

    # The filters other than the search fold behind one button on a phone, and unfold on a tap.
    expect(phone.locator("#list-filters")).to_be_hidden()
    phone.get_by_test_id("filter-toggle").click()
    expect(phone.locator("#list-filters")).to_be_visible()
    assert_no_horizontal_overflow(phone)

    # The search works on a phone too.
    phone.locator("#id_q").fill("BAPPEDA")
    expect(phone.get_by_test_id("result-count")).to_have_text("1 record")
    assert_no_horizontal_overflow(phone)

    phone.locator("#list-results tbody a", has_text="BAPPEDA").click()
    expect(phone.locator("h1")).to_have_text("BAPPEDA")
    assert_no_horizontal_overflow(phone)
    # The history's change tables (long timestamps, names) wrap inside the card once unfolded.
    phone.locator("#history details summary").first.click()
    history_table = phone.locator("#history .table-responsive").first
    expect(history_table).to_be_visible()
    assert history_table.evaluate("e => e.scrollWidth <= e.clientWidth"), "history table needs sideways scrolling"
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-opd-detail")

    phone.get_by_test_id("edit-button").click()
    expect(phone.locator("#id_name")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-opd-edit")

    logout(phone)


def test_audit_trail_fits_a_phone(phone):
    login(phone, "auditor")
    phone.goto("/core/audit/")
    expect(phone.get_by_test_id("result-count")).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-audit")

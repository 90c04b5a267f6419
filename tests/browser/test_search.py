"""The global search on a phone: the box in the folded menu, results grouped by module, nothing wider
than the screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot
from tests.browser.test_mobile import PHONE, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(make_page):
    return make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


def test_search_from_the_menu_on_a_phone(phone):
    login(phone, "admin")
    phone.locator(".navbar-toggler").click()
    box = phone.get_by_test_id("nav-search").locator("input[name=q]")
    expect(box).to_be_visible()
    box.fill("BAPPEDA")
    box.press("Enter")

    expect(phone).to_have_url(re.compile(r"/search/\?q=BAPPEDA$"))
    groups = phone.get_by_test_id("search-group")
    expect(groups.first).to_be_visible()
    modules = [groups.nth(i).get_attribute("data-module") for i in range(groups.count())]
    assert "organizations" in modules
    expect(phone.get_by_test_id("search-hit").filter(has_text="BAPPEDA").first).to_be_visible()
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-search")

    phone.get_by_test_id("search-form").locator("input[name=q]").fill("")
    phone.get_by_test_id("search-form").locator("input[name=q]").press("Enter")
    expect(phone.get_by_test_id("search-empty")).to_be_visible()
    assert_no_horizontal_overflow(phone)

"""A failed htmx request says so on the page instead of leaving the click without an answer."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_a_failed_htmx_request_shows_the_error_pages_message(page):
    login(page, "admin")
    page.goto("/organizations/opd/")
    expect(page.get_by_test_id("request-error")).to_have_count(0)
    # The same call the list's filters make, to an address that does not exist: the 404 answers htmx
    # with its short message, which htmx itself would not show.
    page.evaluate("htmx.ajax('GET', '/organizations/tidak-ada/', '#list-results')")
    alert = page.get_by_test_id("request-error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Page not found")
    expect(page.locator("#list-results table")).to_be_visible()  # the list stays as it was

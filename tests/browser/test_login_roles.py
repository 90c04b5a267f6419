"""Every demo role signs in through the real form, sees its badge, its home cards and only the menu
entries it may open, then signs out."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout

pytestmark = pytest.mark.browser

ORGS, OPDS, USERS, AUDIT = "Organisations", "Regional departments", "Users", "Audit trail"
MENU_URLS = {
    ORGS: "/organizations/instansi/",
    OPDS: "/organizations/opd/",
    USERS: "/organizations/users/",
    AUDIT: "/core/audit/",
}
CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT = (
    "Users without a role",
    "Regional departments (OPD)",
    "Changes in the last 24 hours",
)

# username: (role badge, menu entries shown, menu entries hidden, home cards shown, home cards hidden).
# Later modules add their own menu entries and cards, so only these platform ones are pinned down.
EXPECTED = {
    "admin": ("Admin SPBE", {ORGS, OPDS, USERS, AUDIT}, set(), {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT}, set()),
    "koordinator": ("Tim Koordinasi SPBE", {ORGS, OPDS, USERS}, {AUDIT}, set(), {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT}),
    "evaluator": (
        "Evaluator: person in charge",
        {ORGS, OPDS},
        {USERS, AUDIT},
        set(),
        {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT},
    ),
    "evaluator-pengumpul": (
        "Evaluator: data collector",
        {ORGS, OPDS},
        {USERS, AUDIT},
        set(),
        {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT},
    ),
    "evaluator-analis": (
        "Evaluator: data analyst",
        {ORGS, OPDS},
        {USERS, AUDIT},
        set(),
        {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT},
    ),
    "evaluator-operator": (
        "Evaluator: data entry operator",
        {ORGS, OPDS},
        {USERS, AUDIT},
        set(),
        {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT},
    ),
    "operator-diskominfo": ("Operator OPD", {ORGS, OPDS, USERS}, {AUDIT}, set(), {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT}),
    "operator-bappeda": ("Operator OPD", {ORGS, OPDS, USERS}, {AUDIT}, set(), {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT}),
    "operator-bkd": ("Operator OPD", {ORGS, OPDS, USERS}, {AUDIT}, set(), {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT}),
    "pimpinan": ("Pimpinan", {ORGS, OPDS}, {USERS, AUDIT}, set(), {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT}),
    "auditor": ("Auditor", {ORGS, OPDS, USERS, AUDIT}, set(), {CARD_AUDIT}, {CARD_NO_ROLE, CARD_OPDS}),
    "asn": ("ASN", {ORGS, OPDS}, {USERS, AUDIT}, set(), {CARD_NO_ROLE, CARD_OPDS, CARD_AUDIT}),
}


def test_every_demo_user_is_covered():
    from simpul.core.modules import demo_users

    assert {user.username for user in demo_users()} == set(EXPECTED)


@pytest.mark.parametrize("username", list(EXPECTED))
def test_role_home_and_navigation(page, username):
    badge, shown, hidden, cards_shown, cards_hidden = EXPECTED[username]
    login(page, username)

    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.get_by_test_id("roles").locator(".badge")).to_have_text([badge])

    menu = {text.strip() for text in page.locator("#mainnav .navbar-nav.me-auto .nav-link").all_inner_texts()}
    assert shown <= menu, f"{username} misses {shown - menu}"
    assert not hidden & menu, f"{username} may not see {hidden & menu}"

    cards = {text.strip() for text in page.get_by_test_id("home-card").locator(".card-title").all_inner_texts()}
    assert cards_shown <= cards, f"{username} misses cards {cards_shown - cards}"
    assert not cards_hidden & cards, f"{username} should not get cards {cards_hidden & cards}"
    assert "No role yet" not in cards

    # Each menu entry the user sees opens for them (no 403/404 behind a visible link).
    for link in page.locator("#mainnav .navbar-nav.me-auto .nav-link").all():
        href = link.get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200, f"{username}: {href} answered {response.status}"

    # And the hidden entries stay closed when typed in directly.
    for label in hidden:
        assert page.request.get(MENU_URLS[label]).status == 403, f"{username} could open {label}"

    logout(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_is_refused(page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "not-the-password")
    page.click("[data-testid=login-submit]")
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_home_card_items_open_their_own_record(page):
    """The card's stretched "Open" link must not swallow clicks on the records listed in the card."""
    login(page, "auditor")
    card = page.get_by_test_id("home-card").filter(has_text=CARD_AUDIT)
    item = card.locator("ul a").first
    href = item.get_attribute("href")
    label = item.inner_text().strip()
    assert re.search(r"/core/audit/\d+/$", href)
    item.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    # The entry page names the same change the card listed (the newest demo change may be any action).
    expect(page.locator("h1")).to_contain_text(label)

"""Issue #12: per role, a walk on a phone through every page its navigation reaches, in the Indonesian UI.

Each page must load without a 4xx/5xx response, without a console error (the conftest adds: without a
Content-Security-Policy refusal), without sideways scrolling on a 390 px screen, and without English UI
words in the visible text of the navbar and <main>."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_mobile import PHONE, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser

# One demo user per distinct navigation: the four evaluator roles share one menu, as do the three OPD
# operators; their other users are walked through the same pages by test_login_roles.py's menu checks.
ROLES = ["admin", "koordinator", "evaluator", "operator-bappeda", "pimpinan", "auditor", "asn"]
# The API docs (Swagger UI draws the whole schema in the browser) are the same page for everyone: walked
# once, by the Admin SPBE.
THIRD_PARTY_WALKED_BY = "admin"

# Menu targets that are not pages of the Indonesian UI to walk.
SKIP_PATHS = ("/accounts/logout/", "/i18n/")
# Third-party UIs ship their own English texts and no Simpul navbar: still checked for status, console
# and overflow, once they have drawn what the page is there for (Swagger UI fetches the schema first).
THIRD_PARTY_READY = {"/api/docs/": ".swagger-ui .info .title", "/api/redoc/": "[role=search] input"}

# Words that only untranslated UI would show. Lower-case ones are matched at the start of a sentence too.
LOWER_WORDS = ("the", "and", "records", "record", "none", "page", "of", "with", "without", "your", "you")
CAPITAL_WORDS = ("Add", "Edit", "Delete", "Export", "Search", "Save", "Cancel", "Name", "Yes")
# "Status" and "Filter" are Indonesian words as well; "No" is the Indonesian short form of "Nomor" ("No.").
_FORMS = {*LOWER_WORDS, *(word.capitalize() for word in LOWER_WORDS), *CAPITAL_WORDS}
ENGLISH = re.compile(r"\b(?:" + "|".join(sorted(_FORMS, key=len, reverse=True)) + r"|No(?!\.))\b")
# Proper names and data that legitimately contain those words (product names, demo data, standards): cut out
# of the text before the check. None of today's pages needs an entry; these are the kind that may.
ALLOWED = (
    "ArchiMate",
    "SPBE",
    "API",
    "e-Office",
)
# Untranslated UI strings that cannot be fixed here (their translation belongs to simpul/locale): each with
# the page where it occurs. Keep this list short; an entry is a defect to fix, not a licence.
KNOWN_UNTRANSLATED: dict[str, str] = {}


def open_navigation(page) -> None:
    page.wait_for_load_state("load")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()  # a phone: the menu is folded behind the toggler
    toggler.click()
    expect(page.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))
    page.click("[data-testid=user-menu]")
    expect(page.locator("#mainnav .dropdown-menu")).to_be_visible()


def switch_to_indonesian(page) -> None:
    open_navigation(page)
    page.select_option("#lang-select", "id")
    expect(page.locator("html")).to_have_attribute("lang", "id")


def navigation_links(page, origin: str) -> list[str]:
    open_navigation(page)
    hrefs = page.locator("nav.navbar a[href]").evaluate_all("links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != origin or url.fragment or url.path.startswith(SKIP_PATHS):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def english_words(page) -> list[str]:
    text = "\n".join(page.locator(selector).first.inner_text() for selector in ("nav.navbar", "main"))
    for known in KNOWN_UNTRANSLATED:
        text = text.replace(known, " ")
    for name in ALLOWED:
        text = text.replace(name, " ")
    found = []
    for line in text.splitlines():
        words = ENGLISH.findall(line)
        if words:
            found.append(f"{words} in {line.strip()!r}")
    return found


@pytest.mark.parametrize("username", ROLES)
def test_every_navigation_page_is_clean_indonesian_on_a_phone(make_page, demo, username):
    page = make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    origin = demo.url.rstrip("/")
    failed_responses: list[str] = []
    console_errors: list[str] = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.url.startswith(origin)
            and failed_responses.append(f"{response.status} {response.request.method} {response.url}")
        ),
    )
    page.on(
        "console",
        lambda message: message.type == "error" and console_errors.append(f"{page.url}: {message.text}"),
    )

    login(page, username)
    switch_to_indonesian(page)
    paths = navigation_links(page, origin)
    assert "/" in paths and len(paths) > 5, f"too few navigation entries for {username}: {paths}"

    problems: list[str] = []
    for path in paths:
        if path in THIRD_PARTY_READY and username != THIRD_PARTY_WALKED_BY:
            continue
        response = page.goto(path)
        assert response is not None
        page.wait_for_load_state("load")
        # Content that htmx fetches after the load has settled once no request is in flight.
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        if response.status >= 400:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        third_party = THIRD_PARTY_READY.get(path)
        if third_party:
            expect(page.locator(third_party).first).to_be_visible(timeout=60_000)
        else:
            expect(page.locator("html")).to_have_attribute("lang", "id")
        try:
            assert_no_horizontal_overflow(page)
        except AssertionError as error:
            problems.append(f"{path}: overflow: {error}")
        if not third_party:
            problems.extend(f"{path}: English {found}" for found in english_words(page))

    problems += [f"failed response: {entry}" for entry in failed_responses]
    problems += [f"console error: {entry}" for entry in console_errors]
    assert not problems, f"{username} walked {len(paths)} pages:\n" + "\n".join(problems)

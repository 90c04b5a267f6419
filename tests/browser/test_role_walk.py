"""Issue #12: per role, a walk on a phone through every page its navigation reaches, in the Indonesian UI.

From each page of a role's menu the walk follows the links in the page's <main> to the module's other
pages: a hub page leads to its lists, a list's first row to its record, a record's buttons to its edit and
delete forms and its other pages (impact, diagram, history, analysis, ...), a list's buttons to its add
and import forms. Nothing is submitted, files are not downloaded. The links are found on the pages, not
listed here, so a module added later is walked too. To keep the walk short each kind of page (its path
with the numbers taken out) is opened once per role and module, except that every list's first record
is (the lists of several kinds of record may share one detail page, which shows each kind differently),
and core's import and delete pages, alike for every model, once per module.

Each page must load without a 4xx/5xx response, without a console error (nor a Content-Security-Policy
refusal, nor a request leaving the server), without sideways scrolling on a 390 px screen, and without
English UI words in the visible text of the navbar and <main>.

One test per role (`-k admin`), whose failure lists the problems by module; a module the role's menu does
not lead to is not walked. The demo is loaded once per worker (`shared_demo`), and each role signs in once:
its pages are walked in one browser context."""

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from simpul.core.modules import simpul_modules, ui_prefix
from tests.browser.conftest import login, open_page
from tests.browser.test_mobile import PHONE

# The marker gives the tests the test database and rolls back what a test's pages write; the demo (loaded
# by `shared_demo`) and the roles' sessions (signed in by `walker`, before the test) stay.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# One demo user per distinct navigation: the four evaluator roles share one menu, as do the three OPD
# operators; their other users are walked through the same pages by test_login_roles.py's menu checks.
ROLES = ["admin", "koordinator", "evaluator", "operator-bappeda", "pimpinan", "auditor", "asn"]
# Pages that belong to no module (the API docs) are walked as this "module".
SITE = "site"
MODULES = [module.label for module in sorted(simpul_modules(), key=lambda module: module.order)] + [SITE]
# The API docs (Swagger UI draws the whole schema in the browser) are the same page for everyone: walked
# once, by the Admin SPBE.
THIRD_PARTY_WALKED_BY = "admin"

# Link targets that are not pages of the Indonesian UI to walk.
SKIP_PATHS = ("/accounts/logout/", "/i18n/")
# Files, not pages: export links (`?export=csv`) and paths with a file's suffix. A download that says
# neither is recognised when the browser starts it.
DOWNLOAD_SUFFIXES = (".pdf", ".xlsx", ".csv", ".xml", ".zip", ".json", ".yaml", ".svg", ".png")
# The last path segment of core's generic pages that look the same for every model (ModelViews' import
# form and delete confirmation): one of each is walked per module and role.
ALIKE_FOR_EVERY_MODEL = ("import", "delete")
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

# What the walk reads of a loaded page, in one call: its language; its width and the elements past the
# right edge of the screen that no box of theirs scrolls or clips sideways (a wide table or diagram in a
# scrolling box is fine, the box itself must fit) nor a folded menu hides; the visible text of the navbar
# and <main>; the targets of the links in <main> in document order, and of the first row of core's list
# (`#list-results`). Link targets are read from the attribute: a link in an SVG diagram has no string
# `href`; links to a place on the same page are left out.
PAGE_FACTS = """() => {
    const inner = window.innerWidth;
    const inScrollingBox = element => {
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
            if (getComputedStyle(box).overflowX !== "visible") return true;
        }
        return false;
    };
    const name = element => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map(c => "." + c).join("");
    const wide = [...document.querySelectorAll("body *")].filter(element =>
        element.getBoundingClientRect().right > inner + 1 && element.checkVisibility()
        && !element.closest(".collapse:not(.show), .dropdown-menu:not(.show)") && !inScrollingBox(element));
    const targets = selector => [...document.querySelectorAll(selector)]
        .map(a => new URL(a.getAttribute("href"), document.baseURI))
        .filter(url => !(url.hash && url.pathname === location.pathname && url.search === location.search))
        .map(url => url.href);
    return {
        lang: document.documentElement.lang,
        scroll: document.documentElement.scrollWidth,
        inner,
        wide: wide.slice(0, 5).map(name),
        text: ["nav.navbar", "main"].map(s => document.querySelector(s)?.innerText ?? "").join("\\n"),
        links: targets("main a[href]:not([download])"),
        firstRow: targets("#list-results tbody tr:first-child a[href]:not([download])"),
    };
}"""


def module_of(path: str) -> str:
    """The label of the module whose URLs serve `path` (`SITE` for routes of no module), read from the
    modules' declarations (`urls` at their prefix, `root_urls` at the root), longest prefix first."""
    relative = urlsplit(path).path.lstrip("/")
    for module in sorted(simpul_modules(), key=lambda module: len(ui_prefix(module)), reverse=True):
        for urlconf, prefix in ((module.root_urls, ""), (module.urls, ui_prefix(module))):
            if not urlconf or not relative.startswith(prefix):
                continue
            try:
                resolve("/" + relative[len(prefix) :], urlconf=urlconf)
            except Resolver404:
                continue
            return module.label
    return SITE


def kind_of(path: str) -> str:
    """Pages of one kind differ only in the numbers of their path (`/architecture/elements/<n>/edit/`);
    core's import and delete pages are one kind per module."""
    segments = re.sub(r"\d+", "<n>", urlsplit(path).path).rstrip("/").split("/")
    if segments[-1] in ALIKE_FOR_EVERY_MODEL:
        return f"{module_of(path)}: {segments[-1]}"
    return "/".join(segments)


def is_page(path: str) -> bool:
    """A path of Simpul's URL configuration that serves a page (not a file, not sign-out or the language)."""
    url = urlsplit(path)
    if url.path.startswith(SKIP_PATHS) or "export" in parse_qs(url.query):
        return False
    if PurePosixPath(url.path).suffix.lower() in DOWNLOAD_SUFFIXES:
        return False
    try:
        resolve(url.path)
    except Resolver404:
        return False  # static and media files
    return True


def local_paths(hrefs: list[str], origin: str) -> list[str]:
    """The paths (with their query) of the same-origin links among hrefs, in order, once each."""
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != origin:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if path not in paths:
            paths.append(path)
    return paths


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
    hrefs = page.locator("nav.navbar a[href]").evaluate_all(
        "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI))"
        ".filter(url => !url.hash).map(url => url.href)"
    )
    return [path for path in local_paths(hrefs, origin) if not urlsplit(path).path.startswith(SKIP_PATHS)]


def english_words(text: str) -> list[str]:
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


@dataclass
class Visit:
    """What one visit found: its problems, the pages it links to in <main> and its list's first record."""

    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    first_row: str | None = None


@dataclass
class Walker:
    """One role's browser context, signed in and in Indonesian, with what its pages reported."""

    username: str
    page: object
    origin: str
    menu: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def reports(self) -> list[str]:
        """What the browser reported since the last call, emptied."""
        found = [f"failed response: {entry}" for entry in self.failed_responses]
        found += [f"console error: {entry}" for entry in self.console_errors]
        found += [f"non-local request: {entry}" for entry in self.external_requests]
        found += [f"Content-Security-Policy refusal: {entry}" for entry in self.refused]
        for reported in (self.failed_responses, self.console_errors, self.external_requests, self.refused):
            reported.clear()
        return found

    def visit(self, path: str) -> Visit:
        """Open `path` and check it (a download is left alone)."""
        page = self.page
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                return Visit()
            raise
        assert response is not None
        # Content that htmx fetches after the load has settled once no request is in flight.
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        if response.status >= 400:
            return Visit([f"{path}: HTTP {response.status}"])
        third_party = THIRD_PARTY_READY.get(urlsplit(path).path)
        if third_party:
            expect(page.locator(third_party).first).to_be_visible(timeout=60_000)
        facts = page.evaluate(PAGE_FACTS)
        problems = []
        if facts["scroll"] > facts["inner"]:
            problems.append(f"{path}: overflow: the page is {facts['scroll']}px wide on a {facts['inner']}px screen")
        if facts["wide"]:
            problems.append(f"{path}: overflow: elements stick out to the right: {facts['wide']}")
        if third_party:
            return Visit(problems)
        if facts["lang"] != "id":
            problems.append(f"{path}: the page's language is {facts['lang']!r}, not 'id'")
        problems.extend(f"{path}: English {found}" for found in english_words(facts["text"]))
        links = [link for link in local_paths(facts["links"], self.origin) if is_page(link)]
        first_row = [link for link in local_paths(facts["firstRow"], self.origin) if is_page(link)]
        return Visit(problems, links, first_row[0] if first_row else None)


@pytest.fixture(params=ROLES)
def walker(request, browser, shared_demo):
    """The role's Walker: its one browser context, signed in and switched to Indonesian."""
    username = request.param
    origin = shared_demo.url.rstrip("/")
    walker = Walker(username, None, origin)
    walker.page = page = open_page(
        browser,
        shared_demo.url,
        walker.external_requests,
        walker.refused,
        PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.url.startswith(origin)
            and walker.failed_responses.append(f"{response.status} {response.request.method} {response.url}")
        ),
    )
    page.on(
        "console",
        lambda message: message.type == "error" and walker.console_errors.append(f"{page.url}: {message.text}"),
    )
    try:
        login(page, username)
        switch_to_indonesian(page)
        walker.menu = navigation_links(page, origin)
        assert "/" in walker.menu and len(walker.menu) > 5, f"too few navigation entries for {username}: {walker.menu}"
        yield walker
    finally:
        page.context.close()


def walk_module(walker, module: str) -> tuple[list[str], list[str]]:
    """Breadth first from the role's menu pages of `module`, within the module: the pages walked and the
    problems found (none walked where the role's menu leads to no page of the module)."""
    start = [path for path in walker.menu if module_of(path) == module]
    if module == SITE and walker.username != THIRD_PARTY_WALKED_BY:
        start = [path for path in start if urlsplit(path).path not in THIRD_PARTY_READY]
    queue = list(start)
    seen = {kind_of(path) for path in start}
    walked: list[str] = []
    problems: list[str] = []
    while queue:
        path = queue.pop(0)
        visited = walker.visit(path)
        walked.append(path)
        problems += visited.problems
        first = visited.first_row
        if first and module_of(first) == module and first not in walked + queue:
            seen.add(kind_of(first))
            queue.append(first)
        for link in visited.links:
            if module_of(link) == module and kind_of(link) not in seen:
                seen.add(kind_of(link))
                queue.append(link)
    return walked, problems + walker.reports()


def test_every_page_reached_from_the_menu_is_clean_indonesian_on_a_phone(walker):
    """One test per role: a module its menu does not lead to is simply not walked (the menus themselves are
    pinned by test_login_roles.py and core's test_modules.py)."""
    username = walker.username
    walker.reports()  # what signing in left behind is not a page's
    report: list[str] = []
    walked_modules = 0
    for module in MODULES:
        walked, problems = walk_module(walker, module)
        if not walked:
            continue
        walked_modules += 1
        print(f"{username} walked {len(walked)} pages of {module}:", *walked, sep="\n  ")  # shown with -s, -rA
        if problems:
            report.append(f"{module} ({len(walked)} pages walked):\n  " + "\n  ".join(problems))
    assert walked_modules >= 2, f"the menu of {username} leads to pages of {walked_modules} module(s) only"
    assert not report, f"{username}:\n" + "\n".join(report)

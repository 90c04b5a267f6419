"""Browser-test fixtures: a headless Debian chromium driven by Playwright against pytest-django's live server,
with the Lampung Timur demo loaded into the (transactional) test database."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

DEMO_PASSWORD = "Browser-Demo-Passw0rd!"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# How long an action or an assertion waits for its state: only a failing test waits this long, and a CI
# machine with two browser workers on two cores has needed more than 15 s for one POST and its page.
TIMEOUT_MS = 30_000
# Assertions wait as long as actions: Playwright's own 5 s is short on a loaded 2-core machine.
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session.

    Playwright's sync API keeps an asyncio loop running in this thread, yet the tests' own ORM calls
    (loading the demo, checking rows, flushing the database) are plain synchronous code, so Django's
    async-safety guard is switched off while the browser lives. Not at import time: a process-wide
    value would leak into the `check --deploy` subprocess of the unit tests (async.E001)."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def demo(live_server, settings, monkeypatch):
    """The demo instansi, its OPDs and one user per role, all with DEMO_PASSWORD."""
    monkeypatch.setenv("SIMPUL_DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


@pytest.fixture(scope="module")
def shared_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo behind a live server of the test module's own, loaded once for all the module's tests (on
    each xdist worker), for a module whose tests only read: `demo` loads it for every test, which costs
    a walk of many short tests most of its time.

    pytest-django's `live_server` makes every test that uses it transactional, emptying the database at
    its end, so this fixture starts its own server (pytest-django's helper class) and keeps database
    access open while the module runs; at the module's end it empties the database as a transactional
    test does, so the module's next neighbour on the worker starts from what it would otherwise find.
    The module's tests carry `pytest.mark.django_db`: pytest-django creates the test database only for
    tests that ask for one, and rolls back what each test writes; the demo, committed before, stays."""
    from pytest_django.live_server_helper import LiveServer

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("shared-demo-media")
    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=str(media)),
    ):
        patch.setenv("SIMPUL_DEMO_PASSWORD", DEMO_PASSWORD)
        server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
        server._live_server_modified_settings.enable()
        try:
            call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def _block_external(route):
    """The network is closed anyway; failing fast makes any non-local asset show up as a test failure."""
    route.abort()


def open_page(browser, base_url: str, external_requests: list[str], refused: list[str], viewport=None, **options):
    """A fresh page in a context of its own (own cookies) at a given viewport; English UI for stable texts.
    Requests that leave base_url are refused and noted in external_requests, what the Content-Security-Policy
    refused in `refused`."""
    context = browser.new_context(
        base_url=base_url,
        locale="en-US",
        viewport=viewport or {"width": 1280, "height": 900},
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    local = re.escape(base_url)

    def route(route):
        external_requests.append(route.request.url)
        _block_external(route)

    context.route(re.compile(rf"^(?!{local}|data:|blob:).*"), route)
    page = context.new_page()
    # Chromium reports what the Content-Security-Policy refused on the console: every page of
    # every browser test must run without such a refusal.
    page.on("console", lambda message: _note_refusal(message, page, refused))
    return page


@pytest.fixture
def make_page(browser, demo):
    """Factory for a fresh page (own cookies) at a given viewport; English UI for stable texts."""
    contexts = []
    external_requests: list[str] = []
    refused: list[str] = []

    def factory(viewport=None, **options):
        page = open_page(browser, demo.url, external_requests, refused, viewport, **options)
        contexts.append(page.context)
        return page

    yield factory
    for context in contexts:
        context.close()
    assert not external_requests, f"pages asked for non-local resources: {external_requests}"
    assert not refused, f"the Content-Security-Policy refused: {refused}"


# Refusals that are the policy doing its job on code Simpul does not write: Redoc's bundle always draws
# the Redocly logo from its CDN; refused, the image hides itself (Simpul loads nothing from outside).
EXPECTED_REFUSALS = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)


def _note_refusal(message, page, refused: list[str]) -> None:
    text = message.text
    if "Content Security Policy" in text and not any(f"'{url}'" in text for url in EXPECTED_REFUSALS):
        refused.append(f"{page.url}: {message.text}")


@pytest.fixture
def page(make_page):
    return make_page()


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(r"/$"))


def logout(page) -> None:
    """Sign out through the user menu (opening the collapsed navbar first on narrow screens)."""
    # Until the stylesheet has loaded, the toggler (hidden on wide screens) reads as visible; a check made
    # then and a click made after it failed in CI.
    page.wait_for_load_state("load")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#mainnav.show").wait_for()
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

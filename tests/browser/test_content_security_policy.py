"""Under the Content-Security-Policy (no inline script) the behaviours moved into simpul.js still work and
the API documentation still renders. Every browser test also fails on any refusal the browser reports
(tests/browser/conftest.py), so the pages of the other tests are checked too."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_evaluation import period_2024
from tests.browser.test_mobile import PHONE

pytestmark = pytest.mark.browser


def test_page_size_select_sends_its_form(page):
    login(page, "admin")
    page.goto("/architecture/applications/")
    page.wait_for_load_state("load")
    page.select_option("#per-page", "100")
    page.wait_for_url(re.compile(r"per_page=100"))
    expect(page.locator("#per-page")).to_have_value("100")


def test_compliance_instansi_select_sends_its_form(page):
    from simpul.organizations.models import Instansi, RoleAssignment, User

    other = Instansi.objects.create(name="Pemerintah Kota Metro", slug="metro", official_domain="metrokota.go.id")
    admin = User.objects.get(username="admin")
    held = admin.role_assignments.first()
    RoleAssignment.objects.create(user=admin, role=held.role, instansi=other)
    login(page, "admin")
    page.goto("/architecture/compliance/")
    page.select_option("select[name=instansi]", str(other.pk))
    page.wait_for_url(re.compile(rf"instansi={other.pk}"))
    expect(page.locator("main")).to_contain_text("Pemerintah Kota Metro")


def test_language_select_switches_the_interface(page):
    login(page, "admin")
    page.click("[data-testid=user-menu]")
    page.select_option("#lang-select", "id")
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_planner_groups_fold_on_a_phone(make_page):
    phone = make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, "evaluator")
    phone.goto(f"/evaluation/periods/{period_2024().pk}/planner/")
    groups = phone.get_by_test_id("whatif-aspect")
    expect(groups.first).to_be_visible()
    assert groups.count() > 1
    for index in range(groups.count()):
        expect(groups.nth(index)).not_to_have_attribute("open", "")


def test_planner_groups_stay_open_on_a_desktop(page):
    login(page, "evaluator")
    page.goto(f"/evaluation/periods/{period_2024().pk}/planner/")
    groups = page.get_by_test_id("whatif-aspect")
    expect(groups.first).to_be_visible()
    for index in range(groups.count()):
        expect(groups.nth(index)).to_have_attribute("open", "")
    # A slider says the level it is set to while it moves, before anything is computed.
    slider = page.locator("input[type=range][data-show-value]").first
    shown = page.locator(f"#{slider.get_attribute('data-show-value')}")
    for value in (slider.get_attribute("min"), slider.get_attribute("max")):
        slider.fill(value)
        expect(shown).to_have_text(value)


def test_swagger_ui_renders(page):
    login(page, "admin")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Simpul")
    expect(page.locator(".opblock-tag").first).to_be_visible()


def test_redoc_renders(page):
    login(page, "admin")
    page.goto("/api/redoc/")
    # Redoc fetches the schema (generated per request, about a second) and lays out every operation in
    # the browser: on a loaded 2-core machine that takes well over Playwright's default 5 s. It waits for
    # the state, however long it takes, up to a minute.
    expect(page.locator("h1").first).to_contain_text("Simpul", timeout=60_000)
    expect(page.locator("[role=search] input, input[placeholder]").first).to_be_visible(timeout=60_000)

"""An OPD operator records a new application in the architecture, runs it on a DISKOMINFO server, lets it
realise a service, and sees it among what that server's failure would affect, in the list and the diagram.
An operator whose proposal was returned revises and resubmits it on a phone; the Admin SPBE approves it."""

import re

import pytest
from playwright.sync_api import expect

from simpul.architecture import services
from simpul.architecture.models import Application, Relationship
from simpul.core.workflow import events_of
from simpul.organizations.models import User
from tests.browser.conftest import login, screenshot
from tests.browser.test_mobile import PHONE, assert_no_horizontal_overflow

pytestmark = pytest.mark.browser

APP = "SIPD Bappeda Uji"
VM = "VM Layanan Administrasi"
SERVICE = "Layanan Manajemen Perencanaan"


def add_relationship(page, kind: str, target: str) -> None:
    page.get_by_test_id("add-relationship").click()
    # Options read "name — domain — OPD"; the target is found through the picker's search box.
    expect(page.locator("#id_source option:checked")).to_have_text(re.compile(rf"^{re.escape(APP)} — "))
    page.select_option("#id_kind", value=kind)
    page.fill("[data-filter-select=id_target]", target)
    page.press("[data-filter-select=id_target]", "Enter")
    page.get_by_test_id("save-button").click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_operator_adds_an_application_links_it_and_sees_it_in_the_impact_diagram(page):
    login(page, "operator-bappeda")
    page.goto("/architecture/applications/add/")
    expect(page.locator("#id_owner option")).to_have_count(2)  # "---------" and the operator's own OPD
    page.select_option("#id_owner", label="BAPPEDA")
    page.fill("#id_name", APP)
    page.select_option("#id_kind", value="khusus")
    page.select_option("#id_hosting", value="pusat_data")
    page.fill("#id_url", "https://sipd.lampungtimurkab.go.id")
    page.get_by_test_id("save-button").click()

    expect(page.locator("h1")).to_have_text(APP)
    app = Application.objects.get(name=APP)
    assert (app.owner.short_name, app.published) == ("BAPPEDA", False), "an operator's new element is a draft"
    app_url = page.url

    add_relationship(page, "runs_on", VM)
    page.goto(app_url)
    add_relationship(page, "realizes", SERVICE)
    assert set(Relationship.objects.filter(source=app).values_list("kind", "target__name")) == {
        ("runs_on", VM),
        ("realizes", SERVICE),
    }

    # Both links show on the application's page, each read from its side.
    page.goto(app_url)
    links = page.get_by_test_id("relationships")
    expect(links).to_contain_text(VM)
    expect(links).to_contain_text(SERVICE)

    # If the VM fails, the new application and the service it realises are affected.
    vm = app.outgoing_relationships.get(kind="runs_on").target
    page.goto(f"/architecture/elements/{vm.pk}/impact/")
    listing = page.get_by_test_id("impact-list")
    expect(listing).to_contain_text(APP)
    expect(listing).to_contain_text(SERVICE)
    expect(page.get_by_test_id("affected-opds")).to_contain_text("BAPPEDA")
    diagram = page.get_by_test_id("impact-diagram").locator("svg")
    expect(diagram).to_be_visible()
    expect(diagram).to_contain_text(re.compile(re.escape(APP[:12])))


RETURN_NOTE = "Nama belum sesuai SK; lampirkan BAST serah terima aplikasi."


def test_operator_revises_and_resubmits_a_returned_proposal_and_the_admin_approves_it(make_page):
    operator = User.objects.get(username="operator-bappeda")
    admin = User.objects.get(username="admin")
    app = Application.objects.filter(owner__short_name="BAPPEDA", published=True).order_by("pk").first()
    assert app is not None, "the demo has a published BAPPEDA application"
    original_name = app.name
    proposal = services.propose_change(operator, app, {"name": f"{original_name} (salah)"})
    services.return_proposal(admin, proposal, RETURN_NOTE)

    # On a phone, the operator finds the returned proposal with the reviewer's note and the steps it may take.
    phone = make_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, "operator-bappeda")
    phone.goto(proposal.get_absolute_url())
    expect(phone.get_by_test_id("proposal-status")).to_have_text("Returned with a note")
    expect(phone.get_by_test_id("review-note")).to_contain_text(RETURN_NOTE)
    expect(phone.get_by_test_id("approve-button")).to_have_count(0)
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "mobile-proposal-returned")

    # It revises the proposed name in the element's own form, prefilled with the proposed values.
    phone.get_by_test_id("revise-button").click()
    expect(phone.locator("#id_name")).to_have_value(f"{original_name} (salah)")
    assert_no_horizontal_overflow(phone)
    phone.fill("#id_name", f"{original_name} Terpadu")
    phone.get_by_test_id("save-button").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    expect(phone.get_by_test_id("proposal-diff")).to_contain_text(f"{original_name} Terpadu")
    expect(phone.get_by_test_id("proposal-status")).to_have_text("Returned with a note")

    # And sends it for review again, with a word for the reviewer.
    phone.fill("#id_note", "Nama sudah sesuai SK.")
    phone.get_by_test_id("resubmit-button").click()
    expect(phone.get_by_test_id("proposal-status")).to_have_text("Waiting for review")
    expect(phone.get_by_test_id("resubmit-button")).to_have_count(0)
    expect(phone.get_by_test_id("history-event").first).to_contain_text("Returned with a note → Waiting for review")
    # The element's page lists its proposals with their state, and fits the phone with its buttons.
    phone.goto(app.get_absolute_url())
    expect(phone.get_by_test_id("element-proposals")).to_contain_text("Waiting for review")
    expect(phone.get_by_test_id("edit-button")).to_be_visible()
    assert_no_horizontal_overflow(phone)

    # The Admin SPBE sees the revised value and approves; the element changes.
    page = make_page()
    login(page, "admin")
    page.goto(proposal.get_absolute_url())
    expect(page.get_by_test_id("proposal-diff")).to_contain_text(f"{original_name} Terpadu")
    page.get_by_test_id("approve-button").click()
    expect(page.get_by_test_id("proposal-status")).to_have_text("Approved")
    expect(page.get_by_test_id("approve-button")).to_have_count(0)
    app.refresh_from_db()
    assert app.name == f"{original_name} Terpadu"
    proposal.refresh_from_db()
    steps = [event.transition for event in events_of(proposal).order_by("id")]
    assert steps == ["propose", "return", "revise", "resubmit", "approve"]

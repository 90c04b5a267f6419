"""An OPD operator records a new application in the architecture, runs it on a DISKOMINFO server, lets it
realise a service, and sees it among what that server's failure would affect, in the list and the diagram."""

import re

import pytest
from playwright.sync_api import expect

from simpul.architecture.models import Application, Relationship
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

APP = "SIPD Bappeda Uji"
VM = "VM Layanan Administrasi"
SERVICE = "Layanan Manajemen Perencanaan"


def add_relationship(page, kind: str, target: str) -> None:
    page.get_by_test_id("add-relationship").click()
    expect(page.locator("#id_source option:checked")).to_have_text(APP)
    page.select_option("#id_kind", value=kind)
    page.select_option("#id_target", label=target)
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

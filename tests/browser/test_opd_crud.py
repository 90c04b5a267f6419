"""Admin SPBE keeps the OPD list through the browser: add, view, edit, delete, with the change history
and the audit trail recording each step; duplicates are refused; the list filters live via htmx."""

import re

import pytest
from playwright.sync_api import expect

from simpul.core.models import AuditEntry
from simpul.organizations.models import PerangkatDaerah
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

INSTANSI = "Pemerintah Kabupaten Lampung Timur"
NAME = "Dinas Perikanan dan Kelautan"
SHORT = "DKP-UJI"


def field_value(page, label: str):
    """The value cell of a detail-page row."""
    return page.locator("dl dt", has_text=re.compile(rf"^{re.escape(label)}$", re.I)).locator("+ dd")


def test_admin_adds_edits_and_deletes_an_opd(page):
    login(page, "admin")
    page.get_by_role("link", name="Regional departments", exact=True).click()
    expect(page.locator("h1")).to_have_text(re.compile("Regional departments", re.I))

    # Add.
    page.get_by_test_id("add-button").click()
    page.select_option("#id_instansi", label=INSTANSI)
    page.fill("#id_name", NAME)
    page.fill("#id_short_name", SHORT)
    page.select_option("#id_kind", value="dinas")
    page.fill("#id_head_name", "Ir. Budi Santoso")
    page.get_by_test_id("save-button").click()

    expect(page.locator("h1")).to_have_text(SHORT)
    expect(page.locator(".alert-success")).to_contain_text(f"{SHORT} was created")
    expect(field_value(page, "name")).to_have_text(NAME)
    expect(field_value(page, "head")).to_have_text("Ir. Budi Santoso")
    detail_url = page.url
    opd = PerangkatDaerah.objects.get(short_name=SHORT)
    assert detail_url.endswith(f"/organizations/opd/{opd.pk}/")
    history = page.locator("#history [data-testid=history-entry]")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("by admin")

    # Edit: a new head of the OPD.
    page.get_by_test_id("edit-button").click()
    expect(page.locator("#id_head_name")).to_have_value("Ir. Budi Santoso")
    page.fill("#id_head_name", "Dr. Siti Aminah")
    page.get_by_test_id("save-button").click()
    expect(page).to_have_url(detail_url)
    expect(page.locator(".alert-success")).to_contain_text(f"{SHORT} was saved")
    expect(field_value(page, "head")).to_have_text("Dr. Siti Aminah")

    # The history card lists both changes, newest first, and the update shows before and after.
    expect(history).to_have_count(2)
    badges = history.locator(".badge")
    expect(badges).to_have_text([re.compile("update", re.I), re.compile("create", re.I)])
    history.first.locator("summary").click()
    changes = history.first.locator("table")
    expect(changes).to_be_visible()
    expect(changes).to_contain_text("Ir. Budi Santoso")
    expect(changes).to_contain_text("Dr. Siti Aminah")

    # Delete through the confirmation page.
    page.get_by_test_id("delete-button").click()
    expect(page.locator("h1")).to_contain_text(f"Delete {SHORT}?")
    page.get_by_test_id("confirm-delete").click()
    expect(page).to_have_url(re.compile(r"/organizations/opd/$"))
    expect(page.locator(".alert-success")).to_contain_text(f"{SHORT} was deleted")
    expect(page.locator("#list-results")).not_to_contain_text(SHORT)
    assert not PerangkatDaerah.objects.filter(short_name=SHORT).exists()
    assert page.request.get(detail_url).status == 404

    # The global audit trail keeps all three steps, the deletion on top.
    page.get_by_role("link", name="Audit trail", exact=True).click()
    page.fill("#id_q", SHORT)
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("result-count")).to_have_text("3 records")
    rows = page.locator("#list-results tbody tr")
    expect(rows.first).to_contain_text(re.compile("delete", re.I))
    expect(rows.first).to_contain_text("admin")
    actions = sorted(AuditEntry.objects.filter(object_repr=SHORT).values_list("action", flat=True))
    assert actions == ["create", "delete", "update"]

    # The deletion's own page shows what was removed.
    rows.first.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(SHORT)
    changes_card = page.locator(".card").filter(has=page.locator(".card-header", has_text=re.compile("^Changes$")))
    expect(changes_card).to_contain_text(NAME)


def test_duplicate_short_name_is_refused(page):
    login(page, "admin")
    before = PerangkatDaerah.objects.count()
    page.goto("/organizations/opd/add/")
    page.select_option("#id_instansi", label=INSTANSI)
    page.fill("#id_name", "Dinas Kominfo Tiruan")
    page.fill("#id_short_name", "DISKOMINFO")
    page.select_option("#id_kind", value="dinas")
    page.get_by_test_id("save-button").click()

    expect(page).to_have_url(re.compile(r"/organizations/opd/add/$"))
    error = page.locator(".invalid-feedback, .alert-danger").first
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile("already exists", re.I))
    # What the user typed is kept so they only fix the one field.
    expect(page.locator("#id_name")).to_have_value("Dinas Kominfo Tiruan")
    assert PerangkatDaerah.objects.count() == before
    assert not PerangkatDaerah.objects.filter(name="Dinas Kominfo Tiruan").exists()


def test_list_search_updates_via_htmx(page):
    login(page, "admin")
    page.goto("/organizations/opd/")
    count = page.get_by_test_id("result-count")
    expect(count).to_have_text("13 records")
    # A marker on window survives htmx swaps but not a full page load.
    page.evaluate("window.__sameDocument = true")

    with page.expect_response(lambda r: "/organizations/opd/?" in r.url and r.request.headers.get("hx-request")):
        page.locator("#id_q").press_sequentially("BAG.", delay=30)
    expect(count).to_have_text("4 records")
    expect(page.locator("#list-results tbody tr")).to_have_count(4)
    expect(page.locator("#list-results tbody")).to_contain_text("BAG. HUKUM")
    expect(page.locator("#list-results tbody")).not_to_contain_text("DISKOMINFO")
    assert page.evaluate("window.__sameDocument") is True
    expect(page).to_have_url(re.compile(r"q=BAG"))  # hx-push-url keeps the filter shareable

    # A select filter narrows further without a reload either.
    page.select_option("#id_kind", value="badan")
    expect(count).to_have_text("0 records")
    expect(page.get_by_test_id("empty-state")).to_be_visible()
    search = page.locator("#id_q")
    search.fill("")
    search.press("Backspace")
    expect(count).to_have_text("3 records")
    assert page.evaluate("window.__sameDocument") is True

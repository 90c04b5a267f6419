"""An element's history panel: the changes recorded for its typed record (an Application's create and
updates), the publication recorded on the element, in order and with who did them, on the element's
page and on its typed page alike, read with as many queries however long the history is."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simpul.architecture import services
from simpul.architecture.models import Application, Element
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core.models import AuditEntry, WorkflowEvent
from simpul.core.workflow import record_event

FORM = {
    "status": "operasi",
    "kind": "umum",
    "hosting": "pusat_data",
    "hosting_exception": "tidak_perlu",
}
EMPTY = "No changes recorded yet."


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def history_of(client, url) -> tuple[list, str]:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["history"], response.content.decode()


def described(item) -> tuple:
    """(kind, step, user, changed fields) of one row of a history panel."""
    user = item.actor.username if item.actor else None
    if getattr(item, "is_workflow_event", False):
        return ("event", item.transition, user, ())
    return ("entry", item.action, user, tuple(sorted(item.changes)))


@pytest.fixture
def lifecycle(world):
    """SIMPEG created as a draft by an operator through the page, its publication requested by the
    operator and approved by the Admin SPBE, then a change proposed by the operator and approved."""
    operator, admin = client_for(world.operator_a1), client_for(world.admin_a)
    response = operator.post(reverse("architecture:application_add"), {"owner": world.a1.pk, "name": "SIMPEG", **FORM})
    assert response.status_code == 302, response.content.decode()[:2000]
    world.app = Application.objects.get(name="SIMPEG")
    assert world.app.published is False
    world.draft_history = history_of(operator, reverse("architecture:element_detail", args=[world.app.pk]))

    response = operator.post(reverse("architecture:element_publish", args=[world.app.pk]))
    request = world.app.proposals.get()
    assert response.status_code == 302
    response = admin.post(request.get_absolute_url(), {"decision": "approve", "note": "Lengkap."})
    assert response.status_code == 302

    edit = reverse("architecture:application_edit", args=[world.app.pk])
    response = operator.post(edit, {"owner": world.a1.pk, "name": "SIMPEG Daerah", **FORM})
    assert response.status_code == 302
    change = world.app.proposals.get(kind="change")
    response = admin.post(change.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == 302
    world.app.refresh_from_db()
    assert (world.app.name, world.app.published) == ("SIMPEG Daerah", True)
    return world


def test_a_new_drafts_history_shows_its_creation(lifecycle):
    history, body = lifecycle.draft_history
    assert [described(item)[:3] for item in history] == [("entry", "create", "operator-a1")]
    assert EMPTY not in body
    assert 'data-testid="history-entry"' in body


@pytest.mark.parametrize("page", ["architecture:element_detail", "architecture:application_detail"])
@pytest.mark.parametrize("viewer", ["operator_a1", "admin_a"])
def test_the_history_after_create_publish_and_an_approved_proposal(lifecycle, page, viewer):
    history, body = history_of(client_for(getattr(lifecycle, viewer)), reverse(page, args=[lifecycle.app.pk]))
    rows = [described(item) for item in history]
    # Newest first: the approved change, then the publication (the element's event and the typed
    # record's field, written in one transaction), then the operator's creation.
    assert rows[0] == ("entry", "update", "admin-a", ("name",))
    assert sorted(rows[1:3]) == [("entry", "update", "admin-a", ("published",)), ("event", "publish", "admin-a", ())]
    assert rows[3][:3] == ("entry", "create", "operator-a1")
    assert len(rows) == 4  # the proposals' own steps stay on the proposals' pages
    assert [item.timestamp for item in history] == sorted((item.timestamp for item in history), reverse=True)

    publication = next(item for item in history if getattr(item, "is_workflow_event", False))
    assert (publication.from_state_label, publication.to_state_label) == ("Draft", "Published")
    assert EMPTY not in body
    assert body.count('data-testid="history-entry"') == 3
    assert body.count('data-testid="history-event"') == 1
    assert "operator-a1" in body and "admin-a" in body
    assert "Draft → Published" in body


def test_a_directly_published_drafts_history_shows_the_reviewers_publication(world):
    app = ApplicationFactory(owner=world.a1, name="SIPD", published=False)
    services.publish_element(world.admin_a, Element.objects.get(pk=app.pk))
    history, _body = history_of(client_for(world.admin_a), reverse("architecture:element_detail", args=[app.pk]))
    rows = [described(item)[:3] for item in history]
    assert sorted(rows[:2]) == [("entry", "update", "admin-a"), ("event", "publish", "admin-a")]
    assert rows[2:] == [("entry", "create", None)]  # made by the factory, outside any request


def test_the_element_page_reads_its_history_with_as_many_queries_however_long_it_is(world):
    app = ApplicationFactory(owner=world.a1, name="SIMPEG", published=False, reference=None)
    client = client_for(world.admin_a)
    url = reverse("architecture:element_detail", args=[app.pk])

    def grow(count):
        for number in range(count):
            app.version = f"1.{number}"
            app.owner = world.a2 if app.owner == world.a1 else world.a1  # a related record's name per entry
            app.save()
            element = Element.objects.get(pk=app.pk)
            element.description = f"Keterangan {number}"
            element.save()
            record_event(world.admin_a, element, services.PUBLICATION_WORKFLOW, "publish", "draft", "published")
            record_event(world.admin_a, app, "test", "check", "a", "b")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    grow(1)
    client.get(url)  # warm the caches (content types, session)
    few = queries()
    grow(15)
    assert AuditEntry.objects.filter(object_id=str(app.pk)).count() > 30
    assert WorkflowEvent.objects.filter(object_id=str(app.pk)).count() > 30
    assert queries() == few
    history = client.get(url).context["history"]
    assert len(history) == 20
    # The newest of both kinds: the last element change and the last events, not the creation.
    assert history[0].transition == "check" and history[1].transition == "publish"
    assert history[2].changes["description"][1] == "Keterangan 14"
    assert "create" not in {getattr(item, "action", None) for item in history}

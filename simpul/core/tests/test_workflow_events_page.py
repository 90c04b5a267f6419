"""The workflow events list (/core/workflow-events/), its CSV/XLSX export and its API: each event is shown
to whoever may view its record, and to no one else; the filters, the one-record list and the history
panel's link to it."""

import csv
import datetime
import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from simpul.architecture import services
from simpul.architecture.models import Element
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core import permissions
from simpul.core.models import WorkflowEvent
from simpul.organizations.tests.factories import UserFactory

URL = "/core/workflow-events/"
API = "/api/core/workflow-events/"


@pytest.fixture
def scene(world):
    """In A1: a change proposal returned with a note, and a draft published on request (a proposal's two
    events and the element's publication). In B1: one proposal."""
    world.operator_a1.full_name = "Siti Operator"
    world.operator_a1.save()
    world.app = ApplicationFactory(owner=world.a1, name="SIMPEG", published=True)
    world.change = services.propose_change(world.operator_a1, world.app, {"name": "SIMPEG Baru"})
    services.return_proposal(world.admin_a, world.change, "Lengkapi BAST serah terima.")
    world.draft = ApplicationFactory(owner=world.a1, name="SIDAK", published=False)
    world.request = services.request_publication(world.operator_a1, world.draft)
    services.approve_proposal(world.admin_a, world.request, note="Terbit.")
    world.app_b = ApplicationFactory(owner=world.b1, name="SIMBADA", published=True)
    world.change_b = services.propose_change(world.admin_b, world.app_b, {"name": "SIMBADA Baru"})
    # The record each event is about, as the tests name them.
    world.events = {
        "change:propose": event(world.change, "propose"),
        "change:return": event(world.change, "return"),
        "request:request_publication": event(world.request, "request_publication"),
        "request:approve": event(world.request, "approve"),
        "draft:publish": event(Element.objects.get(pk=world.draft.pk), "publish"),
        "change_b:propose": event(world.change_b, "propose"),
    }
    assert WorkflowEvent.objects.count() == len(world.events)
    return world


def event(record, transition) -> WorkflowEvent:
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
    return WorkflowEvent.objects.get(content_type=content_type, object_id=str(record.pk), transition=transition)


IN_A = {"change:propose", "change:return", "request:request_publication", "request:approve", "draft:publish"}


def names(scene, ids) -> set[str]:
    by_id = {evt.pk: name for name, evt in scene.events.items()}
    return {by_id[pk] for pk in ids}


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def page_ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {row.record.pk for row in response.context["table"].page.object_list}


def api_ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert body["count"] == len(body["results"])
    return {row["id"] for row in body["results"]}


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- Who sees which events ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin_a", IN_A),
        ("operator_a1", IN_A),
        # Another OPD of the instansi may read A1's published element, not A1's proposals.
        ("operator_a2", {"draft:publish"}),
        ("koordinator_a", IN_A),
        ("evaluator_a", IN_A),
        ("auditor_a", IN_A),
        ("admin_b", {"change_b:propose"}),
    ],
)
def test_each_user_sees_exactly_the_events_of_the_records_they_may_view(scene, who, expected):
    user = getattr(scene, who)
    assert names(scene, page_ids(client_for(user).get(URL))) == expected
    assert names(scene, api_ids(api_for(user).get(API))) == expected
    restricted = permissions.restrict(WorkflowEvent.objects.all(), user, "view")
    assert names(scene, restricted.values_list("pk", flat=True)) == expected


def test_the_record_decides_not_the_scope_the_event_was_written_in(scene):
    # The element moves to A2: its publication goes with it, out of A1's sight only if A1 may not read it.
    scene.draft.owner = scene.a2
    scene.draft.published = False
    scene.draft.save()
    assert "draft:publish" not in names(scene, page_ids(client_for(scene.operator_a1).get(URL)))
    assert "draft:publish" in names(scene, page_ids(client_for(scene.operator_a2).get(URL)))


def test_an_event_of_a_record_out_of_scope_is_not_found_in_the_api(scene):
    hidden = scene.events["change:return"]
    assert api_for(scene.operator_a2).get(f"{API}{hidden.pk}/").status_code == 404
    assert api_for(scene.admin_b).get(f"{API}{hidden.pk}/").status_code == 404
    shown = api_for(scene.operator_a1).get(f"{API}{hidden.pk}/")
    assert shown.status_code == 200
    assert shown.json() | {"timestamp": None} == {
        "id": hidden.pk,
        "timestamp": None,
        "content_type": "architecture.changeproposal",
        "object_id": str(scene.change.pk),
        "object_repr": "Change a published element: SIMPEG",
        "workflow": "proposal",
        "transition": "return",
        "from_state": "pending",
        "from_state_label": "Waiting for review",
        "to_state": "returned",
        "to_state_label": "Returned with a note",
        "actor": scene.admin_a.pk,
        "actor_repr": str(scene.admin_a),
        "note": "Lengkapi BAST serah terima.",
        "payload": {},
    }


def test_a_superuser_sees_every_event(scene):
    root = UserFactory(instansi=scene.inst_a, is_superuser=True, username="root")
    assert names(scene, page_ids(client_for(root).get(URL))) == set(scene.events)


def test_roles_without_the_grant_are_refused_and_anonymous_must_sign_in(scene):
    assert client_for(scene.asn_a1).get(URL).status_code == 403
    assert client_for(scene.asn_a1).get(URL, {"export": "csv"}).status_code == 403
    assert api_for(scene.asn_a1).get(API).status_code == 403
    page = Client().get(URL, {"export": "csv"})
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    api = APIClient().get(API)
    assert api.status_code == 401 and api.has_header("WWW-Authenticate")


def test_the_api_is_read_only(scene):
    evt = scene.events["change:return"]
    # A role is refused before the method is looked at (no role may add or change events); a superuser,
    # who passes that check, meets the read-only viewset.
    root = UserFactory(instansi=scene.inst_a, is_superuser=True, username="root")
    for user, status in ((scene.admin_a, 403), (root, 405)):
        client = api_for(user)
        assert client.post(API, {"note": "x"}, format="json").status_code == status
        assert client.patch(f"{API}{evt.pk}/", {"note": "x"}, format="json").status_code == status
        assert client.delete(f"{API}{evt.pk}/").status_code == status
    evt.refresh_from_db()
    assert evt.note == "Lengkapi BAST serah terima."


# --- Export ---------------------------------------------------------------------------------------


def test_csv_export_holds_the_visible_events_with_their_records_and_states(scene):
    rows = read_csv(client_for(scene.operator_a1).get(URL, {"transition": "return", "export": "csv"}))
    assert rows[0] == ["Time", "Object", "Object type", "Workflow", "Transition", "From", "To", "User name", "Note"]
    assert [row[1:] for row in rows[1:]] == [
        [
            "Change a published element: SIMPEG",
            "Change proposal",
            "proposal",
            "return",
            "Waiting for review",
            "Returned with a note",
            str(scene.admin_a),
            "Lengkapi BAST serah terima.",
        ]
    ]
    # Nothing of another OPD's records, even asked for by name.
    other = read_csv(client_for(scene.operator_a2).get(URL, {"transition": "return", "export": "csv"}))
    assert other[1:] == []
    everything = read_csv(client_for(scene.operator_a2).get(URL, {"export": "csv"}))
    assert [row[1] for row in everything[1:]] == [str(Element.objects.get(pk=scene.draft.pk))]


def test_xlsx_export_holds_the_same_rows(scene):
    rows = read_xlsx(client_for(scene.admin_a).get(URL, {"export": "xlsx"}))
    assert len(rows) == 1 + len(IN_A)
    assert sorted(row[4] for row in rows[1:]) == sorted(name.split(":")[1] for name in IN_A)
    assert not any("SIMBADA" in row[1] for row in rows[1:])
    assert [row[1] for row in read_xlsx(client_for(scene.admin_b).get(URL, {"export": "xlsx"}))[1:]] == [
        scene.events["change_b:propose"].object_repr
    ]


# --- Filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"content_type": "architecture.element"}, {"draft:publish"}),
        ({"content_type": "architecture.changeproposal"}, IN_A - {"draft:publish"}),
        ({"workflow": "publication"}, {"draft:publish"}),
        ({"transition": "approve"}, {"request:approve"}),
        ({"q": "bast"}, {"change:return"}),
        ({"q": "terbit"}, {"request:approve", "draft:publish"}),
        ({"actor_repr": "siti"}, {"change:propose", "request:request_publication"}),
        # A type without events yet lists none rather than being refused.
        ({"content_type": "throwaway.note"}, set()),
    ],
)
def test_filters_narrow_the_page_and_the_api_alike(scene, query, expected):
    assert names(scene, page_ids(client_for(scene.admin_a).get(URL, query))) == expected
    assert names(scene, api_ids(api_for(scene.admin_a).get(API, query))) == expected


def test_filter_by_user_and_dates(scene):
    by_admin = {"change:return", "request:approve", "draft:publish"}
    query = {"actor": scene.admin_a.pk}
    assert names(scene, page_ids(client_for(scene.admin_a).get(URL, query))) == by_admin
    assert names(scene, api_ids(api_for(scene.admin_a).get(API, query))) == by_admin

    old = scene.events["change:propose"]
    old.timestamp = timezone.make_aware(datetime.datetime(2024, 1, 15, 10, 0))
    old.save()
    client = client_for(scene.admin_a)
    before = {"timestamp_before": "2024-01-31"}
    after = {"timestamp_after": "2024-02-01"}
    assert names(scene, page_ids(client.get(URL, before))) == {"change:propose"}
    assert names(scene, page_ids(client.get(URL, after))) == IN_A - {"change:propose"}
    assert names(scene, api_ids(api_for(scene.admin_a).get(API, before))) == {"change:propose"}


def test_one_records_events(scene):
    one = {"content_type": "architecture.changeproposal", "object_id": str(scene.request.pk)}
    expected = {"request:request_publication", "request:approve"}
    assert names(scene, page_ids(client_for(scene.operator_a1).get(URL, one))) == expected
    assert names(scene, api_ids(api_for(scene.operator_a1).get(API, one))) == expected
    rows = read_csv(client_for(scene.operator_a1).get(URL, {**one, "export": "csv"}))
    assert sorted(row[4] for row in rows[1:]) == ["approve", "request_publication"]
    # Someone who may not view the record gets none of its events, not an error that tells it exists.
    assert page_ids(client_for(scene.operator_a2).get(URL, one)) == set()
    assert api_ids(api_for(scene.admin_b).get(API, one)) == set()


@pytest.mark.parametrize(
    "query",
    [{"content_type": "architecture"}, {"content_type": "nothing.here"}, {"actor": "abc"}, {"timestamp_after": "x"}],
)
def test_invalid_filter_values_are_refused_by_name(scene, query):
    response = api_for(scene.admin_a).get(API, query)
    assert response.status_code == 400
    assert list(response.json()) == list(query)
    page = client_for(scene.admin_a).get(URL, query)
    assert page.status_code == 200 and page_ids(page) == set()


# --- The page -------------------------------------------------------------------------------------


def test_the_page_links_each_event_to_its_record_and_shows_the_state_labels(scene):
    page = client_for(scene.admin_a).get(URL, {"per_page": 25})
    html = page.content.decode()
    assert '<h1 class="h3 mb-0">Workflow events</h1>' in html
    assert "table-responsive" in html
    returned = scene.events["change:return"].object_repr
    assert f'<a href="{scene.change.get_absolute_url()}">{returned}</a>' in html
    assert f'<a href="{Element.objects.get(pk=scene.draft.pk).get_absolute_url()}">' in html
    assert "Returned with a note" in html
    assert "Lengkapi BAST serah terima." in html
    assert "SIMBADA" not in html
    # Filters offer the record types that have events.
    assert '<option value="architecture.changeproposal">Change proposal</option>' in html


def test_the_pages_query_count_does_not_grow_with_events(scene):
    client = client_for(scene.admin_a)
    client.get(URL)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"per_page": 100})
        return len(captured), len(response.context["table"].page.object_list)

    small, shown_small = queries()
    for number in range(10):
        app = ApplicationFactory(owner=scene.a1, name=f"Aplikasi {number}", published=True)
        services.propose_change(scene.operator_a1, app, {"name": f"Aplikasi {number} Baru"})
    large, shown_large = queries()
    assert shown_large == shown_small + 10
    assert large == small


def test_the_menu_shows_the_page_to_the_admin_evaluators_and_auditor_only(scene):
    def menu(user) -> list[str]:
        return [str(item["label"]) for item in client_for(user).get("/").context["navigation"]]

    for user in (scene.admin_a, scene.evaluator_a, scene.auditor_a):
        assert "Workflow events" in menu(user), user.username
    for user in (scene.operator_a1, scene.koordinator_a, scene.pimpinan_a, scene.asn_a1):
        assert "Workflow events" not in menu(user), user.username


# --- The history panel ----------------------------------------------------------------------------


def test_the_history_panel_links_to_the_records_events(scene):
    page = client_for(scene.operator_a1).get(scene.change.get_absolute_url())
    html = page.content.decode()
    assert 'data-testid="history-export"' in html
    link = f"{URL}?content_type=architecture.changeproposal&amp;object_id={scene.change.pk}"
    assert f'href="{link}&amp;export=csv"' in html
    assert f'href="{link}&amp;export=xlsx"' in html
    assert f'href="{link}" data-testid="history-events-list"' in html
    # The element's page links its own (publication) events.
    element = client_for(scene.operator_a2).get(scene.draft.get_absolute_url()).content.decode()
    assert f"{URL}?content_type=architecture.element&amp;object_id={scene.draft.pk}" in element


def test_the_history_panel_has_no_link_without_events_or_the_grant(scene):
    # A record without events: an OPD's page shows its audit entries only.
    page = client_for(scene.admin_a).get(reverse("organizations:perangkatdaerah_detail", args=[scene.a1.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="history"' in html
    assert 'data-testid="history-export"' not in html
    # A role that may view the record but not list workflow events gets no link to a page it cannot open.
    core = apps.get_app_config("core")
    core.grants = {
        role: {k: v for k, v in grants.items() if role != "operator_opd" or k != "core.workflowevent"}
        for role, grants in type(core).grants.items()
    }
    permissions.forget_declarations()
    try:
        operator = client_for(scene.operator_a1)
        assert operator.get(URL).status_code == 403
        html = operator.get(scene.change.get_absolute_url()).content.decode()
        assert 'data-testid="history-event"' in html
        assert 'data-testid="history-export"' not in html
    finally:
        del core.grants  # the instance's, uncovering the declared ones again
        permissions.forget_declarations()


def test_the_api_is_in_the_schema_read_only_with_its_filters(world):
    # Signed in: anonymous requests are throttled, and other test runs may share the throttle's cache.
    schema = api_for(world.admin_a).get("/api/schema/", {"format": "json"}).json()
    assert set(schema["paths"][API]) == {"get"}
    assert set(schema["paths"][f"{API}{{id}}/"]) == {"get"}
    parameters = {p["name"]: p["schema"] for p in schema["paths"][API]["get"]["parameters"]}
    assert set(parameters) >= {
        "content_type",
        "object_id",
        "workflow",
        "transition",
        "actor",
        "actor_repr",
        "timestamp_after",
        "timestamp_before",
        "q",
        "limit",
        "offset",
        "ordering",
    }
    assert parameters["content_type"]["type"] == "string"
    assert parameters["actor"]["type"] == "integer"
    listed = schema["paths"][API]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert listed.endswith("/PaginatedWorkflowEventWithRecordList")

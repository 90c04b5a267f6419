"""History panels (`object_timeline`) of records of multi-table inheritance models: what was recorded
under the record's own type, its parents' and its children's with the same primary key is one history;
records of other types or ids stay out; two queries however long the history."""

import pytest
from django.contrib.contenttypes.models import ContentType

from simpul.architecture.models import (
    Application,
    BusinessProcess,
    DataSet,
    Element,
    InfrastructureComponent,
    SecurityControl,
    Service,
)
from simpul.architecture.tests.factories import ApplicationFactory
from simpul.core import audit
from simpul.core.context import acting
from simpul.core.models import WorkflowEvent
from simpul.core.models.audit import AuditAction
from simpul.core.views.generic import object_history, object_timeline, same_record_models
from simpul.core.workflow import record_event
from simpul.organizations.models import PerangkatDaerah


def test_the_same_record_spans_the_models_linked_by_their_primary_key():
    children = {BusinessProcess, DataSet, Service, Application, InfrastructureComponent, SecurityControl}
    assert same_record_models(Element)[0] is Element
    assert set(same_record_models(Element)) == {Element, *children}
    assert same_record_models(Application) == (Application, Element)
    assert same_record_models(PerangkatDaerah) == (PerangkatDaerah,)


def kinds(timeline) -> list[tuple]:
    """(what, model, step) of each row, newest first."""
    rows = []
    for item in timeline:
        model = ContentType.objects.get_for_id(item.content_type_id).model
        step = item.transition if getattr(item, "is_workflow_event", False) else item.action
        rows.append(("event" if getattr(item, "is_workflow_event", False) else "entry", model, step))
    return rows


@pytest.fixture
def recorded(world):
    """One application's history written under both its types, and records of other types or ids."""
    with acting(world.operator_a1):
        app = ApplicationFactory(owner=world.a1, name="SIMPEG", published=False)  # under application
    other = ApplicationFactory(owner=world.a1, name="SIPD", published=False)
    element = Element.objects.get(pk=app.pk)
    element.description = "Sistem kepegawaian"
    with acting(world.admin_a):
        element.save()  # under element
    record_event(world.admin_a, element, "publication", "publish", "draft", "published")  # under element
    record_event(world.admin_a, app, "check", "verify", "a", "b")  # under application
    # The same id in another model's type is another record.
    stranger = PerangkatDaerah.objects.get(pk=world.a1.pk)
    stranger.pk = app.pk
    audit.append_entry(AuditAction.UPDATE, stranger, {"name": ["Lama", "Baru"]})
    WorkflowEvent.objects.create(
        timestamp=element.updated_at,
        content_type=ContentType.objects.get_for_model(PerangkatDaerah),
        object_id=str(app.pk),
        object_repr="Bukan elemen",
        workflow="other",
        transition="elsewhere",
        from_state="a",
        to_state="b",
    )
    record_event(world.admin_a, other, "check", "other-element", "a", "b")
    world.app, world.other = app, other
    return world


EXPECTED = [
    ("event", "application", "verify"),
    ("event", "element", "publish"),
    ("entry", "element", "update"),
    ("entry", "application", "create"),
]


def test_a_child_records_history_holds_its_parents_entries_and_events(recorded):
    assert kinds(object_timeline(Application.objects.get(pk=recorded.app.pk))) == EXPECTED


def test_a_parent_records_history_holds_its_childs_entries_and_events(recorded):
    timeline = object_timeline(Element.objects.get(pk=recorded.app.pk))
    assert kinds(timeline) == EXPECTED
    create = timeline[-1]
    assert (create.actor, create.changes["name"]) == (recorded.operator_a1, [None, "SIMPEG"])
    assert timeline[1].actor == recorded.admin_a


def test_a_record_without_inheritance_keeps_its_own_history(recorded):
    history = object_history(PerangkatDaerah.objects.get(pk=recorded.a2.pk))
    assert {entry.object_id for entry in history} == {str(recorded.a2.pk)}
    rows = kinds(object_timeline(PerangkatDaerah(pk=recorded.app.pk)))
    assert {row[1] for row in rows} == {"perangkatdaerah"}
    assert {("event", "perangkatdaerah", "elsewhere"), ("entry", "perangkatdaerah", "update")} <= set(rows)


def test_the_timeline_keeps_the_newest_within_its_limit(recorded):
    app = Application.objects.get(pk=recorded.app.pk)
    assert kinds(object_timeline(app, limit=2)) == EXPECTED[:2]
    for number in range(5):
        record_event(recorded.admin_a, Element.objects.get(pk=app.pk), "check", f"later-{number}", "a", "b")
    assert [row[2] for row in kinds(object_timeline(app, limit=3))] == ["later-4", "later-3", "later-2"]


def test_the_timeline_takes_two_queries_however_long_the_history(recorded, django_assert_num_queries):
    app = Application.objects.get(pk=recorded.app.pk)
    object_timeline(app)  # the content types are cached from here on
    with django_assert_num_queries(2):
        short = object_timeline(app)
    for number in range(30):
        app.version = f"1.{number}"
        app.save()
        record_event(recorded.admin_a, Element.objects.get(pk=app.pk), "check", f"later-{number}", "a", "b")
    with django_assert_num_queries(2):
        long = object_timeline(app)
    assert (len(short), len(long)) == (4, 20)

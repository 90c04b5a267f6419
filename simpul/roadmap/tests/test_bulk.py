"""Writing history in bulk (the demo's past years and links): `load_accepted_reports` and `link_records`
write exactly what filing, adding evidence, submitting and accepting (or linking) one by one writes —
records, workflow events, audit entries in the same order — and refuse what those refuse, leaving nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from simpul.architecture.tests.factories import InfrastructureFactory
from simpul.core.audit import verify_chain
from simpul.core.models import AuditEntry, Notification, WorkflowEvent
from simpul.core.workflow import NOT_PERMITTED, TransitionError
from simpul.roadmap import services, versions
from simpul.roadmap.choices import ReportStatus
from simpul.roadmap.models import NOT_CURRENT, OutputLink, ProgressEvidence, ProgressReport
from simpul.roadmap.tests.factories import make_roadmap

pytestmark = pytest.mark.django_db

ELEMENT = "architecture.infrastructure"


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


@pytest.fixture
def small(world):
    return make_roadmap(world)


@pytest.fixture
def node(world):
    return InfrastructureFactory(owner=world.a1, name="Simpul Jaringan A1", kind="simpul_jaringan", status="operasi")


def _last_id(model) -> int:
    return model.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _written(run) -> dict:
    """What `run()` writes (reports, evidence, workflow events, audit entries), ids replaced by positions;
    rolled back afterwards, so the other way of writing starts from the same state."""
    skip = {"id", "created_at", "updated_at"}
    with transaction.atomic():
        first_event, first_entry = _last_id(WorkflowEvent), _last_id(AuditEntry)
        run()
        reports = list(ProgressReport.objects.order_by("id"))
        evidence = list(ProgressEvidence.objects.order_by("id"))
        links = list(OutputLink.objects.order_by("id"))
        names = {("progressreport", r.pk): f"report {i}" for i, r in enumerate(reports)}
        names |= {("progressevidence", e.pk): f"evidence {i}" for i, e in enumerate(evidence)}
        names |= {("outputlink", link.pk): f"link {i}" for i, link in enumerate(links)}
        report_names = {r.pk: f"report {i}" for i, r in enumerate(reports)}

        def fields(record) -> dict:
            values = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields if f.name not in skip}
            if "report_id" in values:
                values["report_id"] = report_names[values["report_id"]]
            return values

        def changes(entry) -> dict:
            found = {key: value for key, value in entry.changes.items() if key != "created_at"}
            if "report_id" in found:
                found["report_id"] = [None, report_names[found["report_id"][1]]]
            return found

        written = {
            "reports": [fields(r) for r in reports],
            "evidence": [fields(e) for e in evidence],
            "links": [fields(link) for link in links],
            "events": [
                (
                    names[("progressreport", int(event.object_id))],
                    event.object_repr,
                    event.workflow,
                    event.transition,
                    event.from_state,
                    event.to_state,
                    event.actor_id,
                    event.actor_repr,
                    event.note,
                    event.payload,
                    event.instansi_id,
                    event.opd_id,
                )
                for event in WorkflowEvent.objects.filter(id__gt=first_event).order_by("id")
            ],
            "entries": [
                (
                    entry.action,
                    names[(entry.content_type.model, int(entry.object_id))],
                    entry.object_repr,
                    entry.actor_id,
                    entry.actor_repr,
                    entry.source,
                    entry.instansi_id,
                    entry.opd_id,
                    changes(entry),
                )
                for entry in AuditEntry.objects.filter(id__gt=first_entry).order_by("id")
            ],
        }
        assert verify_chain().ok
        transaction.set_rollback(True)
    return written


def test_past_reports_in_bulk_are_what_the_services_write_one_by_one(world, small, node):
    operator, admin = world.operator_a1, world.admin_a
    past = [
        services.PastReport(small.a1, 2023, 40, "Simpul dirancang. ", operator, _at(2024, 1, 10), _at(2024, 1, 20)),
        services.PastReport(
            small.a1,
            2024,
            100,
            "Simpul beroperasi.",
            operator,
            _at(2025, 1, 10),
            _at(2025, 1, 20),
            ((ELEMENT, node.pk),),
        ),
        services.PastReport(small.a2, 2024, 10, "Simpul A2 dirancang.", admin, _at(2025, 2, 3), _at(2025, 2, 4)),
    ]

    def one_by_one():
        for row in past:
            report = services.file_report(row.reporter, row.output, row.year, row.percent, row.narrative)
            for type_key, object_id in row.evidence:
                services.add_record(row.reporter, report, type_key, object_id)
            report = services.submit_report(row.reporter, report, at=row.submitted_at)
            services.review_report(admin, report, accept=True, at=row.accepted_at)

    expected = _written(one_by_one)
    assert len(expected["reports"]) == 3 and len(expected["evidence"]) == 1 and len(expected["entries"]) == 10
    assert _written(lambda: services.load_accepted_reports(admin, past)) == expected
    # Outside the comparison: the reports are accepted at their moments, and nobody was told.
    reports = services.load_accepted_reports(admin, past)
    assert [(r.status, r.accepted_at, r.reviewed_by) for r in reports] == [
        (ReportStatus.ACCEPTED, row.accepted_at, admin) for row in past
    ]
    assert not Notification.objects.filter(verb__startswith="roadmap.").exists()


def _refused(world, small, error, *past, reviewer=None):
    before = (ProgressReport.objects.count(), ProgressEvidence.objects.count(), AuditEntry.objects.count())
    with pytest.raises(error) as refused:
        services.load_accepted_reports(reviewer or world.admin_a, past)
    assert (ProgressReport.objects.count(), ProgressEvidence.objects.count(), AuditEntry.objects.count()) == before
    assert verify_chain().ok
    return refused.value


def test_past_reports_are_refused_as_the_services_refuse_and_nothing_stays(world, small, node):
    operator = world.operator_a1

    def row(output=small.a1, year=2023, reporter=operator, evidence=()):
        return services.PastReport(
            output, year, 50, "Dikerjakan.", reporter, _at(year + 1, 1, 10), _at(year + 1, 1, 20), evidence
        )

    # Each refusal comes after a valid row, which must not stay either.
    _refused(world, small, PermissionDenied, row(year=2024), row(output=small.a2))  # another OPD's output
    _refused(world, small, ValidationError, row(year=2024), row(year=2022))  # before the output's years
    _refused(world, small, ValidationError, row(), row())  # the same year twice
    _refused(world, small, ValidationError, row(evidence=((ELEMENT, node.pk + 1000),)))  # no such record
    refused = _refused(world, small, TransitionError, row(), reviewer=world.koordinator_a)  # may not review
    assert refused.code == NOT_PERMITTED
    services.load_accepted_reports(world.admin_a, [row()])
    _refused(world, small, ValidationError, row(year=2024), row())  # a year already reported
    versions.new_version(world.admin_a, small.roadmap, "Reviu")
    assert _refused(world, small, TransitionError, row(year=2024)).code == NOT_CURRENT  # an earlier version


def test_linking_records_in_bulk_is_what_linking_them_one_by_one_writes(world, small, node):
    other = InfrastructureFactory(owner=world.a1, name="Tautan FO A1", kind="simpul_jaringan", status="rencana")
    records = [(ELEMENT, node.pk), ("architecture.element", other.pk)]

    def one_by_one():
        for type_key, object_id in records:
            services.link_record(world.admin_a, small.a1, type_key, object_id)

    expected = _written(one_by_one)
    assert [link["type_key"] for link in expected["links"]] == ["architecture.element"] * 2
    assert _written(lambda: services.link_records(world.admin_a, small.a1, records)) == expected


def test_linking_records_in_bulk_is_refused_as_linking_one_is(world, small, node):
    def refused(error, user, records):
        before = (OutputLink.objects.count(), AuditEntry.objects.count())
        with pytest.raises(error):
            services.link_records(user, small.a1, records)
        assert (OutputLink.objects.count(), AuditEntry.objects.count()) == before

    refused(PermissionDenied, world.operator_a2, [(ELEMENT, node.pk)])  # may not change the output
    refused(ValidationError, world.admin_a, [(ELEMENT, node.pk), (ELEMENT, node.pk + 1000)])  # no such record
    refused(ValidationError, world.admin_a, [(ELEMENT, node.pk), ("architecture.element", node.pk)])  # twice
    services.link_record(world.admin_a, small.a1, ELEMENT, node.pk)
    refused(ValidationError, world.admin_a, [(ELEMENT, node.pk)])  # already linked

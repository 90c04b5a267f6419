"""The roadmap's operations that change state: filing, submitting and reviewing yearly progress reports,
their evidence, and the links from outputs to the records that realise them.

Every channel (pages, API, CLI, demo, jobs) calls these functions. Each takes the acting user, checks the
permission first, writes through `simpul.core.services` or the workflow kit (`core.workflow.transition`)
in one transaction, so the audit trail and the workflow timeline see every change, and tells the people
whose turn it is (`core.notifications`). A refused step is a `TransitionError` with a stable code (the
UI and the API show the same message); invalid input a `ValidationError`.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.core import audit, context, files, permissions
from simpul.core import services as core_services
from simpul.core.models.audit import AuditAction
from simpul.core.models.workflow import WorkflowEvent
from simpul.core.notifications import notify
from simpul.core.workflow import INVALID_STATE, NOT_PERMITTED, TransitionError, transition
from simpul.roadmap import links
from simpul.roadmap.choices import REPORT_EDITABLE, EvidenceKind, ReportStatus
from simpul.roadmap.models import (
    NOT_CURRENT,
    Output,
    OutputLink,
    ProgressEvidence,
    ProgressReport,
)

# The code of an evidence change refused because the report is with its reviewer or accepted.
EVIDENCE_FROZEN = "evidence_frozen"


def _today() -> datetime.date:
    return timezone.localdate()


def _scope(output: Output) -> tuple[int | None, int | None]:
    return output.get_scope_ids()


# --- Filing a report ------------------------------------------------------------------------------------


def reportable_years(output: Output, today: datetime.date | None = None) -> list[int]:
    """The years a report may be filed for: the output's years that have begun."""
    today = today or _today()
    return [year for year in output.years if year <= today.year]


def may_file(user, output: Output) -> bool:
    """Whether the user may write reports of this output (its OPD's reporter, or the instansi's) now."""
    return output.initiative.roadmap.is_current and permissions.can_add(user, ProgressReport, *_scope(output))


def ensure_current(output: Output) -> None:
    if not output.initiative.roadmap.is_current:
        raise TransitionError(
            NOT_CURRENT, _("This version of the roadmap is no longer current: report on the current version.")
        )


def file_report(
    user, output: Output, year: int, percent: int, narrative: str, *, submit: bool = False
) -> ProgressReport:
    """Write (or rewrite, while a draft or returned) the report of `output` for `year`, and submit it
    when asked. The year must be one of the output's that has begun; the roadmap version current."""
    narrative = (narrative or "").strip()
    with context.acting_as(user), transaction.atomic():
        output = Output.objects.select_related("initiative__roadmap").get(pk=output.pk)
        ensure_current(output)
        if year not in reportable_years(output):
            raise ValidationError(
                {
                    "year": _("Reports are filed for the output's years that have begun (%(years)s).")
                    % {"years": ", ".join(map(str, reportable_years(output))) or "—"}
                }
            )
        report = ProgressReport.objects.select_for_update().filter(output=output, year=year).first()
        if report is None:
            if not permissions.can_add(user, ProgressReport, *_scope(output)):
                raise PermissionDenied(_("You may not report on this output."))
            report = ProgressReport(output=output, year=year, percent=percent, narrative=narrative)
            report.full_clean()
            report = core_services.create_object(user, report, savepoint=False)
        else:
            if not permissions.can(user, "change", report):
                raise PermissionDenied(_("You may not report on this output."))
            if not report.is_editable:
                raise TransitionError(INVALID_STATE, frozen_message(report))
            report.percent, report.narrative = percent, narrative
            report.full_clean()
            report = core_services.update_object(user, report, fields=["percent", "narrative"])
        if submit:
            report = submit_report(user, report)
    return report


def frozen_message(report: ProgressReport) -> str:
    if report.status == ReportStatus.SUBMITTED:
        return _("This report waits for its review; it cannot change until the reviewer returns it.")
    return _("This report was accepted; it is final.")


# --- The workflow -----------------------------------------------------------------------------------------


def submit_report(user, report: ProgressReport, *, at: datetime.datetime | None = None) -> ProgressReport:
    """Hand the report to its reviewers (a draft: `submit`; a returned one: `resubmit`) and tell them.

    `at` backdates the step for loading past records (the demo), and then tells nobody (it is history);
    pages and the API never pass it.
    """
    name = "resubmit" if report.status == ReportStatus.RETURNED else "submit"

    def submitted(locked: ProgressReport) -> None:
        locked.submitted_at = at or timezone.now()
        locked.submitted_by = user

    with transaction.atomic():
        saved = transition(user, report, name, apply=submitted)
        if at is not None:
            return saved  # history being loaded: nobody is waiting for it
        notify(
            permissions.users_who_may("review", saved),
            _("Progress report to review: %(report)s") % {"report": saved},
            _("%(percent)s%% reported for %(year)s.") % {"percent": saved.percent, "year": saved.year},
            record=saved,
            verb="roadmap.report_submitted",
            exclude=user,
        )
    return saved


def review_report(
    user, report: ProgressReport, *, accept: bool, note: str = "", at: datetime.datetime | None = None
) -> ProgressReport:
    """Accept a submitted report (final: the output's status counts it from this moment) or return it to
    its OPD with a note saying what to correct. Only a user who may "review" reports (the Admin SPBE).

    `at` backdates the decision for loading past records (the demo), and then tells nobody (it is
    history); pages and the API never pass it.
    """
    note = (note or "").strip()

    def decided(locked: ProgressReport) -> None:
        when = at or timezone.now()
        locked.reviewed_at, locked.reviewed_by, locked.review_note = when, user, note
        if accept:
            locked.accepted_at = when

    with transaction.atomic():
        saved = transition(user, report, "accept" if accept else "return", note=note, apply=decided)
        if at is not None:
            return saved  # history being loaded: nobody is waiting for it
        if accept:
            title = _("Progress report accepted: %(report)s")
        else:
            title = _("Progress report returned: %(report)s")
        notify(
            reporters_of(saved),
            title % {"report": saved},
            note,
            record=saved,
            verb="roadmap.report_accepted" if accept else "roadmap.report_returned",
            exclude=user,
        )
    return saved


def reporters_of(report_or_output):
    """Who writes an output's reports: the users who may add them within its OPD; when the OPD has none,
    the instansi's (the Admin SPBE enters the reports of OPDs without an account)."""
    output = report_or_output if isinstance(report_or_output, Output) else report_or_output.output
    probe = ProgressReport(output=output)
    everyone = permissions.users_who_may("add", probe)
    if output.responsible_opd_id is not None:
        own = everyone.filter(role_assignments__opd_id=output.responsible_opd_id).distinct()
        if own.exists():
            return own
    return everyone


def allowed_steps(user, report: ProgressReport) -> set[str]:
    return {step.name for step in ProgressReport.workflow.allowed(user, report)}


# --- Evidence -----------------------------------------------------------------------------------------


def may_add_evidence(user, report: ProgressReport) -> bool:
    return report.is_editable and permissions.can_add(user, ProgressEvidence, *_scope(report.output))


def _check_evidence_change(user, report: ProgressReport) -> ProgressReport:
    report = ProgressReport.objects.select_for_update().select_related("output__initiative__roadmap").get(pk=report.pk)
    if not permissions.can(user, "view", report) or not permissions.can_add(
        user, ProgressEvidence, *_scope(report.output)
    ):
        raise TransitionError(NOT_PERMITTED, _("You may not add evidence to this report."), status=403)
    if report.status not in REPORT_EDITABLE:
        raise TransitionError(EVIDENCE_FROZEN, frozen_message(report))
    return report


def add_file(user, report: ProgressReport, upload, title: str = "") -> ProgressEvidence:
    """Check (type by name and content, size), checksum and store a file as evidence of a draft or returned
    report. A refused file raises ValidationError (its reason) and leaves nothing behind."""
    checked = files.check_upload(upload)
    with context.acting_as(user), transaction.atomic():
        report = _check_evidence_change(user, report)
        item = ProgressEvidence(
            report=report,
            kind=EvidenceKind.FILE,
            title=(title or "").strip()[:200] or checked.name[:200],
        )
        item.store(checked, user)
        stored = {"name": None}

        def save() -> ProgressEvidence:
            stored["name"] = item.save_file(upload)  # None: the same bytes are already stored
            item.full_clean(exclude=["file"])
            item.save()
            return item

        try:
            core_services.create_object(user, item, save=save)
        except BaseException:
            if stored["name"]:
                default_storage.delete(stored["name"])
            raise
    return item


def add_url(user, report: ProgressReport, url: str, title: str = "") -> ProgressEvidence:
    with context.acting_as(user), transaction.atomic():
        report = _check_evidence_change(user, report)
        item = ProgressEvidence(
            report=report,
            kind=EvidenceKind.URL,
            url=(url or "").strip(),
            title=(title or url or "")[:200],
            added_by=user,
        )
        item.full_clean()
        return core_services.create_object(user, item)


def add_record(user, report: ProgressReport, type_key: str, object_id) -> ProgressEvidence:
    """Link a live Simpul record the user may view (of any linkable type) as evidence of the report."""
    with context.acting_as(user), transaction.atomic():
        report = _check_evidence_change(user, report)
        entry = links.linkable_type(type_key)
        record = (
            links.find_record(user, entry, report.output.initiative.roadmap.instansi_id, object_id) if entry else None
        )
        if record is None:
            raise ValidationError({"record": _("Choose a record of the instansi that you may see.")})
        key = links.general_key(entry)
        if report.evidence.filter(record_type_key=key, record_id=record.pk).exists():
            raise ValidationError({"record": _("This record is already evidence of this report.")})
        item = ProgressEvidence(
            report=report,
            kind=EvidenceKind.RECORD,
            record_type_key=key,
            record_id=record.pk,
            title=str(record)[:200],
            added_by=user,
        )
        item.full_clean()
        return core_services.create_object(user, item)


def remove_evidence(user, item: ProgressEvidence) -> None:
    """Remove evidence from a draft or returned report; the stored bytes go once nothing refers to them."""
    with context.acting_as(user), transaction.atomic():
        item = ProgressEvidence.objects.select_related("report").get(pk=item.pk)
        if not permissions.can(user, "delete", item):
            raise TransitionError(NOT_PERMITTED, _("You may not remove this evidence."), status=403)
        if item.report.status not in REPORT_EDITABLE:
            raise TransitionError(EVIDENCE_FROZEN, frozen_message(item.report))
        core_services.delete_object(user, item)


def delete_file_if_unused(name: str) -> None:
    if name and not ProgressEvidence.objects.filter(file=name).exists():
        default_storage.delete(name)


# --- Links from outputs to records -------------------------------------------------------------------------


def link_record(user, output: Output, type_key: str, object_id) -> OutputLink:
    """Link a record the user may view (an architecture element, an indicator, a policy…) to the output;
    for those who may change the roadmap."""
    with context.acting_as(user), transaction.atomic():
        output = Output.objects.select_related("initiative__roadmap").get(pk=output.pk)
        if not permissions.can(user, "change", output):
            raise PermissionDenied(_("You may not change this output."))
        entry = links.linkable_type(type_key)
        record = links.find_record(user, entry, output.initiative.roadmap.instansi_id, object_id) if entry else None
        if record is None:
            raise ValidationError({"record": _("Choose a record of the instansi that you may see.")})
        key = links.general_key(entry)
        if OutputLink.objects.filter(output=output, type_key=key, object_id=record.pk).exists():
            raise ValidationError({"record": _("This record is already linked to this output.")})
        link = OutputLink(output=output, type_key=key, object_id=record.pk, label=str(record)[:300])
        link.full_clean()
        return core_services.create_object(user, link)


def link_records(user, output: Output, records: Sequence[tuple[str, object]]) -> list[OutputLink]:
    """`link_record` for several (type key, id) records of one output at once (the demo's plan): the same
    checks, records and audit entries, in a few queries instead of a few per record. All or nothing."""
    with context.acting_as(user), transaction.atomic():
        output = Output.objects.select_related("initiative__roadmap").get(pk=output.pk)
        if not permissions.can(user, "change", output):
            raise PermissionDenied(_("You may not change this output."))
        instansi_id = output.initiative.roadmap.instansi_id
        # The records the user may view: one query per kind of record.
        wanted: dict[str, set[int]] = {}
        for type_key, object_id in records:
            with contextlib.suppress(TypeError, ValueError):
                wanted.setdefault(type_key, set()).add(int(object_id))
        found = {}
        for type_key, ids in wanted.items():
            entry = links.linkable_type(type_key)
            for record in entry.queryset(user, instansi_id).filter(pk__in=ids) if entry else ():
                found[(type_key, record.pk)] = (entry, record)
        linked = set(OutputLink.objects.filter(output=output).values_list("type_key", "object_id"))
        new = []
        for type_key, object_id in records:
            try:
                entry, record = found[(type_key, int(object_id))]
            except (KeyError, TypeError, ValueError):
                raise ValidationError({"record": _("Choose a record of the instansi that you may see.")}) from None
            key = links.general_key(entry)
            if (key, record.pk) in linked:
                raise ValidationError({"record": _("This record is already linked to this output.")})
            linked.add((key, record.pk))
            link = OutputLink(output=output, type_key=key, object_id=record.pk, label=str(record)[:300])
            # The output was read above in this transaction and the one link per record checked above for
            # all of them: only the per-row queries of those two checks are left out.
            link.full_clean(exclude=["output"], validate_constraints=False)
            if not permissions.can_add(user, OutputLink, *link.get_scope_ids()):
                raise PermissionDenied(_("You may not add this record here."))
            new.append(link)
        OutputLink.objects.bulk_create(new)
        for link in new:
            audit.append_entry(AuditAction.CREATE, link, _created(link))
    return new


def unlink(user, link: OutputLink) -> None:
    with context.acting_as(user), transaction.atomic():
        if not permissions.can(user, "change", link.output):
            raise PermissionDenied(_("You may not change this output."))
        core_services.delete_object(user, link)


def output_links(user, output: Output) -> list[links.LinkedRecord]:
    rows = output.links.all()
    return links.resolve(user, [(row.type_key, row.object_id, row.label, row) for row in rows])


def evidence_rows(user, report: ProgressReport) -> list[links.LinkedRecord | ProgressEvidence]:
    """The report's evidence the user may view; record links resolved to their live records."""
    items = list(permissions.restrict(report.evidence.select_related("added_by"), user, "view"))
    resolved = {
        row.source.pk: row
        for row in links.resolve(
            user,
            [
                (item.record_type_key, item.record_id, item.title, item)
                for item in items
                if item.kind == EvidenceKind.RECORD
            ],
        )
    }
    for item in items:
        item.linked = resolved.get(item.pk)
    return items


def visible_reports(queryset, user):
    """The reports the user may view (their own OPD's, the accepted ones of the instansi, or all for the
    instansi's roles)."""
    return permissions.restrict(queryset, user, "view")


def reports_of(outputs) -> dict[int, list[ProgressReport]]:
    """Every report of these outputs by output id (one query), for the year grids."""
    found: dict[int, list[ProgressReport]] = {}
    for report in ProgressReport.objects.filter(output__in=list(outputs)).order_by("year"):
        found.setdefault(report.output_id, []).append(report)
    return found


# --- Past years in bulk ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PastReport:
    """The report of a past year as its reporter filed it (with records as evidence) and submitted it, and
    the reviewer accepted it; see `load_accepted_reports`."""

    output: Output
    year: int
    percent: int
    narrative: str
    reporter: object  # the user who filed and submitted it
    submitted_at: datetime.datetime
    accepted_at: datetime.datetime
    evidence: tuple[tuple[str, int], ...] = ()  # (type key, id) of records the reporter links as evidence


def load_accepted_reports(reviewer, past: Sequence[PastReport]) -> list[ProgressReport]:
    """Write reports of past years, each filed by its reporter with its evidence and submitted, then accepted
    by `reviewer`, at the given moments: the records, workflow events and audit entries (in the same order)
    that `file_report`, `add_record`, `submit_report(at=...)` and `review_report(at=...)` write one report at
    a time, after the same checks, in a few queries per batch instead of some fifty per report.

    For loading history (the demo): nobody is told, as with `at`. Only new reports: a year already reported
    is refused. All or nothing: a refusal raises what the one-by-one services raise (ValidationError,
    PermissionDenied, TransitionError) and nothing of the batch stays.
    """
    batch = _PastBatch(list(past))
    if batch.past:
        with transaction.atomic():
            batch.file()
            batch.add_evidence()
            batch.step("submit", [(row.reporter, row.submitted_at) for row in batch.past], _submitted)
            batch.step("accept", [(reviewer, row.accepted_at) for row in batch.past], _accepted)
            batch.write_history()
    return batch.reports


# What `submit_report` and `review_report` (accepting) set besides the state.
def _submitted(report: ProgressReport, user, at: datetime.datetime) -> None:
    report.submitted_at, report.submitted_by = at, user


def _accepted(report: ProgressReport, user, at: datetime.datetime) -> None:
    report.reviewed_at, report.reviewed_by, report.review_note, report.accepted_at = at, user, "", at


class _PastBatch:
    """The reports of `load_accepted_reports`, step by step. Each step checks its permissions on the stored
    rows in the state that step meets (the reports are saved as drafts, then moved on in bulk), and keeps
    the audit entries and workflow events it owes, written together at the end in the services' order."""

    def __init__(self, past: list[PastReport]):
        self.past = past
        self.reports: list[ProgressReport] = []
        # Per report, in order: (user, action, record, changes) of each audit entry, and its workflow events.
        self.entries: list[list[tuple]] = [[] for _row in past]
        self.events: list[list[WorkflowEvent]] = [[] for _row in past]

    def file(self) -> None:
        """`file_report`'s checks and write, for new reports."""
        outputs = Output.objects.select_related("initiative__roadmap").in_bulk({row.output.pk for row in self.past})
        taken = set(
            ProgressReport.objects.filter(output_id__in=list(outputs)).order_by().values_list("output_id", "year")
        )
        for row in self.past:
            output = outputs[row.output.pk]
            ensure_current(output)
            if row.year not in reportable_years(output):
                raise ValidationError(
                    {
                        "year": _("Reports are filed for the output's years that have begun (%(years)s).")
                        % {"years": ", ".join(map(str, reportable_years(output))) or "—"}
                    }
                )
            if (output.pk, row.year) in taken:
                raise ValidationError({"year": _("This year of the output is already reported.")})
            taken.add((output.pk, row.year))
            if not permissions.can_add(row.reporter, ProgressReport, *_scope(output)):
                raise PermissionDenied(_("You may not report on this output."))
            report = ProgressReport(output=output, year=row.year, percent=row.percent, narrative=row.narrative.strip())
            # The output was read just above in this transaction and one report per year is checked above
            # for the whole batch: only the per-row queries of those two checks are left out.
            report.full_clean(exclude=["output"], validate_unique=False, validate_constraints=False)
            self.reports.append(report)
        ProgressReport.objects.bulk_create(self.reports)
        for row, report, entries in zip(self.past, self.reports, self.entries, strict=True):
            entries.append((row.reporter, AuditAction.CREATE, report, _created(report)))

    def add_evidence(self) -> None:
        """`add_record`'s checks and writes, for the records each reporter links as evidence."""
        rows = [(row, report) for row, report in zip(self.past, self.reports, strict=True) if row.evidence]
        _require(
            [(row.reporter, report) for row, report in rows], "view", _("You may not add evidence to this report.")
        )
        # The records each reporter may view: one query per reporter, kind of record and instansi.
        wanted: dict[tuple, tuple[object, set[int]]] = {}
        for row, report in rows:
            for type_key, object_id in row.evidence:
                key = (row.reporter.pk, type_key, report.output.initiative.roadmap.instansi_id)
                wanted.setdefault(key, (row.reporter, set()))[1].add(int(object_id))
        visible: dict[tuple, object] = {}
        for (user_pk, type_key, instansi_id), (user, ids) in wanted.items():
            entry = links.linkable_type(type_key)
            for record in entry.queryset(user, instansi_id).filter(pk__in=ids) if entry else ():
                visible[(user_pk, type_key, instansi_id, record.pk)] = record
        evidence: list[list[ProgressEvidence]] = []
        for row, report in zip(self.past, self.reports, strict=True):
            items: list[ProgressEvidence] = []
            for type_key, object_id in row.evidence:
                if not permissions.can_add(row.reporter, ProgressEvidence, *_scope(report.output)):
                    raise TransitionError(NOT_PERMITTED, _("You may not add evidence to this report."), status=403)
                if report.status not in REPORT_EDITABLE:
                    raise TransitionError(EVIDENCE_FROZEN, frozen_message(report))
                instansi_id = report.output.initiative.roadmap.instansi_id
                record = visible.get((row.reporter.pk, type_key, instansi_id, int(object_id)))
                if record is None:
                    raise ValidationError({"record": _("Choose a record of the instansi that you may see.")})
                key = links.general_key(links.linkable_type(type_key))
                if any(item.record_type_key == key and item.record_id == record.pk for item in items):
                    raise ValidationError({"record": _("This record is already evidence of this report.")})
                item = ProgressEvidence(
                    report=report,
                    kind=EvidenceKind.RECORD,
                    record_type_key=key,
                    record_id=record.pk,
                    title=str(record)[:200],
                    added_by=row.reporter,
                )
                # The report and the user were saved or read in this transaction: no per-row lookups.
                item.full_clean(exclude=["report", "added_by"])
                items.append(item)
            evidence.append(items)
        ProgressEvidence.objects.bulk_create([item for items in evidence for item in items])
        for row, items, entries in zip(self.past, evidence, self.entries, strict=True):
            entries.extend((row.reporter, AuditAction.CREATE, item, _created(item)) for item in items)

    def step(self, name: str, actors: list[tuple[object, datetime.datetime]], apply: Callable) -> None:
        """`transition(user, report, name, apply=...)` for every report with its (user, moment): the checks of
        the workflow's step, then one write of all the reports."""
        workflow = ProgressReport.workflow
        step = workflow.get(name)
        pairs = [(user, report) for (user, _at), report in zip(actors, self.reports, strict=True)]
        _require(pairs, "view", _("You may not do this."))
        _require(pairs, step.permission, _("You may not do this."))
        content_type = ContentType.objects.get_for_model(ProgressReport, for_concrete_model=True)
        states = dict(ProgressReport._meta.get_field(workflow.field).flatchoices)
        now = timezone.now()
        written = {workflow.field, "updated_at"}
        for (user, at), report, entries, events in zip(actors, self.reports, self.entries, self.events, strict=True):
            from_state = workflow.state_of(report)
            if from_state not in step.source:
                raise TransitionError(
                    INVALID_STATE,
                    _("This cannot be done while the record is “%(state)s”.")
                    % {"state": str(states.get(from_state, from_state))},
                )
            if step.guard is not None:
                step.guard(user, report)
            before = audit.snapshot(report, mask=False)
            setattr(report, workflow.field, step.target)
            apply(report, user, at)
            report.updated_at = now
            changes = audit.masked_diff(report, before, audit.snapshot(report, mask=False))
            written.update(changes)
            entries.append((user, AuditAction.UPDATE, report, changes))
            instansi_id, opd_id = report.get_scope_ids()
            # As `core.workflow.record_event` writes it.
            events.append(
                WorkflowEvent(
                    timestamp=now,
                    content_type=content_type,
                    object_id=str(report.pk),
                    object_repr=str(report)[:300],
                    workflow=workflow.name,
                    transition=step.name,
                    from_state=from_state,
                    to_state=step.target,
                    actor=user if getattr(user, "pk", None) else None,
                    actor_repr=str(user or "")[:200],
                    note="",
                    payload={},
                    instansi_id=instansi_id,
                    opd_id=opd_id,
                )
            )
        # One UPDATE per set of new values (the reports of one year share their moments and users): what
        # `bulk_update` would write, without its CASE per row and field, several times slower to build.
        # Like it, this sends no signals: the audit entries are the ones kept above.
        names = [
            field.attname for field in ProgressReport._meta.concrete_fields if {field.name, field.attname} & written
        ]
        groups: dict[tuple, list[int]] = {}
        for report in self.reports:
            groups.setdefault(tuple(getattr(report, name) for name in names), []).append(report.pk)
        for values, pks in groups.items():
            ProgressReport.objects.filter(pk__in=pks).update(**dict(zip(names, values, strict=True)))

    def write_history(self) -> None:
        """The workflow events and audit entries, report after report, each step's as its user's."""
        WorkflowEvent.objects.bulk_create([event for events in self.events for event in events])
        for entries in self.entries:
            for user, action, record, changes in entries:
                with context.acting_as(user):
                    audit.append_entry(action, record, changes)


def _created(record) -> dict:
    """The changes of a creation, as the audit trail records a saved new record."""
    return audit.masked_diff(record, None, audit.snapshot(record, mask=False))


def _require(pairs: list[tuple], action, message: str) -> None:
    """`permissions.can(user, action, report)` for every (user, report), one query per user, refused as
    `transition` refuses; a callable permission (a workflow step may declare one) is asked per report."""
    by_user: dict[int, tuple[object, set[int]]] = {}
    for user, report in pairs:
        if callable(action):
            if not action(user, report):
                raise TransitionError(NOT_PERMITTED, message, status=403)
        else:
            by_user.setdefault(user.pk, (user, set()))[1].add(report.pk)
    for user, pks in by_user.values():
        if permissions.restrict(ProgressReport.objects.filter(pk__in=pks), user, action).count() != len(pks):
            raise TransitionError(NOT_PERMITTED, message, status=403)

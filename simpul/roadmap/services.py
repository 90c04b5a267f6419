"""The roadmap's operations that change state: filing, submitting and reviewing yearly progress reports,
their evidence, and the links from outputs to the records that realise them.

Every channel (pages, API, CLI, demo, jobs) calls these functions. Each takes the acting user, checks the
permission first, writes through `simpul.core.services` or the workflow kit (`core.workflow.transition`)
in one transaction, so the audit trail and the workflow timeline see every change, and tells the people
whose turn it is (`core.notifications`). A refused step is a `TransitionError` with a stable code (the
UI and the API show the same message); invalid input a `ValidationError`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import context, files, permissions
from simpul.core import services as core_services
from simpul.core.notifications import Message, notify
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
            Message(gettext_lazy("Progress report to review: %(report)s"), report=saved),
            Message(gettext_lazy("%(percent)s%% reported for %(year)s."), percent=saved.percent, year=saved.year),
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
            title = gettext_lazy("Progress report accepted: %(report)s")
        else:
            title = gettext_lazy("Progress report returned: %(report)s")
        notify(
            reporters_of(saved),
            Message(title, report=saved),
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

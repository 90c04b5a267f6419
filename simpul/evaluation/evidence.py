"""Evidence (bukti dukung) of an indicator assessment: what may be linked, and the operations that add or remove it.

Evidence is an uploaded file, a link to a live Simpul record, or a web address. The web UI, the hints
("accept" adds records), the demo and any API call these functions, which check the permission, refuse
changes once the period is closed, and write through `simpul.core.services` so every change is audited.

Evidence belongs to the self-assessment: it changes only while the PIC may still write that (not
started, draft, returned). Once submitted, what the reviewer judges must be what was submitted, so
adding and removing are refused (`evidence_frozen`) until the PIC withdraws the submission or a
reviewer returns it; the submit step records which evidence it handed over (`snapshot`). Removing is
for the PIC side only (whoever may change the assessment): a reviewer does not take the PIC's
evidence away. Refusals are `TransitionError`s, so the UI and the API show the same code and message.

Which Simpul records may be linked is declared by the module that holds them, in its AppConfig
(`SimpulModule.linkable_types`, entries of `simpul.core.links.LinkableType` naming their model by label),
so the evaluation app imports no other module. When the roadmap, service desk, open data or survey
module arrives, it declares e.g.
``LinkableType("roadmap.output", "roadmap.Output", _("Roadmap outputs"), search_fields=("title",))``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils.translation import gettext as _

from simpul.core import files, modules, permissions, services
from simpul.core.links import LinkableType
from simpul.core.workflow import NOT_PERMITTED, TransitionError, events_of
from simpul.evaluation.models import (
    PERIOD_CLOSED,
    SELF_EDITABLE,
    AssessmentStatus,
    Evidence,
    IndicatorAssessment,
)

SEARCH_LIMIT = 20

# The error code of an evidence change refused because the assessment is with (or past) its reviewers.
EVIDENCE_FROZEN = "evidence_frozen"


def linkable_types() -> dict[str, LinkableType]:
    """The record kinds that may be evidence: every installed module's `linkable_types`, by key."""
    return {entry.key: entry for entry in modules.linkable_types()}


def linkable_type(key: str) -> LinkableType | None:
    return linkable_types().get(key)


def _stored_model(obj: models.Model) -> type[models.Model] | None:
    """The registered model a record is stored as: its own, or the registered parent (Application → Element)."""
    registered = {entry.model for entry in linkable_types().values()}
    for model in (obj._meta.concrete_model, *obj._meta.get_parent_list()):
        if model in registered:
            return model
    return None


def type_for(obj: models.Model) -> LinkableType | None:
    """The most general registry entry that accepts this record (used for re-checks and labels)."""
    model = _stored_model(obj)
    if model is None:
        return None
    for entry in linkable_types().values():
        if entry.model is model and not entry.filters:
            return entry
    return next((entry for entry in linkable_types().values() if entry.model is model), None)


def record_key(obj: models.Model) -> str:
    """A stable "contenttype-id:pk" key of a linkable record, used by forms and hints."""
    model = _stored_model(obj)
    return f"{ContentType.objects.get_for_model(model).pk}:{obj.pk}"


# --- What a user sees -----------------------------------------------------------------------------


@dataclass
class EvidenceRow:
    """One evidence item as the list shows it, with its live record (when the user may see it)."""

    evidence: Evidence
    can_delete: bool = False
    record: models.Model | None = None
    record_state: str = ""  # "", "hidden" (not viewable by this user) or "missing" (deleted)
    record_detail: str = ""

    @property
    def record_url(self) -> str:
        if self.record is None:
            return ""
        url = getattr(self.record, "get_absolute_url", None)
        return url() if url else ""

    @property
    def record_label(self) -> str:
        return str(self.record) if self.record is not None else ""


def visible_assessments(user) -> models.QuerySet:
    return permissions.restrict(
        IndicatorAssessment.objects.select_related("period__framework", "period__instansi", "indicator", "pic"),
        user,
        "view",
    )


def evidence_rows(user, assessment: IndicatorAssessment) -> list[EvidenceRow]:
    """The assessment's evidence the user may view, newest first, with live records resolved in bulk."""
    queryset = permissions.restrict(
        Evidence.objects.filter(assessment=assessment).select_related("added_by", "record_type"), user, "view"
    )
    rows = [EvidenceRow(evidence) for evidence in queryset]
    deletable = set(
        permissions.restrict(Evidence.objects.filter(assessment=assessment), user, "delete").values_list(
            "pk", flat=True
        )
    )
    removable = is_editable(assessment) and may_remove_from(user, assessment)
    by_type: dict[int, list[EvidenceRow]] = {}
    for row in rows:
        row.can_delete = removable and row.evidence.pk in deletable
        if row.evidence.kind == Evidence.Kind.RECORD and row.evidence.record_type_id:
            by_type.setdefault(row.evidence.record_type_id, []).append(row)
    for rows_of_type in by_type.values():
        _resolve_records(user, assessment, rows_of_type)
    return rows


def _resolve_records(user, assessment: IndicatorAssessment, rows: list[EvidenceRow]) -> None:
    model = rows[0].evidence.record_type.model_class()
    ids = [row.evidence.record_id for row in rows]
    if model is None:
        for row in rows:
            row.record_state = "missing"
        return
    existing = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
    entry = next((e for e in linkable_types().values() if e.model is model and not e.filters), None)
    visible_qs = permissions.restrict(model._default_manager.filter(pk__in=ids), user, "view")
    if entry is not None and entry.select_related:
        visible_qs = visible_qs.select_related(*entry.select_related)
    visible = {obj.pk: obj for obj in visible_qs}
    for row in rows:
        record = visible.get(row.evidence.record_id)
        if record is not None:
            row.record = record
            row.record_detail = entry.describe(record) if entry else ""
        elif row.evidence.record_id in existing:
            row.record_state = "hidden"
        else:
            row.record_state = "missing"


def is_editable(assessment: IndicatorAssessment) -> bool:
    """Whether the assessment's evidence may change at all now (period open, not with the reviewers)."""
    return not assessment.period.is_closed and assessment.status in SELF_EDITABLE


def frozen_message(assessment: IndicatorAssessment) -> str:
    """Why the evidence of a submitted or accepted assessment cannot change, and how it can again."""
    if assessment.status == AssessmentStatus.SUBMITTED:
        return _("Evidence is frozen while under review; withdraw the submission to change it.")
    return _("Evidence is frozen once the self-assessment is accepted; a reviewer must return it to change it.")


def ensure_editable(assessment: IndicatorAssessment) -> None:
    """Refuse (409) an evidence change while the period is closed or the assessment is submitted or accepted."""
    if assessment.period.is_closed:
        raise TransitionError(PERIOD_CLOSED, _("This evaluation period is closed; its evidence can no longer change."))
    if assessment.status not in SELF_EDITABLE:
        raise TransitionError(EVIDENCE_FROZEN, frozen_message(assessment))


def _may_add(user, assessment: IndicatorAssessment) -> bool:
    return permissions.can_add(user, Evidence, assessment.period.instansi_id, assessment.pic_id)


def may_add_evidence(user, assessment: IndicatorAssessment) -> bool:
    """Whether the user may add evidence to this assessment now (permission in scope, state editable)."""
    return is_editable(assessment) and _may_add(user, assessment)


def check_add(user, assessment: IndicatorAssessment) -> None:
    """Refuse adding evidence as the add functions would: not permitted (403), else closed or frozen (409).

    Pages call it before reading their input, so a refused user is told why before uploading anything.
    """
    if not _may_add(user, assessment):
        raise TransitionError(NOT_PERMITTED, _("You may not add evidence to this indicator."), status=403)
    ensure_editable(assessment)


def may_remove_from(user, assessment: IndicatorAssessment) -> bool:
    """Whether the user is on the assessment's PIC side (may change it), the only side that removes evidence."""
    return permissions.can(user, "change", assessment)


def linked_record_keys(assessment: IndicatorAssessment) -> set[str]:
    return {
        f"{type_id}:{record_id}"
        for type_id, record_id in Evidence.objects.filter(assessment=assessment, kind=Evidence.Kind.RECORD).values_list(
            "record_type_id", "record_id"
        )
    }


def search_records(user, assessment: IndicatorAssessment, type_key: str, text: str) -> list[tuple[str, models.Model]]:
    """Records of one registered kind the user may view in the assessment's instansi, not yet linked."""
    entry = linkable_type(type_key)
    if entry is None:
        return []
    linked = linked_record_keys(assessment)
    content_type = ContentType.objects.get_for_model(entry.model)
    results = []
    for obj in entry.search(user, assessment.period.instansi_id, text)[: SEARCH_LIMIT + len(linked)]:
        key = f"{content_type.pk}:{obj.pk}"
        if key not in linked:
            results.append((key, obj))
        if len(results) >= SEARCH_LIMIT:
            break
    return results


def resolve_record_key(user, assessment: IndicatorAssessment, key: str) -> models.Model:
    """The record named by a "contenttype-id:pk" key, if it is linkable and the user may view it."""
    try:
        type_id, record_id = (int(part) for part in str(key).split(":", 1))
        content_type = ContentType.objects.get_for_id(type_id)
    except (ValueError, TypeError, ContentType.DoesNotExist):
        raise ValidationError(_("Choose a Simpul record from the search results."), code="record") from None
    model = content_type.model_class()
    entry = next((e for e in linkable_types().values() if e.model is model and not e.filters), None)
    if entry is None:
        raise ValidationError(_("Records of this kind cannot be linked as evidence."), code="record")
    record = entry.queryset(user, assessment.period.instansi_id).filter(pk=record_id).first()
    if record is None:
        # Not found, another instansi's, or not viewable: the same answer, so nothing is revealed.
        raise ValidationError(_("This record does not exist or you may not see it."), code="record")
    return record


# --- Operations -----------------------------------------------------------------------------------


def _locked(assessment_id: int) -> IndicatorAssessment:
    # The row transition() locks too: an evidence change and a submission take turns, so a submission's
    # snapshot is exactly the evidence it froze, and a change after it sees the new state and is refused.
    # Only this row (`of`): locking the period too would make every change in the period wait in line.
    return IndicatorAssessment.objects.select_for_update(of=("self",)).select_related("period").get(pk=assessment_id)


def add_file(user, assessment: IndicatorAssessment, upload, title: str = "", description: str = "") -> Evidence:
    """Check, checksum and store an uploaded file as evidence; a refused file leaves nothing behind."""
    checked = files.check_upload(upload)
    with transaction.atomic():
        assessment = _locked(assessment.pk)
        check_add(user, assessment)
        evidence = Evidence(
            assessment=assessment,
            kind=Evidence.Kind.FILE,
            title=(title or "").strip()[:200] or checked.name[:200],
            description=(description or "").strip(),
        )
        evidence.store(checked, user)
        stored = {"name": None}

        def save():
            # Same checksum, same bytes: a file already stored (e.g. evidence of another indicator) is reused.
            stored["name"] = evidence.save_file(upload)
            evidence.full_clean(exclude=["file"])
            evidence.save()
            return evidence

        try:
            services.create_object(user, evidence, save=save)
        except BaseException:
            if stored["name"]:
                default_storage.delete(stored["name"])
            raise
    return evidence


def add_url(user, assessment: IndicatorAssessment, url: str, title: str = "", description: str = "") -> Evidence:
    """Record a web address as evidence."""
    with transaction.atomic():
        assessment = _locked(assessment.pk)
        check_add(user, assessment)
        evidence = Evidence(
            assessment=assessment,
            kind=Evidence.Kind.URL,
            url=(url or "").strip(),
            title=(title or "").strip()[:200] or (url or "").strip()[:200],
            description=(description or "").strip(),
            added_by=user,
        )
        evidence.full_clean()
        services.create_object(user, evidence)
    return evidence


def add_records(
    user, assessment: IndicatorAssessment, records: Iterable[models.Model], description: str = ""
) -> list[Evidence]:
    """Link Simpul records as evidence; records already linked are skipped, records the user may not
    view are refused (the whole call changes nothing then)."""
    created = []
    with transaction.atomic():
        assessment = _locked(assessment.pk)
        check_add(user, assessment)
        linked = linked_record_keys(assessment)
        for record in records:
            model = _stored_model(record)
            entry = type_for(record)
            if model is None or entry is None:
                raise ValidationError(_("Records of this kind cannot be linked as evidence."), code="record")
            if not entry.queryset(user, assessment.period.instansi_id).filter(pk=record.pk).exists():
                raise ValidationError(_("This record does not exist or you may not see it."), code="record")
            content_type = ContentType.objects.get_for_model(model)
            key = f"{content_type.pk}:{record.pk}"
            if key in linked:
                continue
            linked.add(key)
            evidence = Evidence(
                assessment=assessment,
                kind=Evidence.Kind.RECORD,
                record_type=content_type,
                record_id=record.pk,
                record_label=str(record)[:300],
                title=str(record)[:200],
                description=(description or "").strip(),
                added_by=user,
            )
            evidence.full_clean()
            created.append(services.create_object(user, evidence))
    return created


def remove(user, evidence: Evidence) -> None:
    """Delete one evidence item (the PIC side, while the assessment is editable); its stored file goes
    once no other evidence refers to the same bytes."""
    with transaction.atomic():
        assessment = _locked(evidence.assessment_id)
        evidence = Evidence.objects.get(pk=evidence.pk)
        if not may_remove_from(user, assessment):
            raise TransitionError(
                NOT_PERMITTED, _("Only the PIC of this indicator may remove its evidence."), status=403
            )
        ensure_editable(assessment)
        name = evidence.file.name if evidence.kind == Evidence.Kind.FILE else ""
        services.delete_object(user, evidence)
        if name:
            transaction.on_commit(lambda: _delete_if_unused(name))


def _delete_if_unused(name: str) -> None:
    if not Evidence.objects.filter(file=name).exists():
        default_storage.delete(name)


# --- What a submission handed over ----------------------------------------------------------------


def snapshot(assessment: IndicatorAssessment) -> list[dict]:
    """The assessment's evidence as the submit step records it in its event: enough to tell later
    whether what was reviewed is what was submitted (ids, file names and checksums, addresses, records)."""
    items = []
    for item in Evidence.objects.filter(assessment=assessment).select_related("record_type").order_by("pk"):
        entry = {"id": item.pk, "kind": item.kind, "title": item.title}
        if item.kind == Evidence.Kind.FILE:
            entry |= {"name": item.original_name, "sha256": item.sha256, "size": item.size}
        elif item.kind == Evidence.Kind.URL:
            entry["url"] = item.url
        elif item.record_type_id:
            entry |= {
                "record_type": f"{item.record_type.app_label}.{item.record_type.model}",
                "record_id": item.record_id,
            }
        items.append(entry)
    return items


def submitted_evidence(assessment: IndicatorAssessment) -> list[dict] | None:
    """The evidence the latest submission of the assessment handed over, or None if no submission
    recorded it (none yet, or made before submissions recorded their evidence)."""
    event = events_of(assessment).filter(transition="submit").order_by("-timestamp", "-pk").first()
    if event is None or not isinstance(event.payload, dict) or "evidence" not in event.payload:
        return None
    return event.payload["evidence"]

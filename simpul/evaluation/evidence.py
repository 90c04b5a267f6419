"""Evidence (bukti dukung) of an indicator assessment: what may be linked, and the operations that add or remove it.

Evidence is an uploaded file, a link to a live Simpul record, or a web address. The web UI, the hints
("accept" adds records), the demo and any API call these functions, which check the permission, refuse
changes once the period is closed, and write through `simpul.core.services` so every change is audited.

Which Simpul records may be linked is declared once, in `LINKABLE_TYPES`. Each entry names its model by
label (so the evaluation app imports no other module); an entry whose app is not installed is skipped.
When the roadmap, service desk, open data or survey module arrives, it adds its line here, e.g.
``LinkableType("roadmap.output", "roadmap.Output", _("Roadmap outputs"), search_fields=("title",))``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from simpul.core import files, permissions, services
from simpul.evaluation.models import Evidence, IndicatorAssessment, evidence_file_path

SEARCH_LIMIT = 20


def _element_detail(obj) -> str:
    return str(obj.get_domain_display())


@dataclass(frozen=True)
class LinkableType:
    """A kind of Simpul record that can be evidence; `filters` narrow a model to one kind of it."""

    key: str
    model_label: str
    label: str
    search_fields: tuple[str, ...] = ("name",)
    filters: dict = field(default_factory=dict)
    select_related: tuple[str, ...] = ()
    # A short description shown beside the record's name (e.g. the architecture domain).
    detail: Callable | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def queryset(self, user, instansi_id: int) -> models.QuerySet:
        """The records of this kind in one instansi that `user` may view."""
        model = self.model
        queryset = model._default_manager.filter(**self.filters)
        instansi_path = getattr(model, "scope_instansi_path", None)
        if instansi_path:
            queryset = queryset.filter(**{instansi_path: instansi_id})
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return permissions.restrict(queryset, user, "view")

    def search(self, user, instansi_id: int, text: str) -> models.QuerySet:
        queryset = self.queryset(user, instansi_id)
        text = (text or "").strip()
        if text:
            query = Q()
            for name in self.search_fields:
                query |= Q(**{f"{name}__icontains": text})
            queryset = queryset.filter(query)
        return queryset


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


# The architecture is one table of elements (typed kinds share the element's id), so every kind is stored
# as an element: a record found as "application" or as "element" is the same evidence.
LINKABLE_TYPES: tuple[LinkableType, ...] = (
    LinkableType(
        "architecture.element",
        "architecture.Element",
        gettext_lazy("Architecture: all elements"),
        search_fields=("name", "code"),
        detail=_element_detail,
        select_related=("owner",),
    ),
    LinkableType(
        "architecture.application",
        "architecture.Element",
        gettext_lazy("Architecture: applications"),
        search_fields=("name", "code"),
        filters={"domain": "aplikasi"},
        detail=_element_detail,
        select_related=("owner",),
    ),
    LinkableType(
        "architecture.service",
        "architecture.Element",
        gettext_lazy("Architecture: services"),
        search_fields=("name", "code"),
        filters={"domain": "layanan"},
        detail=_element_detail,
        select_related=("owner",),
    ),
    LinkableType(
        "architecture.dataset",
        "architecture.Element",
        gettext_lazy("Architecture: data sets"),
        search_fields=("name", "code"),
        filters={"domain": "data"},
        detail=_element_detail,
        select_related=("owner",),
    ),
    LinkableType(
        "architecture.infrastructure",
        "architecture.Element",
        gettext_lazy("Architecture: infrastructure"),
        search_fields=("name", "code"),
        filters={"domain": "infrastruktur"},
        detail=_element_detail,
        select_related=("owner",),
    ),
    LinkableType(
        "architecture.businessprocess",
        "architecture.Element",
        gettext_lazy("Architecture: business processes"),
        search_fields=("name", "code"),
        filters={"domain": "bisnis"},
        detail=_element_detail,
        select_related=("owner",),
    ),
    LinkableType(
        "architecture.security",
        "architecture.Element",
        gettext_lazy("Architecture: security"),
        search_fields=("name", "code"),
        filters={"domain": "keamanan"},
        detail=_element_detail,
        select_related=("owner",),
    ),
)


def linkable_types() -> dict[str, LinkableType]:
    return {entry.key: entry for entry in LINKABLE_TYPES if _model_exists(entry.model_label)}


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
    open_period = not assessment.period.is_closed
    by_type: dict[int, list[EvidenceRow]] = {}
    for row in rows:
        row.can_delete = open_period and row.evidence.pk in deletable
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
            row.record_detail = entry.detail(record) if entry and entry.detail else ""
        elif row.evidence.record_id in existing:
            row.record_state = "hidden"
        else:
            row.record_state = "missing"


def may_add_evidence(user, assessment: IndicatorAssessment) -> bool:
    """Whether the user may add evidence to this assessment now (permission in scope, period open)."""
    if assessment.period.is_closed:
        return False
    instansi_id, opd_id = assessment.period.instansi_id, assessment.pic_id
    return permissions.can_add(user, Evidence, instansi_id, opd_id)


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


def _ensure_open(assessment: IndicatorAssessment) -> None:
    if assessment.period.is_closed:
        raise ValidationError(_("This evaluation period is closed; its evidence can no longer change."), code="closed")


def _locked(assessment: IndicatorAssessment) -> IndicatorAssessment:
    # Re-read inside the transaction: a period closed a moment ago must refuse the change.
    return IndicatorAssessment.objects.select_related("period").get(pk=assessment.pk)


def add_file(user, assessment: IndicatorAssessment, upload, title: str = "", description: str = "") -> Evidence:
    """Check, checksum and store an uploaded file as evidence; a refused file leaves nothing behind."""
    checked = files.check_upload(upload)
    with transaction.atomic():
        assessment = _locked(assessment)
        _ensure_open(assessment)
        evidence = Evidence(
            assessment=assessment,
            kind=Evidence.Kind.FILE,
            title=(title or "").strip()[:200] or checked.name[:200],
            description=(description or "").strip(),
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            added_by=user,
        )
        stored = {"name": None, "new": False}

        def save():
            name = evidence_file_path(evidence, checked.name)
            if default_storage.exists(name):
                # Same checksum, same bytes: the file is already stored (e.g. evidence of another indicator).
                evidence.file.name = name
            else:
                evidence.file.save(name, upload, save=False)
                stored["new"] = True
            stored["name"] = evidence.file.name
            evidence.full_clean(exclude=["file"])
            evidence.save()
            return evidence

        if not permissions.can_add(user, Evidence, assessment.period.instansi_id, assessment.pic_id):
            raise PermissionDenied(_("You may not add evidence to this indicator."))
        try:
            services.create_object(user, evidence, save=save)
        except BaseException:
            if stored["new"] and stored["name"]:
                default_storage.delete(stored["name"])
            raise
    return evidence


def add_url(user, assessment: IndicatorAssessment, url: str, title: str = "", description: str = "") -> Evidence:
    """Record a web address as evidence."""
    with transaction.atomic():
        assessment = _locked(assessment)
        _ensure_open(assessment)
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
        assessment = _locked(assessment)
        _ensure_open(assessment)
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
    """Delete one evidence item; its stored file goes once no other evidence refers to the same bytes."""
    with transaction.atomic():
        evidence = Evidence.objects.select_related("assessment__period").get(pk=evidence.pk)
        _ensure_open(evidence.assessment)
        name = evidence.file.name if evidence.kind == Evidence.Kind.FILE else ""
        services.delete_object(user, evidence)
        if name:
            transaction.on_commit(lambda: _delete_if_unused(name))


def _delete_if_unused(name: str) -> None:
    if not Evidence.objects.filter(file=name).exists():
        default_storage.delete(name)

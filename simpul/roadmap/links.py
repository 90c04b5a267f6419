"""Records of other modules that an output links to, or that evidence points at, through the module
contract's linkable types (`SimpulModule.linkable_types`, `core.links`): architecture elements, evaluation
indicators, policies… The roadmap names them by type key and id and imports none of those modules' models.

A record is shown only to users who may view it; one they may not see (a draft of another OPD) shows as
hidden, one deleted since as missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from simpul.core import modules, permissions
from simpul.core.links import LinkableType


def linkable_types() -> dict[str, LinkableType]:
    return {entry.key: entry for entry in modules.linkable_types()}


def linkable_type(key: str) -> LinkableType | None:
    return linkable_types().get((key or "").strip().lower())


def general_key(entry: LinkableType) -> str:
    """The most general type key of the entry's model ("architecture.element" for an application): one
    record is stored under one key, whichever kind it was found as."""
    for candidate in linkable_types().values():
        if candidate.model_label.lower() == entry.model_label.lower() and not candidate.filters:
            return candidate.key
    return entry.key


def find_record(user, entry: LinkableType, instansi_id: int, object_id) -> models.Model | None:
    """The record of that kind and id, in the instansi, if the user may view it."""
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        return None
    return entry.queryset(user, instansi_id).filter(pk=pk).first()


@dataclass
class LinkedRecord:
    """One stored link (an OutputLink or a record evidence) with its live record as the user may see it."""

    key: str
    object_id: int
    label: str  # the name stored when it was linked
    record: models.Model | None = None
    state: str = ""  # "", "hidden" (not viewable by this user) or "missing" (deleted, or its type is gone)
    detail: str = ""
    type_label: str = ""
    source: object = None  # the OutputLink or ProgressEvidence

    @property
    def name(self) -> str:
        return str(self.record) if self.record is not None else self.label

    @property
    def url(self) -> str:
        getter = getattr(self.record, "get_absolute_url", None)
        return (getter() or "") if getter else ""

    @property
    def element_status(self) -> str:
        """An architecture element's own status (rencana → operasi), shown beside the output's progress."""
        getter = getattr(self.record, "get_status_display", None)
        return str(getter()) if getter and self.key.startswith("architecture.") else ""


def resolve(user, items: list[tuple[str, int, str, object]]) -> list[LinkedRecord]:
    """[(type key, object id, stored label, source)] as LinkedRecords, one query per record type."""
    types = linkable_types()
    rows = [LinkedRecord(key, object_id, label, source=source) for key, object_id, label, source in items]
    by_model: dict[str, list[LinkedRecord]] = {}
    for row in rows:
        entry = types.get(row.key)
        if entry is None:
            row.state = "missing"
            continue
        row.type_label = str(entry.label)
        by_model.setdefault(entry.key, []).append(row)
    for key, group in by_model.items():
        entry = types[key]
        model = entry.model
        ids = [row.object_id for row in group]
        existing = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        visible_qs = permissions.restrict(model._default_manager.filter(pk__in=ids), user, "view")
        if entry.select_related:
            visible_qs = visible_qs.select_related(*entry.select_related)
        visible = {obj.pk: obj for obj in visible_qs}
        for row in group:
            record = visible.get(row.object_id)
            if record is not None:
                row.record = record
                row.detail = entry.describe(record)
            else:
                row.state = "hidden" if row.object_id in existing else "missing"
    return rows

"""Record types a module lets other modules link to (evaluation evidence today, more links later).

A module declares them in `SimpulModule.linkable_types`; `simpul.core.modules.linkable_types()` gathers
them. Each names its model by label, so the declaring apps.py imports no models, and every lookup goes
through `restrict()`: a user finds and links only records they may view.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q

from simpul.core import permissions


@dataclass(frozen=True)
class LinkableType:
    """A kind of record that can be linked; `filters` narrow a model to one kind of it.

    `key` is "<module label>.<kind>" and stays stable (stored links and API calls name it);
    `detail` names a method or attribute of the record shown beside its name (e.g. its domain).
    """

    key: str
    model_label: str
    label: str
    search_fields: tuple[str, ...] = ("name",)
    filters: dict = field(default_factory=dict)
    select_related: tuple[str, ...] = ()
    detail: str = ""

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def describe(self, obj) -> str:
        """The short description shown beside the record's name ("" when the type declares none)."""
        if not self.detail:
            return ""
        value = getattr(obj, self.detail)
        return str(value() if callable(value) else value)

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


@dataclass
class EvidenceHint:
    """A module's proposal of its records as evidence of one evaluation indicator (see
    `SimpulModule.evidence_hints`); the evaluation shows it among its hints, and accepting it links the
    records through their linkable type. A hint is advice: it never sets a level.

    `key` is stable within the module (the hint's id is "<module label>-<key>"); `level`, when given, is
    the level whose criterion the hint quotes; `records` are those the user may view.
    """

    key: str
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    suggestion: str = ""
    why: str = ""
    notice: str = ""
    level: int | None = None
    records: list = field(default_factory=list)

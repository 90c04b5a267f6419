"""Orders that end with the primary key, so that paging never shows a row twice or skips one.

Sorted by a column that repeats (a name used by many instansi, an owner, a status), the database may
order equal rows differently from one page's query to the next; a tie-break on the primary key fixes
their order.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def ordering_of(queryset: models.QuerySet) -> list:
    """The order `queryset` will be read in: its own, else its model's default."""
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering:
        return list(queryset.model._meta.ordering)
    return []


def to_primary_key(queryset: models.QuerySet, ordering: list | None = None) -> models.QuerySet | None:
    """`queryset` ordered by `ordering` (by default its own) and then by its primary key.

    None when the ordering names a field the queryset's model does not have (an order taken from a
    related list); an ordering by expressions is kept as it is.
    """
    ordering = ordering_of(queryset) if ordering is None else ordering
    model = queryset.model
    if any(not isinstance(item, str) for item in ordering):
        return queryset
    if not all(_has_field(model, item.lstrip("-").split("__")[0]) for item in ordering):
        return None
    pk_names = {"pk", model._meta.pk.attname, model._meta.pk.name}
    if ordering and ordering[-1].lstrip("-") in pk_names:
        return queryset.order_by(*ordering)
    return queryset.order_by(*ordering, "pk")


def _has_field(model, name: str) -> bool:
    if name == "pk" or name == "?":
        return True
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True

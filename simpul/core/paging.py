"""Reading one page of a long list cheaply, for list pages (core.tables) and API lists (core.api.pagination).

A page far into a list (offset 2,900 of the national application list) made the database join the
owner, developer and reference of every row it skipped: 52 ms. Deep pages therefore read the ids of
their rows first, then those rows with their related records: 31 ms.

`same_rows`, when a filter set gives it (`BaseFilterSet.same_rows`), holds the same rows as the list in
fewer tables (a typed element list read from the element table alone): the list is counted there, and
every page's ids are read there when the list's order names only fields it has.
"""

from __future__ import annotations

from django.db.models import QuerySet

from simpul.core import ordering

# From this row on, a page reads its ids first and then only its own rows.
DEFERRED_ROWS_FROM = 500


def ordered_like(queryset: QuerySet | None, reference: QuerySet) -> QuerySet | None:
    """`queryset` in `reference`'s order, ended by the primary key; None when that order names a field
    `queryset`'s model does not have (`reference` itself is then returned as it is)."""
    if queryset is None:
        return None
    ordered = ordering.to_primary_key(queryset, ordering.ordering_of(reference))
    return reference if ordered is None and queryset is reference else ordered


def count(queryset: QuerySet, same_rows: QuerySet | None = None) -> int:
    return (queryset if same_rows is None else same_rows).count()


def rows(queryset: QuerySet, start: int, stop: int, same_rows: QuerySet | None = None) -> list:
    """Rows `start` to `stop` of `queryset` in its order (ended by the primary key)."""
    id_source = ordered_like(same_rows, queryset)
    if id_source is None:
        if start < DEFERRED_ROWS_FROM:
            return list(ordered_like(queryset, queryset)[start:stop])
        id_source = ordered_like(queryset, queryset)
    ids = list(id_source.values_list("pk", flat=True)[start:stop])
    found = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]

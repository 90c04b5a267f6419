"""The order every list is read in: text without regard to case, and ended by the primary key.

Text columns sort without regard to case: "e-Office" comes before "WBS-Ponti", as people read a list,
where the databases' binary order (SQLite always, PostgreSQL under the C collation) put every capital
first. A text column is ordered by `Lower(column)`, the same on SQLite and PostgreSQL; the large lists
have functional indexes on it (`Element`: `Lower("name")`, see docs/benchmarks.md). A column with
choices keeps its order (its values are codes, not what the user reads), and a relation sorts by the
related model's own ordering, itself without regard to case.

Sorted by a column that repeats (a name used by many instansi, an owner, a status), the database may
order equal rows differently from one page's query to the next; a tie-break on the primary key fixes
their order.

`to_primary_key` is the one place that applies both: list pages (`core.tables`, through `core.paging`),
their exports, API lists (`core.api.pagination`, whatever `?ordering=` asked) and the global search
read through it, so a new module's lists sort this way without doing anything.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Lower

# A relation's ordering is followed into the related model's (`owner` sorts by the OPD's ordering) at
# most this deep, as Django does; a cycle of default orderings stops there.
MAX_RELATION_DEPTH = 3


def ordering_of(queryset: models.QuerySet) -> list:
    """The order `queryset` will be read in: its own, else its model's default."""
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering:
        return list(queryset.model._meta.ordering)
    return []


def to_primary_key(queryset: models.QuerySet, ordering: list | None = None) -> models.QuerySet | None:
    """`queryset` ordered by `ordering` (by default its own), text without regard to case, and then by
    its primary key.

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
    ends_with_pk = bool(ordering) and ordering[-1].lstrip("-") in pk_names
    ordered = case_insensitive(model, ordering)
    return queryset.order_by(*ordered) if ends_with_pk else queryset.order_by(*ordered, "pk")


def case_insensitive(model: type[models.Model], ordering: list) -> list:
    """`ordering` (of `model`'s rows) with every text column compared in lower case.

    `"name"` becomes `Lower("name").asc()`, `"-owner__short_name"` `Lower("owner__short_name").desc()`;
    a relation is replaced by the related model's ordering, followed through it. Anything else (numbers,
    dates, choices, "?", expressions, names the model does not have) stays as it is.
    """
    result: list = []
    for item in ordering:
        result.extend(_item(model, item) if isinstance(item, str) else [item])
    return result


def is_text(field) -> bool:
    """Whether `field` holds text people read and sort by (not a code from a list of choices)."""
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def _item(model, item: str, depth: int = 0) -> list:
    descending = item.startswith("-")
    path = item.lstrip("-")
    if path == "?":
        return [item]
    field = _field_at(model, path)
    if field is None:
        return [item]
    if is_text(field):
        expression = Lower(path)
        return [expression.desc() if descending else expression.asc()]
    related = field.related_model if field.is_relation else None
    # `owner_id` names the key column itself, as it does for Django.
    if path.rsplit("__", 1)[-1] == getattr(field, "attname", None) != field.name:
        return [item]
    if related is None or field.many_to_many or field.one_to_many or depth >= MAX_RELATION_DEPTH:
        return [item]
    # Django orders by a relation through the related model's default ordering; so does this, its text
    # columns in lower case too. A related model without one sorts by the key, as Django does.
    expanded = []
    for inner in related._meta.ordering:
        if not isinstance(inner, str):
            return [item]
        inner_descending = inner.startswith("-")
        inner_path = inner.lstrip("-")
        if inner_path == "pk":
            inner_path = related._meta.pk.name
        sign = "-" if descending != inner_descending else ""
        expanded.extend(_item(model, f"{sign}{path}__{inner_path}", depth + 1))
    return expanded or [item]


def _field_at(model, path: str):
    """The field `path` (`name`, `owner__instansi__name`) names from `model`, or None."""
    field = None
    for part in path.split("__"):
        if field is not None:
            if not field.is_relation or field.related_model is None:
                return None
            model = field.related_model
        if part == "pk":
            field = model._meta.pk
            continue
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
    return field


def _has_field(model, name: str) -> bool:
    if name == "pk" or name == "?":
        return True
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True

"""Base filter set: a free-text `q` over the model's search fields, plus model-specific filters."""

import copy
import operator
from functools import reduce

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.utils import get_model_field

from simpul.core import permissions
from simpul.core.forms import bootstrapify
from simpul.core.queries import first_ids, pk_in

# A select with more options than this is too heavy to render and to use (a national deployment has
# ~15,000 OPDs); such a filter is shown as a box for the record's id instead.
MAX_SELECT_OPTIONS = 500


class ScopedModelSelect(forms.Select):
    """Renders only the records the user may see, or an id box when those are too many.

    Only the rendering changes: the field still validates against its own queryset, and the list
    itself is restricted anyway, so a filter value outside the user's scope simply matches nothing.
    """

    def __init__(self, user, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.user = user

    def render(self, name, value, attrs=None, renderer=None):
        iterator = self.choices
        if isinstance(iterator, ModelChoiceIterator):
            field = copy.copy(iterator.field)
            field.queryset = permissions.restrict(iterator.queryset, self.user, "view")
            if field.queryset.count() > MAX_SELECT_OPTIONS:
                box_attrs = {**self.attrs, "class": "form-control", "placeholder": _("ID"), "min": "1"}
                return forms.NumberInput(box_attrs).render(name, value, attrs, renderer)
            # The records are read as a plain list: ModelChoiceIterator's server-side cursor and a value
            # wrapper per option took a third longer (docs/benchmarks.md).
            choices = [("", field.empty_label)] if field.empty_label is not None else []
            # django-filter's "none" choice (e.g. "Tanpa PIC") comes right after the empty one, as its own
            # iterator puts it.
            if getattr(field, "null_label", None) is not None:
                choices.append((field.null_value, field.null_label))
            choices += [
                (field.prepare_value(record), field.label_from_instance(record)) for record in _label_records(field)
            ]
        else:
            choices = list(self.choices)
        # Options are written directly: the per-option templates of Django's Select take ~0.5 ms each.
        selected = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{conditional_escape(v)}"{" selected" if str(v) in selected else ""}>'
            f"{conditional_escape(label)}</option>"
            for v, label in choices
        )
        return format_html(
            "<select{}>{}</select>", flatatt({**self.build_attrs(self.attrs, attrs), "name": name}), mark_safe(options)
        )


class BaseFilterSet(django_filters.FilterSet):
    """Subclasses set `search_fields`, the lookups searched (icontains) by `q`."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    @property
    def form(self):
        # The list page renders bare widgets; without Bootstrap classes they show up unstyled and
        # squeezed next to their labels on phones.
        fresh = not hasattr(self, "_form")
        form = super().form
        if fresh:
            whole_number_filters(self, form)
            user = getattr(self.request, "user", None)
            for field in form.fields.values():
                if user is not None and _is_single_model_select(field):
                    field.widget = ScopedModelSelect(user, field.widget.attrs, field.choices)
            bootstrapify(form)
        return form

    # Set by `search` when the term matched more than MAX_COLLECTED_MATCHES records (see `known_count`).
    many_matches = False
    # The ids `search` collected (at most MAX_COLLECTED_MATCHES), or None when it did not collect them.
    collected_ids: list | None = None

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        terms = [term for term in value.split() if term][:8]
        own, related = _split_search_fields(queryset.model, self.search_fields)
        conditions = []
        for term in terms:
            term_conditions = [Q(**{f"{field}__icontains": term}) for field in own]
            for relation, fields in related.items():
                term_conditions.append(_related_match(queryset.model, relation, fields, term))
            conditions.append(reduce(operator.or_, term_conditions))
        searched = reduce(lambda rows, condition: rows.filter(condition), conditions, queryset)
        # A page of a sorted list walks the sort order's index and tests each row against the terms.
        # For a term that is not frequent (or matches are bunched, e.g. "server" in one domain) that
        # walk passes tens of thousands of rows before it has a page: 130 ms at 100k elements. So the
        # matches are collected first (the trigram indexes find them) and, if few, the page is sorted
        # from their ids; frequent terms fill a page early in the index walk and keep it.
        pool = self.match_pool(queryset)
        if pool is None:
            return searched
        collected = reduce(lambda rows, condition: rows.filter(condition), conditions, pool)
        try:
            matches = first_ids(collected, MAX_COLLECTED_MATCHES + 1)
        except EmptyResultSet:
            # Another filter rules out every row before the database is asked (a number beyond its column's
            # range); on PostgreSQL first_ids compiles the query itself and met that as a server error.
            matches = []
        if len(matches) <= MAX_COLLECTED_MATCHES:
            self.collected_ids = matches
            return queryset.filter(pk_in(matches))
        self.many_matches = True
        return searched

    def match_pool(self, queryset):
        """The rows among which `search` collects the matches' ids, or None not to collect.

        The same rows as `queryset`, read from the fewest tables. Not for a model stored across tables
        (a typed element: its row joined to its parent's): there PostgreSQL misjudges the join under a
        LIMIT and collecting took longer than the page it saves (docs/benchmarks.md); a filter set that
        knows an equivalent single table may name it by overriding this.
        """
        return None if queryset.model._meta.parents else queryset

    def known_count(self) -> tuple[int, bool] | None:
        """The list's count when the search already knows it: (count, whether it is only a minimum).

        The ids a search collected are exactly the list's rows when no other filter narrows them, so they
        are its count. A search seen to match more than MAX_COLLECTED_MATCHES records is not counted at
        all: counting every match of a frequent term costs a check of each one (a term found in all 100k
        elements: 130 ms), so the list says "more than 2,000" instead.
        """
        if not self.is_valid() or self.active_filter_names() - {"q"}:
            return None
        if self.many_matches:
            return MAX_COLLECTED_MATCHES, True
        if self.collected_ids is not None:
            return len(self.collected_ids), False
        return None

    def same_rows(self):
        """The rows of `qs` (the same primary keys) read from fewer tables, or None.

        List pages count these and read a page's ids from them, then only that page's rows from `qs`
        (see `core.tables.PagedQuerysetData`).
        """
        return None

    def active_filter_names(self) -> set[str]:
        return {name for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}


# The integers SQLite's driver and PostgreSQL's bigint take; a filter value beyond them reached the database
# and came back as a server error (SQLite: OverflowError).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def whole_number_filters(filterset, form) -> None:
    """Number filters on integer columns (ids, foreign keys, years, levels) take whole numbers within 64 bits.

    django-filter reads every number as a decimal, so `?period=1.5` silently matched period 1 and
    `?period=99999999999999999999` reached the database. Both now leave the form invalid, with Django's
    own message naming the filter. BaseFilterSet applies this to its form; the API filter backend applies
    it to the filter sets that are not BaseFilterSets, before validating them.
    """
    if getattr(form, "whole_numbers_checked", False):
        return
    form.whole_numbers_checked = True
    model = filterset._meta.model
    for name, field in list(form.fields.items()):
        declared = filterset.filters.get(name)
        # Exactly a DecimalField: the comma-separated "in" filters subclass it and take lists.
        if type(field) is not forms.DecimalField or not isinstance(declared, django_filters.NumberFilter):
            continue
        if model is None or not _is_integer_column(model, declared.field_name):
            continue
        form.fields[name] = forms.IntegerField(
            required=field.required,
            label=field.label,
            help_text=field.help_text,
            widget=field.widget,
            min_value=INT64_MIN,
            max_value=INT64_MAX,
        )


def _is_integer_column(model, field_name: str) -> bool:
    try:
        field = get_model_field(model, field_name)
    except FieldDoesNotExist:
        return False
    if field is not None and field.is_relation:
        field = getattr(field, "target_field", None)
    return isinstance(field, models.IntegerField)


# A related-record match with more ids than this is passed as a subquery instead of a list of ids.
MAX_SEARCH_IDS = 1000
# Searches matching at most this many records are sorted from the collected ids (see `search`).
MAX_COLLECTED_MATCHES = 2000


def _split_search_fields(model, fields: tuple[str, ...]) -> tuple[list[str], dict[str, list[str]]]:
    """The model's own search fields, and the fields searched through a foreign key, per key."""
    own: list[str] = []
    related: dict[str, list[str]] = {}
    for path in fields:
        relation, _sep, rest = path.partition("__")
        try:
            model_field = model._meta.get_field(relation) if rest else None
        except FieldDoesNotExist:
            model_field = None
        if model_field is not None and model_field.many_to_one:
            related.setdefault(relation, []).append(rest)
        else:
            own.append(path)
    return own, related


def _related_match(model, relation: str, fields: list[str], term: str) -> Q:
    """`relation` points to a record that matches `term` in one of `fields`.

    The same as OR-ing `relation__field__icontains`, but that OR spans a join, so the database has to
    read every row of the searched table and cannot use the indexes of its own columns (a sequential
    scan of the whole national repository for a superuser). Looking the few matching related records
    up first leaves a condition on the table's own foreign key column.
    """
    related_model = model._meta.get_field(relation).related_model
    # Unordered: the related model's default ordering may join another table only to sort ids.
    matches = (
        related_model._base_manager.filter(
            reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in fields))
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    ids = list(matches[: MAX_SEARCH_IDS + 1])
    if len(ids) > MAX_SEARCH_IDS:
        return Q(**{f"{relation}__in": matches})
    return Q(**{f"{relation}__in": ids})


def _label_records(field):
    """The field's records, read with only the columns their label needs when the model names them.

    A model whose `__str__` reads few columns declares them as `label_fields`; a national instansi filter
    then reads 500 names instead of 500 whole records (each with two timestamps to parse).
    """
    label_fields = getattr(field.queryset.model, "label_fields", None)
    if label_fields and type(field).label_from_instance is forms.ModelChoiceField.label_from_instance:
        return field.queryset.only(*label_fields)
    return field.queryset


def _is_single_model_select(field) -> bool:
    return (
        isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, forms.ModelMultipleChoiceField)
        and type(field.widget) is forms.Select
    )

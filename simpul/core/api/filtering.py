"""The API's filter backend: django-filter's, keeping the filter set for the pagination to consult, and
refusing values of known query parameters that it would otherwise drop without a word."""

import re

from django import forms
from django.utils.translation import gettext as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from simpul.core.filters import whole_number_filters


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        # django-filter's own method, keeping the filter set that filtered: the pagination asks it whether
        # the result may go uncounted (StandardPagination), which only the set that ran the search knows.
        filterset = self.get_filterset(request, queryset, view)
        view.active_filterset = filterset
        errors = invalid_ordering(request, queryset, view)
        if filterset is not None:
            whole_number_filters(filterset, filterset.form)
            errors |= unread_values(filterset)
            if not filterset.is_valid() and self.raise_exception:
                errors = dict(utils.translate_validation(filterset.errors).detail) | errors
        # All problems at once, each under the name of its parameter, so a client can fix them in one go.
        if errors:
            raise ValidationError(errors)
        if filterset is None:
            return queryset
        return filterset.qs


def unread_values(filterset) -> dict[str, list[str]]:
    """Values of yes/no filters that their widget does not read: the filter was silently left out, so
    `?published=yes` listed published and unpublished records alike."""
    form = filterset.form
    errors = {}
    for name, field in form.fields.items():
        if not isinstance(field, forms.NullBooleanField):
            continue
        key = form.add_prefix(name)
        raw = filterset.data.get(key)
        if raw not in (None, "") and field.widget.value_from_datadict(filterset.data, {}, key) is None:
            errors[key] = [_("Enter true or false.")]
    return errors


def ordering_pattern(queryset, view, request) -> str | None:
    """The `ordering` values the view takes: its fields, each optionally reversed with `-`, comma-separated.

    None when the view does not order by request."""
    if not any(issubclass(backend, OrderingFilter) for backend in getattr(view, "filter_backends", ())):
        return None
    fields = [name for name, _label in OrderingFilter().get_valid_fields(queryset, view, {"request": request})]
    if not fields:
        return None
    term = "-?(?:" + "|".join(re.escape(name) for name in sorted(fields)) + ")"
    return f"^{term}(?:,{term})*$"


def invalid_ordering(request, queryset, view) -> dict[str, list[str]]:
    """DRF drops unknown ordering fields and orders by the default instead, which a client cannot tell from
    the order it asked for."""
    param = OrderingFilter.ordering_param
    value = request.query_params.get(param)
    if not value:
        return {}
    pattern = ordering_pattern(queryset, view, request)
    if pattern is None or re.fullmatch(pattern, value):
        return {}
    fields = sorted(name for name, _label in OrderingFilter().get_valid_fields(queryset, view, {"request": request}))
    return {param: [_("Order by one of: %(fields)s; put - before a field to reverse.") % {"fields": ", ".join(fields)}]}

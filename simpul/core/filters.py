"""Base filter set: a free-text `q` over the model's search fields, plus model-specific filters."""

import operator
from functools import reduce

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simpul.core.forms import bootstrapify


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
            bootstrapify(form)
        return form

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        terms = [term for term in value.split() if term][:8]
        for term in terms:
            queryset = queryset.filter(
                reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in self.search_fields))
            )
        return queryset

"""The API's filter backend: django-filter's, keeping the filter set for the pagination to consult."""

from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        # django-filter's own method, keeping the filter set that filtered: the pagination asks it whether
        # the result may go uncounted (StandardPagination), which only the set that ran the search knows.
        filterset = self.get_filterset(request, queryset, view)
        view.active_filterset = filterset
        if filterset is None:
            return queryset
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from simpul.core import paging

# The largest offset a database takes (SQLite and PostgreSQL both read it as a 64-bit integer).
MAX_OFFSET = 2**63 - 1
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def whole_number_parameter(request, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    """Query parameter `name` as a whole number from `minimum` to `maximum`, `default` when absent or empty.

    Anything else is refused (HTTP 400 naming the parameter): a value read as the default instead would
    answer another question than the one asked, without saying so.
    """
    raw = request.query_params.get(name)
    if raw is None or not raw.strip():
        return default
    # int() alone would also take "1_000" and non-ASCII digits.
    value = _whole_number(raw.strip()) if _WHOLE_NUMBER.fullmatch(raw.strip()) else None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("Enter a whole number of at least %(minimum)s.") % {"minimum": minimum}
        else:
            message = _("Enter a whole number from %(minimum)s to %(maximum)s.") % {
                "minimum": minimum,
                "maximum": maximum,
            }
        raise ValidationError({name: [message]})
    return value


def _whole_number(text: str) -> int:
    # Python refuses to convert more than 4,300 digits (ValueError); any such number is beyond every bound.
    if len(text.lstrip("+-").lstrip("0")) > 30:
        return -(10**30) if text.startswith("-") else 10**30
    return int(text)


def choice_parameter(request, name: str, choices: tuple[str, ...], default: str) -> str:
    """Query parameter `name` as one of `choices` (`default` when absent or empty); others are refused."""
    value = request.query_params.get(name) or default
    if value not in choices:
        raise ValidationError({name: [_("Choose one of: %(keys)s.") % {"keys": ", ".join(choices)}]})
    return value


class StandardPagination(LimitOffsetPagination):
    """limit/offset pages in a fixed order (ended by the primary key), counted unless not worth it.

    A search that matched more than 2,000 records with no other filter is not counted (counting every
    match of a term found in all 100k elements of a national repository took 130 ms): `count` is then
    null, and `next` is given while there are more rows, so clients that follow `next` get every row.
    """

    default_limit = 50
    max_limit = 1000
    limit_query_description = gettext_lazy(
        "Number of results to return per page, at least 1; more than 1,000 returns 1,000."
    )

    def get_limit(self, request):
        # A limit above the maximum is read as the maximum (documented), anything else invalid is refused.
        limit = whole_number_parameter(request, self.limit_query_param, self.default_limit, minimum=1)
        return min(limit, self.max_limit)

    def get_offset(self, request):
        return whole_number_parameter(request, self.offset_query_param, 0, minimum=0, maximum=MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for parameter in parameters:
            parameter["schema"] |= bounds.get(parameter["name"], {})
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        # core.paging reads the rows in the queryset's order ended by the primary key.
        filterset = getattr(view, "active_filterset", None)
        known = filterset.known_count() if hasattr(filterset, "known_count") else None
        # The same rows in fewer tables (a typed element list read from the element table), as list pages
        # use them: counted and paged there (core.paging).
        self.same_rows = filterset.same_rows() if hasattr(filterset, "same_rows") else None
        self.known_count = None if known is None or known[1] else known[0]
        self.uncounted = known is not None and known[1]
        self.request = request
        self.limit = self.get_limit(request)
        if self.limit is None:
            return None
        self.offset = self.get_offset(request)
        if self.uncounted:
            self.count = None
            rows = paging.rows(queryset, self.offset, self.offset + self.limit + 1, self.same_rows)
            self.has_more = len(rows) > self.limit
            return rows[: self.limit]
        self.count = self.get_count(queryset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if self.count == 0 or self.offset > self.count:
            return []
        return paging.rows(queryset, self.offset, self.offset + self.limit, self.same_rows)

    def get_count(self, queryset):
        # The ids a search collected are the result when nothing else filters it (BaseFilterSet.known_count).
        if self.known_count is not None:
            return self.known_count
        return paging.count(queryset, self.same_rows)

    def get_paginated_response(self, data):
        if not self.uncounted:
            return super().get_paginated_response(data)
        return Response(
            {"count": None, "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self):
        if not self.uncounted:
            return super().get_next_link()
        if not self.has_more:
            return None
        url = replace_query_param(self.request.build_absolute_uri(), self.limit_query_param, self.limit)
        return replace_query_param(url, self.offset_query_param, self.offset + self.limit)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"] |= {
            "nullable": True,
            "description": "Number of results; null for a search with more than 2,000 matches and no other "
            "filter, which is not counted (follow `next`).",
        }
        return response

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from simpul.core import paging


class StandardPagination(LimitOffsetPagination):
    """limit/offset pages in a fixed order (ended by the primary key), counted unless not worth it.

    A search that matched more than 2,000 records with no other filter is not counted (counting every
    match of a term found in all 100k elements of a national repository took 130 ms): `count` is then
    null, and `next` is given while there are more rows, so clients that follow `next` get every row.
    """

    default_limit = 50
    max_limit = 1000

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

"""The architecture module's entry page."""

from django.db.models import Count
from django.shortcuts import render
from django.views import View

from simpul.architecture.choices import Domain
from simpul.architecture.views.elements import TYPED_VIEWS, ElementViews
from simpul.core.views.generic import ModelViewMixin


class OverviewView(ModelViewMixin, View):
    """The repository's entry page: counts per domain, links to each element type and the tools."""

    config = ElementViews

    def get(self, request):
        elements = self.get_queryset()
        counts = {row["domain"]: row["n"] for row in _domain_counts(elements)}
        sections = [
            {"domain": domain, "label": Domain(domain).label, "count": counts.get(domain, 0), "urls": views.url_names()}
            for domain, views in TYPED_VIEWS.items()
        ]
        return render(request, "architecture/overview.html", {"sections": sections, "total": sum(counts.values())})


def _domain_counts(queryset):
    return queryset.order_by().values("domain").annotate(n=Count("pk"))

"""Analyses of the architecture: the impact of an element (what depends on it, what it needs) and the
master plan's compliance rules for an instansi."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views import View

from simpul.architecture import compliance, impact
from simpul.architecture.choices import Domain
from simpul.architecture.views.elements import ElementViews
from simpul.core import permissions
from simpul.core.queries import record_id
from simpul.core.views.generic import ModelViewMixin
from simpul.organizations.models import Instansi, PerangkatDaerah


class ImpactView(ModelViewMixin, View):
    """What depends on an element (or what it needs): the nearest reached elements a page at a time,
    counted per distance and domain, with the OPDs affected.

    A reach can hold ~100,000 elements, so the page lists `page_size` of them, by distance and then
    name, and the counts come from the database (`impact.VisibleReach`): the queries and the page's
    size stay the same whatever the reach.
    """

    config = ElementViews
    template_name = "architecture/impact.html"
    page_size = impact.PAGE_SIZE

    def get(self, request, pk):
        element = get_object_or_404(self.get_queryset(), pk=pk)
        direction = request.GET.get("direction", "dependents")
        if direction not in ("dependents", "dependencies"):
            direction = "dependents"
        reach = impact.VisibleReach(impact.analyse(element, direction), request.user)
        page = Paginator(reach, self.page_size).get_page(request.GET.get("page"))
        owners = Q(pk__in=reach.owner_ids())
        if direction == "dependents":
            owners |= Q(pk=element.owner_id)
        return render(
            request,
            self.template_name,
            {
                "element": element,
                "direction": direction,
                "page": page,
                "page_size": self.page_size,
                "page_urls": _page_urls(request, page),
                "rows": [{"element": e, "depth": distance} for e, distance in page.object_list],
                "by_distance": list(reach.by_distance.items()),
                "hidden_count": reach.hidden,
                "affected_opds": sorted(PerangkatDaerah.objects.filter(owners), key=str),
                "by_domain": sorted((str(Domain(d).label), n) for d, n in reach.by_domain().items()),
            },
        )


def _page_urls(request, page) -> dict[str, str]:
    """Links to the first, previous, next and last page, keeping the other parameters (direction)."""
    numbers = {}
    if page.has_previous():
        numbers.update(first=1, previous=page.previous_page_number())
    if page.has_next():
        numbers.update(next=page.next_page_number(), last=page.paginator.num_pages)
    urls = {}
    for name, number in numbers.items():
        query = request.GET.copy()
        query["page"] = number
        urls[name] = f"?{query.urlencode()}"
    return urls


class ComplianceView(ModelViewMixin, View):
    """The master plan's rules, computed for an instansi, each finding linking to the record to fix.

    `?opd=<id>` narrows the findings to one OPD of the instansi (the executive dashboard links here so).
    """

    config = ElementViews
    template_name = "architecture/compliance.html"

    def get(self, request):
        instansi_qs = permissions.restrict(Instansi.objects.all(), request.user, "view")
        requested = record_id(request.GET.get("instansi"))
        instansi = (instansi_qs.filter(pk=requested).first() if requested else None) or instansi_qs.first()
        if instansi is None:
            raise PermissionDenied
        report = compliance.check(request.user, instansi)
        opd_id = record_id(request.GET.get("opd"))
        opd = PerangkatDaerah.objects.filter(instansi=instansi, pk=opd_id).first() if opd_id else None
        if opd is not None:
            report = compliance.ComplianceReport(instansi, [f for f in report.findings if f.opd_id == opd.pk])
        return render(
            request,
            self.template_name,
            {
                "instansi": instansi,
                "instansi_choices": instansi_qs,
                "report": report,
                "rules": compliance.RULES,
                "opd": opd,
            },
        )

"""Diagram pages and downloads: an element's neighbourhood, an impact analysis, the SPBE layers.

Each view answers three ways from the same permission-checked diagram: an HTML page, an HTML fragment
for htmx (embedded on the element and impact pages), or a file download (`?format=svg` or `png`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views import View

from simpul.architecture import diagrams, models
from simpul.architecture.choices import Domain
from simpul.architecture.views.elements import ElementViews
from simpul.core import permissions
from simpul.core.views.generic import ModelViewMixin
from simpul.organizations.models import Instansi, PerangkatDaerah

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


class DiagramView(ModelViewMixin, View):
    """What the three diagram views share: answering as a page, a fragment or a file."""

    config = ElementViews
    page_template = "architecture/diagram_page.html"

    def respond(self, diagram: diagrams.Diagram, filename: str, context: dict, query: dict):
        fmt = self.request.GET.get("format")
        if fmt in FORMATS:
            if fmt == "svg":
                body: bytes | str = diagrams.render_svg(diagram, standalone=True)
            else:
                body = diagrams.render_png(diagram)
            response = HttpResponse(body, content_type=FORMATS[fmt])
            response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
            return response
        base = f"{self.request.path}?{urlencode(query)}&" if query else f"{self.request.path}?"
        context = {
            **context,
            "diagram": diagram,
            "svg": mark_safe(diagrams.render_svg(diagram, standalone=False)),  # every text is escaped
            "svg_url": f"{base}format=svg",
            "png_url": f"{base}format=png",
            "page_url": f"{self.request.path}?{urlencode(query)}" if query else self.request.path,
        }
        fragment = getattr(self.request, "htmx", False) or self.request.GET.get("partial")
        template = "architecture/diagram_figure.html" if fragment else self.page_template
        return render(self.request, template, context)

    def visible_element(self, pk: int) -> models.Element:
        return get_object_or_404(self.get_queryset().select_related("owner"), pk=pk)


class ElementDiagramView(DiagramView):
    """An element and what it is linked to, one or two steps away."""

    def get(self, request, pk):
        element = self.visible_element(pk)
        depth = 2 if request.GET.get("depth") == "2" else 1
        diagram = diagrams.neighbourhood(element, request.user, depth)
        context = {"element": element, "kind": "neighbourhood", "depth": depth}
        filename = f"diagram-{slugify(element.name) or element.pk}"
        return self.respond(diagram, filename, context, {"depth": depth} if depth != 1 else {})


class ImpactDiagramView(DiagramView):
    """The impact analysis of an element drawn by distance, the analysed element highlighted."""

    def get(self, request, pk):
        element = self.visible_element(pk)
        direction = request.GET.get("direction", "dependents")
        if direction not in ("dependents", "dependencies"):
            direction = "dependents"
        diagram = diagrams.impact_diagram(element, request.user, direction)
        context = {"element": element, "kind": "impact", "direction": direction}
        filename = f"impact-{slugify(element.name) or element.pk}-{direction}"
        return self.respond(diagram, filename, context, {"direction": direction})


class LayerDiagramView(DiagramView):
    """All elements of an instansi in the SPBE layers, optionally of one domain or one OPD."""

    page_template = "architecture/diagram_layers.html"

    def get(self, request):
        instansi_choices = permissions.restrict(Instansi.objects.all(), request.user, "view")
        instansi = instansi_choices.filter(pk=_int(request.GET.get("instansi"))).first() or instansi_choices.first()
        if instansi is None:
            raise PermissionDenied
        opd_choices = permissions.restrict(PerangkatDaerah.objects.filter(instansi=instansi), request.user, "view")
        opd = opd_choices.filter(pk=_int(request.GET.get("opd"))).first() if request.GET.get("opd") else None
        domain = request.GET.get("domain") if request.GET.get("domain") in Domain.values else None
        diagram = diagrams.layer_diagram(request.user, instansi, domain=domain, opd=opd)
        query = {"instansi": instansi.pk}
        if domain:
            query["domain"] = domain
        if opd is not None:
            query["opd"] = opd.pk
        parts = [slugify(instansi.slug or instansi.name)]
        if opd is not None:
            parts.append(slugify(opd.short_name or opd.name))
        if domain:
            parts.append(domain)
        context = {
            "kind": "layers",
            "instansi": instansi,
            "instansi_choices": instansi_choices,
            "opd": opd,
            "opd_choices": opd_choices,
            "domain": domain or "",
            "domain_choices": Domain.choices,
        }
        return self.respond(diagram, "arsitektur-" + "-".join(p for p in parts if p), context, query)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

"""Pages of the evaluation frameworks: list, detail (domains, aspects, indicators, levels, crosswalk), upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.core.views.generic import ModelViews, ObjectDetailView, ObjectListView, object_timeline
from simpul.evaluation import filters, forms, services, tables
from simpul.evaluation.frameworks import FrameworkError
from simpul.evaluation.models import Crosswalk, Framework, VerificationStatus


def framework_structure(framework: Framework) -> list[dict]:
    """Domains → aspects → indicators of a framework, with level texts and crosswalk links per indicator."""
    spec = framework.spec
    links: dict[int, list[dict]] = {}
    crosswalks = Crosswalk.objects.filter(
        Q(from_indicator__framework=framework) | Q(to_indicator__framework=framework)
    ).select_related("from_indicator__framework", "to_indicator__framework")
    for pair in crosswalks:
        if pair.from_indicator.framework_id == framework.pk:
            own, other = pair.from_indicator, pair.to_indicator
        else:
            own, other = pair.to_indicator, pair.from_indicator
        links.setdefault(own.number, []).append(
            {"indicator": other, "framework": other.framework, "official": pair.status == Crosswalk.Status.OFFICIAL}
        )
    indicators_by_aspect: dict[str, list[dict]] = {}
    for indicator in spec.indicators:
        indicators_by_aspect.setdefault(indicator.aspect, []).append(
            {
                "spec": indicator,
                "levels": spec.levels_for(indicator),
                "crosswalk": sorted(links.get(indicator.number, []), key=lambda link: link["indicator"].number),
            }
        )
    aspects = [{"spec": aspect, "indicators": indicators_by_aspect.get(aspect.code, [])} for aspect in spec.aspects]
    if not spec.domains:
        return [{"spec": None, "aspects": aspects}]
    return [
        {"spec": domain, "aspects": [aspect for aspect in aspects if aspect["spec"].domain == domain.code]}
        for domain in spec.domains
    ]


class FrameworkListView(ObjectListView):
    template_name = "evaluation/framework_list.html"

    def base_context(self) -> dict:
        return super().base_context() | {
            "can_upload": permissions.has_model_permission(self.request.user, "add", Framework)
        }


class FrameworkDetailView(ObjectDetailView):
    template_name = "evaluation/framework_detail.html"

    def get(self, request, pk):
        framework = get_object_or_404(self.get_queryset(), pk=pk)
        context = self.base_context() | {
            "object": framework,
            "spec": framework.spec,
            "status_label": VerificationStatus(framework.status).label
            if framework.status in VerificationStatus.values
            else framework.status,
            "structure": framework_structure(framework),
            "history": object_timeline(framework),
            "can_upload": permissions.has_model_permission(request.user, "add", Framework),
            "period_count": framework.periods.count(),
        }
        return render(request, self.template_name, context)


class FrameworkViews(ModelViews):
    model = Framework
    url_prefix = "frameworks"
    table = tables.FrameworkTable
    filterset = filters.FrameworkFilterSet
    # Frameworks change only by loading a checked file (FrameworkUploadView), never field by field.
    form = None
    deletable = False
    importable = False
    list_view = FrameworkListView
    detail_view = FrameworkDetailView


class FrameworkUploadView(LoginRequiredMixin, View):
    """The Admin SPBE loads a new (version of a) framework file; a file with any problem stores nothing."""

    template_name = "evaluation/framework_upload.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_model_permission(request.user, "add", Framework):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": forms.FrameworkUploadForm(), "errors": []})

    def post(self, request):
        form = forms.FrameworkUploadForm(request.POST, request.FILES)
        errors: list[str] = []
        if form.is_valid():
            try:
                framework, action = services.load_framework(
                    request.user, form.cleaned_data["document"], source_file=form.cleaned_data["file"].name
                )
            except FrameworkError as error:
                errors = error.errors
            else:
                text = {
                    "created": _("Framework %(name)s was loaded."),
                    "updated": _("Framework %(name)s was updated from the file."),
                    "unchanged": _("Framework %(name)s is already loaded in exactly this version; nothing changed."),
                }[action]
                messages.success(request, text % {"name": framework})
                return HttpResponseRedirect(framework.get_absolute_url())
        return render(request, self.template_name, {"form": form, "errors": errors}, status=400)

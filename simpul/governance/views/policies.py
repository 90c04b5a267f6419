"""The policy registry's pages: the list (filters by kind, status, topic, year), a policy with its file,
history and the indicators it serves, its workflow steps, and the coverage of the policy-domain
indicators by enacted policies."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from simpul.core import permissions
from simpul.core.views.generic import ModelViews
from simpul.governance import coverage, filters, forms, models, services, tables
from simpul.governance.views.common import DetailPage, DocumentDownloadView, instansi_for, visible_instansi


class PolicyDetailView(DetailPage):
    template_name = "governance/policy_detail.html"

    steps = services.POLICY_STEPS
    step_messages = {
        "enact": _("The policy was recorded as enacted."),
        "revoke": _("The policy was recorded as revoked."),
        "replace": _("The policy was recorded as replaced."),
    }

    def make_step_form(self, name, obj, data=None):
        if name == "enact":
            return forms.EnactForm(data, policy=obj)
        if name == "replace":
            return forms.ReplaceForm(data, policy=obj, user=self.request.user)
        return forms.NoteForm(data, label=_("Why, and by which decision (required)"))

    def extra_context(self, obj, forms_):
        user = self.request.user
        served = coverage.served_indicators(obj)
        by_framework: dict = {}
        for indicator in served:
            by_framework.setdefault(indicator.framework, []).append(indicator)
        visible = permissions.restrict(models.Policy.objects.all(), user, "view")
        return {
            "served": list(by_framework.items()),
            "topics": list(obj.topics.all()),
            "replaced_by": visible.filter(pk=obj.replaced_by_id).first() if obj.replaced_by_id else None,
            "replaces": list(visible.filter(replaced_by=obj)),
            "decrees": list(permissions.restrict(obj.decrees.select_related("team"), user, "view")),
        }


class PolicyViews(ModelViews):
    model = models.Policy
    url_prefix = "policies"
    queryset = models.Policy.objects.select_related("instansi", "owner").prefetch_related("topics")
    table = tables.PolicyTable
    filterset = filters.PolicyFilterSet
    form = forms.PolicyForm
    import_form = forms.PolicyImportForm
    import_lookups = {"instansi": "slug", "owner": "short_name"}
    detail_view = PolicyDetailView


class PolicyDownloadView(DocumentDownloadView):
    model = models.Policy


class CoverageView(LoginRequiredMixin, View):
    """Each policy-domain indicator of the framework with the enacted policies covering it, or
    "no policy yet"; drafts are shown beside, as they are not yet policy."""

    def get(self, request):
        if not permissions.has_model_permission(request.user, "view", models.Policy):
            raise PermissionDenied
        instansi = instansi_for(request)
        frameworks = coverage.policy_frameworks()
        chosen = next((f for f in frameworks if f.code == request.GET.get("framework")), None)
        result = coverage.coverage(request.user, instansi.pk, chosen) if instansi else coverage.Coverage(None)
        context = {
            "instansi": instansi,
            "instansi_choices": list(visible_instansi(request.user)),
            "frameworks": frameworks,
            "coverage": result,
            "can_add": permissions.has_model_permission(request.user, "add", models.Policy),
        }
        return render(request, "governance/coverage.html", context)

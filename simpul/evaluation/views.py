from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from simpul.core import permissions
from simpul.evaluation.models import EvaluationPeriod, Framework


class OverviewView(LoginRequiredMixin, View):
    """The module's entry page: the evaluation periods the user may see, newest first, and the frameworks."""

    def get(self, request):
        periods = permissions.restrict(
            EvaluationPeriod.objects.select_related("instansi", "framework").prefetch_related("scores"),
            request.user,
            "view",
        )
        frameworks = permissions.restrict(Framework.objects.filter(is_active=True), request.user, "view")
        return render(request, "evaluation/overview.html", {"periods": periods, "frameworks": frameworks})

"""The evaluation's front page: the current periods with their index and progress, and each user's to-do lists."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.shortcuts import render
from django.views import View

from simpul.core import permissions
from simpul.evaluation.models import (
    SELF_EDITABLE,
    AssessmentStatus,
    EvaluationPeriod,
    Framework,
    IndicatorAssessment,
    PeriodStatus,
)
from simpul.evaluation.results import year_result
from simpul.evaluation.views.common import my_opd_ids, score_rows, status_progress

LIST_LIMIT = 20


class OverviewView(LoginRequiredMixin, View):
    """The current periods of the user's instansi with their index and progress, and the user's to-do lists."""

    def get(self, request):
        user = request.user
        periods = list(
            permissions.restrict(
                EvaluationPeriod.objects.select_related("instansi", "framework").prefetch_related("scores"),
                user,
                "view",
            )
        )
        current = [period for period in periods if not period.is_closed]
        # Without an open period the latest closed one is still the "current" result to show.
        if not current and periods:
            current = [periods[0]]
        visible = permissions.restrict(IndicatorAssessment.objects.all(), user, "view")
        counts: dict[int, dict[str, int]] = {}
        for row in visible.filter(period__in=current).values("period", "status").annotate(n=Count("pk")):
            counts.setdefault(row["period"], {})[row["status"]] = row["n"]
        cards = [
            {
                "period": period,
                "scores": score_rows(period.scores.all()),
                "result": year_result(period),
                "progress": status_progress(counts.get(period.pk, {})),
                # The planner shows every indicator's level: offered to those who see all of them.
                "can_plan": sum(counts.get(period.pk, {}).values()) == period.assessments.count(),
            }
            for period in current
        ]
        for period in periods:
            if period not in current:
                # An earlier period is summed up by the value standing for its year (`results.pick`).
                period.result = year_result(period)
        open_assessments = IndicatorAssessment.objects.exclude(period__status=PeriodStatus.CLOSED).select_related(
            "indicator", "period", "pic"
        )
        mine = permissions.restrict(open_assessments, user, "change").filter(
            Q(pic__in=my_opd_ids(user)) | Q(pic_user=user), status__in=SELF_EDITABLE
        )
        to_review = permissions.restrict(open_assessments, user, "review").filter(status=AssessmentStatus.SUBMITTED)
        context = {
            "cards": cards,
            "other_periods": [period for period in periods if period not in current],
            "mine": list(mine[:LIST_LIMIT]),
            "mine_count": mine.count(),
            "to_review": list(to_review[:LIST_LIMIT]),
            "to_review_count": to_review.count(),
            "can_add_period": permissions.has_model_permission(user, "add", EvaluationPeriod),
            "can_upload": permissions.has_model_permission(user, "add", Framework),
            "frameworks": permissions.restrict(Framework.objects.filter(is_active=True), user, "view"),
        }
        return render(request, "evaluation/overview.html", context)

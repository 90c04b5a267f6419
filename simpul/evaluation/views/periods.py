"""Pages of the evaluation periods: list, creation, the period page (index, progress, indicator table with
filters, bulk PIC assignment), and the steps of the period's stage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.core.views.generic import ModelViews, ObjectDetailView, ObjectEditView, ObjectListView, object_timeline
from simpul.core.workflow import TransitionError
from simpul.evaluation import filters, forms, services, tables
from simpul.evaluation.models import EvaluationPeriod, IndicatorAssessment, ScoreBasis
from simpul.evaluation.results import pick
from simpul.evaluation.views.common import add_errors, add_transition_error, period_for, score_rows, status_progress
from simpul.organizations.models import PerangkatDaerah


class PeriodListView(ObjectListView):
    template_name = "evaluation/evaluationperiod_list.html"


class PeriodEditView(ObjectEditView):
    """The generic edit page; a new period is made by `services.create_period` (it adds the indicators)."""

    def post(self, request, pk=None):
        if pk is not None:
            return super().post(request, pk)
        if not permissions.has_model_permission(request.user, "add", EvaluationPeriod):
            raise PermissionDenied
        form = self.config.form(request.POST, instance=EvaluationPeriod(), user=request.user)
        if form.is_valid():
            try:
                period = services.create_period(
                    request.user, form.instance, default_pic=form.cleaned_data.get("default_pic")
                )
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not save this record."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s was created.") % {"name": period})
                return HttpResponseRedirect(period.get_absolute_url())
        return self.render_form(form, form.instance, status=400)


def may_assign(user, period: EvaluationPeriod) -> bool:
    return not period.is_closed and permissions.restrict(period.assessments.all(), user, "review").exists()


class PeriodDetailView(ObjectDetailView):
    template_name = "evaluation/evaluationperiod_detail.html"

    def get(self, request, pk, assign_form=None, transition_form=None, status=200):
        user = request.user
        period = get_object_or_404(self.get_queryset(), pk=pk)
        visible = permissions.restrict(
            IndicatorAssessment.objects.filter(period=period).select_related("indicator__aspect__domain", "pic"),
            user,
            "view",
        )
        filterset = filters.AssessmentFilterSet(request.GET, queryset=visible, request=request)
        filterset.filters["aspect"].queryset = period.framework.aspects.all()
        filterset.filters["pic"].queryset = PerangkatDaerah.objects.filter(instansi=period.instansi_id)
        # The page is one period's; the item and number boxes would repeat the search box.
        for name in filters.AssessmentFilterSet.PERIOD_PAGE_HIDDEN:
            del filterset.filters[name]
        rows = list(filterset.qs) if filterset.is_valid() else []
        for row in rows:
            row.period = period  # each row's deadline falls back to the period's (no query per row)
        counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
        scores = list(period.scores.all())
        internal = next((score for score in scores if score.basis == ScoreBasis.INTERNAL), None)
        total_items = next((score.total for score in scores), None) or period.assessments.count()
        can_review = may_assign(user, period)
        transitions = services.allowed_transitions(user, period)
        context = self.base_context() | {
            "object": period,
            "period": period,
            "scores": score_rows(scores),
            "result": pick(scores),
            "final_count": internal.assessed if internal else 0,
            "total_items": total_items,
            "progress": status_progress(counts),
            "partial_view": sum(counts.values()) < total_items,
            "rows": rows,
            "filterset": filterset,
            "filtered": any(value for key, value in request.GET.items() if key in filterset.filters),
            "history": object_timeline(period),
            "can_change": permissions.can(user, "change", period),
            "can_delete": permissions.can(user, "delete", period),
            "can_review": can_review,
            "assign_form": assign_form or (forms.AssignPicForm(period=period, user=user) if can_review else None),
            "transition_form": transition_form
            or (forms.TransitionForm(workflow=EvaluationPeriod.workflow, offered=transitions) if transitions else None),
        }
        return render(request, self.template_name, context, status=status)


class PeriodViews(ModelViews):
    model = EvaluationPeriod
    url_prefix = "periods"
    queryset = EvaluationPeriod.objects.select_related("instansi", "framework").prefetch_related("scores")
    table = tables.PeriodTable
    filterset = filters.PeriodFilterSet
    form = forms.PeriodForm
    importable = False
    list_view = PeriodListView
    detail_view = PeriodDetailView
    edit_view = PeriodEditView


def _detail_with_errors(request, pk, status, **forms_with_errors):
    page = PeriodDetailView(config=PeriodViews)
    page.setup(request, pk=pk)
    return page.get(request, pk, status=status, **forms_with_errors)


class PeriodTransitionView(LoginRequiredMixin, View):
    """Takes one step of the period's stage (start the next stage, go back one with a note, close)."""

    def post(self, request, pk):
        user = request.user
        period = period_for(user, pk)
        offered = services.allowed_transitions(user, period)
        form = forms.TransitionForm(request.POST, workflow=EvaluationPeriod.workflow, offered=offered)
        if form.is_valid():
            try:
                period = services.period_transition(
                    user, period, form.cleaned_data["transition"], note=form.cleaned_data["note"]
                )
            except TransitionError as error:
                status = add_transition_error(form, error)
            else:
                messages.success(
                    request,
                    _("The evaluation is now at the stage: %(stage)s.") % {"stage": period.get_status_display()},
                )
                return HttpResponseRedirect(period.get_absolute_url())
        else:
            status = 400
        return _detail_with_errors(request, pk, status, transition_form=form)


class PeriodAssignView(LoginRequiredMixin, View):
    """Hands the ticked indicators of a period to one OPD (`services.assign_pics`)."""

    def post(self, request, pk):
        user = request.user
        period = period_for(user, pk)
        if not may_assign(user, period):
            raise PermissionDenied
        form = forms.AssignPicForm(request.POST, period=period, user=user)
        if not form.is_valid():
            return _detail_with_errors(request, pk, 400, assign_form=form)
        pic = form.cleaned_data["pic"]
        try:
            count = services.assign_pics(
                user, period, form.cleaned_data["assessments"], pic, due_date=form.cleaned_data["due_date"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return _detail_with_errors(request, pk, 400, assign_form=form)
        except TransitionError as error:
            return _detail_with_errors(request, pk, add_transition_error(form, error), assign_form=form)
        if pic is None:
            messages.success(request, _("%(count)s indicator(s) no longer have a PIC.") % {"count": count})
        else:
            messages.success(
                request, _("%(count)s indicator(s) were assigned to %(pic)s.") % {"count": count, "pic": pic}
            )
        return HttpResponseRedirect(period.get_absolute_url())

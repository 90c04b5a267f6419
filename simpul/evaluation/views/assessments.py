"""The page of one indicator assessment and its steps: the PIC's self-assessment (draft, submit, withdraw),
the internal review (accept, return), and the national stage results."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.core.models import AuditEntry
from simpul.core.views.generic import ModelViews, ObjectDetailView, ObjectListView, object_timeline
from simpul.core.workflow import TransitionError
from simpul.evaluation import evidence, filters, forms, services, tables
from simpul.evaluation.models import (
    NATIONAL_STAGE_ORDER,
    AssessmentStatus,
    IndicatorAssessment,
    NationalStageResult,
)
from simpul.evaluation.views.common import add_errors, add_transition_error

ASSESSMENT_QUERYSET = IndicatorAssessment.objects.select_related(
    "period__framework",
    "period__instansi",
    "indicator__aspect__domain",
    "pic",
    "pic_user",
    "self_assessed_by",
    "reviewed_by",
)
# The review form's note is `review_note`; the steps call it `note`.
REVIEW_FIELDS = {"note": "review_note"}


class AssessmentListView(ObjectListView):
    template_name = "evaluation/indicatorassessment_list.html"


def assessment_for(user, pk: int) -> IndicatorAssessment:
    return get_object_or_404(permissions.restrict(ASSESSMENT_QUERYSET, user, "view"), pk=pk)


def _satisfaction(assessment: IndicatorAssessment):
    satisfaction = assessment.period.framework.spec.satisfaction
    return satisfaction if satisfaction and satisfaction.indicator == assessment.indicator.number else None


def _levels(assessment: IndicatorAssessment):
    spec = assessment.period.framework.spec
    return spec.levels_for(spec.indicator(assessment.indicator.number))


def may_record_national(user, assessment: IndicatorAssessment) -> bool:
    if assessment.period.is_closed:
        return False
    if permissions.can_add(user, NationalStageResult, assessment.period.instansi_id, assessment.pic_id):
        return True
    return (
        permissions.has_model_permission(user, "change", NationalStageResult)
        and permissions.restrict(NationalStageResult.objects.filter(assessment=assessment), user, "change").exists()
    )


def self_form_for(assessment, data=None) -> forms.SelfAssessmentForm:
    satisfaction = _satisfaction(assessment)
    initial = {"justification": assessment.self_justification}
    if assessment.self_level is not None:
        initial["self_level"] = str(int(assessment.self_level))
    if assessment.satisfaction_x is not None:
        initial["satisfaction_x"] = assessment.satisfaction_x
    return forms.SelfAssessmentForm(data, initial=initial, levels=_levels(assessment), satisfaction=satisfaction)


def review_form_for(assessment, data=None) -> forms.ReviewForm:
    form = forms.ReviewForm(data, levels=_levels(assessment), fractional=_satisfaction(assessment) is not None)
    if assessment.status != AssessmentStatus.SUBMITTED:
        # An accepted indicator can only be returned: a final level to choose would mislead.
        del form.fields["final_level"]
    return form


def assessment_history(assessment: IndicatorAssessment, result_ids: list[int]):
    """The audit entries of the assessment and of its national stage results, newest first."""
    own = ContentType.objects.get_for_model(IndicatorAssessment)
    results = ContentType.objects.get_for_model(NationalStageResult)
    return (
        AuditEntry.objects.filter(
            Q(content_type=own, object_id=str(assessment.pk))
            | Q(content_type=results, object_id__in=[str(pk) for pk in result_ids])
        )
        .select_related("actor", "content_type")
        .order_by("-id")
    )


def assessment_context(request, assessment: IndicatorAssessment, **overrides) -> dict:
    user = request.user
    period = assessment.period
    levels = _levels(assessment)
    marks = {}
    for name, value in (
        ("self", assessment.self_level),
        ("final", assessment.final_level),
        ("national", assessment.national_level),
    ):
        if value is not None:
            marks.setdefault(int(value), []).append(name)
    national = sorted(
        permissions.restrict(assessment.national_results.all(), user, "view"),
        key=lambda result: NATIONAL_STAGE_ORDER.index(result.stage),
    )
    siblings = list(
        permissions.restrict(IndicatorAssessment.objects.filter(period=period), user, "view").values_list(
            "pk", flat=True
        )
    )
    position = siblings.index(assessment.pk) if assessment.pk in siblings else -1
    steps = {step.name for step in services.allowed_transitions(user, assessment)}
    can_self = "save_draft" in steps
    can_review = bool(steps & {"accept", "return"})
    can_national = may_record_national(user, assessment)
    context = {
        "assessment": assessment,
        "object": assessment,
        "period": period,
        "framework": period.framework,
        "indicator_spec": period.framework.spec.indicator(assessment.indicator.number),
        "levels": [{"spec": level, "marks": marks.get(level.level, [])} for level in levels],
        "satisfaction": _satisfaction(assessment),
        "differs": assessment.final_level is not None and assessment.final_level != assessment.self_level,
        "national_results": national,
        "history": object_timeline(
            assessment, 30, entries=assessment_history(assessment, [result.pk for result in national])
        ),
        "can_self": can_self,
        "can_withdraw": "withdraw" in steps,
        "can_review": can_review,
        "can_accept": "accept" in steps,
        "can_national": can_national,
        # What the review judges: the evidence the submission froze, as its event recorded it.
        "submitted_evidence": (
            evidence.submitted_evidence(assessment)
            if assessment.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED)
            else None
        ),
        "self_form": self_form_for(assessment) if can_self else None,
        "review_form": review_form_for(assessment) if can_review else None,
        "national_form": forms.NationalResultForm() if can_national else None,
        "previous_pk": siblings[position - 1] if position > 0 else None,
        "next_pk": siblings[position + 1] if 0 <= position < len(siblings) - 1 else None,
        "position": position + 1,
        "sibling_count": len(siblings),
    }
    return context | overrides


class AssessmentDetailView(ObjectDetailView):
    template_name = "evaluation/indicatorassessment_detail.html"

    def get(self, request, pk):
        assessment = assessment_for(request.user, pk)
        return render(request, self.template_name, self.base_context() | assessment_context(request, assessment))


class AssessmentViews(ModelViews):
    """The indicators across periods (a PIC's work list); each opens the assessment page."""

    model = IndicatorAssessment
    url_prefix = "assessments"
    queryset = IndicatorAssessment.objects.select_related("indicator", "period__instansi", "pic")
    table = tables.AssessmentTable
    filterset = filters.AssessmentFilterSet
    form = None
    deletable = False
    importable = False
    list_view = AssessmentListView
    detail_view = AssessmentDetailView


class AssessmentActionView(LoginRequiredMixin, View):
    """Shared by the forms of the assessment page: a bound form with errors re-renders the page."""

    template_name = "evaluation/indicatorassessment_detail.html"

    def render_page(self, request, assessment, status=400, **overrides):
        context = {
            "urls": AssessmentViews.url_names(),
            "verbose_name": IndicatorAssessment._meta.verbose_name,
            "verbose_name_plural": IndicatorAssessment._meta.verbose_name_plural,
        } | assessment_context(request, assessment, **overrides)
        return render(request, self.template_name, context, status=status)


class SelfAssessmentView(AssessmentActionView):
    """The PIC saves a draft or submits; with htmx a draft save swaps only the form panel."""

    def post(self, request, pk):
        user = request.user
        assessment = assessment_for(user, pk)
        if not services.may_self_assess(user, assessment):
            raise PermissionDenied(_("You may not fill in this indicator now."))
        form = self_form_for(assessment, request.POST)
        submit = request.POST.get("action") == "submit"
        status = 400
        if form.is_valid():
            try:
                assessment = services.save_self_assessment(
                    user,
                    assessment,
                    form.level(),
                    form.cleaned_data["justification"],
                    submit=submit,
                    satisfaction_x=form.cleaned_data.get("satisfaction_x") if form.satisfaction else None,
                )
            except TransitionError as error:
                status = add_transition_error(form, error)
                assessment = assessment_for(user, pk)
            else:
                return self.saved(request, assessment, submit)
        if request.htmx:
            context = assessment_context(request, assessment, self_form=form)
            return render(request, "evaluation/_self_panel.html", context)
        return self.render_page(request, assessment, status=status, self_form=form)

    def saved(self, request, assessment, submit):
        url = assessment.get_absolute_url()
        if submit:
            messages.success(request, _("The self-assessment was submitted for review."))
        elif request.htmx:
            assessment = assessment_for(request.user, assessment.pk)
            return render(request, "evaluation/_self_panel.html", assessment_context(request, assessment, saved=True))
        else:
            messages.success(request, _("The draft was saved."))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


class WithdrawView(AssessmentActionView):
    """The PIC takes back a submission that no reviewer has taken up yet."""

    def post(self, request, pk):
        user = request.user
        assessment = assessment_for(user, pk)
        try:
            assessment = services.withdraw(user, assessment, note=request.POST.get("note", ""))
        except TransitionError as error:
            if error.status == 403:
                raise PermissionDenied(error.detail) from error
            messages.error(request, error.detail)
            return self.render_page(request, assessment_for(user, pk), status=error.status)
        messages.success(request, _("The submission was withdrawn; the self-assessment is a draft again."))
        return HttpResponseRedirect(assessment.get_absolute_url())


class ReviewView(AssessmentActionView):
    """A reviewer accepts (optionally with another final level and a note) or returns with a note."""

    def post(self, request, pk):
        user = request.user
        assessment = assessment_for(user, pk)
        if not services.may_review(user, assessment):
            raise PermissionDenied(_("You may not review this indicator."))
        form = review_form_for(assessment, request.POST)
        accept = request.POST.get("action") == "accept"
        status = 400
        if form.is_valid():
            try:
                services.review(
                    user,
                    assessment,
                    accept=accept,
                    note=form.cleaned_data["review_note"],
                    final_level=form.cleaned_data.get("final_level"),
                )
            except TransitionError as error:
                status = add_transition_error(form, error, REVIEW_FIELDS)
                assessment = assessment_for(user, pk)
            else:
                messages.success(
                    request,
                    _("The self-assessment was accepted.") if accept else _("The indicator was returned to its PIC."),
                )
                return HttpResponseRedirect(assessment.get_absolute_url())
        return self.render_page(request, assessment, status=status, review_form=form)


class NationalResultView(AssessmentActionView):
    """Records the level given at one national stage (document assessment, interview, field validation)."""

    def post(self, request, pk):
        user = request.user
        assessment = assessment_for(user, pk)
        if not may_record_national(user, assessment):
            raise PermissionDenied(_("You may not record national results for this indicator."))
        form = forms.NationalResultForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_national_result(
                    user,
                    assessment,
                    data["stage"],
                    data["level"],
                    notes=data["notes"],
                    recommendations=data["recommendations"],
                    assessed_on=data["assessed_on"],
                )
            except ValidationError as error:
                add_errors(form, error)
            except TransitionError as error:
                status = add_transition_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not save this record."))
            else:
                messages.success(request, _("The national stage result was recorded."))
                return HttpResponseRedirect(assessment.get_absolute_url())
        return self.render_page(request, assessment, status=status, national_form=form)

"""Pages of the evaluation workflow: overview, frameworks, periods and the assessment of one indicator.

Views stay thin: what a user may see comes from `permissions.restrict`, every change from
`simpul.evaluation.services` (or the loader for framework files).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.core.models import AuditEntry
from simpul.core.views.generic import ModelViews, ObjectDetailView, ObjectEditView, ObjectListView, object_timeline
from simpul.evaluation import filters, forms, loader, services, tables
from simpul.evaluation.frameworks import FrameworkError
from simpul.evaluation.models import (
    NATIONAL_STAGE_ORDER,
    AssessmentStatus,
    Crosswalk,
    EvaluationPeriod,
    Framework,
    IndicatorAssessment,
    NationalStageResult,
    PeriodStatus,
    ScoreBasis,
    VerificationStatus,
)
from simpul.organizations.models import PerangkatDaerah

# Bootstrap colours of the assessment statuses, for the progress bar and the badges' legend.
STATUS_COLOURS = {
    AssessmentStatus.NOT_STARTED: "secondary",
    AssessmentStatus.DRAFT: "info",
    AssessmentStatus.SUBMITTED: "warning",
    AssessmentStatus.RETURNED: "danger",
    AssessmentStatus.ACCEPTED: "success",
}
BASIS_ORDER = (ScoreBasis.SELF, ScoreBasis.INTERNAL, ScoreBasis.NATIONAL)
LIST_LIMIT = 20


def status_progress(counts: dict[str, int]) -> dict:
    """Counts per status in workflow order, each with its share of the total (for a stacked bar)."""
    total = sum(counts.values())
    rows = [
        {
            "status": status,
            "label": status.label,
            "count": counts.get(status, 0),
            "percent": round(100 * counts.get(status, 0) / total, 1) if total else 0,
            "colour": STATUS_COLOURS[status],
        }
        for status in AssessmentStatus
    ]
    return {"rows": rows, "total": total}


def score_rows(scores) -> list[dict]:
    by_basis = {score.basis: score for score in scores}
    return [{"basis": basis, "label": basis.label, "score": by_basis.get(basis)} for basis in BASIS_ORDER]


def my_opd_ids(user) -> set[int]:
    return {grant.opd_id for grant in permissions.user_grants(user) if grant.opd_id}


# --- Overview -------------------------------------------------------------------------------------


# An earlier period is summed up by its most authoritative index: national, else internal, else self.
BEST_BASIS_FIRST = (ScoreBasis.NATIONAL, ScoreBasis.INTERNAL, ScoreBasis.SELF)


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
                "progress": status_progress(counts.get(period.pk, {})),
                # The planner shows every indicator's level: offered to those who see all of them.
                "can_plan": sum(counts.get(period.pk, {}).values()) == period.assessments.count(),
            }
            for period in current
        ]
        for period in periods:
            if period not in current:
                by_basis = {score.basis: score for score in period.scores.all()}
                period.best_score = next((by_basis[b] for b in BEST_BASIS_FIRST if b in by_basis), None)
        open_assessments = IndicatorAssessment.objects.exclude(period__status=PeriodStatus.CLOSED).select_related(
            "indicator", "period", "pic"
        )
        mine = permissions.restrict(open_assessments, user, "change").filter(
            Q(pic__in=my_opd_ids(user)) | Q(pic_user=user), status__in=services.SELF_EDITABLE
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


# --- Frameworks -----------------------------------------------------------------------------------


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


class PeriodListView(ObjectListView):
    template_name = "evaluation/evaluationperiod_list.html"


class AssessmentListView(ObjectListView):
    template_name = "evaluation/indicatorassessment_list.html"


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
                framework, action = loader.load_framework_document(
                    form.cleaned_data["document"], source_file=form.cleaned_data["file"].name
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


# --- Periods --------------------------------------------------------------------------------------


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


class PeriodDetailView(ObjectDetailView):
    template_name = "evaluation/evaluationperiod_detail.html"

    def get(self, request, pk, assign_form=None, status=200):
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
        del filterset.filters["period"]
        rows = list(filterset.qs) if filterset.is_valid() else []
        counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
        scores = list(period.scores.all())
        internal = next((score for score in scores if score.basis == ScoreBasis.INTERNAL), None)
        total_items = next((score.total for score in scores), None) or period.assessments.count()
        can_review = not period.is_closed and permissions.restrict(period.assessments.all(), user, "review").exists()
        context = self.base_context() | {
            "object": period,
            "period": period,
            "scores": score_rows(scores),
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
            "status_form": forms.PeriodStatusForm(initial={"status": period.status}),
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


def _period_for(user, pk: int, action: str = "view") -> EvaluationPeriod:
    queryset = EvaluationPeriod.objects.select_related("instansi", "framework")
    return get_object_or_404(permissions.restrict(queryset, user, action), pk=pk)


class PeriodStatusView(LoginRequiredMixin, View):
    """Moves the period to another stage (preparation … closed)."""

    def post(self, request, pk):
        period = _period_for(request.user, pk)
        if not permissions.can(request.user, "change", period):
            raise PermissionDenied
        form = forms.PeriodStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a stage."))
        else:
            try:
                services.set_period_status(request.user, period, form.cleaned_data["status"])
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(
                    request,
                    _("The evaluation is now at the stage: %(stage)s.") % {"stage": period.get_status_display()},
                )
        return HttpResponseRedirect(period.get_absolute_url())


class PeriodAssignView(LoginRequiredMixin, View):
    """Hands the ticked indicators of a period to one OPD, through `services.assign_pic` one by one."""

    def post(self, request, pk):
        user = request.user
        period = _period_for(user, pk)
        if period.is_closed or not permissions.restrict(period.assessments.all(), user, "review").exists():
            raise PermissionDenied
        form = forms.AssignPicForm(request.POST, period=period, user=user)
        if not form.is_valid():
            return self.page_with_errors(request, pk, form)
        pic = form.cleaned_data["pic"]
        try:
            with transaction.atomic():
                for assessment in form.cleaned_data["assessments"]:
                    services.assign_pic(user, assessment, pic)
        except ValidationError as error:
            form.add_error(None, error)
            return self.page_with_errors(request, pk, form)
        count = len(form.cleaned_data["assessments"])
        if pic is None:
            messages.success(request, _("%(count)s indicator(s) no longer have a PIC.") % {"count": count})
        else:
            messages.success(
                request, _("%(count)s indicator(s) were assigned to %(pic)s.") % {"count": count, "pic": pic}
            )
        return HttpResponseRedirect(period.get_absolute_url())

    def page_with_errors(self, request, pk, form):
        page = PeriodDetailView(config=PeriodViews)
        page.setup(request, pk=pk)
        return page.get(request, pk, assign_form=form, status=400)


# --- Assessments ----------------------------------------------------------------------------------

ASSESSMENT_QUERYSET = IndicatorAssessment.objects.select_related(
    "period__framework",
    "period__instansi",
    "indicator__aspect__domain",
    "pic",
    "pic_user",
    "self_assessed_by",
    "reviewed_by",
)


def _assessment_for(user, pk: int) -> IndicatorAssessment:
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
    can_self = services.may_self_assess(user, assessment)
    can_review = services.may_review(user, assessment) and assessment.status in (
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.ACCEPTED,
    )
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
        "can_review": can_review,
        "can_accept": can_review and assessment.status == AssessmentStatus.SUBMITTED,
        "can_national": can_national,
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
        assessment = _assessment_for(request.user, pk)
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


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class AssessmentActionView(LoginRequiredMixin, View):
    """Shared by the three forms of the assessment page: a bound form with errors re-renders the page."""

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
        assessment = _assessment_for(user, pk)
        if not services.may_self_assess(user, assessment):
            raise PermissionDenied(_("You may not fill in this indicator now."))
        form = self_form_for(assessment, request.POST)
        submit = request.POST.get("action") == "submit"
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
            except ValidationError as error:
                _add_errors(form, error)
                assessment = _assessment_for(user, pk)
            else:
                return self.saved(request, assessment, submit)
        if request.htmx:
            context = assessment_context(request, assessment, self_form=form)
            return render(request, "evaluation/_self_panel.html", context)
        return self.render_page(request, assessment, self_form=form)

    def saved(self, request, assessment, submit):
        url = assessment.get_absolute_url()
        if submit:
            messages.success(request, _("The self-assessment was submitted for review."))
        elif request.htmx:
            assessment = _assessment_for(request.user, assessment.pk)
            return render(request, "evaluation/_self_panel.html", assessment_context(request, assessment, saved=True))
        else:
            messages.success(request, _("The draft was saved."))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


class ReviewView(AssessmentActionView):
    """A reviewer accepts (optionally with another final level and a note) or returns with a note."""

    def post(self, request, pk):
        user = request.user
        assessment = _assessment_for(user, pk)
        if not services.may_review(user, assessment):
            raise PermissionDenied(_("You may not review this indicator."))
        form = review_form_for(assessment, request.POST)
        accept = request.POST.get("action") == "accept"
        if form.is_valid():
            try:
                services.review(
                    user,
                    assessment,
                    accept=accept,
                    note=form.cleaned_data["review_note"],
                    final_level=form.cleaned_data.get("final_level"),
                )
            except ValidationError as error:
                _add_errors(form, error)
                assessment = _assessment_for(user, pk)
            else:
                messages.success(
                    request,
                    _("The self-assessment was accepted.") if accept else _("The indicator was returned to its PIC."),
                )
                return HttpResponseRedirect(assessment.get_absolute_url())
        return self.render_page(request, assessment, review_form=form)


class NationalResultView(AssessmentActionView):
    """Records the level given at one national stage (document assessment, interview, field validation)."""

    def post(self, request, pk):
        user = request.user
        assessment = _assessment_for(user, pk)
        if not may_record_national(user, assessment):
            raise PermissionDenied(_("You may not record national results for this indicator."))
        form = forms.NationalResultForm(request.POST)
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
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not save this record."))
            else:
                messages.success(request, _("The national stage result was recorded."))
                return HttpResponseRedirect(assessment.get_absolute_url())
        return self.render_page(request, assessment, national_form=form)


def extra_urls() -> list:
    return [
        path("frameworks/upload/", FrameworkUploadView.as_view(), name="framework_upload"),
        path("periods/<int:pk>/stage/", PeriodStatusView.as_view(), name="evaluationperiod_status"),
        path("periods/<int:pk>/assign/", PeriodAssignView.as_view(), name="evaluationperiod_assign"),
        path("assessments/<int:pk>/self/", SelfAssessmentView.as_view(), name="indicatorassessment_self"),
        path("assessments/<int:pk>/review/", ReviewView.as_view(), name="indicatorassessment_review"),
        path("assessments/<int:pk>/national/", NationalResultView.as_view(), name="indicatorassessment_national"),
    ]

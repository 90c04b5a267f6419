"""Progress report pages: filing the report of an output's year, the report with its evidence and steps
(submit, accept, return with a note), adding and removing evidence, and the authorised evidence download.

Every change goes through simpul/roadmap/services.py; a refused step shows its reason (403 when the user
may not take it at all)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.core import files as core_files
from simpul.core import permissions
from simpul.core.views.generic import ModelViewMixin, ModelViews, object_timeline
from simpul.core.workflow import NOTE_REQUIRED, TransitionError
from simpul.roadmap import filters, forms, services, tables, tracking
from simpul.roadmap.choices import EvidenceKind
from simpul.roadmap.models import Output, ProgressEvidence, ProgressReport
from simpul.roadmap.status import report_window
from simpul.roadmap.views.outputs import record_results


class ProgressReportDetailView(ModelViewMixin, View):
    template_name = "roadmap/progressreport_detail.html"

    def get(self, request, pk):
        report = get_object_or_404(self.get_queryset(), pk=pk)
        return render(request, self.template_name, report_context(request, report))


class ProgressReportViews(ModelViews):
    model = ProgressReport
    url_prefix = "reports"
    queryset = ProgressReport.objects.select_related(
        "output__initiative__roadmap", "output__responsible_opd", "submitted_by", "reviewed_by"
    )
    table = tables.ProgressReportTable
    filterset = filters.ProgressReportFilterSet
    # Written through the filing page of its output and year, and its workflow steps.
    form = None
    importable = False
    deletable = False
    detail_view = ProgressReportDetailView


def visible_report(user, pk) -> ProgressReport:
    return get_object_or_404(permissions.restrict(ProgressReportViews.get_queryset(), user, "view"), pk=pk)


def report_context(request, report: ProgressReport, **extra) -> dict:
    user = request.user
    steps = services.allowed_steps(user, report)
    due = report_window(report.year)[1]
    may_add = services.may_add_evidence(user, report)
    removable = set(permissions.restrict(report.evidence.all(), user, "delete").values_list("pk", flat=True))
    context = {
        "object": report,
        "report": report,
        "output": report.output,
        "urls": ProgressReportViews.url_names(),
        "verbose_name_plural": ProgressReport._meta.verbose_name_plural,
        "due": due,
        "late": report.is_editable and tracking.today() > due,
        "submitted_late": bool(report.submitted_at and timezone.localdate(report.submitted_at) > due),
        "steps": steps,
        "can_submit": bool(steps & {"submit", "resubmit"}),
        "can_review": bool(steps & {"accept", "return"}),
        "can_edit": report.is_editable
        and permissions.can(user, "change", report)
        and services.may_file(user, report.output),
        "review_form": forms.ReviewForm(),
        "evidence": services.evidence_rows(user, report),
        "removable": removable if report.is_editable else set(),
        "may_add_evidence": may_add,
        "file_form": forms.EvidenceFileForm(),
        "url_form": forms.EvidenceUrlForm(),
        "search_form": forms.RecordSearchForm(),
        "results": None,
        "history": object_timeline(report),
    }
    if may_add and ("q" in request.GET or "type" in request.GET):
        context.update(record_results(request, report.output.initiative.roadmap.instansi_id))
    context.update(extra)
    return context


class ReportFileView(LoginRequiredMixin, View):
    """The responsible OPD writes the report of one year of its output: save as draft, or submit it."""

    template_name = "roadmap/report_form.html"

    def get_output(self, pk) -> Output:
        visible = permissions.restrict(
            Output.objects.select_related("initiative__roadmap", "responsible_opd"), self.request.user, "view"
        )
        output = get_object_or_404(visible, pk=pk)
        if not services.may_file(self.request.user, output):
            raise PermissionDenied(_("You may not report on this output."))
        return output

    def get(self, request, pk, year):
        output = self.get_output(pk)
        report = ProgressReport.objects.filter(output=output, year=year).first()
        if report is not None and not report.is_editable:
            messages.info(request, services.frozen_message(report))
            return redirect(report.get_absolute_url())
        initial = {"percent": report.percent, "narrative": report.narrative} if report else {}
        if report is None:
            previous = ProgressReport.objects.filter(output=output, year__lt=year).order_by("-year").first()
            if previous is not None:
                initial = {"percent": previous.percent}
        return self.render_form(output, year, report, forms.ReportForm(initial=initial))

    def post(self, request, pk, year):
        output = self.get_output(pk)
        report = ProgressReport.objects.filter(output=output, year=year).first()
        form = forms.ReportForm(request.POST)
        if not form.is_valid():
            return self.render_form(output, year, report, form, status=400)
        submit = request.POST.get("action") == "submit"
        try:
            report = services.file_report(
                request.user, output, year, form.cleaned_data["percent"], form.cleaned_data["narrative"], submit=submit
            )
        except ValidationError as error:
            for field, messages_ in (
                error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            ):
                form.add_error(field if field in form.fields else None, messages_)
            return self.render_form(output, year, report, form, status=400)
        except TransitionError as error:
            if error.status == 403:
                raise PermissionDenied(error.detail) from error
            for field, field_messages in error.fields.items():
                if field in form.fields:
                    form.add_error(field, field_messages)
            if not error.fields:
                form.add_error(None, error.detail)
            return self.render_form(output, year, report, form, status=error.status)
        if submit:
            messages.success(request, _("The report was submitted for review."))
        else:
            messages.success(request, _("The report was saved as a draft. Add evidence, then submit it."))
        return redirect(report.get_absolute_url())

    def render_form(self, output, year, report, form, status=200):
        if year not in services.reportable_years(output):
            raise Http404(_("Reports are filed for the output's years that have begun."))
        due = report_window(year)[1]
        context = {
            "output": output,
            "year": year,
            "report": report,
            "form": form,
            "due": due,
            "late": tracking.today() > due,
        }
        return render(self.request, self.template_name, context, status=status)


STEP_MESSAGES = {
    "submit": gettext_lazy("The report was submitted for review."),
    "resubmit": gettext_lazy("The report was submitted for review again."),
    "accept": gettext_lazy("The report was accepted."),
    "return": gettext_lazy("The report was returned to its OPD."),
}


class ReportStepView(LoginRequiredMixin, View):
    """One workflow step on a report: submit / resubmit (its OPD), accept / return (the reviewer)."""

    def post(self, request, pk):
        report = visible_report(request.user, pk)
        step = request.POST.get("step", "")
        if step not in STEP_MESSAGES:
            raise Http404
        form = forms.ReviewForm(request.POST)
        form.is_valid()
        note = form.cleaned_data.get("note", "")
        try:
            if step in ("submit", "resubmit"):
                services.submit_report(request.user, report)
            else:
                services.review_report(request.user, report, accept=step == "accept", note=note)
        except TransitionError as error:
            if error.code == NOTE_REQUIRED:
                form.add_error("note", error.detail)
                refused = ""
            else:
                refused = error.detail
            report = visible_report(request.user, pk)
            context = report_context(request, report, review_form=form, refused=refused)
            return render(request, "roadmap/progressreport_detail.html", context, status=error.status)
        messages.success(request, STEP_MESSAGES[step])
        return redirect(report.get_absolute_url())


class EvidenceAddView(LoginRequiredMixin, View):
    """Add a file, a web address or a Simpul record as evidence of a draft or returned report."""

    def post(self, request, pk, kind):
        report = visible_report(request.user, pk)
        try:
            if kind == EvidenceKind.FILE:
                form = forms.EvidenceFileForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self.refused(report, file_form=form)
                services.add_file(request.user, report, form.cleaned_data["file"], form.cleaned_data["title"])
            elif kind == EvidenceKind.URL:
                form = forms.EvidenceUrlForm(request.POST)
                if not form.is_valid():
                    return self.refused(report, url_form=form)
                services.add_url(request.user, report, form.cleaned_data["url"], form.cleaned_data["title"])
            elif kind == EvidenceKind.RECORD:
                services.add_record(request.user, report, request.POST.get("type", ""), request.POST.get("record"))
            else:
                raise Http404
        except ValidationError as error:
            if kind == EvidenceKind.FILE:
                form.add_error("file", error)
                return self.refused(report, file_form=form)
            messages.error(request, " ".join(error.messages))
        except TransitionError as error:
            if error.status == 403:
                raise PermissionDenied(error.detail) from error
            messages.error(request, error.detail)
        else:
            messages.success(request, _("The evidence was added."))
        return redirect(report.get_absolute_url() + "#evidence")

    def refused(self, report, **forms_):
        context = report_context(self.request, report, **forms_)
        return render(self.request, "roadmap/progressreport_detail.html", context, status=400)


def visible_evidence(user):
    """Evidence of the reports the user may view (a file is never more visible than its report)."""
    reports = permissions.restrict(ProgressReport.objects.all(), user, "view")
    return permissions.restrict(
        ProgressEvidence.objects.filter(report__in=reports).select_related("report"), user, "view"
    )


class EvidenceDownloadView(LoginRequiredMixin, View):
    """The only way to a stored evidence file: after the view permission on it and its report."""

    def get(self, request, pk):
        item = get_object_or_404(visible_evidence(request.user), pk=pk)
        if item.kind != EvidenceKind.FILE or not item.file or not item.file.storage.exists(item.file.name):
            raise Http404(_("The stored file is missing."))
        return core_files.serve_file(item.file, filename=item.original_name, content_type=item.content_type)


class EvidenceRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(visible_evidence(request.user), pk=pk)
        try:
            services.remove_evidence(request.user, item)
        except TransitionError as error:
            if error.status == 403:
                raise PermissionDenied(error.detail) from error
            messages.error(request, error.detail)
        else:
            messages.success(request, _("The evidence “%(title)s” was removed.") % {"title": item.title})
        return redirect(item.report.get_absolute_url() + "#evidence")

"""Evidence pages of an assessment: the list, adding a file / record link / web address, removal,
the authorised download, the record picker and the hints from Simpul data.

Each page first finds the assessment among those the user may view (else 404), and every change goes
through simpul/evaluation/evidence.py. The panels are htmx partials embedded in the assessment page
(`_evidence.html`, `_hints.html`); without JavaScript the same forms post to full pages.

A change the evidence functions refuse (`TransitionError`) is a 403 when the user may not make it at
all, else its message in the panel: with the step's status (409: period closed, evidence frozen under
review) on a full page, with 200 for htmx, which swaps only 2xx answers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from simpul.core import files, permissions
from simpul.core.workflow import TransitionError
from simpul.evaluation import evidence, hints
from simpul.evaluation.forms import (
    EvidenceFileForm,
    EvidenceRecordForm,
    EvidenceUrlForm,
    RecordSearchForm,
)
from simpul.evaluation.models import Evidence, IndicatorAssessment

FORMS = {"file": EvidenceFileForm, "url": EvidenceUrlForm}


def assessment_url(assessment: IndicatorAssessment) -> str:
    """The assessment's own page (built by the assessment views), or the evaluation overview."""
    return assessment.get_absolute_url() or reverse("evaluation:overview")


def required_evidence(assessment: IndicatorAssessment) -> dict:
    """What the framework asks as evidence for this indicator: per level, and/or in general (5/2018)."""
    spec = assessment.period.framework.spec
    indicator = spec.indicator(assessment.indicator.number)
    levels = [level for level in spec.levels_for(indicator) if level.evidence]
    return {"general": indicator.evidence_general, "levels": levels, "unverified": indicator.unverified}


def evidence_form(kind: str, assessment: IndicatorAssessment, data=None, files_data=None):
    # Ids carry the assessment and the kind: a page may hold several panels, each with a file and a URL form.
    return FORMS[kind](data, files_data, auto_id=f"ev{assessment.pk}-{kind}-%s")


def panel_context(request, assessment: IndicatorAssessment, forms: dict | None = None) -> dict:
    """Everything the evidence panel shows; the assessment page may call this to render it inline."""
    forms = forms or {}
    frozen = not assessment.period.is_closed and not evidence.is_editable(assessment)
    context = {
        "assessment": assessment,
        "rows": evidence.evidence_rows(request.user, assessment),
        "may_add": evidence.may_add_evidence(request.user, assessment),
        "closed": assessment.period.is_closed,
        # Why the add and remove controls are gone while the assessment is with its reviewers.
        "frozen": evidence.frozen_message(assessment) if frozen else "",
        "required": required_evidence(assessment),
        "file_form": forms.get("file") or evidence_form("file", assessment),
        "url_form": forms.get("url") or evidence_form("url", assessment),
        "record_errors": forms.get("record_errors", []),
        "active_form": forms.get("active", ""),
        # The add forms stay collapsed behind "Add evidence" while the user only reads the list. They are
        # open after an add (refused, to show why; or done, to add the next one) and on the full page,
        # which is what a browser without JavaScript gets (it could not open them).
        "add_open": not request.htmx or bool(forms.get("active")),
        "next_url": "" if request.htmx else request.get_full_path(),
        "search_form": RecordSearchForm(),
        "search_type": "",
        "search_query": "",
        "results": None,
    }
    if request.method == "GET" and ("q" in request.GET or "type" in request.GET):
        # The picker without JavaScript: the search reloads the page with its results in place.
        context.update(record_results(request, assessment))
        context["active_form"] = "record"
    return context


def record_results(request, assessment: IndicatorAssessment) -> dict:
    form = RecordSearchForm(request.GET)
    type_key = form.cleaned_type()
    text = form.cleaned_data.get("q", "") if form.is_valid() else ""
    entry = evidence.linkable_type(type_key)
    results = evidence.search_records(request.user, assessment, type_key, text)
    return {
        "results": [(key, obj, entry.describe(obj) if entry else "") for key, obj in results],
        "search_type": type_key,
        "search_query": text,
    }


class AssessmentMixin(LoginRequiredMixin):
    def get_assessment(self, pk: int) -> IndicatorAssessment:
        return get_object_or_404(evidence.visible_assessments(self.request.user), pk=pk)

    def back(self, assessment: IndicatorAssessment):
        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return redirect(target)
        return redirect("evaluation:evidence", pk=assessment.pk)

    def refused(self, assessment: IndicatorAssessment, error: TransitionError, active: str = ""):
        if error.status == 403:
            raise PermissionDenied(error.detail)
        # Read again: the state that refused may be newer than the page (submitted meanwhile), and the
        # panel should now show it; its frozen note then says why, so the same words are not repeated.
        assessment = self.get_assessment(assessment.pk)
        frozen = error.code == evidence.EVIDENCE_FROZEN and not evidence.is_editable(assessment)
        return self.render_panel(
            assessment, {"record_errors": [] if frozen else [error.detail], "active": active}, status=error.status
        )

    def render_panel(
        self, assessment: IndicatorAssessment, forms: dict | None = None, status: int = 200, changed: bool = False
    ):
        context = panel_context(self.request, assessment, forms)
        if self.request.htmx:
            response = render(self.request, "evaluation/evidence_panel.html", context)
            if changed:
                # The hints panel on the same page listens for this to mark records already linked.
                response["HX-Trigger"] = "evidence-updated"
            return response
        context["back_url"] = assessment_url(assessment)
        return render(self.request, "evaluation/evidence_page.html", context, status=status)


class EvidenceView(AssessmentMixin, View):
    """The evidence of one assessment: the panel for htmx, a full page otherwise."""

    def get(self, request, pk):
        return self.render_panel(self.get_assessment(pk))


class EvidenceAddView(AssessmentMixin, View):
    """Add a file, a web address or Simpul records; a refused input stores nothing and shows why."""

    def post(self, request, pk, kind):
        assessment = self.get_assessment(pk)
        if kind not in FORMS and kind != "record":
            raise Http404
        try:
            evidence.check_add(request.user, assessment)
        except TransitionError as error:
            return self.refused(assessment, error, kind)
        try:
            if kind == "record":
                form = EvidenceRecordForm(request.POST, user=request.user, assessment=assessment)
                if not form.is_valid():
                    return self.refuse(assessment, {"record_errors": form.non_field_errors(), "active": kind})
                created = evidence.add_records(request.user, assessment, form.records)
            else:
                form = evidence_form(kind, assessment, request.POST, request.FILES)
                if not form.is_valid():
                    return self.refuse(assessment, {kind: form, "active": kind})
                data = form.cleaned_data
                if kind == "file":
                    created = [
                        evidence.add_file(request.user, assessment, data["file"], data["title"], data["description"])
                    ]
                else:
                    created = [
                        evidence.add_url(request.user, assessment, data["url"], data["title"], data["description"])
                    ]
        except TransitionError as error:
            return self.refused(assessment, error, kind)
        except ValidationError as error:
            return self.refuse(assessment, {"record_errors": error.messages, "active": kind})
        if not request.htmx:
            messages.success(
                request,
                ngettext("%(count)s evidence item added.", "%(count)s evidence items added.", len(created))
                % {"count": len(created)},
            )
            return self.back(assessment)
        return self.render_panel(assessment, {"active": kind}, changed=True)

    def refuse(self, assessment, forms):
        # htmx swaps only 2xx answers; a full page says "bad request" to other clients.
        return self.render_panel(assessment, forms, status=400)


class EvidenceDeleteView(AssessmentMixin, View):
    """Remove one evidence item: the PIC side only, while the assessment is editable and its period open."""

    def post(self, request, pk):
        item = get_object_or_404(
            permissions.restrict(Evidence.objects.select_related("assessment__period"), request.user, "view"), pk=pk
        )
        assessment = item.assessment
        try:
            evidence.remove(request.user, item)
        except TransitionError as error:
            return self.refused(assessment, error)
        if request.htmx:
            return self.render_panel(assessment, changed=True)
        messages.success(request, _("The evidence “%(title)s” was removed.") % {"title": item.title})
        return self.back(assessment)


class EvidenceDownloadView(LoginRequiredMixin, View):
    """The only way to a stored evidence file: after `restrict(…, "view")`, as an attachment."""

    def get(self, request, pk):
        item = get_object_or_404(
            permissions.restrict(Evidence.objects.filter(kind=Evidence.Kind.FILE), request.user, "view"), pk=pk
        )
        if not item.file or not item.file.storage.exists(item.file.name):
            raise Http404(_("The stored file is missing."))
        return files.serve_file(
            item.file, filename=item.original_name or item.file.name, content_type=item.content_type
        )


class RecordSearchView(AssessmentMixin, View):
    """The picker's results: records of one kind the user may view, in the assessment's instansi."""

    def get(self, request, pk):
        assessment = self.get_assessment(pk)
        context = {
            "assessment": assessment,
            "may_add": evidence.may_add_evidence(request.user, assessment),
            "next_url": "",
            **record_results(request, assessment),
        }
        return render(request, "evaluation/evidence_records.html", context)


class HintsView(AssessmentMixin, View):
    """Hints from Simpul data for one assessment (computed from the records the user may view)."""

    def get(self, request, pk):
        return self.render_hints(self.get_assessment(pk))

    def render_hints(self, assessment, status=200, error=""):
        linked = evidence.linked_record_keys(assessment)
        found = hints.hints_for(self.request.user, assessment)
        for hint in found:
            hint.pending = [key for key in hint.record_keys if key not in linked]
        context = {
            "assessment": assessment,
            "hints": found,
            "may_add": evidence.may_add_evidence(self.request.user, assessment),
            "linked": linked,
            "error": error,
        }
        template = "evaluation/evidence_hints.html" if self.request.htmx else "evaluation/evidence_hints_page.html"
        context["back_url"] = assessment_url(assessment)
        return render(self.request, template, context, status=status)


class HintAcceptView(HintsView):
    """Accept a hint: its proposed records (those still ticked) become evidence links. Never a level."""

    def post(self, request, pk):
        assessment = self.get_assessment(pk)
        try:
            evidence.check_add(request.user, assessment)
        except TransitionError as error:
            return self.refused_hint(assessment, error)
        hint = hints.hint_by_id(request.user, assessment, request.POST.get("hint", ""))
        if hint is None:
            raise Http404
        # The form sends the ticked records; a bare "accept" (one click, no choice) takes all proposed.
        chosen = set(request.POST.getlist("record")) if "choose" in request.POST else set(hint.record_keys)
        records = [record for key, record in hint.proposals if key in chosen]
        if not records:
            return self.render_hints(
                assessment, status=200 if request.htmx else 400, error=_("Tick at least one record to link.")
            )
        try:
            created = evidence.add_records(request.user, assessment, records)
        except TransitionError as error:
            return self.refused_hint(assessment, error)
        except ValidationError as error:
            return self.render_hints(assessment, status=200 if request.htmx else 400, error=" ".join(error.messages))
        message = ngettext(
            "%(count)s record linked as evidence.", "%(count)s records linked as evidence.", len(created)
        ) % {"count": len(created)}
        if request.htmx:
            response = self.render_hints(assessment)
            # The evidence panel on the same page listens for this and reloads itself.
            response["HX-Trigger"] = "evidence-changed"
            return response
        messages.success(request, message)
        return redirect("evaluation:evidence", pk=assessment.pk)

    def refused_hint(self, assessment, error: TransitionError):
        if error.status == 403:
            raise PermissionDenied(error.detail)
        return self.render_hints(assessment, status=200 if self.request.htmx else error.status, error=error.detail)

"""Output pages: the list (with derived status), the output with its years and reports, its linked records
(each architecture element's own status beside the progress; contradictions flagged), its budgets, and
linking and unlinking records."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.core.display import object_fields
from simpul.core.views.generic import ModelViewMixin, ModelViews, object_timeline
from simpul.roadmap import filters, forms, links, services, tables, tracking
from simpul.roadmap.models import Output, OutputBudget, OutputLink, ProgressReport

SEARCH_LIMIT = 20


def as_of_from(request) -> datetime.date:
    """The date of `?as_of=YYYY-MM-DD` (a replay), else today (also for a date that is not one)."""
    try:
        value = parse_date(request.GET.get("as_of", "") or "")
    except ValueError:
        value = None
    return value or tracking.today()


class OutputDetailView(ModelViewMixin, View):
    """One output: where it stands (as of today, or a replayed date), its years and reports, its links and
    budgets, and the steps the user may take (file a report, link a record, edit)."""

    template_name = "roadmap/output_detail.html"

    def get(self, request, pk):
        output = get_object_or_404(self.get_queryset(), pk=pk)
        return render(request, self.template_name, output_context(request, output))


class OutputViews(ModelViews):
    model = Output
    url_prefix = "outputs"
    queryset = Output.objects.select_related("initiative__roadmap", "responsible_opd")
    table = tables.OutputTable
    filterset = filters.OutputFilterSet
    form = forms.OutputForm
    importable = False  # a roadmap is imported whole, in the plan's table layout (views.versions)
    detail_view = OutputDetailView


def output_context(request, output, **extra) -> dict:
    user = request.user
    as_of = as_of_from(request)
    tracked = tracking.track([output], as_of, user)[output.pk]
    reports = list(services.visible_reports(ProgressReport.objects.filter(output=output), user))
    may_file = services.may_file(user, output)
    can_change = permissions.can(user, "change", output)
    cells = tracking.year_cells(output, reports)
    for cell in cells:
        cell.may_file = (
            may_file and cell.state in ("missing", "draft", "returned") and cell.year <= tracking.today().year
        )
    context = {
        "object": output,
        "output": output,
        "urls": OutputViews.url_names(),
        "verbose_name": output._meta.verbose_name,
        "verbose_name_plural": output._meta.verbose_name_plural,
        "fields": object_fields(
            output, ["initiative", "responsible_opd", "start_year", "end_year", "target", "description", "plan_note"]
        ),
        "tracking": tracked,
        "status": tracked.status,
        "as_of": as_of,
        "replayed": as_of != tracking.today(),
        "cells": cells,
        "links": services.output_links(user, output),
        "can_change": can_change,
        "can_delete": permissions.can(user, "delete", output),
        "budgets": permissions.restrict(OutputBudget.objects.filter(output=output), user, "view"),
        "may_add_budget": permissions.can_add(user, OutputBudget, *output.get_scope_ids()),
        "search_form": forms.RecordSearchForm(),
        "results": None,
        "history": object_timeline(output),
    }
    if can_change and ("q" in request.GET or "type" in request.GET):
        context.update(record_results(request, output.initiative.roadmap.instansi_id))
    context.update(extra)
    return context


def record_results(request, instansi_id: int) -> dict:
    """Records of the chosen kind matching `q` that the user may view (the link picker's results)."""
    form = forms.RecordSearchForm(request.GET)
    type_key = form.cleaned_type()
    text = form.cleaned_data.get("q", "") if form.is_valid() else ""
    entry = links.linkable_type(type_key)
    results = []
    if entry is not None:
        found = entry.search(request.user, instansi_id, text)[:SEARCH_LIMIT]
        results = [(entry.key, record, entry.describe(record)) for record in found]
    return {"results": results, "search_form": form, "search_query": text, "search_type": type_key}


class OutputLinkAddView(LoginRequiredMixin, View):
    """Link a record of another module to the output (for those who may change the roadmap)."""

    def post(self, request, pk):
        output = get_object_or_404(permissions.restrict(OutputViews.get_queryset(), request.user, "view"), pk=pk)
        try:
            link = services.link_record(request.user, output, request.POST.get("type", ""), request.POST.get("record"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(record)s” was linked to this output.") % {"record": link.label})
        return redirect(output.get_absolute_url() + "#links")


class OutputLinkRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        link = get_object_or_404(
            permissions.restrict(OutputLink.objects.select_related("output"), request.user, "view"), pk=pk
        )
        services.unlink(request.user, link)
        messages.success(request, _("The link to “%(record)s” was removed.") % {"record": link.label})
        return redirect(link.output.get_absolute_url() + "#links")

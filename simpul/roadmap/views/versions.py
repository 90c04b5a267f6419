"""Versions of the roadmap: a new version from an existing one, making a version current, comparing two
versions, and a whole roadmap to and from Excel in the plan's table layout."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from simpul.core import permissions
from simpul.core.importexport import XLSX_CONTENT_TYPE
from simpul.organizations.models import Instansi
from simpul.roadmap import forms, versions, xlsx
from simpul.roadmap.models import Roadmap
from simpul.roadmap.views.overview import visible_roadmaps


def roadmap_for(user, pk, action: str = "view") -> Roadmap:
    return get_object_or_404(permissions.restrict(Roadmap.objects.select_related("instansi"), user, action), pk=pk)


class NewVersionView(LoginRequiredMixin, View):
    """Copy a version into a new one (a new master plan, a mid-term review) to revise it."""

    template_name = "roadmap/new_version.html"

    def get_roadmap(self, pk) -> Roadmap:
        roadmap = roadmap_for(self.request.user, pk)
        if not permissions.can_add(self.request.user, Roadmap, roadmap.instansi_id, None):
            raise PermissionDenied(_("You may not create a version of this roadmap."))
        return roadmap

    def get(self, request, pk):
        roadmap = self.get_roadmap(pk)
        form = forms.NewVersionForm(initial={"valid_from": datetime.date.today().year, "make_current": True})
        return render(request, self.template_name, {"roadmap": roadmap, "form": form})

    def post(self, request, pk):
        roadmap = self.get_roadmap(pk)
        form = forms.NewVersionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                copy = versions.new_version(
                    request.user,
                    roadmap,
                    data["version_label"],
                    name=data["name"],
                    valid_from=data["valid_from"],
                    source=data["source"],
                    make_current=data["make_current"],
                )
            except ValidationError as error:
                for field, field_messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_messages)
            else:
                messages.success(request, _("The new version was created from %(old)s.") % {"old": roadmap})
                return redirect(copy.get_absolute_url())
        return render(request, self.template_name, {"roadmap": roadmap, "form": form}, status=400)


class MakeCurrentView(LoginRequiredMixin, View):
    def post(self, request, pk):
        roadmap = roadmap_for(request.user, pk, "change")
        versions.set_current(request.user, roadmap)
        messages.success(request, _("%(roadmap)s is now the current version.") % {"roadmap": roadmap})
        return redirect(roadmap.get_absolute_url())


class CompareView(LoginRequiredMixin, View):
    """Two versions side by side: the outputs added, removed and re-timed."""

    template_name = "roadmap/compare.html"

    def get(self, request):
        if not permissions.has_model_permission(request.user, "view", Roadmap):
            raise PermissionDenied
        roadmaps = visible_roadmaps(request.user)
        data = request.GET if ("old" in request.GET or "new" in request.GET) else None
        if data is None:
            # At first, the current version against the one it was based on.
            current = next((roadmap for roadmap in roadmaps if roadmap.is_current and roadmap.based_on_id), None)
            if current is not None and roadmaps.filter(pk=current.based_on_id).exists():
                data = {"old": current.based_on_id, "new": current.pk}
        form = forms.CompareForm(data, roadmaps=roadmaps)
        comparison = None
        if form.is_bound and form.is_valid():
            comparison = versions.compare(form.cleaned_data["old"], form.cleaned_data["new"])
        status = 400 if form.is_bound and not form.is_valid() else 200
        return render(request, self.template_name, {"form": form, "comparison": comparison}, status=status)


class ExportPlanView(LoginRequiredMixin, View):
    """The version's outputs (those the user may view) as an Excel workbook in the plan's table layout."""

    def get(self, request, pk):
        roadmap = roadmap_for(request.user, pk)
        buffer = io.BytesIO()
        xlsx.export_roadmap(roadmap, buffer, user=request.user)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        name = slugify(f"peta-rencana-{roadmap.instansi.slug}-{roadmap.version_label}") or "peta-rencana"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class ImportPlanView(LoginRequiredMixin, View):
    """Load an Excel workbook in the plan's table layout as a new version: all rows or none."""

    template_name = "roadmap/import_plan.html"

    def instansi_choices(self):
        ids = permissions.allowed_instansi_ids(self.request.user, "add", Roadmap)
        queryset = Instansi.objects.order_by("name")
        return queryset if ids is None else queryset.filter(pk__in=ids)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_model_permission(request.user, "add", Roadmap):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        choices = self.instansi_choices()
        initial = {"valid_from": datetime.date.today().year, "make_current": True}
        if choices.count() == 1:
            initial["instansi"] = choices.first()
        form = forms.PlanImportForm(instansi_queryset=choices, initial=initial)
        return render(request, self.template_name, {"form": form, "columns": xlsx.COLUMNS, "required": xlsx.REQUIRED})

    def post(self, request):
        form = forms.PlanImportForm(request.POST, request.FILES, instansi_queryset=self.instansi_choices())
        errors = []
        if form.is_valid():
            data = form.cleaned_data
            try:
                summary = xlsx.import_plan(
                    request.user,
                    data["instansi"],
                    data["file"],
                    name=data["name"],
                    version_label=data["version_label"],
                    valid_from=data["valid_from"],
                    source=data["source"],
                    make_current=data["make_current"],
                )
            except xlsx.PlanImportError as error:
                errors = error.errors
            else:
                messages.success(
                    request,
                    _("%(initiatives)d strategic initiatives with %(outputs)d outputs were imported.")
                    % {"initiatives": summary.initiatives, "outputs": summary.outputs},
                )
                return redirect(summary.roadmap.get_absolute_url())
        context = {"form": form, "errors": errors, "columns": xlsx.COLUMNS, "required": xlsx.REQUIRED}
        return render(request, self.template_name, context, status=400)

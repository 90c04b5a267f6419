"""The ArchiMate exchange page: download the instansi's architecture, upload a model into an OPD."""

from __future__ import annotations

import re
import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from simpul.architecture import archimate
from simpul.architecture.choices import Domain
from simpul.architecture.models import Element
from simpul.architecture.vocabulary import RelationshipKind
from simpul.core import context, permissions
from simpul.core.forms import bootstrapify
from simpul.organizations.models import Instansi, PerangkatDaerah

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    opd = forms.ModelChoiceField(
        label=gettext_lazy("Import into OPD"),
        queryset=PerangkatDaerah.objects.none(),
        help_text=gettext_lazy("New elements are owned by this OPD."),
    )
    file = forms.FileField(
        label=gettext_lazy("ArchiMate exchange file (.xml)"),
        help_text=gettext_lazy("The Open Group Model Exchange File Format, e.g. exported by Archi."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        opds = PerangkatDaerah.objects.select_related("instansi").order_by("instansi__name", "short_name")
        self.fields["opd"].queryset = permissions.allowed_owner_opds(user, "add", Element, opds)
        bootstrapify(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})
        return upload


def _visible_instansi(user):
    if not permissions.has_model_permission(user, "view", Element):
        raise PermissionDenied
    return permissions.restrict(Instansi.objects.order_by("name"), user, "view")


class ExchangeView(LoginRequiredMixin, View):
    """Download the export of an instansi; upload an exchange file into an OPD the user may add to."""

    template_name = "architecture/exchange.html"

    def get(self, request, form=None, result=None, status=200):
        instansi_choices = _visible_instansi(request.user)
        form = form or ImportForm(user=request.user)
        return render(
            request,
            self.template_name,
            {
                "instansi_choices": instansi_choices,
                "form": form,
                "can_import": form.fields["opd"].queryset.exists(),
                "result": result,
                "element_rows": _rows(result.elements, Domain) if result else [],
                "relationship_rows": _rows(result.relationships, RelationshipKind) if result else [],
            },
            status=status,
        )

    def post(self, request):
        _visible_instansi(request.user)
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        opd = form.cleaned_data["opd"]
        try:
            with context.acting(request.user, source="web"):
                result = archimate.import_model(opd.instansi, opd, form.cleaned_data["file"], request.user)
        except archimate.ArchimateImportError as error:
            form.add_error(None, _("Nothing was imported. %(reason)s") % {"reason": " ".join(error.messages)})
            return self.get(request, form=form, status=400)
        except PermissionDenied as error:
            form.add_error(None, _("Nothing was imported. %(reason)s") % {"reason": error})
            return self.get(request, form=form, status=403)
        return self.get(request, form=ImportForm(user=request.user), result=result)


def _rows(counter, choices) -> list[tuple[str, int]]:
    return [(str(choices(value).label), counter[value]) for value in choices.values if counter[value]]


class ExportView(LoginRequiredMixin, View):
    """The ArchiMate file of one instansi, holding only what the user may view."""

    def get(self, request):
        visible = _visible_instansi(request.user)
        requested = request.GET.get("instansi", "").strip()
        if requested:
            # Not the first instansi instead, nor a server error for `abc`: the exchange page says why.
            instansi = visible.filter(pk=int(requested)).first() if re.fullmatch("[0-9]{1,18}", requested) else None
            if instansi is None:
                messages.error(request, _("The instansi to export does not exist, or you may not see it."))
                page = ExchangeView()
                page.setup(request)
                return page.get(request, status=400)
        else:
            instansi = visible.first()
        if instansi is None:
            raise PermissionDenied
        # Written to a temporary file first: bounded memory, and a failure is an error page, not half a file.
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 (FileResponse closes it)
        archimate.export(instansi, spool, user=request.user)
        spool.seek(0)
        return FileResponse(
            spool, as_attachment=True, filename=f"archimate-{instansi.slug}.xml", content_type="application/xml"
        )

"""Downloads of the evaluation report of a period (PDF and XLSX).

The report needs the right to view the period (another instansi's period is a 404, as everywhere);
its indicator rows, evidence and recommendations are then limited to what the reader may view
(see the reports package), so a PIC's download lists its own indicators under the instansi's index.

The approval block's signatory and place may be given in the query string (`approver_name`,
`approver_position`, `approver_nip`, `place`); all are optional, and without them the block has lines
to sign by hand. A value that does not fit (too long, a NIP that is not 18 digits) is left out.
"""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.validators import RegexValidator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views import View

from simpul.core import permissions
from simpul.evaluation import reports
from simpul.evaluation.models import EvaluationPeriod
from simpul.evaluation.reports.summary import Signatory


class ApprovalForm(forms.Form):
    """Who approves the report, and where: printed in the approval block instead of blank lines."""

    approver_name = forms.CharField(label=_("approved by"), max_length=200, required=False)
    approver_position = forms.CharField(label=_("position"), max_length=200, required=False)
    approver_nip = forms.CharField(
        label=_("NIP"),
        max_length=18,
        required=False,
        validators=[RegexValidator(r"^\d{18}$", _("A NIP has exactly 18 digits."))],
    )
    place = forms.CharField(label=_("place"), max_length=100, required=False)

    def approval(self) -> tuple[Signatory, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        signatory = Signatory(
            name=data.get("approver_name", "").strip(),
            position=data.get("approver_position", "").strip(),
            nip=data.get("approver_nip", "").strip(),
        )
        return signatory, data.get("place", "").strip()


class PeriodReportView(LoginRequiredMixin, View):
    export_format = "pdf"

    def get(self, request, pk: int):
        periods = EvaluationPeriod.objects.select_related("instansi", "framework")
        period = get_object_or_404(permissions.restrict(periods, request.user, "view"), pk=pk)
        approved_by, place = ApprovalForm(request.GET).approval()
        report = reports.collect(period, request.user, approved_by=approved_by, place=place)
        if self.export_format == "xlsx":
            content, content_type = reports.render_xlsx(report), reports.XLSX_CONTENT_TYPE
        else:
            content, content_type = reports.render_pdf(report), reports.PDF_CONTENT_TYPE
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{reports.filename(report, self.export_format)}"'
        # The report holds the instansi's unpublished results: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
        return response

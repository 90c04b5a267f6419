"""Downloads of the evaluation report of a period (PDF and XLSX).

The report needs the right to view the period (another instansi's period is a 404, as everywhere);
its indicator rows, evidence and recommendations are then limited to what the reader may view
(see the reports package), so a PIC's download lists its own indicators under the instansi's index.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from simpul.core import permissions
from simpul.evaluation import reports
from simpul.evaluation.models import EvaluationPeriod


class PeriodReportView(LoginRequiredMixin, View):
    export_format = "pdf"

    def get(self, request, pk: int):
        periods = EvaluationPeriod.objects.select_related("instansi", "framework")
        period = get_object_or_404(permissions.restrict(periods, request.user, "view"), pk=pk)
        report = reports.collect(period, request.user)
        if self.export_format == "xlsx":
            content, content_type = reports.render_xlsx(report), reports.XLSX_CONTENT_TYPE
        else:
            content, content_type = reports.render_pdf(report), reports.PDF_CONTENT_TYPE
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{reports.filename(report, self.export_format)}"'
        # The report holds the instansi's unpublished results: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
        return response

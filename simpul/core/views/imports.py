"""The pages of background imports: the user's own jobs, and one job's progress and report."""

import contextlib

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from simpul.core import importjobs
from simpul.core.models import ImportJob


def visible_jobs(user) -> models.QuerySet:
    """The import jobs `user` may see: their own; a superuser sees all.

    Deliberately narrower than `restrict()` (the scope paths are set for it): a job holds someone's
    uploaded file and its row errors, which are theirs even inside one OPD or instansi.
    """
    jobs = ImportJob.objects.select_related("user")
    return jobs if user.is_superuser else jobs.filter(user=user)


def _model_names(job: ImportJob) -> str:
    try:
        return str(apps.get_model(job.model_label)._meta.verbose_name_plural)
    except (LookupError, ValueError):
        return job.model_label


class ImportJobListView(LoginRequiredMixin, View):
    template_name = "core/importjob_list.html"

    def get(self, request):
        page = Paginator(visible_jobs(request.user), 25).get_page(request.GET.get("page"))
        rows = [
            {"job": job, "model_names": _model_names(job), "processed": importjobs.processed_rows(job)}
            for job in page.object_list
        ]
        return render(request, self.template_name, {"page": page, "rows": rows})


class ImportJobDetailView(LoginRequiredMixin, View):
    """The job page; an htmx request (the poll every 2 s while the job runs) gets only the status part."""

    template_name = "core/importjob_detail.html"
    partial_template_name = "core/partials/importjob_status.html"

    def get(self, request, pk: int):
        job = get_object_or_404(visible_jobs(request.user), pk=pk)
        urls = {}
        # If the module was removed since, the report still shows, without links.
        with contextlib.suppress(importjobs.ImportConfigError):
            urls = importjobs.resolve_config(job.config_path).url_names()
        context = {
            "job": job,
            "model_names": _model_names(job),
            "processed": importjobs.processed_rows(job),
            "percent": importjobs.percent(job),
            "result": importjobs.job_result(job) if job.finished else None,
            "dry_run": job.dry_run,
            "list_url": reverse(urls["list"]) if urls else "",
            "import_url": reverse(urls["import"]) if urls else "",
        }
        template = self.partial_template_name if request.htmx else self.template_name
        return render(request, template, context)

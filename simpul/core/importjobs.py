"""Bulk imports too large for one request: queued as an ImportJob, run by `simpul worker`, with progress.

The worker runs the very same `importexport.import_rows` as a direct import (same form, same services,
same all-or-nothing transaction), as the user who uploaded the file.

Where the progress lives, and why: the import holds one database transaction open from the first row
to the last (all or nothing), so progress written through that connection is invisible to the web
process until the end. A second connection does not help everywhere: on SQLite the import's transaction
holds the database's only write lock (IMMEDIATE mode), so a second writer would wait for the import
that waits for it. So while a job runs, its processed-row count is written to Django's cache, which
every process reads: a directory under var/ by default (all processes of an SQLite installation are on
one machine anyway), Redis via SIMPUL_CACHE_URL when web and workers run on several machines. The
final counts and the report go to the ImportJob row once the transaction has ended. A cache that is
down or empty only hides the progress bar's movement; it never affects the import.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from simpul.core import context, importexport, permissions
from simpul.core.models import ImportJob

logger = logging.getLogger("simpul.imports")

PROGRESS_TIMEOUT = 7 * 24 * 3600


class ImportConfigError(Exception):
    """An ImportJob names something that is not an importable ModelViews configuration."""


def config_path(config) -> str:
    """The dotted path a worker resolves back to this ModelViews class."""
    return f"{config.__module__}.{config.__qualname__}"


def resolve_config(path: str):
    """The import configuration (a ModelViews class) at `path`; refuses anything else, since the path
    comes from a database row."""
    try:
        config = import_string(path)
    except ImportError as error:
        raise ImportConfigError(path) from error
    if not (isinstance(config, type) and issubclass(config, importexport.ImportConfig) and config.importable):
        raise ImportConfigError(path)
    return config


# --- progress ------------------------------------------------------------------------------------


def _progress_key(job: ImportJob) -> str:
    # The creation time makes the key unique even where ids are reused (a fresh test database).
    return f"simpul:import-progress:{job.pk}:{job.created_at.timestamp():.6f}"


def report_progress(job: ImportJob, processed: int) -> None:
    """Publish how many rows of a running job are done (see the module docstring for why the cache)."""
    try:
        cache.set(_progress_key(job), processed, PROGRESS_TIMEOUT)
    except Exception:  # a cache outage must not fail the import
        logger.warning("Import job %s: progress could not be stored.", job.pk, exc_info=True)


def processed_rows(job: ImportJob) -> int:
    """Rows done so far: from the cache while the job runs, from the row once it has ended."""
    if job.status != ImportJob.Status.RUNNING:
        return job.processed_rows
    try:
        value = cache.get(_progress_key(job))
    except Exception:
        value = None
    return max(job.processed_rows, int(value or 0))


def percent(job: ImportJob) -> int:
    if job.finished:
        return 100
    if not job.total_rows:
        return 0
    return min(100, processed_rows(job) * 100 // job.total_rows)


# --- the job -------------------------------------------------------------------------------------


def job_result(job: ImportJob) -> importexport.ImportResult:
    """The stored outcome in the shape the import page displays."""
    return importexport.ImportResult(
        total=job.total_rows,
        processed=job.processed_rows,
        saved=job.saved_count,
        errors=[importexport.RowError(e["row"], e["column"], e["message"]) for e in job.errors],
        unknown_columns=list(job.unknown_columns),
        preview=list(job.preview),
        skip_invalid=job.mode == ImportJob.Mode.PARTIAL and job.status == ImportJob.Status.SUCCEEDED,
    )


def start_import_job(user, config, upload: UploadedFile, *, mode: str, total_rows: int) -> ImportJob:
    """Store the uploaded file privately, record the job and put it on the queue; return the job."""
    upload.seek(0)
    job = ImportJob(
        user=user,
        config_path=config_path(config),
        model_label=config.model._meta.label_lower,
        original_name=upload.name[:255],
        mode=mode,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total_rows=total_rows,
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    try:
        task_result = run_import_job.enqueue(job.pk)
    except Exception:
        _finish(job, importexport.ImportResult(total=total_rows), failure=_("The job could not be queued."))
        raise
    # The worker may already be running the job: write only this field.
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_result.id))
    job.task_id = str(task_result.id)
    logger.info("Import job %s queued (%s, %d rows, %s).", job.pk, job.model_label, total_rows, mode)
    return job


@task()
def run_import_job(job_id: int) -> dict:
    """The queued form of `run_job`: what `simpul worker` runs for each background import."""
    return run_job(job_id)


def run_job(job_id: int) -> dict:
    """Run a queued import job as its user; the outcome is stored on the job and returned as a summary."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        # A job is run once; a re-delivered task (another backend, a retry) finds it already taken.
        logger.warning("Import job %s is %s, not queued; not run again.", job.pk, job.status)
        return {"job": job.pk, "status": job.status}
    job.status = ImportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    report_progress(job, 0)
    user = job.user
    result = importexport.ImportResult(total=job.total_rows)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            config = resolve_config(job.config_path)
            if not (user.is_active and permissions.has_model_permission(user, "add", config.model)):
                return _finish(job, result, failure=_("You may no longer import these records."))
            with job.file.open("rb") as stored:
                # The stored name is random; the original one says whether it is CSV or XLSX.
                rows = importexport.read_rows(File(stored, name=job.original_name))
            result.total = len(rows)
            # The worker already tagged this job's log lines and audit entries with the job id; keep it.
            with context.acting(user, source="job", request_id=context.current().request_id):
                result = importexport.import_rows(
                    user,
                    config,
                    rows,
                    commit=job.mode in (ImportJob.Mode.IMPORT, ImportJob.Mode.PARTIAL),
                    skip_invalid=job.mode == ImportJob.Mode.PARTIAL,
                    progress=lambda processed: report_progress(job, processed),
                )
        except importexport.ImportFileError as error:
            return _finish(job, result, failure=str(error))
        except Exception:
            logger.exception("Import job %s failed unexpectedly.", job.pk)
            _finish(job, result, failure=_("The import stopped because of an unexpected error. Nothing was saved."))
            raise  # the task is recorded as failed, with the traceback
        return _finish(job, result)


def _finish(job: ImportJob, result: importexport.ImportResult, failure: str | None = None) -> dict:
    errors = [{"row": e.row, "column": e.column, "message": str(e.message)} for e in result.errors]
    if failure:
        errors.append({"row": 0, "column": "—", "message": failure})
    # Skipped rows of a partial import are a report, not a failure: the valid rows were saved.
    failed = bool(failure) or (bool(errors) and not result.skipped_rows)
    job.status = ImportJob.Status.FAILED if failed else ImportJob.Status.SUCCEEDED
    job.total_rows = result.total
    job.processed_rows = result.processed
    job.saved_count = 0 if failed else result.saved
    job.errors = errors
    job.unknown_columns = list(result.unknown_columns)
    job.preview = list(result.preview)
    job.finished_at = timezone.now()
    # The upload is only needed while the job runs; it may hold personal data, so it goes now.
    if job.file:
        job.file.delete(save=False)
    # Not task_id: the web process may write it at the same moment (start_import_job).
    job.save(
        update_fields=[
            "status",
            "total_rows",
            "processed_rows",
            "saved_count",
            "errors",
            "unknown_columns",
            "preview",
            "finished_at",
            "file",
        ]
    )
    try:
        cache.delete(_progress_key(job))
    except Exception:
        logger.warning("Import job %s: progress entry could not be removed.", job.pk, exc_info=True)
    logger.info(
        "Import job %s %s: %d of %d rows processed, %d saved, %d errors.",
        job.pk,
        job.status,
        job.processed_rows,
        job.total_rows,
        job.saved_count,
        len(errors),
    )
    return {"job": job.pk, "status": job.status, "saved": job.saved_count, "errors": len(errors)}

"""Large imports run in the background: queued as an ImportJob, run by the worker, with progress and a report."""

import csv
import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.core import importjobs
from simpul.core.models import AuditEntry, ImportJob
from simpul.core.tests.scratch import run_python, run_simpul, scratch_database, simpul_env
from simpul.organizations.models import PerangkatDaerah
from simpul.organizations.tests.factories import UserFactory

URL = "organizations:perangkatdaerah_import"
HEADER = ["instansi", "name", "short_name", "kind"]


def good_rows(count: int) -> list[list[str]]:
    return [["inst-a", f"Dinas Latar {i}", f"LATAR{i}", "dinas"] for i in range(1, count + 1)]


def csv_file(rows, name="opd-besar.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode(), "text/csv")


@pytest.fixture(autouse=True)
def background_settings(settings, tmp_path):
    settings.SIMPUL_IMPORT_SYNC_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path / "media"
    # Progress lives in the cache; each test gets its own, empty one.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }


@pytest.fixture
def client(world):
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin_a)
    return client


def upload(client, rows, mode="import") -> ImportJob:
    response = client.post(reverse(URL), {"file": csv_file(rows), "mode": mode})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/core/imports/{job.pk}/"
    return job


def imported() -> set[str]:
    return set(PerangkatDaerah.objects.filter(short_name__startswith="LATAR").values_list("short_name", flat=True))


def test_upload_above_the_limit_creates_and_enqueues_a_job(client, world, settings):
    job = upload(client, good_rows(3))

    assert (job.user, job.status, job.mode, job.total_rows, job.processed_rows) == (
        world.admin_a,
        "queued",
        "import",
        3,
        0,
    )
    assert job.config_path == "simpul.organizations.views.PerangkatDaerahViews"
    assert job.model_label == "organizations.perangkatdaerah"
    assert job.original_name == "opd-besar.csv"
    stored = Path(job.file.path)
    assert stored.parent == Path(settings.MEDIA_ROOT) / "imports"
    assert stored.read_text().startswith("instansi,name,short_name,kind")
    assert "opd-besar" not in stored.name  # a random name, not the user's
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.task_path == "simpul.core.importjobs.run_import_job"
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["args"] == [job.pk]
    assert imported() == set(), "nothing is saved before the worker runs the job"


def test_small_file_is_still_imported_in_the_request(client):
    response = client.post(reverse(URL), {"file": csv_file(good_rows(2)), "mode": "import"})
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:perangkatdaerah_list")
    assert imported() == {"LATAR1", "LATAR2"}
    assert not ImportJob.objects.exists()


def test_task_imports_every_row_as_the_uploader(client, world):
    job = upload(client, good_rows(3))
    stored = Path(job.file.path)
    before = AuditEntry.objects.count()

    summary = importjobs.run_import_job.call(job.pk)

    job.refresh_from_db()
    assert summary == {"job": job.pk, "status": "succeeded", "saved": 3, "errors": 0}
    assert (job.status, job.total_rows, job.processed_rows, job.saved_count, job.errors) == ("succeeded", 3, 3, 3, [])
    assert job.started_at and job.finished_at
    assert imported() == {"LATAR1", "LATAR2", "LATAR3"}
    entries = AuditEntry.objects.order_by("id")[before:]
    assert [(e.action, e.object_repr, e.actor_id, e.source) for e in entries] == [
        ("create", f"LATAR{i}", world.admin_a.pk, "job") for i in (1, 2, 3)
    ]
    assert not stored.exists() and not job.file, "the upload is deleted when the job ends"

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-ok"' in page
    assert "3 records were imported." in page
    assert f'href="{reverse("organizations:perangkatdaerah_list")}"' in page
    assert 'hx-trigger="every 2s"' not in page, "a finished job is not polled"


def test_one_bad_row_imports_nothing_and_reports_row_and_column(client):
    job = upload(client, [*good_rows(3), ["inst-a", "Dinas Salah", "SALAH", "bukan-jenis"]])
    stored = Path(job.file.path)

    importjobs.run_import_job.call(job.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert (job.processed_rows, job.total_rows, job.saved_count) == (4, 4, 0)
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "Kind")]
    assert "valid choice" in job.errors[0]["message"]  # in the uploader's language (English here)
    assert imported() == set()
    assert not PerangkatDaerah.objects.filter(short_name="SALAH").exists()
    assert not stored.exists()

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-errors"' in page
    assert "<td>5</td><td>Kind</td>" in page


def test_dry_run_in_the_background_saves_nothing(client):
    job = upload(client, good_rows(3), mode="preview")
    importjobs.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.saved_count, job.processed_rows) == ("succeeded", 3, 3)
    assert [item["row"] for item in job.preview] == [2, 3, 4]
    assert imported() == set()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "All 3 rows are valid." in page and "Nothing was saved yet" in page


def test_progress_is_visible_while_the_import_transaction_is_open(client, monkeypatch):
    job = upload(client, good_rows(120))
    seen = []
    report = importjobs.report_progress

    def report_and_look(reported_job, processed):
        report(reported_job, processed)
        # Asked mid-import, the way the browser polls: the rows saved so far are not committed yet,
        # but the count is already readable (from the cache).
        partial = client.get(job.get_absolute_url(), headers={"hx-request": "true"}).content.decode()
        seen.append((processed, f"{processed} of 120 rows processed" in partial, 'hx-trigger="every 2s"' in partial))

    monkeypatch.setattr(importjobs, "report_progress", report_and_look)
    importjobs.run_import_job.call(job.pk)

    assert seen == [(0, True, True), (50, True, True), (100, True, True), (120, True, True)]
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows) == ("succeeded", 120, 120)
    assert len(imported()) == 120


def test_job_page_partial_shows_progress_while_running(client, world):
    job = upload(client, good_rows(3))
    ImportJob.objects.filter(pk=job.pk).update(status="running", total_rows=200, processed_rows=0)
    job.refresh_from_db()
    importjobs.report_progress(job, 50)

    response = client.get(job.get_absolute_url(), headers={"hx-request": "true"})
    partial = response.content.decode()
    assert "<html" not in partial, "the poll gets only the status part"
    assert "50 of 200 rows processed" in partial
    assert 'aria-valuenow="25"' in partial and "width: 25%" in partial
    assert f'hx-get="/core/imports/{job.pk}/"' in partial and 'hx-trigger="every 2s"' in partial

    full = client.get(job.get_absolute_url()).content.decode()
    assert "<html" in full and "50 of 200 rows processed" in full

    queued = ImportJob.objects.create(
        user=world.admin_a, config_path=job.config_path, model_label=job.model_label, mode="import", total_rows=10
    )
    partial = client.get(queued.get_absolute_url(), headers={"hx-request": "true"}).content.decode()
    assert "Waiting for a worker" in partial and 'hx-trigger="every 2s"' in partial


def test_only_the_uploader_and_superusers_see_a_job(client, world):
    job = upload(client, good_rows(3))
    url = job.get_absolute_url()
    for other in (world.admin_b, world.operator_a1, world.koordinator_a):
        other_client = Client()
        other_client.force_login(other)
        assert other_client.get(url).status_code == 404, other
        assert other_client.get(url, headers={"hx-request": "true"}).status_code == 404
        assert job.original_name not in other_client.get(reverse("core:importjob_list")).content.decode()
    superuser = Client()
    superuser.force_login(UserFactory(username="root", is_superuser=True))
    assert superuser.get(url).status_code == 200
    assert job.original_name in client.get(reverse("core:importjob_list")).content.decode()
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page


def test_uploader_who_lost_the_permission_imports_nothing(client, world):
    job = upload(client, good_rows(3))
    world.admin_a.role_assignments.all().delete()
    importjobs.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert [e["message"] for e in job.errors] == ["You may no longer import these records."]
    assert imported() == set()
    assert not job.file


def test_a_job_runs_once(client):
    job = upload(client, good_rows(3))
    importjobs.run_import_job.call(job.pk)
    assert importjobs.run_import_job.call(job.pk) == {"job": job.pk, "status": "succeeded"}
    assert len(imported()) == 3


def test_config_path_must_name_an_importable_model_views_class():
    assert importjobs.resolve_config("simpul.organizations.views.PerangkatDaerahViews").model is PerangkatDaerah
    for path in ("os.system", "simpul.organizations.models.PerangkatDaerah", "simpul.nothing.Here"):
        with pytest.raises(importjobs.ImportConfigError):
            importjobs.resolve_config(path)


@pytest.mark.django_db(transaction=True)
def test_worker_command_runs_the_queued_job(client):
    job = upload(client, good_rows(3))
    call_command("worker", "--batch", "--no-scheduler", stdout=open(os.devnull, "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.SUCCESSFUL
    assert imported() == {"LATAR1", "LATAR2", "LATAR3"}


def test_real_worker_process_runs_an_uploaded_import(tmp_path):
    """Upload through the web view in one process, `simpul worker --batch` in another, report in a third."""
    with scratch_database(tmp_path) as url:
        env = simpul_env(url, tmp_path, SIMPUL_IMPORT_SYNC_MAX_ROWS="2")
        run_simpul(env, "migrate", "--no-input", "-v0", timeout=300)
        rows = "\\n".join(",".join(row) for row in [HEADER, *good_rows(4)])
        started = run_python(
            env,
            "import json\n"
            "from django.core.files.uploadedfile import SimpleUploadedFile\n"
            "from django.test import Client\n"
            "from simpul.core.models import ImportJob\n"
            "from simpul.organizations.tests.factories import InstansiFactory, user_with_role\n"
            "instansi = InstansiFactory(slug='inst-a')\n"
            "user = user_with_role('admin_spbe', instansi, username='admin-a')\n"
            "client = Client(headers={'accept-language': 'en'})\n"
            "client.force_login(user)\n"
            f"upload = SimpleUploadedFile('opd.csv', '{rows}'.encode(), 'text/csv')\n"
            "from django.urls import reverse\n"
            "response = client.post(reverse('organizations:perangkatdaerah_import'), {'file': upload, 'mode': 'import'})\n"
            "job = ImportJob.objects.get()\n"
            "print(json.dumps({'status': response.status_code, 'location': response['Location'], 'job': job.pk,"
            " 'file': job.file.path, 'user': user.pk}))",
        )
        assert started["status"] == 302 and started["location"] == f"/core/imports/{started['job']}/"
        assert Path(started["file"]).is_file()

        run_simpul(env, "worker", "--batch", "--no-scheduler", timeout=180)

        outcome = run_python(
            env,
            "import json\n"
            "from simpul.core.models import AuditEntry, ImportJob\n"
            "from simpul.organizations.models import PerangkatDaerah\n"
            "job = ImportJob.objects.get()\n"
            "print(json.dumps({'job': [job.status, job.processed_rows, job.total_rows, job.saved_count, job.file.name],"
            " 'opd': sorted(PerangkatDaerah.objects.values_list('short_name', flat=True)),"
            " 'audit': sorted({(e.actor_id, e.source, e.request_id == job.task_id.replace('-', ''))"
            " for e in AuditEntry.objects.filter(object_repr__startswith='LATAR')})}))",
        )
    assert outcome["job"] == ["succeeded", 4, 4, 4, ""]
    assert outcome["opd"] == ["LATAR1", "LATAR2", "LATAR3", "LATAR4"]
    assert outcome["audit"] == [[started["user"], "job", True]]
    assert not Path(started["file"]).exists()


def test_partial_job_saves_valid_rows_and_reports_the_skipped_ones(client):
    job = upload(client, [*good_rows(3), ["inst-a", "Dinas Salah", "SALAH", "bukan-jenis"]], mode="partial")

    importjobs.run_import_job.call(job.pk)

    job.refresh_from_db()
    assert (job.status, job.saved_count) == ("succeeded", 3)
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "Kind")]
    assert imported() == {"LATAR1", "LATAR2", "LATAR3"}
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-ok"' in page and 'data-testid="import-skipped"' in page
    assert "<td>5</td><td>Kind</td>" in page


def test_worker_refuses_a_file_over_the_row_limit_without_importing_any(client, settings):
    """The worker reads the stored file under the same limits as the upload page (the limit may have
    been lowered since, or the job row written by other means)."""
    job = upload(client, good_rows(5))
    settings.SIMPUL_IMPORT_MAX_ROWS = 4

    summary = importjobs.run_import_job.call(job.pk)

    job.refresh_from_db()
    assert summary["status"] == "failed"
    assert [e["message"] for e in job.errors] == [
        "The file holds more than 4 rows; the import limit is 4 rows. Split the file into several parts."
    ]
    assert (job.saved_count, imported(), bool(job.file)) == (0, set(), False)

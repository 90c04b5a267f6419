"""Background jobs: the schedule enqueues each slot once, workers run each job once and stop cleanly."""

import json
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from simpul.core.models import AuditEntry
from simpul.core.tasks import send_mail_task
from simpul.core.tests.scratch import SIMPUL, run_python, run_simpul, scratch_database, simpul_env
from simpul.ops import tasks
from simpul.ops.models import ScheduledRun
from simpul.ops.scheduler import enqueue_due
from simpul.organizations.tests.factories import InstansiFactory

SCHEDULE = {"simpul.ops.tasks.prune_finished_tasks": 3600, "simpul.ops.tasks.verify_audit_chain": 86400}


@task(takes_context=True)
def record_execution(context, log_path: str, number: int, seconds: float = 0.0) -> int:
    """Test job: append "number pid" to a file (O_APPEND keeps concurrent lines whole), optionally slowly."""
    if seconds:
        with open(log_path + ".started", "a") as started:
            started.write(f"{number}\n")
        time.sleep(seconds)
    with open(log_path, "a") as log:
        log.write(f"{number} {os.getpid()} {context.task_result.id}\n")
    return number


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory):
    """A migrated database that several `simpul` processes use at once."""
    directory = tmp_path_factory.mktemp("jobs")
    with scratch_database(directory) as url:
        env = simpul_env(url, directory)
        run_simpul(env, "migrate", "--no-input", "-v0", timeout=300)
        yield env


def _clear_jobs(env):
    run_python(
        env,
        "from django_tasks_db.models import DBTaskResult\n"
        "from simpul.ops.models import ScheduledRun\n"
        "DBTaskResult.objects.all().delete(); ScheduledRun.objects.all().delete()",
    )


# --- the schedule ---------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(SIMPUL_SCHEDULE=SCHEDULE)
def test_enqueue_due_enqueues_each_slot_once():
    now = datetime(2025, 3, 1, 10, 15, tzinfo=UTC)
    first = enqueue_due(now)
    assert {run.task_path for run in first} == set(SCHEDULE)
    assert enqueue_due(now + timedelta(minutes=20)) == []  # same slots: nothing new

    later = enqueue_due(now + timedelta(hours=1))  # the hourly task's next slot; the daily one not yet
    assert [run.task_path for run in later] == ["simpul.ops.tasks.prune_finished_tasks"]
    assert ScheduledRun.objects.count() == 3
    assert DBTaskResult.objects.count() == 3
    run = ScheduledRun.objects.get(task_path="simpul.ops.tasks.verify_audit_chain")
    assert DBTaskResult.objects.get(id=run.task_result_id).task_path == run.task_path


def test_enqueue_due_from_concurrent_processes_enqueues_once(shared_db, tmp_path):
    """Six processes call enqueue_due for the same instant at the same moment: one job per task."""
    _clear_jobs(shared_db)
    start_at = time.time() + 3
    code = (
        "import json, time\n"
        "from datetime import datetime, UTC\n"
        "from simpul.ops.scheduler import enqueue_due\n"
        "from django.db import connection\n"
        "connection.ensure_connection()\n"
        f"time.sleep(max(0, {start_at} - time.time()))\n"
        "runs = enqueue_due(datetime(2025, 3, 1, 10, 15, tzinfo=UTC))\n"
        "print(json.dumps([r.task_path for r in runs]))\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
            env=shared_db,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    enqueued = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        enqueued.extend(json.loads(out.strip().splitlines()[-1]))

    counts = run_python(
        shared_db,
        "import json\n"
        "from django.conf import settings\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "from simpul.ops.models import ScheduledRun\n"
        "print(json.dumps({'schedule': sorted(settings.SIMPUL_SCHEDULE), 'runs': ScheduledRun.objects.count(),"
        " 'jobs': sorted(DBTaskResult.objects.values_list('task_path', flat=True))}))",
    )
    assert sorted(enqueued) == counts["schedule"]
    assert counts["runs"] == len(counts["schedule"])
    assert counts["jobs"] == counts["schedule"]


# --- the worker -----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_enqueued_job_to_success():
    result = send_mail_task.enqueue("Uji", "Isi pesan", ["opd@example.go.id"])
    assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY

    call_command("worker", "--batch", "--no-scheduler", stdout=open(os.devnull, "w"))  # noqa: SIM115

    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL
    assert stored.return_value == 1
    assert stored.finished_at is not None
    assert [message.to for message in mail.outbox] == [["opd@example.go.id"]]
    assert mail.outbox[0].subject == "Uji"


@pytest.mark.django_db(transaction=True)
@override_settings(SIMPUL_SCHEDULE=SCHEDULE)
def test_worker_batch_runs_the_schedule_first():
    call_command("worker", "--batch", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert set(DBTaskResult.objects.values_list("task_path", flat=True)) == set(SCHEDULE)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}


def test_two_workers_run_each_job_exactly_once(shared_db, tmp_path):
    _clear_jobs(shared_db)
    log_path = tmp_path / "executions.log"
    jobs = 40
    run_python(
        shared_db,
        "from simpul.ops.tests.test_jobs import record_execution\n"
        f"for number in range({jobs}):\n"
        f"    record_execution.enqueue({str(log_path)!r}, number, 0.05)\n",
    )
    workers = [
        subprocess.Popen(
            [SIMPUL, "worker", "--batch", "--no-scheduler", "--interval", "0.1"],
            env=shared_db,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    for worker in workers:
        output, _ = worker.communicate(timeout=180)
        assert worker.returncode == 0, output

    lines = [line.split() for line in log_path.read_text().splitlines()]
    numbers = sorted(int(number) for number, _pid, _job in lines)
    assert numbers == list(range(jobs)), "every job ran exactly once"
    assert len({job for _number, _pid, job in lines}) == jobs
    statuses = run_python(
        shared_db,
        "import json\nfrom django_tasks_db.models import DBTaskResult\n"
        "print(json.dumps(sorted(set(DBTaskResult.objects.values_list('status', flat=True)))))",
    )
    assert statuses == [TaskResultStatus.SUCCESSFUL]


def test_worker_finishes_running_job_then_exits_on_sigterm(shared_db, tmp_path):
    _clear_jobs(shared_db)
    log_path = tmp_path / "slow.log"
    run_python(
        shared_db,
        f"from simpul.ops.tests.test_jobs import record_execution\nrecord_execution.enqueue({str(log_path)!r}, 7, 2.0)",
    )
    worker = subprocess.Popen(
        [SIMPUL, "worker", "--no-scheduler", "--interval", "0.2"],
        env=shared_db,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    started = Path(str(log_path) + ".started")
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.05)
    assert started.exists(), "the job never started"
    worker.send_signal(signal.SIGTERM)  # arrives while the job sleeps
    output, _ = worker.communicate(timeout=60)

    assert worker.returncode == 0, output
    assert log_path.read_text().split()[0] == "7", "the running job was finished before exiting"
    status = run_python(
        shared_db,
        "import json\nfrom django_tasks_db.models import DBTaskResult\n"
        "print(json.dumps(DBTaskResult.objects.get().status))",
    )
    assert status == TaskResultStatus.SUCCESSFUL


def test_idle_worker_exits_on_sigint(shared_db):
    _clear_jobs(shared_db)
    worker = subprocess.Popen(
        [SIMPUL, "worker", "--interval", "0.2", "--tick", "0.5"],
        env=shared_db,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    first_line = worker.stdout.readline()
    assert "Worker Simpul berjalan" in first_line
    time.sleep(1.5)  # let the scheduler thread tick and the worker run the scheduled jobs
    worker.send_signal(signal.SIGINT)
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    statuses = run_python(
        shared_db,
        "import json\nfrom django_tasks_db.models import DBTaskResult\n"
        "print(json.dumps(list(DBTaskResult.objects.values_list('task_path', 'status'))))",
    )
    assert {path for path, _status in statuses} == set(settings.SIMPUL_SCHEDULE)
    assert "simpul.ops.tasks.verify_audit_chain" in settings.SIMPUL_SCHEDULE


# --- the platform's own tasks ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(ADMINS=[("Admin SPBE", "admin-spbe@example.go.id")])
def test_verify_audit_chain_reports_a_broken_chain(caplog):
    InstansiFactory(slug="inst-x")
    InstansiFactory(slug="inst-y")
    intact = tasks.verify_audit_chain.enqueue()
    call_command("worker", "--batch", "--no-scheduler", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert DBTaskResult.objects.get(id=intact.id).status == TaskResultStatus.SUCCESSFUL
    assert mail.outbox == []

    first = AuditEntry.objects.order_by("id").first()
    AuditEntry.objects.filter(pk=first.pk).update(object_repr="dipalsukan")  # tampering bypasses signals
    broken = tasks.verify_audit_chain.enqueue()
    with caplog.at_level(logging.ERROR, logger="simpul.tasks"):
        call_command("worker", "--batch", "--no-scheduler", stdout=open(os.devnull, "w"))  # noqa: SIM115

    stored = DBTaskResult.objects.get(id=broken.id)
    assert stored.status == TaskResultStatus.FAILED
    assert stored.exception_class_path == "simpul.ops.tasks.AuditChainBroken"
    assert f"entry {first.pk}" in stored.traceback
    assert any(getattr(record, "broken_entry_id", None) == first.pk for record in caplog.records)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin-spbe@example.go.id"]
    assert str(first.pk) in mail.outbox[0].body


@pytest.mark.django_db
def test_prune_finished_tasks_keeps_recent_and_unfinished_results():
    old, recent, waiting = (send_mail_task.enqueue("s", "m", ["a@example.go.id"]) for _ in range(3))
    long_ago = timezone.now() - timedelta(days=40)
    DBTaskResult.objects.filter(id=old.id).update(status=TaskResultStatus.SUCCESSFUL, finished_at=long_ago)
    DBTaskResult.objects.filter(id=recent.id).update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
    ScheduledRun.objects.create(task_path="simpul.ops.tasks.verify_audit_chain", slot=1)
    ScheduledRun.objects.filter(slot=1).update(enqueued_at=long_ago)
    current = ScheduledRun.objects.create(task_path="simpul.ops.tasks.verify_audit_chain", slot=10**9)
    ScheduledRun.objects.filter(pk=current.pk).update(enqueued_at=long_ago)  # old, but its slot is not over

    assert tasks.prune_finished_tasks.call(days=30) == {"task_results": 1, "scheduled_runs": 1}
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {recent.id, waiting.id}
    assert list(ScheduledRun.objects.values_list("slot", flat=True)) == [10**9]

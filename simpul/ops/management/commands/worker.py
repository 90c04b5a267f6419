"""`simpul worker`: runs background jobs and enqueues the periodic schedule.

Job execution is django-tasks-db's own worker loop: a job is claimed inside a transaction with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL (an exclusive transaction on SQLite), so any number of
workers on any number of machines never run the same job twice. Beside it a thread calls the scheduler
every --tick seconds; the ScheduledRun unique constraint makes that safe on every worker at once.
"""

import logging
import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from simpul.core import context
from simpul.ops.scheduler import enqueue_due

logger = logging.getLogger("simpul.worker")


def _default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(value)
    return number


class SimpulWorker(Worker):
    """django-tasks-db's worker, with each job's log lines and audit entries tagged by the job id."""

    def run_task(self, db_task_result) -> None:
        with context.acting(source="job", request_id=str(db_task_result.id).replace("-", "")):
            super().run_task(db_task_result)


class SchedulerThread(threading.Thread):
    """Calls `enqueue_due` now and then every `tick` seconds until stopped, on its own DB connection."""

    def __init__(self, tick: float):
        super().__init__(name="simpul-scheduler", daemon=True)
        self.tick = tick
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                with context.acting(source="scheduler"):
                    enqueue_due()
            except Exception:  # a failed tick (database restarting, ...) must not end the worker
                logger.exception("Scheduler tick failed; retrying in %s s.", self.tick)
            finally:
                connections.close_all()
            self.stopped.wait(self.tick)

    def stop(self) -> None:
        self.stopped.set()


class Command(BaseCommand):
    help = (
        "Run background jobs and the periodic schedule until stopped (SIGTERM/SIGINT finish the current job, "
        "then exit). --once only enqueues due scheduled jobs; --batch runs what is queued, then exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="Queues to run, comma-separated; '*' for all (default).")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty (default 1)."
        )
        parser.add_argument(
            "--tick", type=_positive_float, default=30.0, help="Seconds between scheduler ticks (default 30)."
        )
        parser.add_argument("--batch", action="store_true", help="Run every ready job, then exit.")
        parser.add_argument("--once", action="store_true", help="Enqueue the due scheduled jobs once, then exit.")
        parser.add_argument("--no-scheduler", action="store_true", help="Only run jobs; do not enqueue the schedule.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after running this many jobs.")
        parser.add_argument("--worker-id", default=None, help="Unique id of this worker (default: host-pid-random).")

    def handle(self, *args, **options):
        if options["once"]:
            runs = enqueue_due()
            self.stdout.write(f"Jadwal: {len(runs)} pekerjaan dimasukkan ke antrean.")
            for run in runs:
                self.stdout.write(f"  {run.task_path} (slot {run.slot}, job {run.task_result_id})")
            return

        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            # Another backend (e.g. RQ) has its own workers; this process then only keeps the schedule.
            if options["batch"]:
                raise CommandError(
                    f"--batch hanya untuk backend basis data; backend saat ini {type(backend).__name__}."
                )
            return self._run_scheduler_only(options["tick"])

        worker_id = (options["worker_id"] or _default_worker_id())[:64]
        queue_names = [name.strip() for name in options["queue_name"].split(",") if name.strip()]
        worker = SimpulWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=backend.alias,
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
        )

        scheduler = None
        if options["batch"]:
            if not options["no_scheduler"]:
                enqueue_due()
        elif not options["no_scheduler"]:
            scheduler = SchedulerThread(options["tick"])

        def shutdown(signum, frame):
            if scheduler is not None:
                scheduler.stop()
            worker.shutdown(signum, frame)  # finishes the running job first; exits at once when idle

        previous_handlers = {signum: signal.signal(signum, shutdown) for signum in (signal.SIGINT, signal.SIGTERM)}
        self.stdout.write(f"Worker Simpul berjalan (id={worker_id}, antrean={','.join(queue_names)}).")
        self.stdout.flush()
        if scheduler is not None:
            scheduler.start()
        try:
            worker.run()
        finally:
            if scheduler is not None:
                scheduler.stop()
                scheduler.join(timeout=10)
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)
        self.stdout.write(f"Worker {worker_id} selesai.")

    def _run_scheduler_only(self, tick: float) -> None:
        scheduler = SchedulerThread(tick)

        def shutdown(signum, frame):
            scheduler.stop()

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, shutdown)
        self.stdout.write("Backend tugas bukan basis data: proses ini hanya menjalankan penjadwal.")
        self.stdout.flush()
        scheduler.start()
        while scheduler.is_alive():
            scheduler.join(timeout=1)
        self.stdout.write("Penjadwal selesai.")
